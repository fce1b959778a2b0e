package inspect

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestArgs(t *testing.T) {
	cases := []struct {
		name string
		args string
		tier Tier
		want string
	}{
		{"empty", ``, Read, ""},
		{"null", `null`, Read, ""},
		{"no inspectable keys", `{"path": "/tmp/x", "content": "hello"}`, Read, ""},
		{"invalid JSON", `{"sql": "DROP`, Write, "not valid JSON"},
		// Database servers (postgres, sqlite, mysql MCP servers).
		{"postgres query read", `{"sql": "SELECT * FROM users LIMIT 10"}`, Read, "SQL: SELECT"},
		{"postgres query drop", `{"sql": "DROP TABLE users"}`, Destructive, "DROP TABLE"},
		{"query key with SQL", `{"query": "delete from orders"}`, Destructive, "DELETE without WHERE"},
		{"query key with search text", `{"query": "delete button not working"}`, Read, ""},
		{"query key with search text 2", `{"query": "update on the project status"}`, Read, ""},
		{"query key short SQL", `{"query": "DELETE users"}`, Destructive, "DELETE"},
		{"statement key", `{"statement": "UPDATE t SET a = 1 WHERE id = 1"}`, Write, "SQL: UPDATE"},
		{"camel sqlQuery", `{"sqlQuery": "TRUNCATE logs"}`, Destructive, "TRUNCATE"},
		{"batch of queries", `{"queries": [{"sql": "SELECT 1"}, {"sql": "DROP TABLE x"}]}`, Destructive, "DROP TABLE"},
		{"array of statements", `{"statements": ["SELECT 1", "DELETE FROM t"]}`, Destructive, "DELETE"},
		// Shell and process servers.
		{"command string", `{"command": "ls -la"}`, Read, "shell: ls"},
		{"command rm", `{"command": "rm -rf build"}`, Destructive, "rm -rf"},
		{"cmd key", `{"cmd": "git push --force"}`, Destructive, "push --force"},
		{"argv array", `{"command": ["rm", "-rf", "/"]}`, Destructive, "rm -rf"},
		{"argv array keeps words", `{"command": ["echo", "a; rm -rf /"]}`, Read, ""},
		{"command plus args", `{"command": "git", "args": ["push", "--force"]}`, Destructive, "push --force"},
		{"command plus args read", `{"command": "git", "args": ["status"], "cwd": "/repo"}`, Read, ""},
		{"bash -c in argv", `{"command": "bash", "args": ["-c", "rm -rf /"]}`, Destructive, "rm -rf"},
		{"nested shell", `{"steps": [{"run": {"shell": "curl -s x | sh"}}]}`, Destructive, "piped to sh"},
		{"command verb", `{"command": "delete", "id": 3}`, Destructive, `operation "delete"`},
		// HTTP and operation enums.
		{"http GET", `{"url": "https://x", "method": "GET"}`, Read, "HTTP GET"},
		{"http DELETE", `{"url": "https://x", "method": "DELETE"}`, Destructive, "HTTP DELETE"},
		{"http_method", `{"http_method": "post"}`, Write, "HTTP POST"},
		{"method as verb", `{"method": "remove_member"}`, Destructive, "remove"},
		{"empty method", `{"method": ""}`, Read, ""},
		{"operation", `{"operation": "delete_file", "path": "x"}`, Destructive, `operation "delete"`},
		{"action list", `{"action": "list"}`, Read, ""},
		{"op", `{"op": "create"}`, Write, ""},
		{"mode overwrite", `{"mode": "overwrite"}`, Destructive, ""},
		{"unknown action", `{"action": "frobnicate"}`, Read, ""},
		// Browser servers (playwright, puppeteer, chrome devtools).
		{"evaluate read", `{"function": "() => document.title"}`, Read, ""},
		{"evaluate click", `{"expression": "document.querySelector('#buy').click()"}`, Write, "click()"},
		{"script js", `{"script": "document.querySelector('form').submit()"}`, Write, "submit()"},
		{"code js delete", `{"code": "fetch('/api/1', {method: 'DELETE'})"}`, Destructive, "fetch DELETE"},
		{"code shell", `{"code": "rm -rf /"}`, Destructive, "rm -rf"},
		// GraphQL.
		{"graphql query", `{"query": "query { viewer { login } }"}`, Read, ""},
		{"graphql mutation", `{"query": "mutation { deleteRepository(id: 1) { id } }"}`, Destructive, "deleteRepository"},
		{"value under a known key", `{"sql": {"text": "DROP TABLE x", "params": []}}`, Destructive, "DROP TABLE"},
		{"JSON in a string", `{"input": "{\"sql\": \"DELETE FROM t\"}"}`, Destructive, "DELETE"},
		{"string that is not JSON", `{"note": "{not json}"}`, Read, ""},
		// Several findings: the highest wins, all reasons kept.
		{"mixed", `{"sql": "SELECT 1", "method": "DELETE"}`, Destructive, "SQL: SELECT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.args, Args(json.RawMessage(c.args)), c.tier, c.want)
		})
	}
}

// TestArgsHostile feeds inputs built to be slow or to hide a dangerous
// value; each must finish and fail closed.
func TestArgsHostile(t *testing.T) {
	t.Run("huge array", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"statements": [`)
		for i := 0; i < 100_000; i++ {
			b.WriteString(`"SELECT 1",`)
		}
		b.WriteString(`"DROP TABLE x"]}`)
		check(t, "100k statements", Args(json.RawMessage(b.String())), Destructive, "")
	})
	t.Run("10 MB string", func(t *testing.T) {
		big := `{"sql": "SELECT '` + strings.Repeat("a", 10<<20) + `'"}`
		check(t, "10 MB", Args(json.RawMessage(big)), Destructive, "too large")
	})
	t.Run("10 MB unrelated string", func(t *testing.T) {
		big := `{"content": "` + strings.Repeat("a", 10<<20) + `"}`
		check(t, "10 MB content", Args(json.RawMessage(big)), Read, "")
	})
	t.Run("deep nesting", func(t *testing.T) {
		deep := strings.Repeat(`{"a":`, 5000) + `{"sql": "DROP TABLE x"}` + strings.Repeat(`}`, 5000)
		check(t, "deep", Args(json.RawMessage(deep)), Write, "nested too deeply")
	})
	t.Run("budget", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"statements": [`)
		chunk := `"SELECT 1` + strings.Repeat(", 1", 60_000) + `"`
		for i := 0; i < 60; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(chunk)
		}
		b.WriteString(`]}`)
		check(t, "budget", Args(json.RawMessage(b.String())), Destructive, "too large")
	})
}

func TestReasonsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString("DROP TABLE t" + strconv.Itoa(i) + "; CREATE TABLE u" + strconv.Itoa(i) + " (a int); ")
	}
	f := SQL(b.String())
	if len(f.Reasons) > maxReasons {
		t.Fatalf("%d reasons", len(f.Reasons))
	}
	if f.Reasons[0] != "SQL: DROP TABLE" {
		t.Errorf("first reason %q, want the destructive one", f.Reasons[0])
	}
	if last := f.Reasons[len(f.Reasons)-1]; last != "SQL: CREATE TABLE" && !strings.Contains(last, "more reasons") {
		t.Errorf("last reason %q", last)
	}
}
