package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runHome runs airlock with args against home and returns the exit code and
// what it printed.
func runHome(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("AIRLOCK_HOME", home)
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// fakeSelf makes install see bin as the running binary.
func fakeSelf(t *testing.T, bin string) {
	old := selfPath
	selfPath = func() (string, error) { return bin, nil }
	t.Cleanup(func() { selfPath = old })
}

func TestInstallCommand(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "airlock")
	hostCfg := filepath.Join(dir, "claude_desktop_config.json")
	original := `{"mcpServers": {"memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
	  "web search": {"command": "npx", "args": ["-y", "brave-search"], "env": {"BRAVE_API_KEY": "${BRAVE}"}}},
	  "theme": "dark"}`
	os.WriteFile(hostCfg, []byte(original), 0o600)
	bin := filepath.Join(dir, "bin", "airlock")
	fakeSelf(t, bin)

	code, out, errOut := runHome(t, home, "install", "--config", hostCfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "would move memory into airlock.json") ||
		!strings.Contains(out, `left "web search" in place: uses the host variable ${BRAVE}`) ||
		!strings.Contains(out, "dry run: nothing written") || !strings.Contains(out, bin) {
		t.Fatalf("dry run: code %d\n%s%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(hostCfg); string(b) != original {
		t.Fatal("dry run wrote the host config")
	}

	code, out, errOut = runHome(t, home, "install", "--host", "claude-desktop", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "moved memory into airlock.json") || !strings.Contains(out, "backup of the original: "+hostCfg+".airlock-install-") ||
		!strings.Contains(out, "Restart Claude Desktop") {
		t.Fatalf("install: code %d\n%s%s", code, out, errOut)
	}
	var doc struct {
		MCPServers map[string]struct {
			Command string
			Args    []string
			Env     map[string]string
		}
	}
	b, _ := os.ReadFile(hostCfg)
	json.Unmarshal(b, &doc)
	entry := doc.MCPServers["airlock"]
	// AIRLOCK_HOME was set, so the entry carries it to the proxy.
	if entry.Command != bin || len(entry.Args) != 1 || entry.Args[0] != "proxy" || entry.Env["AIRLOCK_HOME"] != home {
		t.Errorf("airlock entry %+v", entry)
	}

	code, out, _ = runHome(t, home, "install", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "already hooked up: nothing to change") {
		t.Errorf("second install: %d %s", code, out)
	}
	code, out, _ = runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "restored memory to the host config") {
		t.Errorf("uninstall: %d %s", code, out)
	}
	code, out, _ = runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "not hooked up: nothing to change") {
		t.Errorf("second uninstall: %d %s", code, out)
	}
}

func TestInstallCommandErrors(t *testing.T) {
	dir := t.TempDir()
	fakeSelf(t, filepath.Join(dir, "airlock"))
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"mcpServers": {`), 0o600)
	cases := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"install", "--host", "zed"}, 1, `unknown host "zed" (supported: claude-desktop, claude-code, cursor, vscode)`},
		{[]string{"install", "--config", filepath.Join(dir, "none.json")}, 1, "no Claude Desktop config at"},
		{[]string{"install", "--host", "cursor", "--config", bad}, 1, "Cursor config " + bad + " is not valid JSON"},
		{[]string{"uninstall", "--config", bad}, 1, "is not valid JSON"},
		{[]string{"install", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"install", "--bogus"}, 2, "flag provided but not defined"},
	}
	for _, c := range cases {
		code, out, errOut := runHome(t, filepath.Join(dir, "home"), c.args...)
		if code != c.code || !strings.Contains(errOut, c.contains) {
			t.Errorf("%v: code %d, stderr %q (stdout %q), want %d and %q", c.args, code, errOut, out, c.code, c.contains)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "home")); !os.IsNotExist(err) {
		t.Error("a failed install created the airlock home")
	}
}
