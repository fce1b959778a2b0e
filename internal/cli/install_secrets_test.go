package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// useKeychain makes the commands use kc for the test.
func useKeychain(t *testing.T, kc secrets.Keychain) {
	old := openKeychain
	openKeychain = func() secrets.Keychain { return kc }
	t.Cleanup(func() { openKeychain = old })
}

const tokenHostConfig = `{"mcpServers": {
  "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
    "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp-plain-value-1", "LOG_LEVEL": "debug"}},
  "db": {"command": "db-mcp", "env": {"DATABASE_URL": "postgres://app:pa55word@db.internal/app"}},
  "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}}}`

// tokenHost writes tokenHostConfig as a Claude Desktop config and returns
// an Airlock home and the config's path.
func tokenHost(t *testing.T) (home, hostCfg string) {
	dir := t.TempDir()
	hostCfg = filepath.Join(dir, "claude_desktop_config.json")
	if err := os.WriteFile(hostCfg, []byte(tokenHostConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	fakeSelf(t, filepath.Join(dir, "bin", "airlock"))
	return filepath.Join(dir, "airlock"), hostCfg
}

func TestInstallMoveSecrets(t *testing.T) {
	home, hostCfg := tokenHost(t)
	kc := &secrets.Memory{}
	useKeychain(t, kc)

	code, out, errOut := runHome(t, home, "install", "--config", hostCfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "would move github's env GITHUB_PERSONAL_ACCESS_TOKEN, db's env DATABASE_URL into airlock.json as plain text") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}

	code, out, errOut = runHome(t, home, "install", "--config", hostCfg, "--move-secrets")
	if code != 0 {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"github's env GITHUB_PERSONAL_ACCESS_TOKEN is now ${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}",
		"db's env DATABASE_URL is now ${keyring:db.DATABASE_URL}",
		"still holds the original values",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("install output lacks %q:\n%s", want, out)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	for _, leaked := range []string{"ghp-plain-value-1", "pa55word"} {
		if strings.Contains(string(cfg), leaked) || strings.Contains(out+errOut, leaked) {
			t.Errorf("%q left in airlock.json or the output:\n%s", leaked, cfg)
		}
	}
	if !strings.Contains(string(cfg), `"LOG_LEVEL": "debug"`) || !strings.Contains(string(cfg), `"${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}"`) {
		t.Errorf("airlock.json:\n%s", cfg)
	}
	ctx := context.Background()
	if v, _ := kc.Get(ctx, "db.DATABASE_URL"); v != "postgres://app:pa55word@db.internal/app" {
		t.Errorf("keychain holds %q", v)
	}
	// The moved values resolve back to what the server had.
	st := secrets.New(home, kc)
	if names, _ := st.List(); len(names) != 2 {
		t.Errorf("names = %v", names)
	}
}

// A keychain that cannot store stops the install with nothing written.
func TestInstallMoveSecretsKeychainDown(t *testing.T) {
	home, hostCfg := tokenHost(t)
	useKeychain(t, &secrets.Memory{Err: &secrets.Unavailable{Op: "store", Reason: "no D-Bus session bus", Err: errors.New("x")}})

	code, out, errOut := runHome(t, home, "install", "--config", hostCfg, "--move-secrets")
	if code != 1 || !strings.Contains(errOut, "no D-Bus session bus") || !strings.Contains(errOut, "nothing was written") {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(hostCfg); string(b) != tokenHostConfig {
		t.Error("the host config changed")
	}
	if _, err := os.Stat(filepath.Join(home, "airlock.json")); err == nil {
		t.Error("airlock.json was written")
	}
}

// A person who declines keeps that value as it was; the others move.
func TestMoveSecretsAsks(t *testing.T) {
	kc := &secrets.Memory{}
	st := secrets.New(t.TempDir(), kc)
	servers := []*hostconfig.Server{
		{Name: "a", Entry: map[string]any{"env": map[string]any{"API_KEY": "k1", "TOKEN": "t1", "PATH_X": "/bin"}}},
	}
	var asked []string
	var done []string
	hook := moveSecrets(context.Background(), st, func(server, key string) (bool, error) {
		asked = append(asked, server+"."+key)
		return key == "TOKEN", nil
	}, &done)
	if err := hook(servers); err != nil {
		t.Fatal(err)
	}
	env := servers[0].Entry["env"].(map[string]any)
	if strings.Join(asked, ",") != "a.API_KEY,a.TOKEN" || env["API_KEY"] != "k1" || env["TOKEN"] != "${keyring:a.TOKEN}" || env["PATH_X"] != "/bin" {
		t.Fatalf("asked %v, env %v", asked, env)
	}
	if len(done) != 1 {
		t.Errorf("done = %v", done)
	}
}

// An env name comes from the host config (for VS Code, perhaps a cloned
// project's .vscode/mcp.json): install prints it with its control
// characters visible, never as an escape sequence to the terminal.
func TestInstallPrintsEnvNamesVisibly(t *testing.T) {
	dir := t.TempDir()
	hostCfg := filepath.Join(dir, "claude_desktop_config.json")
	cfg := `{"mcpServers": {"gh": {"command": "npx", "env": {"API_TOKEN\u001b]0;pwned\u0007": "ghp-plain-value-1"}}}}`
	if err := os.WriteFile(hostCfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	fakeSelf(t, filepath.Join(dir, "bin", "airlock"))
	home := filepath.Join(dir, "airlock")
	useKeychain(t, &secrets.Memory{})
	for _, args := range [][]string{{"--dry-run"}, {"--move-secrets"}} {
		code, out, errOut := runHome(t, home, append([]string{"install", "--config", hostCfg}, args...)...)
		if code != 0 || !strings.Contains(out, "pwned") {
			t.Fatalf("install %v: %d\n%s%s", args, code, out, errOut)
		}
		if strings.ContainsAny(out+errOut, "\x1b\x07") {
			t.Errorf("install %v printed the env name's control characters raw: %q", args, out+errOut)
		}
	}
}
