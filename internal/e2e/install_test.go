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

// The whole hookup with the real binary: `airlock install` moves Claude
// Desktop's servers into airlock.json, the entry it leaves starts a proxy
// that serves them, `airlock doctor` says the host is hooked up, and
// `airlock uninstall` gives back the original config.
func TestInstallServeUninstall(t *testing.T) {
	ctx := testCtx(t, 3*time.Minute)
	home := newHome(t)
	user := t.TempDir() // the person's home folder, where the hosts keep their configs
	memFile := filepath.Join(t.TempDir(), "memory.jsonl")

	// The pass-through rule goes in first: install adds servers and keeps it.
	writeConfigFile(t, home, map[string]any{"mcpServers": map[string]any{}, "rules": allowAll})

	mem := memoryServer(t, memFile)
	mem["x-origin"] = "unknown entry field, kept"
	original, err := json.MarshalIndent(map[string]any{
		"globalShortcut": "Alt+Space",
		"mcpServers": map[string]any{
			"memory":   mem,
			"my notes": map[string]any{"command": nodeBin(t), "args": []string{"-e", "0"}, "disabled": true},
		},
		"preferences": map[string]any{"menuBarEnabled": false},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	hostCfg := filepath.Join(user, ".config", "Claude", "claude_desktop_config.json")
	os.MkdirAll(filepath.Dir(hostCfg), 0o700)
	if err := os.WriteFile(hostCfg, original, 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(args ...string) string {
		t.Helper()
		cmd := airlockCmd(t, home, args...)
		cmd.Env = append(withoutVars(cmd.Env, "HOME", "XDG_CONFIG_HOME"), "HOME="+user)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("airlock %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	out := run("install")
	if !strings.Contains(out, "moved memory into airlock.json") || !strings.Contains(out, `left "my notes" in place: disabled`) {
		t.Errorf("install said:\n%s", out)
	}

	// The host config now starts this very binary's proxy.
	var doc struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	b, _ := os.ReadFile(hostCfg)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	entry, ok := doc.MCPServers["airlock"]
	self, _ := filepath.EvalSymlinks(buildAirlock(t))
	if !ok || entry.Command != self || !reflect.DeepEqual(entry.Args, []string{"proxy"}) || entry.Env["AIRLOCK_HOME"] != home {
		t.Fatalf("airlock entry %+v, want %s proxy with AIRLOCK_HOME", entry, self)
	}
	if _, ok := doc.MCPServers["memory"]; ok || len(doc.MCPServers) != 2 {
		t.Errorf("host servers after install: %v", doc.MCPServers)
	}
	if info, _ := os.Stat(hostCfg); info.Mode().Perm() != 0o644 {
		t.Errorf("host config mode %v, want 0644 kept", info.Mode().Perm())
	}
	if again := run("install"); !strings.Contains(again, "already hooked up") {
		t.Errorf("second install said:\n%s", again)
	}
	if doc := run("doctor"); !strings.Contains(doc, "OK   host claude-desktop: hooked up") || !strings.Contains(doc, "OK   server memory: command") {
		t.Errorf("doctor said:\n%s", doc)
	}

	// Start the proxy exactly as Claude Desktop would: the entry's command,
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
		map[string]any{"name": "Hookup", "entityType": "test", "observations": []string{"moved by install"}},
	}})
	if graph := callOK(t, ctx, cs, "memory__read_graph", map[string]any{}); !strings.Contains(graph, "moved by install") {
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
