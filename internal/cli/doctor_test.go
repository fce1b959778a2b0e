package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/store"
)

// doctorHome lays out an airlock home and a user home (the hosts' configs)
// in a temp folder.
type doctorHome struct {
	airlock, user string
	bin           string // an executable standing in for the airlock binary
}

func newDoctorHome(t *testing.T) doctorHome {
	dir := t.TempDir()
	d := doctorHome{airlock: filepath.Join(dir, "airlock"), user: filepath.Join(dir, "user"), bin: filepath.Join(dir, "bin", "airlock")}
	for _, p := range []string{d.airlock, d.user, filepath.Dir(d.bin)} {
		os.MkdirAll(p, 0o700)
	}
	os.WriteFile(d.bin, []byte("#!/bin/sh\n"), 0o755)
	return d
}

func (d doctorHome) write(t *testing.T, path, data string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (d doctorHome) run(t *testing.T, keychain func(context.Context) error) (string, int) {
	in := doctorInput{home: d.airlock, lookPath: exec.LookPath, keychain: keychain,
		hostEnv: hostconfig.Env{GOOS: "linux", Home: d.user, Getenv: func(string) string { return "" }}}
	var out bytes.Buffer
	failed := printChecks(&out, doctor(context.Background(), in))
	return out.String(), failed
}

func wantLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(out, l) {
			t.Errorf("output lacks %q:\n%s", l, out)
		}
	}
}

func TestDoctorGoodHome(t *testing.T) {
	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.airlock, config.FileName),
		`{"mcpServers": {"shell": {"command": "sh", "args": ["-c", "true"], "cwd": "`+d.user+`"}, "local": {"command": "`+d.bin+`"}}}`)
	st, err := store.Open(config.DBPath(d.airlock))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Claude Desktop hooked up; Cursor installed with only a remote server.
	d.write(t, filepath.Join(d.user, ".config", "Claude", "claude_desktop_config.json"),
		`{"mcpServers": {"airlock": {"command": "`+d.bin+`", "args": ["proxy"]}}}`)
	d.write(t, filepath.Join(d.user, ".cursor", "mcp.json"), `{"mcpServers": {"linear": {"url": "https://mcp.linear.app/sse"}}}`)

	out, failed := d.run(t, func(context.Context) error { return nil })
	if failed != 0 || strings.Contains(out, "WARN") {
		t.Fatalf("failed %d:\n%s", failed, out)
	}
	shPath, _ := exec.LookPath("sh")
	wantLines(t, out,
		"OK   config: "+filepath.Join(d.airlock, config.FileName)+" parses: 2 server(s)",
		"OK   server local: command "+d.bin,
		"OK   server shell: command "+shPath,
		"OK   keychain: answers",
		"OK   database: "+config.DBPath(d.airlock)+" intact, schema ",
		"OK   host claude-desktop: hooked up",
		"OK   host claude-code: no config at "+filepath.Join(d.user, ".claude.json"),
		"OK   host cursor: not hooked up, no local servers",
		"OK   host vscode: no config at")
	if n := strings.Count(out, "\n"); n != 9 {
		t.Errorf("%d lines, want one per check (9):\n%s", n, out)
	}
}

func TestDoctorBrokenHome(t *testing.T) {
	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.airlock, config.FileName), `{"mcpServers": {
		"gone": {"command": "airlock-test-no-such-command"},
		"noexec": {"command": "`+filepath.Join(d.user, "script.sh")+`"},
		"badcwd": {"command": "sh", "cwd": "`+filepath.Join(d.user, "missing")+`"}}}`)
	d.write(t, filepath.Join(d.user, "script.sh"), "#!/bin/sh\n") // 0600: not executable
	d.write(t, config.DBPath(d.airlock), "this is not an SQLite database, just text that is long enough to be read as a header")
	// Claude Desktop points at a binary that was removed; Cursor has servers that bypass Airlock; VS Code's file is broken.
	d.write(t, filepath.Join(d.user, ".config", "Claude", "claude_desktop_config.json"),
		`{"mcpServers": {"airlock": {"command": "/opt/old/airlock", "args": ["proxy"]}}}`)
	d.write(t, filepath.Join(d.user, ".cursor", "mcp.json"), `{"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}`)
	d.write(t, filepath.Join(d.user, ".config", "Code", "User", "mcp.json"), `{"servers": `)

	out, failed := d.run(t, func(context.Context) error { return errors.New("no Secret Service on the session bus") })
	wantLines(t, out,
		`FAIL server gone: command "airlock-test-no-such-command": exec: "airlock-test-no-such-command": executable file not found in $PATH: install it or fix "command" in airlock.json`,
		"FAIL server noexec: command \""+filepath.Join(d.user, "script.sh")+"\": not executable",
		"FAIL server badcwd: cwd "+filepath.Join(d.user, "missing")+" is not a folder",
		"WARN keychain: no Secret Service on the session bus",
		"FAIL database: ",
		"FAIL host claude-desktop: hooked up, but its airlock entry runs /opt/old/airlock, which is gone: run 'airlock install --host claude-desktop' again",
		"WARN host cursor: not hooked up: 1 server(s) bypass Airlock; run 'airlock install --host cursor'",
		"WARN host vscode: VS Code config "+filepath.Join(d.user, ".config", "Code", "User", "mcp.json")+" is not valid JSON")
	if failed != 5 {
		t.Errorf("failed = %d, want 5:\n%s", failed, out)
	}

	// An unparsable airlock.json fails and skips the server checks.
	d.write(t, filepath.Join(d.airlock, config.FileName), `{"mcpServers": {"a b": {"command": "x"}}}`)
	out, _ = d.run(t, nil)
	wantLines(t, out, `FAIL config: config `+filepath.Join(d.airlock, config.FileName)+`: server "a b": name must be`)
	if strings.Contains(out, "server ") && strings.Contains(out, "command") || strings.Contains(out, "keychain") {
		t.Errorf("checks ran that should not:\n%s", out)
	}
}

func TestDoctorExitCode(t *testing.T) {
	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.airlock, config.FileName), `{"mcpServers": {"gone": {"command": "airlock-test-no-such-command"}}}`)
	t.Setenv("HOME", d.user)
	t.Setenv("XDG_CONFIG_HOME", "")
	code, out, errOut := runHome(t, d.airlock, "doctor")
	if code != 1 || !strings.Contains(out, "FAIL server gone") || !strings.Contains(errOut, "1 check(s) failed") {
		t.Errorf("code %d\n%s%s", code, out, errOut)
	}
	os.WriteFile(filepath.Join(d.airlock, config.FileName), []byte(`{"mcpServers": {}}`), 0o600)
	if code, out, errOut := runHome(t, d.airlock, "doctor"); code != 0 {
		t.Errorf("code %d\n%s%s", code, out, errOut)
	}
}
