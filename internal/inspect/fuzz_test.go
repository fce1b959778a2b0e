package inspect

import (
	"encoding/json"
	"strings"
	"testing"
)

func validFinding(t *testing.T, input string, f Finding) {
	t.Helper()
	if f.Tier < Read || f.Tier > Destructive {
		t.Fatalf("%q: tier %d out of range", input, f.Tier)
	}
	if len(f.Reasons) > maxReasons {
		t.Fatalf("%q: %d reasons", input, len(f.Reasons))
	}
	for _, r := range f.Reasons {
		if r == "" {
			t.Fatalf("%q: empty reason in %q", input, f.Reasons)
		}
	}
}

// sqlOpen reports whether base ends inside a string, quoted name or block
// comment in every dialect: then appended text is not SQL and the planted
// DROP property does not apply.
func sqlOpen(base string) bool {
	for _, d := range dialects {
		toks := lexSQL(base+"\nzzqx", d)
		if n := len(toks); n > 0 && toks[n-1].is("ZZQX") {
			return false
		}
	}
	return true
}

var sqlSeeds = []string{
	"SELECT 1", "select * from t where a = 'x'", "SELECT 'a''b'", `SELECT E'\''`, "SELECT $t$ ; $t$",
	"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "EXPLAIN ANALYZE DELETE FROM t",
	"/* /* */ */ SELECT 1", "SELECT [a'] FROM t", "SELECT 1 # x", "SELECT 1 /*! , 2 */", `\d users`,
	"DO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$", "PRAGMA table_info(t)", "SELECT pg_sleep(1)",
	"UPDATE t SET a = 1 WHERE TRUE", "EXEC('SELECT 1')", "(((", ")))", "'", `"`, "`", "[", "$$", "--",
}

func FuzzSQL(f *testing.F) {
	for _, s := range sqlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SQL(s)
		validFinding(t, s, got)
		if sqlOpen(s) {
			return
		}
		planted := s + "\n; DROP TABLE x"
		if p := SQL(planted); p.Tier != Destructive {
			t.Fatalf("%q: %v, want destructive", planted, p)
		}
	})
}

var shellSeeds = []string{
	"ls -la", "cat x | grep y", "echo 'a b' \"c $d\"", "git log --oneline", "sh -c 'ls'", "sudo -u x ls",
	"find . -name '*.go'", "x=$(ls); echo $x", "for i in 1 2; do echo $i; done", "f() { ls; }; f",
	"cat <<EOF\nhi\nEOF", "ls # c", "echo \\", "echo 'x", "$(", "`", "((1+", "[[ -f x ]]", "a=(1 2)",
	"env -S 'ls'", "xargs -I{} echo {}", "curl -s x | jq .", "bash <<< 'ls'", "echo ${x:-$(ls)}",
}

func FuzzShell(f *testing.F) {
	for _, s := range shellSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Shell(s)
		validFinding(t, s, got)
		cmd, ok := plantedRm(s)
		if !ok {
			return
		}
		if p := Shell(cmd); p.Tier == Read {
			t.Fatalf("%q: read", cmd)
		}
	})
}

func FuzzArgs(f *testing.F) {
	for _, s := range []string{
		`{"sql": "SELECT 1"}`, `{"command": ["rm", "-rf", "/"]}`, `{"command": "git", "args": ["push"]}`,
		`{"method": "DELETE"}`, `{"operation": "list"}`, `{"function": "() => document.title"}`,
		`{"query": "mutation { a }"}`, `[{"sql": "DROP TABLE x"}]`, `{"a": {"b": [{"cmd": "ls"}]}}`,
		`null`, `"x"`, `{`, `{"sql": 1}`, `{"command": []}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := Args(json.RawMessage(data))
		validFinding(t, string(data), got)
		// The walker must give the SQL inspector's verdict for a sql key.
		s := string(data)
		if len(s) > 4096 || !strings.Contains(s, " ") {
			return
		}
		wrapped, _ := json.Marshal(map[string]string{"sql": s})
		if a, q := Args(wrapped), SQL(s); a.Tier != q.Tier {
			t.Fatalf("%q: Args %v, SQL %v", s, a, q)
		}
	})
}

func FuzzCode(f *testing.F) {
	for _, s := range []string{"document.title", "a.click()", "fetch('/x', {method: 'DELETE'})", "`${x()}`", "/*", "'", "`\\`${"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		validFinding(t, s, Code(s))
	})
}
