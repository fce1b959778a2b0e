package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A host config may come from anywhere (a cloned repository's
// .vscode/mcp.json, whose comments may hold any bytes): what install prints
// from it, and any error, reaches the terminal with control characters
// escaped, so the file cannot clear the screen or set the window's title.
func TestInstallPrintsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	hostCfg := filepath.Join(dir, "mcp.json")
	os.WriteFile(hostCfg, []byte("{\n\t// hi \x1b]0;PWNED\x07 \x1b[2J \u202e\n\t\"servers\": {\"a\": {\"command\": \"/bin/cat\"}}\n}\n"), 0o600)
	fakeSelf(t, filepath.Join(dir, "bin", "airlock"))
	code, out, errOut := runHome(t, filepath.Join(dir, "home"), "install", "--host", "vscode", "--config", hostCfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "The host config would become:") {
		t.Fatalf("dry run: code %d\n%s%s", code, out, errOut)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") || !strings.Contains(out, `// hi \x1b]0;PWNED\x07 \x1b[2J \u202e`) ||
		!strings.Contains(out, "\n\t\"servers\"") {
		t.Errorf("dry run printed the comment as %q", out)
	}

	bad := filepath.Join(dir, "x\x1b[2J", "mcp.json")
	code, _, errOut = runHome(t, filepath.Join(dir, "home"), "install", "--host", "vscode", "--config", bad)
	if code != 1 || strings.ContainsAny(errOut, "\x1b") || !strings.Contains(errOut, `x\x1b[2J`) {
		t.Errorf("error: code %d, %q", code, errOut)
	}
}

// doctor reads every host's config, whoever wrote it, and quotes what it
// could not read (hujson's error repeats the bad text as is).
func TestDoctorPrintsNoControlCharacters(t *testing.T) {
	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.user, ".cursor", "mcp.json"), "{\"mcpServers\": {\"x\x1b[31m\": {\"command\": \"/bin/cat\"}}}")
	d.write(t, filepath.Join(d.user, ".config", "Code", "User", "mcp.json"), "{\"servers\": {\"a\x1b]0;T\x07\": 1}, }")
	out, _ := d.run(t, nil)
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `a\x1b]0;T\x07`) {
		t.Errorf("doctor printed:\n%q", out)
	}
}
