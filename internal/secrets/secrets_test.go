package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStoreSetListRemove(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	s := New(home, &Memory{})
	for _, n := range []string{"b.token", "A_KEY", "b.token"} {
		if err := s.Set(ctx, n, "value-of-"+n); err != nil {
			t.Fatal(err)
		}
	}
	names, err := s.List()
	if err != nil || !slices.Equal(names, []string{"A_KEY", "b.token"}) {
		t.Fatalf("List = %v, %v", names, err)
	}
	data, err := os.ReadFile(filepath.Join(home, IndexFileName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "value-of") {
		t.Fatalf("index holds a value: %s", data)
	}
	if fi, _ := os.Stat(filepath.Join(home, IndexFileName)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("index mode %v, want 0600", fi.Mode().Perm())
	}
	if v, err := s.Get(ctx, "A_KEY"); err != nil || v != "value-of-A_KEY" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := s.Remove(ctx, "A_KEY"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "A_KEY"); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Get after Remove: %v, want ErrNotSet", err)
	}
	if err := s.Remove(ctx, "A_KEY"); !errors.Is(err, ErrNotSet) {
		t.Fatalf("second Remove: %v, want ErrNotSet", err)
	}
	if names, _ := s.List(); !slices.Equal(names, []string{"b.token"}) {
		t.Fatalf("List after Remove = %v", names)
	}
}

func TestStoreRejects(t *testing.T) {
	ctx := context.Background()
	s := New(t.TempDir(), &Memory{})
	for _, n := range []string{"", "has space", "a/b", "${x}", strings.Repeat("x", 65), "é"} {
		if err := s.Set(ctx, n, "v"); err == nil || !strings.Contains(err.Error(), "invalid secret name") {
			t.Errorf("Set(%q) = %v, want invalid name", n, err)
		}
	}
	if err := s.Set(ctx, "ok", ""); err == nil {
		t.Error("Set with an empty value succeeded")
	}
	// The window's Set is callable by the page with any value: the bound
	// the CLI puts on stdin holds there too.
	if err := s.Set(ctx, "big", strings.Repeat("x", MaxValueBytes+1)); err == nil {
		t.Error("Set with a value over MaxValueBytes succeeded")
	}
	if err := s.Set(ctx, "max", strings.Repeat("x", MaxValueBytes)); err != nil {
		t.Errorf("Set with a value of MaxValueBytes: %v", err)
	}
	_ = s.Remove(ctx, "max")
	if names, _ := s.List(); len(names) != 0 {
		t.Errorf("rejected names listed: %v", names)
	}
}

// A name the keychain lost (removed by another tool) can still be removed
// from the index.
func TestRemoveOrphanName(t *testing.T) {
	ctx := context.Background()
	kc := &Memory{}
	s := New(t.TempDir(), kc)
	if err := s.Set(ctx, "gone", "v"); err != nil {
		t.Fatal(err)
	}
	_ = kc.Delete(ctx, "gone")
	if err := s.Remove(ctx, "gone"); err != nil {
		t.Fatalf("Remove of an orphan name: %v", err)
	}
	if names, _ := s.List(); len(names) != 0 {
		t.Fatalf("List = %v", names)
	}
}

func TestUnavailableKeychainKeepsIndex(t *testing.T) {
	ctx := context.Background()
	kc := &Memory{}
	s := New(t.TempDir(), kc)
	if err := s.Set(ctx, "kept", "v"); err != nil {
		t.Fatal(err)
	}
	kc.Err = &Unavailable{Op: "store", Reason: "the keychain is locked", Err: errors.New("locked")}
	if err := s.Set(ctx, "new", "v"); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("Set on a locked keychain: %v", err)
	}
	if err := s.Remove(ctx, "kept"); err == nil {
		t.Fatal("Remove on a locked keychain succeeded")
	}
	if names, _ := s.List(); !slices.Equal(names, []string{"kept"}) {
		t.Fatalf("List = %v, want [kept]", names)
	}
	if err := Check(ctx, kc); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("Check = %v", err)
	}
	kc.Err = nil
	if err := Check(ctx, kc); err != nil {
		t.Fatalf("Check on a working keychain: %v", err)
	}
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	s := New(t.TempDir(), &Memory{})
	_ = s.Set(ctx, "TOKEN", "tok-123")
	_ = s.Set(ctx, "USER", "u")
	env := map[string]string{
		"PLAIN":  "as is",
		"WHOLE":  "${keyring:TOKEN}",
		"INSIDE": "Bearer ${keyring:TOKEN}",
		"TWO":    "${keyring:USER}:${keyring:TOKEN}",
		// Written in airlock.json, not moved to the keychain: Airlock puts
		// these in too, and a credential among them is hidden the same way,
		// unless too short to hide without garbling ordinary text.
		"GITHUB_TOKEN": "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
		"API_KEY":      "abc",
	}
	got, injected, err := s.Resolve(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"PLAIN": "as is", "WHOLE": "tok-123", "INSIDE": "Bearer tok-123", "TWO": "u:tok-123"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	slices.Sort(injected)
	if !slices.Equal(injected, []string{"ghp_16C7e42F292c6912E7710c838347Ae178B4a", "tok-123", "u"}) {
		t.Errorf("injected = %q", injected)
	}
	if env["WHOLE"] != "${keyring:TOKEN}" {
		t.Error("Resolve changed its input")
	}
}

func TestResolveErrors(t *testing.T) {
	ctx := context.Background()
	kc := &Memory{}
	s := New(t.TempDir(), kc)
	_ = s.Set(ctx, "SET", "the-value")
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"A": "${keyring:MISSING}"}, `env A: secret "MISSING": secret not set`},
		{map[string]string{"A": "${keyring:bad name}"}, `invalid secret name "bad name"`},
		{map[string]string{"A": "x ${keyring:SET"}, "unterminated"},
		{map[string]string{"A": "${keyring:SET}", "B": "${keyring:}"}, `env B: invalid secret name ""`},
	} {
		_, _, err := s.Resolve(ctx, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%v) = %v, want %q", tc.env, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "the-value") {
			t.Errorf("error shows a value: %v", err)
		}
	}
	kc.Err = &Unavailable{Op: "read", Reason: "no Secret Service on the D-Bus session bus", Err: errors.New("x")}
	_, _, err := s.Resolve(ctx, map[string]string{"A": "${keyring:SET}"})
	if err == nil || !strings.Contains(err.Error(), `secret "SET"`) || !strings.Contains(err.Error(), "no Secret Service") {
		t.Errorf("Resolve on an unavailable keychain = %v", err)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  string
		want string
	}{
		{`exec: "dbus-launch": executable file not found in $PATH`, "no D-Bus session bus"},
		{"The name org.freedesktop.secrets was not provided by any .service files", "no Secret Service"},
		{"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'", "locked"},
		{"something else", "did not answer as expected"},
	} {
		err := classify("read", errors.New(tc.err))
		var u *Unavailable
		if !errors.As(err, &u) || !strings.Contains(u.Reason, tc.want) {
			t.Errorf("classify(%q) = %v, want reason %q", tc.err, err, tc.want)
		}
	}
}

func TestTokenLike(t *testing.T) {
	for _, tc := range []struct {
		key, value string
		want       bool
	}{
		{"GITHUB_PERSONAL_ACCESS_TOKEN", "anything", true},
		{"API_KEY", "abc", true},
		{"DB_PASSWORD", "hunter2", true},
		{"DATABASE_URL", "postgres://app:s3cret@db/app", true},
		{"SOME_VAR", "ghp_" + strings.Repeat("a1B2", 9), true},
		{"MEMORY_FILE_PATH", "/home/ann/memory.json", false},
		{"LOG_LEVEL", "debug", false},
		{"GITHUB_TOKEN", "${keyring:gh}", false},
		{"API_KEY", "${input:api_key}", false},
		{"API_KEY", "", false},
	} {
		if got := TokenLike(tc.key, tc.value); got != tc.want {
			t.Errorf("TokenLike(%q, %q) = %v, want %v", tc.key, tc.value, got, tc.want)
		}
	}
}

func TestAdopt(t *testing.T) {
	ctx := context.Background()
	s := New(t.TempDir(), &Memory{})
	if got := SuggestName("git hub", "X-Key/1"); got != "git_hub.X-Key_1" {
		t.Errorf("SuggestName = %q", got)
	}
	if got := SuggestName(strings.Repeat("s", 40), strings.Repeat("K", 40)); len(got) != 64 || ValidName(got) != nil {
		t.Errorf("SuggestName long = %q", got)
	}
	n1, err := s.Adopt(ctx, "github", "TOKEN", "v1")
	if err != nil || n1 != "github.TOKEN" {
		t.Fatalf("Adopt = %q, %v", n1, err)
	}
	// The same value again reuses the name; another value never overwrites.
	if n, _ := s.Adopt(ctx, "github", "TOKEN", "v1"); n != "github.TOKEN" {
		t.Errorf("Adopt same value = %q", n)
	}
	n2, err := s.Adopt(ctx, "github", "TOKEN", "v2")
	if err != nil || n2 != "github.TOKEN-2" {
		t.Fatalf("Adopt other value = %q, %v", n2, err)
	}
	if v, _ := s.Get(ctx, "github.TOKEN"); v != "v1" {
		t.Errorf("first secret overwritten: %q", v)
	}
	if names, _ := s.List(); !slices.Equal(names, []string{"github.TOKEN", "github.TOKEN-2"}) {
		t.Errorf("List = %v", names)
	}
}

func TestMoveFromConfigKeychainDown(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, "airlock.json")
	cfg := `{"mcpServers":{"a":{"command":"x","env":{"API_KEY":"k1"}}}}`
	os.WriteFile(path, []byte(cfg), 0o600)
	s := New(home, &Memory{Err: &Unavailable{Op: "read", Reason: "the keychain is locked", Err: errors.New("x")}})
	if plain, err := Plain(home); err != nil || len(plain) != 1 || plain[0].Key != "API_KEY" {
		t.Fatalf("Plain = %v, %v", plain, err)
	}
	if _, err := s.MoveFromConfig(context.Background(), home, nil); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("MoveFromConfig = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != cfg {
		t.Fatalf("airlock.json changed:\n%s", b)
	}
}
