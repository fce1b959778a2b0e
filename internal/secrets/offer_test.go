package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failAfter is a keychain that stores n values and is then locked.
type failAfter struct {
	Memory
	n       int
	refused int
}

var errLocked = &Unavailable{Op: "store", Reason: "the keychain is locked", Err: errors.New("prompt dismissed")}

func (f *failAfter) Set(ctx context.Context, name, value string) error {
	if f.n == 0 {
		f.refused++
		return errLocked
	}
	f.n--
	return f.Memory.Set(ctx, name, value)
}

const offerConfig = `{"mcpServers":{
  "gh":{"command":"x","env":{"GITHUB_TOKEN":"ghp_one","LOG":"debug"}},
  "db":{"command":"y","env":{"DB_PASSWORD":"pw-two","API_KEY":"key-three"}},
  "old":{"command":"z","env":{"OLD_TOKEN":"tok-four"}}}}`

func writeOfferConfig(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), []byte(offerConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

func readConfig(t *testing.T, home string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(home, "airlock.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPlainIn(t *testing.T) {
	home := writeOfferConfig(t)
	got, err := PlainIn(home, []string{"gh", "db"})
	want := []Moved{{Server: "db", Key: "API_KEY"}, {Server: "db", Key: "DB_PASSWORD"}, {Server: "gh", Key: "GITHUB_TOKEN"}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("PlainIn = %v, %v; want %v", got, err, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("PlainIn[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestMoveChosen(t *testing.T) {
	ctx := context.Background()
	home := writeOfferConfig(t)
	kc := &Memory{}
	s := New(home, kc)
	out, err := s.MoveChosen(ctx, home, []Moved{{Server: "gh", Key: "GITHUB_TOKEN"}, {Server: "db", Key: "DB_PASSWORD"}, {Server: "gh", Key: "LOG"}})
	if err != nil || len(out) != 3 {
		t.Fatalf("MoveChosen = %v, %v", out, err)
	}
	if out[0].Name != "gh.GITHUB_TOKEN" || out[0].Err != nil || out[1].Name != "db.DB_PASSWORD" || out[1].Err != nil {
		t.Errorf("moved: %+v", out[:2])
	}
	if out[2].Name != "" || out[2].Err == nil || !strings.Contains(out[2].Err.Error(), "not a plain-text credential") {
		t.Errorf("a value that is no credential: %+v", out[2])
	}
	cfg := readConfig(t, home)
	for _, v := range []string{"ghp_one", "pw-two"} {
		if strings.Contains(cfg, v) {
			t.Errorf("airlock.json still holds %s", v)
		}
	}
	for _, v := range []string{"${keyring:gh.GITHUB_TOKEN}", "${keyring:db.DB_PASSWORD}", "key-three", "tok-four", "debug"} {
		if !strings.Contains(cfg, v) {
			t.Errorf("airlock.json lacks %s:\n%s", v, cfg)
		}
	}
	if v, err := s.Get(ctx, "db.DB_PASSWORD"); err != nil || v != "pw-two" {
		t.Errorf("keychain db.DB_PASSWORD = %q, %v", v, err)
	}
}

// An unavailable keychain moves nothing and says why; airlock.json stays
// byte for byte as it was.
func TestMoveChosenKeychainUnavailable(t *testing.T) {
	home := writeOfferConfig(t)
	kc := &Memory{Err: &Unavailable{Op: "read", Reason: "no Secret Service on the D-Bus session bus", Err: errors.New("ServiceUnknown")}}
	out, err := New(home, kc).MoveChosen(context.Background(), home, []Moved{{Server: "gh", Key: "GITHUB_TOKEN"}})
	var u *Unavailable
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "no Secret Service") || out != nil {
		t.Fatalf("MoveChosen = %v, %v; want the keychain's reason and no outcomes", out, err)
	}
	if got := readConfig(t, home); got != offerConfig {
		t.Fatalf("airlock.json changed:\n%s", got)
	}
}

// A keychain that locks part-way: the values before stay moved, the one it
// refused and those after stay in airlock.json with its error, and it is
// not asked about them again.
func TestMoveChosenKeychainLocksPartWay(t *testing.T) {
	home := writeOfferConfig(t)
	kc := &failAfter{n: 1}
	chosen := []Moved{{Server: "gh", Key: "GITHUB_TOKEN"}, {Server: "db", Key: "DB_PASSWORD"}, {Server: "old", Key: "OLD_TOKEN"}}
	out, err := New(home, kc).MoveChosen(context.Background(), home, chosen)
	if err != nil || len(out) != 3 {
		t.Fatalf("MoveChosen = %v, %v", out, err)
	}
	if out[0].Name != "gh.GITHUB_TOKEN" || out[0].Err != nil {
		t.Errorf("first: %+v", out[0])
	}
	for _, o := range out[1:] {
		if o.Name != "" || !errors.Is(o.Err, errLocked) {
			t.Errorf("after the lock: %+v, want unmoved with the keychain's error", o)
		}
	}
	cfg := readConfig(t, home)
	if strings.Contains(cfg, "ghp_one") || !strings.Contains(cfg, "pw-two") || !strings.Contains(cfg, "tok-four") {
		t.Errorf("airlock.json after a lock part-way:\n%s", cfg)
	}
	if kc.refused != 1 {
		t.Errorf("the locked keychain was asked %d times, want once", kc.refused)
	}
}
