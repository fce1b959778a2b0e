//go:build keychain

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/redact"
)

// Credentials written in a server's args, against a real Secret Service:
// `airlock secret import --yes` moves a database URL's password and the
// value after --api-key into the keychain (the rest of each arg stays in
// airlock.json), the proxy fills them back into the real upstream's
// command line, and the upstream echoing its argv (result and stderr)
// shows the host, the log and the history only [REDACTED]. A server whose
// args name a missing secret stays down with the secret named.
func TestArgsSecretsThroughKeychain(t *testing.T) {
	ts, ctx, home, env := keychainSetup(t)
	// Plain lower-case runs: no shape rule hides them, only the injected
	// values' redaction can.
	password := "pw-" + strings.ToLower(rand.Text()) + "-args"
	key := "k-" + strings.ToLower(rand.Text()) + "-args"
	for _, v := range []string{password, key} {
		if redact.String(v) != v {
			t.Fatalf("test value %q looks like a token to redact.String; pick a plainer one", v)
		}
	}
	url := "postgresql://app:" + password + "@db.example/prod"
	writeAllowConfig(t, home, map[string]any{
		"leaky": map[string]any{"command": ts, "args": []string{"-name", "leaky", "-getenv", url, "--api-key", key}},
		"unset": map[string]any{"command": ts, "args": []string{"-name", "unset", "-k", "${keyring:E2E_ARGS_NEVER_SET}"}},
	})
	t.Cleanup(func() {
		for _, n := range []string{"leaky.password", "leaky.api-key"} {
			_, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", n)
		}
	})

	out, stderr, err := airlockWith(t, ctx, env, "", "secret", "import", "--yes")
	if err != nil || !strings.Contains(out, "leaky's args[3] is now ${keyring:leaky.password}") ||
		!strings.Contains(out, "leaky's args[5] is now ${keyring:leaky.api-key}") {
		t.Fatalf("secret import: %v\n%s%s", err, out, stderr)
	}
	if strings.Contains(out+stderr, password) || strings.Contains(out+stderr, key) {
		t.Fatalf("secret import printed a value:\n%s%s", out, stderr)
	}
	var cfg struct {
		MCPServers map[string]struct{ Args []string } `json:"mcpServers"`
	}
	data, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if a := cfg.MCPServers["leaky"].Args; len(a) != 6 || a[3] != "postgresql://app:${keyring:leaky.password}@db.example/prod" || a[5] != "${keyring:leaky.api-key}" {
		t.Fatalf("leaky's args in airlock.json = %q", a)
	}

	cs, cmd, proxyErr := proxyWith(t, ctx, env)
	// The upstream got both values: its argv shows them hidden, in place.
	want := "-name leaky -getenv postgresql://app:" + redact.Placeholder + "@db.example/prod --api-key " + redact.Placeholder
	if got := rsText(rsCall(t, cs, "leaky__argv", map[string]any{})); got != want {
		t.Errorf("argv = %q, want %q", got, want)
	}
	res, err := callErr(t, ctx, cs, "unset__echo", map[string]any{"text": "x"})
	if err != nil || !res.IsError || !strings.Contains(rsText(res), `args[3]: secret "E2E_ARGS_NEVER_SET": secret not set`) {
		t.Errorf("unset__echo = %+v %v %q", res, err, rsText(res))
	}
	cs.Close()
	waitExit(t, cmd)

	logText := proxyErr.String()
	if !strings.Contains(logText, "[leaky] raw argv: "+want) {
		t.Errorf("the upstream's argv line is missing from the proxy's log, or not hidden:\n%s", logText)
	}
	hist, stderr, err := airlockWith(t, ctx, env, "", "history", "--json", "--limit", "1000")
	if err != nil {
		t.Fatalf("history: %v: %s", err, stderr)
	}
	for _, v := range []string{password, key} {
		if strings.Contains(logText, v) || strings.Contains(hist, v) {
			t.Errorf("a value in the proxy's log or the history")
		}
		if found := filesHolding(t, home, v); len(found) > 0 {
			t.Errorf("a value found in the Airlock home: %v", found)
		}
	}
}
