package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// classifyLines runs `airlock classify` on input and returns the decoded
// output lines and the command's error.
func classifyLines(t *testing.T, input string) ([]map[string]any, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := Env{Stdin: strings.NewReader(input), Stdout: &stdout, Stderr: &stderr}
	err := runClassify(context.Background(), env, nil)
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if jerr := json.Unmarshal([]byte(line), &m); jerr != nil {
			t.Fatalf("output line is not JSON: %q: %v", line, jerr)
		}
		out = append(out, m)
	}
	return out, stderr.String(), err
}

func TestClassifyCommand(t *testing.T) {
	input := strings.Join([]string{
		`{"server":"github","tool":{"name":"get_file_contents","description":"Get file or directory contents","annotations":{"readOnlyHint":true}}}`,
		`{"server":"fs","tool":{"name":"delete_file","annotations":{"readOnlyHint":true}}}`,
		``,
		`{"server":"pg","tool":{"name":"query","description":"Run a read-only SQL query","inputSchema":{"type":"object","properties":{"sql":{"type":"string"}}}},"arguments":{"sql":"SELECT 1"}}`,
		`{"server":"pg","tool":{"name":"query","inputSchema":{"type":"object","properties":{"sql":{"type":"string"}}}},"arguments":{"sql":"DROP TABLE users"}}`,
		`not json`,
		`{"server":"x"}`,
		`{"tool":{"description":"no name"}}`,
		`{"tool":{"name":"a"}} {"tool":{"name":"b"}}`,
		`{"tool":{"name":"inventory"}}`,
	}, "\n")
	out, _, err := classifyLines(t, input)
	if err == nil || !strings.Contains(err.Error(), "4 of 9 lines") {
		t.Errorf("error = %v, want 4 of 9 lines failed", err)
	}
	want := []struct{ tier, reason, errPrefix string }{
		{tier: "read", reason: "name says read (get)"},
		{tier: "destructive", reason: "the name says it is destructive; the server's read-only hint was ignored"},
		{tier: "read", reason: "SQL: SELECT"},
		{tier: "destructive", reason: "SQL: DROP TABLE"},
		{errPrefix: "line 6: not a JSON object"},
		{errPrefix: `line 7: "tool" is missing`},
		{errPrefix: `line 8: "tool.name" is missing`},
		{errPrefix: "line 9: more than one JSON value"},
		{tier: "write", reason: "no verb in the name or description: treated as write"},
	}
	if len(out) != len(want) {
		t.Fatalf("got %d output lines, want %d: %v", len(out), len(want), out)
	}
	for i, w := range want {
		got := out[i]
		if w.errPrefix != "" {
			if e, _ := got["error"].(string); !strings.HasPrefix(e, w.errPrefix) || got["tier"] != nil {
				t.Errorf("line %d: got %v, want error %q", i+1, got, w.errPrefix)
			}
			continue
		}
		reasons, _ := got["reasons"].([]any)
		found := false
		for _, r := range reasons {
			found = found || r == w.reason
		}
		if got["tier"] != w.tier || !found || got["error"] != nil {
			t.Errorf("output %d: got %v, want tier %s with reason %q", i+1, got, w.tier, w.reason)
		}
	}
}

func TestClassifyCommandAllGood(t *testing.T) {
	out, _, err := classifyLines(t, `{"tool":{"name":"list_issues"}}`+"\n"+`{"tool":{"name":"create_issue"},"arguments":{}}`)
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if len(out) != 2 || out[0]["tier"] != "read" || out[1]["tier"] != "write" {
		t.Errorf("got %v", out)
	}
	// Empty input is no work and no error.
	if out, _, err := classifyLines(t, ""); err != nil || len(out) != 0 {
		t.Errorf("empty input: %v %v", out, err)
	}
}

func TestClassifyCommandRejectsArguments(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := runClassify(context.Background(), Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}, []string{"extra"})
	if err == nil || !strings.Contains(stderr.String(), "usage: airlock classify") {
		t.Errorf("err = %v, stderr = %q", err, stderr.String())
	}
}
