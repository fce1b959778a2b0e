package inspect

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// typicalArgs is the arguments of an ordinary database call: about 200 bytes
// of JSON with a short query.
var typicalArgs = json.RawMessage(`{"sql": "SELECT id, name, email FROM users WHERE created_at > '2024-01-01' ORDER BY id LIMIT 50", "database": "app", "params": [], "timeout_ms": 5000, "readonly": true}`)

func BenchmarkArgsTypical(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if Args(typicalArgs).Tier != Read {
			b.Fatal("not read")
		}
	}
}

func BenchmarkArgsShell(b *testing.B) {
	args := json.RawMessage(`{"command": "git log --oneline -n 20 | grep -i fix | head -5", "cwd": "/home/me/project", "timeout": 30}`)
	b.ReportAllocs()
	for b.Loop() {
		Args(args)
	}
}

func BenchmarkSQLTypical(b *testing.B) {
	q := "SELECT id, name FROM users WHERE id = $1"
	b.ReportAllocs()
	for b.Loop() {
		SQL(q)
	}
}

func BenchmarkShellTypical(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Shell("find . -name '*.go' | xargs grep -l TODO | head")
	}
}

// BenchmarkHostile reports the cost per byte of the worst shapes in
// TestQuadraticShapes; it should stay flat as the input grows.
func BenchmarkHostile(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		q := strings.Repeat("EXEC(", n) + strings.Repeat("'x')", n)
		b.Run("sql-exec-"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(q)))
			for b.Loop() {
				SQL(q)
			}
		})
		c := strings.Repeat("cat | ", n) + "sh"
		b.Run("shell-pipe-"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(c)))
			for b.Loop() {
				Shell(c)
			}
		})
	}
}
