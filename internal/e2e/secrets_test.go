package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// With no keychain at all (the session bus address leads nowhere), secret
// commands fail at once with an error naming what is missing, and the proxy
// starts every upstream that needs no secret while the one that does stays
// down with an error naming its secret. The keychain's own call timeout is
// 20 s; the deadline below is shorter, so a hang fails the test.
func TestSecretsWithoutKeychain(t *testing.T) {
	buildAirlock(t) // before the deadline starts
	ts := rsTestServer(t)
	home := newHome(t)
	env := append(childEnv(home), "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	ctx := testCtx(t, 15*time.Second)

	_, stderr, err := airlockWith(t, ctx, env, "value\n", "secret", "set", "E2E_TOKEN")
	if err == nil || !strings.Contains(stderr, "keychain unavailable") || !strings.Contains(stderr, "no D-Bus session bus") {
		t.Fatalf("secret set without a keychain: err %v, stderr %q", err, stderr)
	}
	if out, stderr, err := airlockWith(t, ctx, env, "", "secret", "list"); err != nil || out != "" {
		t.Fatalf("secret list without a keychain: %v %q %q", err, out, stderr)
	}

	writeAllowConfig(t, home, map[string]any{
		"plain": map[string]any{"command": ts, "args": []string{"-name", "plain"}},
		"keyed": map[string]any{"command": ts, "args": []string{"-name", "keyed", "-getenv"},
			"env": map[string]string{"TOKEN": "${keyring:E2E_TOKEN}"}},
	})
	cs, _, proxyErr := proxyWith(t, ctx, env)
	if got := rsText(rsCall(t, cs, "plain__echo", map[string]any{"text": "still here"})); got != "still here" {
		t.Fatalf("plain__echo = %q", got)
	}
	res, err := callErr(t, ctx, cs, "keyed__getenv", map[string]any{"name": "TOKEN"})
	if err != nil {
		t.Fatalf("keyed__getenv: %v", err)
	}
	msg := rsText(res)
	if !res.IsError || !strings.Contains(msg, `secret "E2E_TOKEN"`) || !strings.Contains(msg, "no D-Bus session bus") {
		t.Fatalf("keyed__getenv = %+v %q, want an error naming the secret and the missing bus", res, msg)
	}
	if !strings.Contains(proxyErr.String(), `secret \"E2E_TOKEN\"`) {
		t.Errorf("the proxy's log does not say why keyed is down:\n%s", proxyErr.String())
	}
}
