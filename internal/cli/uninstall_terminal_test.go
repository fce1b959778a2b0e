package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Uninstall's report quotes what it could not read (a VS Code backup whose
// text hujson repeats as is in its error): those lines reach the terminal
// with control characters escaped, like install's and doctor's.
func TestUninstallReportPrintsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	hostCfg := filepath.Join(dir, "mcp.json")
	if err := os.WriteFile(hostCfg, []byte(`{"servers": {"fetch": {"command": "/bin/cat"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fakeSelf(t, filepath.Join(dir, "bin", "airlock"))
	if code, out, errOut := runHome(t, home, "install", "--host", "vscode", "--config", hostCfg); code != 0 {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	backups, _ := filepath.Glob(hostCfg + ".airlock-install-*")
	if len(backups) != 1 {
		t.Fatalf("install backups: %v", backups)
	}
	// The backup no longer reads: a raw escape sequence inside a string.
	if err := os.WriteFile(backups[0], []byte("{\"servers\": {\"fetch\": {\"command\": \"\x1b]0;PWNED\x07\x1b[2J\"}}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runHome(t, home, "uninstall", "--host", "vscode", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "skipped the unreadable backup") {
		t.Fatalf("uninstall: %d\n%s%s", code, out, errOut)
	}
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `\x1b]0;PWNED\x07\x1b[2J`) {
		t.Errorf("uninstall printed:\n%q", out)
	}
}
