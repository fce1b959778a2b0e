package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

const argsHostConfig = `{"mcpServers": {
  "pg": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres", "postgresql://app:pa55word-1@db.internal/app"]},
  "api": {"command": "api-mcp", "args": ["--api-key", "key-value-2", "--port", "8080"]}}}`

// Credentials in args move like env values: install says where (args[N]),
// never what, and keeps the rest of the arg.
func TestInstallMovesArgsSecrets(t *testing.T) {
	dir := t.TempDir()
	hostCfg := filepath.Join(dir, "claude_desktop_config.json")
	if err := os.WriteFile(hostCfg, []byte(argsHostConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	fakeSelf(t, filepath.Join(dir, "bin", "airlock"))
	home := filepath.Join(dir, "airlock")
	kc := &secrets.Memory{}
	useKeychain(t, kc)

	code, out, errOut := runHome(t, home, "install", "--config", hostCfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "would move pg's args[2], api's args[1] into airlock.json as plain text") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runHome(t, home, "install", "--config", hostCfg, "--move-secrets")
	if code != 0 {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"pg's args[2] is now ${keyring:pg.password}", "api's args[1] is now ${keyring:api.api-key}"} {
		if !strings.Contains(out, want) {
			t.Errorf("install output lacks %q:\n%s", want, out)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	for _, leaked := range []string{"pa55word-1", "key-value-2"} {
		if strings.Contains(string(cfg), leaked) || strings.Contains(out+errOut, leaked) {
			t.Errorf("%q left in airlock.json or the output:\n%s", leaked, cfg)
		}
	}
	if !strings.Contains(string(cfg), `"postgresql://app:${keyring:pg.password}@db.internal/app"`) {
		t.Errorf("airlock.json:\n%s", cfg)
	}
	if v, _ := kc.Get(context.Background(), "pg.password"); v != "pa55word-1" {
		t.Errorf("keychain holds %q", v)
	}
}

// secret import lists and moves args; doctor checks the secrets args use.
func TestSecretImportAndDoctorArgs(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	cfgPath := filepath.Join(home, "airlock.json")
	os.WriteFile(cfgPath, []byte(`{"mcpServers":{"pg":{"command":"x","args":["postgresql://app:pa55word-1@h/db"]}}}`), 0o600)
	kc := &secrets.Memory{}
	out, errOut, code := runSecretCmd(t, kc, "", "import")
	if code != 1 || out != "pg's args[0]\n" {
		t.Fatalf("import without --yes: %d %q %q", code, out, errOut)
	}
	out, errOut, code = runSecretCmd(t, kc, "", "import", "--yes")
	if code != 0 || !strings.Contains(out, "pg's args[0] is now ${keyring:pg.password}") {
		t.Fatalf("import --yes: %d %q %q", code, out, errOut)
	}
	if b, _ := os.ReadFile(cfgPath); strings.Contains(string(b), "pa55word-1") {
		t.Fatalf("airlock.json after import:\n%s", b)
	}

	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.airlock, "airlock.json"), `{"mcpServers":{
		"pg":{"command":"`+d.bin+`","args":["postgresql://app:${keyring:PG}@h/db","--token","${keyring:GONE}"]}}}`)
	kc.Set(context.Background(), "PG", "v")
	in := doctorInput{home: d.airlock, lookPath: exec.LookPath, keychain: func(context.Context) error { return nil }, secrets: kc,
		hostEnv: hostconfig.Env{GOOS: "linux", Home: d.user, Getenv: func(string) string { return "" }}}
	var report bytes.Buffer
	printChecks(&report, doctor(context.Background(), in))
	wantLines(t, report.String(),
		"OK   secret PG: stored (used by pg)",
		"FAIL secret GONE: not in the keychain, so pg will not start: airlock secret set GONE")
}
