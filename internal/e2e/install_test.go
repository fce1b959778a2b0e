package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// hookupCase is one host's config as a person might have it, with the
// memory server in it and entries install must leave alone.
type hookupCase struct {
	host string
	// path is the config file below the user's home; flags select it.
	path  string
	flags []string
	// key holds the servers; doc builds the whole file around them.
	key  string
	doc  func(servers map[string]any) map[string]any
	kept string // an entry install leaves, named in its output
	// typed hosts get "type": "stdio" in the airlock entry.
	typed bool
}

func hookupCases() []hookupCase {
	return []hookupCase{
		{host: "claude-desktop", path: ".config/Claude/claude_desktop_config.json", key: "mcpServers", kept: `left "my notes" in place: disabled`,
			doc: func(s map[string]any) map[string]any {
				s["my notes"] = map[string]any{"command": "notes-mcp", "disabled": true}
				return map[string]any{"globalShortcut": "Alt+Space", "mcpServers": s, "preferences": map[string]any{"menuBarEnabled": false}}
			}},
		{host: "claude-code", path: ".claude.json", key: "mcpServers", typed: true, kept: "left context7 in place: remote server (type http)",
			doc: func(s map[string]any) map[string]any {
				s["context7"] = map[string]any{"type": "http", "url": "https://mcp.context7.com/mcp"}
				return map[string]any{"numStartups": 3, "mcpServers": s, "projects": map[string]any{
					"/src/shop": map[string]any{"mcpServers": map[string]any{"pg": map[string]any{"type": "stdio", "command": "pg-mcp"}}}}}
			}},
		{host: "cursor", path: ".cursor/mcp.json", key: "mcpServers", kept: "left linear in place: remote server (a url)",
			doc: func(s map[string]any) map[string]any {
				s["linear"] = map[string]any{"url": "https://mcp.linear.app/sse"}
				return map[string]any{"mcpServers": s}
			}},
		// A VS Code workspace's own file, named with --config.
		{host: "vscode", path: "src/app/.vscode/mcp.json", flags: []string{"--config", "src/app/.vscode/mcp.json"}, key: "servers", typed: true,
			kept: "left key-server in place: uses the host variable ${input:key}",
			doc: func(s map[string]any) map[string]any {
				s["key-server"] = map[string]any{"type": "stdio", "command": "npx", "env": map[string]any{"KEY": "${input:key}"}}
				s["github"] = map[string]any{"type": "http", "url": "https://api.githubcopilot.com/mcp/"}
				return map[string]any{"inputs": []any{map[string]any{"type": "promptString", "id": "key", "password": true}}, "servers": s}
			}},
	}
}

// The whole hookup with the real binary, for every host: `airlock install`
// moves the host's servers into airlock.json, the entry it leaves starts a
// proxy that serves them, `airlock doctor` says the host is hooked up, and
// `airlock uninstall` gives back the original config.
func TestInstallServeUninstall(t *testing.T) {
	for _, c := range hookupCases() {
		t.Run(c.host, func(t *testing.T) { testHookup(t, c) })
	}
}

func testHookup(t *testing.T, c hookupCase) {
	ctx := testCtx(t, 3*time.Minute)
	home := newHome(t)
	user := t.TempDir() // the person's home folder, where the hosts keep their configs
	memFile := filepath.Join(t.TempDir(), "memory.jsonl")

	// The pass-through rule goes in first: install adds servers and keeps it.
	writeConfigFile(t, home, map[string]any{"mcpServers": map[string]any{}, "rules": allowAll})

	mem := memoryServer(t, memFile)
	mem["x-origin"] = "unknown entry field, kept"
	original, err := json.MarshalIndent(c.doc(map[string]any{"memory": mem}), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	hostCfg := filepath.Join(user, filepath.FromSlash(c.path))
	os.MkdirAll(filepath.Dir(hostCfg), 0o700)
	if err := os.WriteFile(hostCfg, original, 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(command string) string {
		t.Helper()
		args := []string{command}
		if command != "doctor" {
			args = append(append(args, "--host", c.host), c.flags...)
		}
		cmd := airlockCmd(t, home, args...)
		cmd.Dir = user // --config paths are relative to it
		cmd.Env = append(withoutVars(cmd.Env, "HOME", "XDG_CONFIG_HOME"), "HOME="+user)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("airlock %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, out)
		}
		return string(out)
	}

	out := run("install")
	if !strings.Contains(out, "moved memory into airlock.json") || !strings.Contains(out, c.kept) {
		t.Errorf("install said:\n%s", out)
	}

	// The host config now starts this very binary's proxy.
	var doc map[string]json.RawMessage
	b, _ := os.ReadFile(hostCfg)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var servers map[string]struct {
		Type    string            `json:"type"`
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
	}
	json.Unmarshal(doc[c.key], &servers)
	entry, ok := servers["airlock"]
	self, _ := filepath.EvalSymlinks(buildAirlock(t))
	if !ok || entry.Command != self || !reflect.DeepEqual(entry.Args, []string{"proxy"}) || entry.Env["AIRLOCK_HOME"] != home {
		t.Fatalf("airlock entry %+v, want %s proxy with AIRLOCK_HOME", entry, self)
	}
	if c.typed != (entry.Type == "stdio") {
		t.Errorf("airlock entry type %q (typed host: %v)", entry.Type, c.typed)
	}
	if _, ok := servers["memory"]; ok {
		t.Errorf("memory still in the host config: %s", b)
	}
	if info, _ := os.Stat(hostCfg); info.Mode().Perm() != 0o644 {
		t.Errorf("host config mode %v, want 0644 kept", info.Mode().Perm())
	}
	if again := run("install"); !strings.Contains(again, "already hooked up") {
		t.Errorf("second install said:\n%s", again)
	}
	if c.flags == nil { // doctor looks where the host keeps its config
		if doc := run("doctor"); !strings.Contains(doc, "OK   host "+c.host+": hooked up") || !strings.Contains(doc, "OK   server memory: command") {
			t.Errorf("doctor said:\n%s", doc)
		}
	}

	// Start the proxy exactly as the host would: the entry's command,
	// args and env over the host's small environment.
	cmd := exec.Command(entry.Command, entry.Args...)
	cmd.Env = childEnv(t.TempDir())[1:] // drop the harness's AIRLOCK_HOME: the entry must carry it
	for k, v := range entry.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = stderrLog(t, "hooked-up proxy")
	cs := connect(t, ctx, cmd, hostOptions())
	tools := toolMap(t, ctx, cs)
	if _, ok := tools["memory__create_entities"]; !ok {
		t.Fatalf("proxy tools %v lack memory__create_entities", toolNames(tools))
	}
	callOK(t, ctx, cs, "memory__create_entities", map[string]any{"entities": []any{
		map[string]any{"name": "Hookup", "entityType": "test", "observations": []string{"moved by install from " + c.host}},
	}})
	if graph := callOK(t, ctx, cs, "memory__read_graph", map[string]any{}); !strings.Contains(graph, "moved by install from "+c.host) {
		t.Errorf("read_graph: %s", graph)
	}
	cs.Close()

	out = run("uninstall")
	if !strings.Contains(out, "restored memory to the host config") {
		t.Errorf("uninstall said:\n%s", out)
	}
	restored, _ := os.ReadFile(hostCfg)
	if !sameJSON(t, restored, original) {
		t.Errorf("uninstall did not restore the original:\n%s\nwant\n%s", restored, original)
	}
	if again := run("uninstall"); !strings.Contains(again, "not hooked up") {
		t.Errorf("second uninstall said:\n%s", again)
	}
	if b, _ := os.ReadFile(hostCfg); !bytes.Equal(b, restored) {
		t.Error("second uninstall changed the file")
	}
	backups, _ := filepath.Glob(hostCfg + ".airlock-*")
	if len(backups) != 2 {
		t.Errorf("backups %v, want one per change (install, uninstall)", backups)
	}
}

// withoutVars drops the named variables from an environment list.
func withoutVars(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// sameJSON compares two JSON texts as values.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

func toolNames[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
