//go:build keychain

// These tests use the real OS keychain. `make test-keychain` runs them inside
// a private D-Bus session with an unlocked gnome-keyring
// (testdata/with-keyring.sh); the build tag keeps them out of plain
// `go test ./...`, which has no Secret Service to talk to.

package secrets

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// requireKeychain fails in CI and skips elsewhere when no Secret Service
// answers: a developer without one can still run the rest.
func requireKeychain(t *testing.T) {
	t.Helper()
	err := Check(context.Background(), OS{})
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no usable keychain in CI (run through make test-keychain): %v", err)
	}
	t.Skipf("no usable keychain here (make test-keychain provides one): %v", err)
}

func TestOSKeychainRoundTrip(t *testing.T) {
	requireKeychain(t)
	ctx := context.Background()
	s := New(t.TempDir(), OS{})
	name := "airlock-test-" + strings.ToLower(rand.Text()[:10])
	t.Cleanup(func() { _ = s.Remove(ctx, name) })

	if _, err := s.Get(ctx, name); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Get before Set: %v, want ErrNotSet", err)
	}
	value := "first value with spaces, ünïcode and \"quotes\"\n"
	if err := s.Set(ctx, name, value); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, name); err != nil || got != value {
		t.Fatalf("Get = %q, %v; want %q", got, err, value)
	}
	// Set again replaces; the keychain keeps one item.
	if err := s.Set(ctx, name, "second"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, name); err != nil || got != "second" {
		t.Fatalf("Get after replace = %q, %v", got, err)
	}
	// Another program reading the keychain (secret-tool, from libsecret)
	// sees the same item: the value really lives in the Secret Service.
	if path, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(path, "lookup", "service", Service, "username", name).Output()
		if err != nil || string(out) != "second" {
			t.Fatalf("secret-tool lookup = %q, %v", out, err)
		}
	}
	env, injected, err := s.Resolve(ctx, map[string]string{"T": "Bearer " + Placeholder(name)})
	if err != nil || env["T"] != "Bearer second" || len(injected) != 1 || injected[0] != "second" {
		t.Fatalf("Resolve = %v %v %v", env, injected, err)
	}
	if err := s.Remove(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, name); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Get after Remove: %v, want ErrNotSet", err)
	}
	if names, _ := s.List(); len(names) != 0 {
		t.Fatalf("List after Remove = %v", names)
	}
}

// A session bus with no Secret Service able to unlock: gnome-keyring is
// activated on demand but its login keyring stays locked (nobody gave the
// password, and there is no prompter). The error says so, at once.
func TestOSKeychainLocked(t *testing.T) {
	requireKeychain(t)
	if _, err := exec.LookPath("dbus-run-session"); err != nil {
		t.Fatalf("dbus-run-session missing: %v", err)
	}
	bin, err := os.Executable() // this test binary, run again in a new session
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-run-session", "--", bin, "-test.run", "^TestLockedProbe$", "-test.v")
	cmd.Env = append(os.Environ(), "AIRLOCK_LOCKED_PROBE=1", "XDG_DATA_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS: TestLockedProbe") {
		t.Fatalf("locked probe: %v\n%s", err, out)
	}
}

// TestLockedProbe runs in the fresh session TestOSKeychainLocked starts.
func TestLockedProbe(t *testing.T) {
	if os.Getenv("AIRLOCK_LOCKED_PROBE") == "" {
		return // only meaningful inside TestOSKeychainLocked's session
	}
	err := New(t.TempDir(), OS{}).Set(context.Background(), "x", "v")
	var u *Unavailable
	if !errors.As(err, &u) || !strings.Contains(u.Reason, "locked") {
		t.Fatalf("Set on a locked keyring = %v, want Unavailable (locked)", err)
	}
}
