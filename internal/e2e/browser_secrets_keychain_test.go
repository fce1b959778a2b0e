//go:build keychain

package e2e

// Settings > Secrets in the browser against a real Secret Service: `make
// test-keychain` runs this inside dbus-run-session with an unlocked
// gnome-keyring (internal/secrets/testdata/with-keyring.sh); the backend
// runs in this process and reaches that keyring on the session bus.

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/secrets"
)

// secretView is Settings > Secrets as browser.mjs reads it.
type secretView struct {
	Keychain string `json:"keychain"`
	Row      *struct {
		Text    string   `json:"text"`
		Buttons []string `json:"buttons"`
	} `json:"row"`
}

// A secret airlock.json refers to is set by typing it into the page: the
// keychain holds the value, `airlock secret list` the name, and the value
// is in neither the page (markup, text, fields, storage) nor any file of
// the Airlock home. Remove… takes it out of the keychain again.
func TestBrowserSecretKeychain(t *testing.T) {
	ts, ctx, home, env := keychainSetup(t)
	value := "kc-" + strings.ToLower(rand.Text()) + "-browser"
	name := "E2E_BROWSER_" + strings.ToUpper(rand.Text()[:6])
	t.Cleanup(func() { _, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", name) })
	writeConfigFile(t, home, map[string]any{"mcpServers": map[string]any{
		"leaky": map[string]any{"command": ts, "args": []string{"-name", "leaky", "-getenv"},
			"env": map[string]string{"LEAK": "${keyring:" + name + "}"}},
	}})
	kc := secrets.New(home, secrets.OS{})

	url, _ := startUI(t, home)
	p := openPage(t, url, "secrets")
	var s secretView
	p.step("secret", map[string]any{"name": name}, &s)
	if s.Keychain != "" || s.Row == nil || !strings.Contains(s.Row.Text, "used by leaky") || !strings.Contains(s.Row.Text, "Not stored") {
		t.Fatalf("before: Secrets shows %+v; want %s used by leaky, not stored, and no keychain alert", s, name)
	}

	var saved struct {
		OK    bool   `json:"ok"`
		Note  string `json:"note"`
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	p.step("setSecret", map[string]any{"name": name, "value": value}, &saved)
	p.shot("stored")
	if want := "Stored " + name + " in the keychain. Use it in airlock.json as ${keyring:" + name + "}."; !saved.OK || saved.Note != want {
		t.Fatalf("saving showed %+v, want the note %q", saved, want)
	}
	if saved.Name != "" || saved.Value != "" {
		t.Errorf("after saving the form still holds name %q, value of %d characters", saved.Name, len(saved.Value))
	}
	if got, err := kc.Get(ctx, name); err != nil || got != value {
		t.Fatalf("the keychain holds %s as %d characters (%v), not the value typed", name, len(got), err)
	}
	out, stderr, err := airlockWith(t, ctx, env, "", "secret", "list")
	if err != nil || out != name+"\tused by leaky\n" {
		t.Fatalf("airlock secret list = %q, %v: %s; want %s used by leaky", out, err, stderr, name)
	}
	p.step("secret", map[string]any{"name": name}, &s)
	if s.Row == nil || strings.Contains(s.Row.Text, "Not stored") || !strings.Contains(s.Row.Text, "used by leaky") {
		t.Fatalf("after saving: Secrets shows %+v", s)
	}
	var dump string
	p.step("pageDump", nil, &dump)
	if !strings.Contains(dump, name) || strings.Contains(dump, value) {
		t.Fatalf("the page holds the name: %v, the value: %v; want the name only", strings.Contains(dump, name), strings.Contains(dump, value))
	}
	if found := filesHolding(t, home, value); len(found) > 0 {
		t.Fatalf("the value is in %v", found)
	}

	var removed string
	p.step("removeSecret", map[string]any{"name": name}, &removed)
	if _, err := kc.Get(ctx, name); !errors.Is(err, secrets.ErrNotSet) {
		t.Fatalf("after Remove the keychain read of %s gives %v, want not set", name, err)
	}
	if out, _, _ := airlockWith(t, ctx, env, "", "secret", "list"); strings.Contains(out, name) {
		t.Fatalf("airlock secret list after Remove: %q", out)
	}
	p.step("secret", map[string]any{"name": name}, &s)
	if s.Row == nil || !strings.Contains(s.Row.Text, "Not stored") {
		t.Fatalf("after Remove: Secrets shows %+v; want %s not stored", s, name)
	}
}
