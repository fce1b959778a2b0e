package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/argshash"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// recordCalls writes calls the way the proxy does: redacted arguments, hash
// of the originals.
func recordCalls(t *testing.T, home string, calls []store.Call, finish []bool) {
	t.Helper()
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for i := range calls {
		c := calls[i]
		raw := json.RawMessage(c.Arguments)
		if c.ArgsHash, err = argshash.Of(raw); err != nil {
			t.Fatal(err)
		}
		c.Arguments = string(redact.Arguments(raw))
		id, err := st.BeginCall(ctx, &c)
		if err != nil {
			t.Fatal(err)
		}
		if finish[i] {
			if err := st.FinishCall(ctx, id, store.OutcomeOK, "", 1234*time.Microsecond); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestHistoryWithoutDatabase(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	t.Setenv("AIRLOCK_HOME", home)
	code, out, errOut := runCLI(t, "history")
	if code != 0 || !strings.Contains(out, "no calls recorded yet") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("history created the home folder or database (stat err = %v)", err)
	}
}

func TestHistoryTableAndJSON(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	now := time.Now().UTC()
	token := "ghp_" + strings.Repeat("aB3dE5", 6)
	calls := []store.Call{
		{Time: now.Add(-3 * time.Hour), Server: "old", Tool: "read_file", Arguments: `{"path":"/a"}`},
		{Time: now.Add(-2 * time.Minute), Client: "claude-ai", Session: "s1", Server: "fs", Tool: "read_file",
			Decision: "forwarded", DecidedBy: "no-policy", Arguments: `{"path":"/tmp/notes.txt","api_key":"` + token + `"}`},
		{Time: now.Add(-time.Minute), Server: "evil\x1b]0;pwned\x07", Tool: "rm\u202eexe", Decision: "forwarded",
			Arguments: `{"text":"` + strings.Repeat("long ", 40) + `\u001b[2J"}`},
		{Time: now, Server: "fs", Tool: "write_file", Decision: "forwarded", Arguments: `{"path":"/tmp/x"}`},
	}
	recordCalls(t, home, calls, []bool{true, true, true, false})

	code, out, errOut := runCLI(t, "history")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want header + 4 rows, got:\n%s", out)
	}
	header := strings.Fields(lines[0])
	if strings.Join(header, " ") != "TIME SERVER TOOL TIER DECISION OUTCOME DURATION ARGUMENTS" {
		t.Errorf("header = %q", lines[0])
	}
	argsCol := strings.Index(lines[0], "ARGUMENTS")
	for _, l := range lines[1:] {
		// Aligned: every row's arguments start under the header (all ASCII here).
		if len(l) <= argsCol || l[argsCol-1] != ' ' || l[argsCol] != '{' {
			t.Errorf("row not aligned with ARGUMENTS column: %q", l)
		}
	}
	if !strings.Contains(lines[1], "write_file") || !strings.Contains(lines[1], "running") {
		t.Errorf("newest (in-flight) call first, shown as running: %q", lines[1])
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("terminal control characters reached the output: %q", out)
	}
	for _, want := range []string{`evil\x1b]0;pwned\x07`, `rm\u202eexe`, "…", "1.2ms", "[REDACTED]", " - "} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, token) {
		t.Error("secret reached the table")
	}

	code, out, errOut = runCLI(t, "history", "--json", "--server", "fs", "--since", "1h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []map[string]any
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		rows = append(rows, m)
	}
	if len(rows) != 2 || rows[0]["tool"] != "write_file" || rows[1]["tool"] != "read_file" {
		t.Fatalf("--server fs --since 1h rows = %v", rows)
	}
	r := rows[1]
	for _, k := range []string{"id", "time", "server", "tool", "tier", "decision", "outcome", "duration_ms",
		"arguments", "client", "session", "decided_by", "error"} {
		if _, ok := r[k]; !ok {
			t.Errorf("JSON line lacks %q: %v", k, r)
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, r["time"].(string)); err != nil {
		t.Errorf("time %q: %v", r["time"], err)
	}
	args, ok := r["arguments"].(map[string]any)
	if !ok || args["path"] != "/tmp/notes.txt" || args["api_key"] != redact.Placeholder {
		t.Errorf("arguments = %#v, want an object with path and a redacted api_key", r["arguments"])
	}
	if r["duration_ms"] != 1.234 || r["outcome"] != "ok" || r["client"] != "claude-ai" || r["decided_by"] != "no-policy" {
		t.Errorf("row = %v", r)
	}
}

func TestHistoryFilters(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var calls []store.Call
	for i := 0; i < 6; i++ {
		calls = append(calls, store.Call{Time: base.Add(time.Duration(i) * time.Hour),
			Server: []string{"a", "b"}[i%2], Tool: []string{"x", "y", "z"}[i%3], Arguments: `{}`})
	}
	recordCalls(t, home, calls, make([]bool, len(calls)))

	tests := []struct {
		args    []string
		wantIDs []float64
	}{
		{nil, []float64{6, 5, 4, 3, 2, 1}},
		{[]string{"--limit", "2"}, []float64{6, 5}},
		{[]string{"--server", "a"}, []float64{5, 3, 1}},
		{[]string{"--tool", "x"}, []float64{4, 1}},
		{[]string{"--server", "b", "--tool", "z"}, []float64{6}},
		{[]string{"--since", "2026-01-01T15:00:00Z"}, []float64{6, 5, 4}},
		{[]string{"--since", "2026-01-01T16:00:00+01:00"}, []float64{6, 5, 4}},
		{[]string{"--server", "nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"history", "--json"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var ids []float64
			dec := json.NewDecoder(strings.NewReader(out))
			for dec.More() {
				var m map[string]any
				if err := dec.Decode(&m); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m["id"].(float64))
			}
			if len(ids) != len(tt.wantIDs) {
				t.Fatalf("ids = %v, want %v", ids, tt.wantIDs)
			}
			for i := range ids {
				if ids[i] != tt.wantIDs[i] {
					t.Fatalf("ids = %v, want %v", ids, tt.wantIDs)
				}
			}
		})
	}
}

func TestHistoryUsageErrors(t *testing.T) {
	t.Setenv("AIRLOCK_HOME", t.TempDir())
	tests := [][]string{
		{"--since", "yesterday"},
		{"--since", "-1h"},
		{"--limit", "0"},
		{"--bogus"},
		{"extra"},
	}
	for _, args := range tests {
		code, _, errOut := runCLI(t, append([]string{"history"}, args...)...)
		if code != 2 || errOut == "" {
			t.Errorf("history %v: exit %d, stderr %q; want exit 2 with a message", args, code, errOut)
		}
	}
}

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text / ünïcode 日本", "plain text / ünïcode 日本"},
		{"a\x1b[31mb", `a\x1b[31mb`},
		{"tab\tnew\nline", `tab\x09new\x0aline`},
		{"bidi\u202egnp.exe", `bidi\u202egnp.exe`},
		{"zero\u200bwidth\ufeff", `zero\u200bwidth\ufeff`},
		{"c1\u009b2J", `c1\u009b2J`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"del\x7f", `del\x7f`},
		{`spoof\u202e`, `spoof\\u202e`}, // a literal backslash cannot pass for an escape
	}
	for _, tt := range tests {
		if got := visible(tt.in); got != tt.want {
			t.Errorf("visible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHistoryJSONEscapesInvisible(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	recordCalls(t, home, []store.Call{{Server: "fs", Tool: "read_file", Arguments: "{\"path\":\"a\u202egnp.exe\u200b\u009b\"}"}}, []bool{true})
	code, out, _ := runCLI(t, "history", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, r := range []string{"\u202e", "\u200b", "\u009b"} {
		if strings.ContainsRune(out, []rune(r)[0]) {
			t.Errorf("raw %U in history --json output", []rune(r)[0])
		}
	}
	if !strings.Contains(out, `\u202e`) {
		t.Errorf("bidi override not escaped: %s", out)
	}
}
