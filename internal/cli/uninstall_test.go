package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/secrets"
)

// Install moves tokens into the keychain and tells the person to delete the
// backup that still holds them; uninstall must then still work, and put no
// secret back into the host config on its own.
func TestUninstallAfterBackupDeleted(t *testing.T) {
	home, hostCfg := tokenHost(t)
	useKeychain(t, &secrets.Memory{})
	code, out, errOut := runHome(t, home, "install", "--config", hostCfg, "--move-secrets")
	if code != 0 || !strings.Contains(out, "delete it once Airlock works for you") {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	removeInstallBackups(t, hostCfg)

	code, out, errOut = runHome(t, home, "uninstall", "--config", hostCfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "would restore github to the host config, rebuilt from its airlock.json entry") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 0 {
		t.Fatalf("uninstall: %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"restored memory to the host config, rebuilt from its airlock.json entry (no install backup holds it)",
		"github's env GITHUB_PERSONAL_ACCESS_TOKEN is ${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}, which the host passes on as that text: put the secret's value back there",
		"db's env DATABASE_URL is ${keyring:db.DATABASE_URL}",
		"unhooked",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("uninstall output lacks %q:\n%s", want, out)
		}
	}
	b, _ := os.ReadFile(hostCfg)
	var doc struct {
		MCPServers map[string]struct {
			Command string
			Env     map[string]string
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	gh := doc.MCPServers["github"]
	if _, hooked := doc.MCPServers["airlock"]; hooked || len(doc.MCPServers) != 3 || gh.Command != "npx" ||
		gh.Env["GITHUB_PERSONAL_ACCESS_TOKEN"] != "${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}" || gh.Env["LOG_LEVEL"] != "debug" {
		t.Errorf("host config after uninstall:\n%s", b)
	}
	for _, leaked := range []string{"ghp-plain-value-1", "pa55word"} {
		if strings.Contains(string(b)+out, leaked) {
			t.Errorf("uninstall wrote or printed %q", leaked)
		}
	}
	code, out, _ = runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "not hooked up: nothing to change") {
		t.Errorf("second uninstall: %d %s", code, out)
	}
}

// Tokens moved into the keychain after install (secret import, or the
// window's offer, which edit airlock.json the same way) keep the record of
// origin: uninstall without backups still rebuilds, with the placeholders.
func TestUninstallAfterSecretImport(t *testing.T) {
	home, hostCfg := tokenHost(t)
	useKeychain(t, &secrets.Memory{})
	if code, out, errOut := runHome(t, home, "install", "--config", hostCfg); code != 0 {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runHome(t, home, "secret", "import", "--yes"); code != 0 {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	removeInstallBackups(t, hostCfg)
	code, out, errOut := runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "restored db to the host config, rebuilt") ||
		!strings.Contains(out, "db's env DATABASE_URL is ${keyring:db.DATABASE_URL}") {
		t.Fatalf("uninstall: %d\n%s%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(hostCfg); strings.Contains(string(b), "pa55word") || !strings.Contains(string(b), "${keyring:db.DATABASE_URL}") {
		t.Errorf("host config:\n%s", b)
	}
}

// An airlock.json written before install recorded where servers came from,
// without backups: uninstall says what to do and changes nothing.
func TestUninstallWithoutBackupOrRecord(t *testing.T) {
	home, hostCfg := tokenHost(t)
	code, out, errOut := runHome(t, home, "install", "--config", hostCfg)
	if code != 0 || !strings.Contains(out, "moved github's env GITHUB_PERSONAL_ACCESS_TOKEN, db's env DATABASE_URL into airlock.json as plain text") {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	removeInstallBackups(t, hostCfg)
	cfgPath := filepath.Join(home, "airlock.json")
	var cfg map[string]map[string]map[string]any
	b, _ := os.ReadFile(cfgPath)
	json.Unmarshal(b, &cfg)
	for _, s := range cfg["mcpServers"] {
		delete(s, "from")
	}
	b, _ = json.Marshal(cfg)
	os.WriteFile(cfgPath, b, 0o600)
	hooked, _ := os.ReadFile(hostCfg)

	code, out, errOut = runHome(t, home, "uninstall", "--config", hostCfg)
	if code != 1 || !strings.Contains(errOut, "does not record which servers came from it") || !strings.Contains(errOut, "nothing changed") {
		t.Fatalf("uninstall: %d\n%s%s", code, out, errOut)
	}
	if now, _ := os.ReadFile(hostCfg); string(now) != string(hooked) {
		t.Error("a refused uninstall changed the host config")
	}
}

func removeInstallBackups(t *testing.T, hostCfg string) {
	t.Helper()
	bs, _ := filepath.Glob(hostCfg + ".airlock-install-*")
	if len(bs) == 0 {
		t.Fatal("install left no backup")
	}
	for _, b := range bs {
		if err := os.Remove(b); err != nil {
			t.Fatal(err)
		}
	}
}
