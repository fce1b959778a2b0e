package e2e

// The MCP Inspector's CLI (a third-party client) talks to `airlock proxy`
// over stdio, with server-everything behind it.

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInspectorCLIThroughProxy(t *testing.T) {
	home := newHome(t)
	writeAllowConfig(t, home, map[string]any{"everything": everythingServer(t)})
	launcher := filepath.Join(nodeModules(t), "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js")
	airlock := buildAirlock(t)

	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, out map[string]any)
	}{
		{
			name: "tools/list shows prefixed tools with their definitions",
			args: []string{"--method", "tools/list"},
			check: func(t *testing.T, out map[string]any) {
				tools := list(out, "tools")
				echo := find(tools, "name", "everything__echo")
				if echo == nil {
					t.Fatalf("everything__echo not listed; names: %v", names(tools, "name"))
				}
				if echo["description"] != "Echoes back the input string" {
					t.Errorf("echo description = %v", echo["description"])
				}
				schema, _ := echo["inputSchema"].(map[string]any)
				if req, _ := schema["required"].([]any); len(req) != 1 || req[0] != "message" {
					t.Errorf("echo inputSchema.required = %v", schema["required"])
				}
				for _, n := range names(tools, "name") {
					if !strings.HasPrefix(n, "everything__") {
						t.Errorf("tool %q lacks the server prefix", n)
					}
				}
			},
		},
		{
			name: "tools/call echo",
			args: []string{"--method", "tools/call", "--tool-name", "everything__echo", "--tool-arg", "message=hi"},
			check: func(t *testing.T, out map[string]any) {
				if got := firstText(out); got != "Echo: hi" {
					t.Errorf("echo text = %q, output %v", got, out)
				}
			},
		},
		{
			name: "tools/call with numeric arguments",
			args: []string{"--method", "tools/call", "--tool-name", "everything__get-sum", "--tool-arg", "a=1", "b=2"},
			check: func(t *testing.T, out map[string]any) {
				if got := firstText(out); got != "The sum of 1 and 2 is 3." {
					t.Errorf("get-sum text = %q, output %v", got, out)
				}
			},
		},
		{
			name: "prompts/get",
			args: []string{"--method", "prompts/get", "--prompt-name", "everything__simple-prompt"},
			check: func(t *testing.T, out map[string]any) {
				msgs := list(out, "messages")
				if len(msgs) != 1 {
					t.Fatalf("messages = %v", out)
				}
				content, _ := msgs[0]["content"].(map[string]any)
				if content["text"] != "This is a simple prompt without arguments." {
					t.Errorf("prompt text = %v", content["text"])
				}
			},
		},
		{
			name: "resources/read keeps the upstream URI",
			args: []string{"--method", "resources/read", "--uri", "demo://resource/static/document/features.md"},
			check: func(t *testing.T, out map[string]any) {
				contents := list(out, "contents")
				if len(contents) != 1 || contents[0]["mimeType"] != "text/markdown" ||
					!strings.HasPrefix(contents[0]["text"].(string), "# Everything Server - Features") {
					t.Errorf("contents = %.300v", contents)
				}
			},
		},
	}
	// The inspector takes ~3 s per run, mostly idle: run the cases side by
	// side (several proxies sharing one home, as several hosts would).
	t.Run("cases", func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				ctx := testCtx(t, time.Minute)
				args := append([]string{launcher, "--cli", "-e", "AIRLOCK_HOME=" + home, airlock, "proxy"}, tc.args...)
				cmd := exec.CommandContext(ctx, nodeBin(t), args...)
				cmd.Dir = t.TempDir()
				// The inspector keeps a server catalog; keep it out of $HOME.
				cmd.Env = append(childEnv(home), "MCP_CATALOG_PATH="+filepath.Join(cmd.Dir, "catalog.json"))
				cmd.Stderr = stderrLog(t, "inspector")
				raw, err := cmd.Output()
				if err != nil {
					t.Fatalf("inspector %s: %v\nstdout: %.2000s", strings.Join(tc.args, " "), err, raw)
				}
				var out map[string]any
				if err := json.Unmarshal(raw, &out); err != nil {
					t.Fatalf("inspector output is not one JSON object: %v\n%.2000s", err, raw)
				}
				tc.check(t, out)
			})
		}
	})

	// The calls the inspector made are in the audit log.
	rows := history(t, home)
	if missing := missingRows(rows, []wantRow{{"everything", "echo", "ok"}, {"everything", "get-sum", "ok"}}); len(missing) > 0 {
		t.Errorf("audit rows missing: %v (have %d rows)", missing, len(rows))
	}
}

func list(m map[string]any, key string) []map[string]any {
	raw, _ := m[key].([]any)
	var out []map[string]any
	for _, x := range raw {
		if o, ok := x.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func find(items []map[string]any, key, value string) map[string]any {
	for _, it := range items {
		if it[key] == value {
			return it
		}
	}
	return nil
}

func names(items []map[string]any, key string) []string {
	var out []string
	for _, it := range items {
		s, _ := it[key].(string)
		out = append(out, s)
	}
	return out
}

func firstText(out map[string]any) string {
	content := list(out, "content")
	if len(content) == 0 {
		return ""
	}
	s, _ := content[0]["text"].(string)
	return s
}
