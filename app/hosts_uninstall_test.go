package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/secrets"
)

// The window's flow: Connect, move the token to the keychain, delete the
// backup as the offer says, Disconnect. The servers come back, rebuilt
// from airlock.json, the token as its placeholder, and the lines say so.
func TestHostsDisconnectAfterBackupDeleted(t *testing.T) {
	h, user := newHostsService(t)
	h.secrets = secrets.New(h.home, &secrets.Memory{})
	cursor := filepath.Join(user, ".cursor", "mcp.json")
	os.MkdirAll(filepath.Dir(cursor), 0o700)
	token := "ghp_" + strings.Repeat("A1b2", 9)
	os.WriteFile(cursor, []byte(`{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_TOKEN":"`+token+`"}}}}`), 0o600)

	ch, err := h.Install("cursor")
	if err != nil || len(ch.Tokens) != 1 {
		t.Fatalf("install: %+v %v", ch, err)
	}
	if got, err := h.MoveSecrets(ch.Tokens); err != nil || len(got.Values) != 1 || got.Values[0].Error != "" {
		t.Fatalf("move: %+v %v", got, err)
	}
	if err := os.Remove(ch.Backup); err != nil {
		t.Fatal(err)
	}

	ch, err = h.Uninstall("cursor")
	if err != nil || !ch.Changed || ch.Host.HookedUp || ch.Host.Local != 1 {
		t.Fatalf("uninstall: %+v %v", ch, err)
	}
	lines := strings.Join(ch.Lines, "\n")
	if !strings.Contains(lines, "restored github to the host config, rebuilt from its airlock.json entry") ||
		!strings.Contains(lines, "github's env GITHUB_TOKEN is ${keyring:") {
		t.Errorf("lines:\n%s", lines)
	}
	b, _ := os.ReadFile(cursor)
	if strings.Contains(string(b), token) || !strings.Contains(string(b), `"GITHUB_TOKEN":"${keyring:`) {
		t.Errorf("host config:\n%s", b)
	}
}
