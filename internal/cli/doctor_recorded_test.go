package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Doctor checks the host configs install recorded in airlock.json's "from"
// fields beyond the default paths: here a VS Code workspace installed with
// --config, in a folder whose name holds an escape sequence.
func TestDoctorRecordedHostConfigs(t *testing.T) {
	d := newDoctorHome(t)
	t.Setenv("HOME", d.user)
	t.Setenv("XDG_CONFIG_HOME", "")
	fakeSelf(t, d.bin)
	ws := filepath.Join(d.user, "proj\x1b[31m red", ".vscode", "mcp.json")
	d.write(t, ws, `{"servers": {"git": {"command": "sh", "args": ["-c", "true"]}}}`)
	desktop := filepath.Join(d.user, ".config", "Claude", "claude_desktop_config.json")
	d.write(t, desktop, `{"mcpServers": {"memory": {"command": "sh", "args": ["-c", ":"]}}}`)
	for _, args := range [][]string{{"install", "--host", "vscode", "--config", ws}, {"install", "--host", "claude-desktop"}} {
		if code, out, errOut := runHome(t, d.airlock, args...); code != 0 {
			t.Fatalf("%v: %d\n%s%s", args, code, out, errOut)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(d.airlock, "airlock.json"))
	if !strings.Contains(string(cfg), `"from"`) {
		t.Fatalf("install recorded no origin:\n%s", cfg)
	}
	shown := terminalText(ws) // what doctor prints for the path
	again := "'airlock install --host vscode --config \"" + shown + "\"'"

	t.Run("hooked up", func(t *testing.T) {
		out, failed := d.run(t, nil)
		wantLines(t, out, "OK   host vscode "+shown+": hooked up\n", "OK   host claude-desktop: hooked up")
		// The default path is checked once, by its own line.
		if n := strings.Count(out, "host claude-desktop"); n != 1 || failed != 0 || strings.Contains(out, "\x1b") {
			t.Errorf("claude-desktop lines %d, failed %d:\n%s", n, failed, out)
		}
	})
	t.Run("entry removed by hand", func(t *testing.T) {
		d.write(t, ws, `{"servers": {"git": {"command": "sh", "args": ["-c", "true"]}}}`)
		out, failed := d.run(t, nil)
		wantLines(t, out, "WARN host vscode "+shown+": no longer hooked up (1 server(s) bypass Airlock): run "+again+"\n")
		if failed != 0 {
			t.Errorf("failed %d:\n%s", failed, out)
		}
	})
	t.Run("file deleted", func(t *testing.T) {
		if err := os.Remove(ws); err != nil {
			t.Fatal(err)
		}
		out, failed := d.run(t, nil)
		wantLines(t, out, "WARN host vscode "+shown+": gone since airlock install moved servers out of it: if the host still uses a config there, run "+again+"\n")
		if failed != 0 {
			t.Errorf("failed %d:\n%s", failed, out)
		}
	})
	t.Run("broken JSON", func(t *testing.T) {
		d.write(t, ws, "{\"servers\": {\"airlock\": \x1b[2J")
		out, failed := d.run(t, nil)
		wantLines(t, out, "FAIL host vscode "+shown+": VS Code config "+shown+" is not valid JSON")
		if failed != 1 {
			t.Errorf("failed %d, want 1:\n%s", failed, out)
		}
		if strings.ContainsAny(out, "\x1b\x07\r") {
			t.Errorf("raw control characters in the output:\n%q", out)
		}
	})
}
