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

func TestSecretsMovePlainValue(t *testing.T) {
	home := t.TempDir()
	cfg := `{"mcpServers":{"gh":{"command":"x","env":{"GITHUB_TOKEN":"plain-1","API_KEY":"plain-2","LOG":"debug"}}}}`
	os.WriteFile(filepath.Join(home, "airlock.json"), []byte(cfg), 0o600)
	kc := &secrets.Memory{}
	s := newSecrets(home, kc)
	plain, err := s.Plain()
	if err != nil || len(plain) != 2 || plain[0] != (PlainValue{"gh", "API_KEY"}) || plain[1] != (PlainValue{"gh", "GITHUB_TOKEN"}) {
		t.Fatalf("Plain = %v, %v", plain, err)
	}
	name, err := s.Move("gh", "GITHUB_TOKEN")
	if err != nil || name != "gh.GITHUB_TOKEN" {
		t.Fatalf("Move = %q, %v", name, err)
	}
	b, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	if strings.Contains(string(b), "plain-1") || !strings.Contains(string(b), "plain-2") {
		t.Fatalf("airlock.json after moving one value:\n%s", b)
	}
	if plain, _ := s.Plain(); len(plain) != 1 || plain[0].Key != "API_KEY" {
		t.Errorf("Plain after Move = %v", plain)
	}
	if _, err := s.Move("gh", "GITHUB_TOKEN"); err == nil {
		t.Error("moving a value twice succeeded")
	}
}

// A credential in args is listed and moved by its place, args[N]; only
// its password leaves the URL.
func TestSecretsMovePlainArg(t *testing.T) {
	home := t.TempDir()
	cfg := `{"mcpServers":{"pg":{"command":"npx","args":["-y","server-postgres","postgresql://app:plain-pw-1@h/db"]}}}`
	os.WriteFile(filepath.Join(home, "airlock.json"), []byte(cfg), 0o600)
	s := newSecrets(home, &secrets.Memory{})
	plain, err := s.Plain()
	if err != nil || len(plain) != 1 || plain[0] != (PlainValue{"pg", "args[2]"}) {
		t.Fatalf("Plain = %v, %v", plain, err)
	}
	if name, err := s.Move("pg", "args[2]"); err != nil || name != "pg.password" {
		t.Fatalf("Move = %q, %v", name, err)
	}
	b, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	if strings.Contains(string(b), "plain-pw-1") || !strings.Contains(string(b), `"postgresql://app:${keyring:pg.password}@h/db"`) {
		t.Fatalf("airlock.json after the move:\n%s", b)
	}
	if _, err := s.Move("pg", "args[2]"); err == nil || !strings.Contains(err.Error(), "pg's args[2] is not a plain-text credential") {
		t.Errorf("moving it twice: %v", err)
	}
}
