//go:build keychain

package e2e

// Settings > Hosts moving a Connect's credentials into a real Secret
// Service: `make test-keychain` runs this inside dbus-run-session with an
// unlocked gnome-keyring (internal/secrets/testdata/with-keyring.sh), like
// browser_secrets_keychain_test.go.

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// tokenOfferView is a Connect's offer as browser.mjs reads it.
type tokenOfferView struct {
	Rows    []string `json:"rows"`
	Buttons []string `json:"buttons"`
	Alert   string   `json:"alert"`
	Text    string   `json:"text"`
}

// Connecting a Claude Desktop whose GitHub server has its token in "env"
// offers to move it; one click later airlock.json says ${keyring:NAME},
// the keychain holds the token, and the token is in neither the page nor
// any file of the Airlock home (only in the host config's own backup).
func TestBrowserHostsMoveTokenKeychain(t *testing.T) {
	_, ctx, home, env := keychainSetup(t)
	user := t.TempDir() // the person's home: the backend finds Claude Desktop's config below it
	t.Setenv("HOME", user)
	t.Setenv("XDG_CONFIG_HOME", "")

	// A fresh server name per run: the keychain may be a developer's own,
	// and the secret's name is made from it.
	server := "github-" + strings.ToLower(rand.Text()[:6])
	key := "GITHUB_PERSONAL_ACCESS_TOKEN"
	name := server + "." + key
	token := "ghp_" + rand.Text() + "Xy"
	t.Cleanup(func() { _, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", name) })
	desktop := filepath.Join(user, ".config", "Claude", "claude_desktop_config.json")
	original := `{
  "mcpServers": {
    "` + server + `": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {"` + key + `": "` + token + `"}
    },
    "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}
  },
  "globalShortcut": "Alt+Space"
}`
	os.MkdirAll(filepath.Dir(desktop), 0o700)
	if err := os.WriteFile(desktop, []byte(original), 0o600); err != nil {
		t.Fatal(err)
	}

	url, _ := startUI(t, home)
	p := openPage(t, url, "hosts-keychain")
	var h hostView
	p.step("host", map[string]any{"name": "Claude Desktop"}, &h)
	if h.State != "Not connected: 2 servers bypass Airlock" || !slices.Equal(h.Buttons, []string{"Connect"}) {
		t.Fatalf("Claude Desktop before: %+v", h)
	}
	var out struct {
		OK    bool     `json:"ok"`
		Lines []string `json:"lines"`
	}
	p.step("hostAction", map[string]any{"name": "Claude Desktop", "button": "Connect"}, &out)
	if !out.OK || !strings.Contains(strings.Join(out.Lines, "\n"), "moved "+server+" into airlock.json") {
		t.Fatalf("connect said %+v", out)
	}
	var offer tokenOfferView
	p.step("tokenOffer", map[string]any{"name": "Claude Desktop"}, &offer)
	p.shot("offer")
	if len(offer.Rows) != 1 || strings.TrimSpace(offer.Rows[0]) != server+"'s env "+key ||
		!slices.Equal(offer.Buttons, []string{"Move 1 token to the keychain"}) || offer.Alert != "" {
		t.Fatalf("the offer after Connect: %+v", offer)
	}
	if cfg, err := config.Load(home); err != nil || cfg.MCPServers[server].Env[key] != token {
		t.Fatalf("before the move airlock.json should hold the token as Connect wrote it (%v)", err)
	}

	p.step("tokenOffer", map[string]any{"name": "Claude Desktop", "move": true}, &offer)
	p.shot("moved")
	placeholder := secrets.Placeholder(name)
	if len(offer.Rows) != 1 || offer.Rows[0] != server+"'s env "+key+" is now "+placeholder || offer.Alert != "" || len(offer.Buttons) != 0 {
		t.Fatalf("the offer after moving: %+v", offer)
	}
	if !strings.Contains(offer.Text, "still holds the original values") {
		t.Errorf("the offer does not point at the host config's backup: %q", offer.Text)
	}

	cfg, err := config.Load(home)
	if err != nil || cfg.MCPServers[server].Env[key] != placeholder {
		t.Fatalf("airlock.json's %s env %s is not %s (%v)", server, key, placeholder, err)
	}
	if got, err := secrets.New(home, secrets.OS{}).Get(ctx, name); err != nil || got != token {
		t.Fatalf("the keychain holds %s as %d characters (%v), not the token", name, len(got), err)
	}
	if out, stderr, err := airlockWith(t, ctx, env, "", "secret", "list"); err != nil || out != name+"\tused by "+server+"\n" {
		t.Fatalf("airlock secret list = %q, %v: %s", out, err, stderr)
	}
	var dump string
	p.step("pageDump", nil, &dump)
	if !strings.Contains(dump, placeholder) || strings.Contains(dump, token) {
		t.Fatalf("the page holds the placeholder: %v, the token: %v; want the placeholder only",
			strings.Contains(dump, placeholder), strings.Contains(dump, token))
	}
	if found := filesHolding(t, home, token); len(found) > 0 {
		t.Fatalf("the token is in the Airlock home: %v", found)
	}
	found := filesHolding(t, filepath.Dir(desktop), token)
	if len(found) != 1 || !strings.Contains(filepath.Base(found[0]), ".airlock-install-") {
		t.Errorf("the token is in %v; want only the host config's backup", found)
	}
}
