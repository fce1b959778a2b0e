package app

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/secrets"
)

func TestSecretsService(t *testing.T) {
	home := t.TempDir()
	cfg := `{"mcpServers":{"gh":{"command":"x","env":{"T":"${keyring:GH}","U":"${keyring:GONE}"}}}}`
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	kc := &secrets.Memory{}
	s := newSecrets(home, kc)
	if err := s.Set("GH", "the-value"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("OTHER", "x2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("bad name", "v"); err == nil {
		t.Fatal("Set accepted an invalid name")
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(list)
	want := `[{"name":"GH","usedBy":["gh"],"stored":true},{"name":"GONE","usedBy":["gh"],"stored":false},{"name":"OTHER","usedBy":[],"stored":true}]`
	if string(b) != want {
		t.Fatalf("List = %s\nwant   %s", b, want)
	}
	if strings.Contains(string(b), "the-value") {
		t.Fatal("List returned a value")
	}
	if msg := s.Keychain(); msg != "" {
		t.Fatalf("Keychain() = %q for a working keychain", msg)
	}
	if err := s.Remove("OTHER"); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(context.Background(), "OTHER"); !errors.Is(err, secrets.ErrNotSet) {
		t.Fatalf("Remove left the value: %v", err)
	}
	kc.Err = &secrets.Unavailable{Op: "read", Reason: "the keychain is locked", Err: errors.New("x")}
	if msg := s.Keychain(); !strings.Contains(msg, "locked") {
		t.Fatalf("Keychain() = %q, want the reason", msg)
	}
	if list, err := s.List(); err != nil || len(list) != 2 {
		t.Fatalf("List with a locked keychain = %v, %v", list, err)
	}
}
