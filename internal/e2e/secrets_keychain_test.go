//go:build keychain

package e2e

// The whole secret path against a real Secret Service: `make test-keychain`
// runs this inside dbus-run-session with an unlocked gnome-keyring
// (internal/secrets/testdata/with-keyring.sh).

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// A secret set through the real CLI is injected into a real upstream's
// environment; the upstream echoes it in results (text and structured), in
// a tool error, in a JSON-RPC error and on its stderr, and the model sends
// it back as an argument. Afterwards the value is in no file of the Airlock
// home (database, WAL, config, names index), not in the proxy's stderr and
// not in the history.
func TestSecretNeverStored(t *testing.T) {
	ts, ctx, home, env := keychainSetup(t)

	// Lower case letters and dashes only: the shape-based redaction
	// (redact.String) does not recognise it, so only the redaction of
	// injected values can hide it.
	value := "kc-" + strings.ToLower(rand.Text()) + "-staple"
	if redact.String(value) != value {
		t.Fatalf("test value %q looks like a token to redact.String; pick a plainer one", value)
	}
	name := "E2E_TOKEN_" + strings.ToUpper(rand.Text()[:6])
	t.Cleanup(func() { _, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", name) })

	if _, stderr, err := airlockWith(t, ctx, env, value+"\n", "secret", "set", name); err != nil {
		t.Fatalf("secret set: %v: %s", err, stderr)
	}
	if out, stderr, err := airlockWith(t, ctx, env, "", "secret", "list"); err != nil || !strings.Contains(out, name) {
		t.Fatalf("secret list = %q, %v: %s", out, err, stderr)
	}

	writeAllowConfig(t, home, map[string]any{
		"leaky": map[string]any{"command": ts, "args": []string{"-name", "leaky", "-getenv"},
			"env": map[string]string{"LEAK": "${keyring:" + name + "}", "LEAK_BEARER": "Bearer ${keyring:" + name + "}"}},
		"unset": map[string]any{"command": ts, "args": []string{"-name", "unset"},
			"env": map[string]string{"X": "${keyring:E2E_NEVER_SET}"}},
	})
	cs, cmd, proxyErr := proxyWith(t, ctx, env)

	// Injected: the variable holds exactly the value (the result shows the
	// placeholder where the value was, nothing around it).
	res := rsCall(t, cs, "leaky__getenv", map[string]any{"name": "LEAK"})
	if got := rsText(res); got != "LEAK="+redact.Placeholder {
		t.Fatalf("getenv LEAK = %q, want LEAK=%s", got, redact.Placeholder)
	}
	var sc struct{ Name, Value string }
	if b, _ := json.Marshal(res.StructuredContent); json.Unmarshal(b, &sc) != nil || sc.Value != redact.Placeholder {
		t.Errorf("structured content = %s", b)
	}
	if got := rsText(rsCall(t, cs, "leaky__getenv", map[string]any{"name": "LEAK_BEARER"})); got != "LEAK_BEARER=Bearer "+redact.Placeholder {
		t.Errorf("getenv LEAK_BEARER = %q (a placeholder inside a longer value)", got)
	}
	res = rsCall(t, cs, "leaky__getenv", map[string]any{"name": "LEAK", "as": "tool_error"})
	if !res.IsError || rsText(res) != "cannot use LEAK="+redact.Placeholder {
		t.Errorf("getenv as tool_error = %+v %q", res, rsText(res))
	}
	if _, err := callErr(t, ctx, cs, "leaky__getenv", map[string]any{"name": "LEAK", "as": "rpc_error"}); err == nil ||
		!strings.Contains(err.Error(), "cannot use LEAK="+redact.Placeholder) || strings.Contains(err.Error(), value) {
		t.Errorf("getenv as rpc_error: %v", err)
	}
	// The model repeats the value in arguments (say, it was in a file).
	if got := rsText(rsCall(t, cs, "leaky__echo", map[string]any{"text": "the token is " + value})); got != "the token is "+redact.Placeholder {
		t.Errorf("echo = %q", got)
	}
	// The server whose secret is missing is down, with a reason naming it;
	// the other runs.
	res, err := callErr(t, ctx, cs, "unset__echo", map[string]any{"text": "x"})
	if err != nil || !res.IsError || !strings.Contains(rsText(res), `secret "E2E_NEVER_SET": secret not set`) {
		t.Errorf("unset__echo = %+v %v %q", res, err, rsText(res))
	}

	// While the proxy runs, the calls sit in the WAL.
	if found := filesHolding(t, home, value); len(found) > 0 {
		t.Errorf("value found while running in %v", found)
	}
	if err := cs.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	waitExit(t, cmd)
	if found := filesHolding(t, home, value); len(found) > 0 {
		t.Errorf("value found after exit in %v", found)
	}
	logText := proxyErr.String()
	if strings.Contains(logText, value) {
		t.Errorf("value in the proxy's stderr:\n%s", logText)
	}
	// The upstream's stderr lines did pass through, hidden.
	if !strings.Contains(logText, "[leaky] raw stderr: LEAK="+redact.Placeholder) {
		t.Errorf("the upstream's stderr line is missing from the proxy's log:\n%s", logText)
	}

	hist, stderr, err := airlockWith(t, ctx, env, "", "history", "--json", "--limit", "1000")
	if err != nil {
		t.Fatalf("history: %v: %s", err, stderr)
	}
	if strings.Contains(hist, value) {
		t.Errorf("value in the history:\n%s", hist)
	}
	if n := strings.Count(hist, `"tool":"getenv"`); n != 4 {
		t.Errorf("history holds %d getenv calls, want 4:\n%s", n, hist)
	}
	if !strings.Contains(hist, "the token is "+redact.Placeholder) {
		t.Errorf("the echo call's arguments are not recorded, redacted:\n%s", hist)
	}
	for _, args := range [][]string{{"history"}, {"tools"}} {
		out, stderr, _ := airlockWith(t, ctx, env, "", args...)
		if strings.Contains(out+stderr, value) {
			t.Errorf("value in `airlock %s`:\n%s%s", strings.Join(args, " "), out, stderr)
		}
	}
}

// waitExit checks the proxy has exited: closing the session closes its
// stdin and waits for the process, so it has flushed and closed the
// database.
func waitExit(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if cmd.ProcessState == nil {
		t.Fatal("the proxy is still running after its session closed")
	}
}

// `airlock install --move-secrets` moves a token from a host config into the
// real keychain: airlock.json refers to it by name, the proxy the host
// config now runs injects it into the moved server, and only the dated
// backup of the host config (the user's original file) still holds it.
func TestInstallMovesSecretIntoKeychain(t *testing.T) {
	ts, ctx, home, env := keychainSetup(t)
	value := "kc-" + strings.ToLower(rand.Text()) + "-install"
	hostDir := t.TempDir()
	hostCfg := filepath.Join(hostDir, "claude_desktop_config.json")
	doc := map[string]any{"mcpServers": map[string]any{
		"leaky": map[string]any{"command": ts, "args": []string{"-name", "leaky", "-getenv"},
			"env": map[string]string{"SERVICE_API_KEY": value}},
	}}
	b, _ := json.Marshal(doc)
	if err := os.WriteFile(hostCfg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", "leaky.SERVICE_API_KEY")
	})

	out, stderr, err := airlockWith(t, ctx, env, "", "install", "--config", hostCfg, "--move-secrets")
	if err != nil || !strings.Contains(out, "leaky's env SERVICE_API_KEY is now ${keyring:leaky.SERVICE_API_KEY}") {
		t.Fatalf("install: %v\n%s%s", err, out, stderr)
	}
	// The moved server needs no approval for this test: allow it by rule.
	var cfg map[string]any
	data, _ := os.ReadFile(filepath.Join(home, "airlock.json"))
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["rules"] = allowAll
	writeConfigFile(t, home, cfg)

	cs, cmd, proxyErr := proxyWith(t, ctx, env)
	if got := rsText(rsCall(t, cs, "leaky__getenv", map[string]any{"name": "SERVICE_API_KEY"})); got != "SERVICE_API_KEY="+redact.Placeholder {
		t.Fatalf("getenv = %q: the moved secret was not injected (or not hidden)", got)
	}
	cs.Close()
	waitExit(t, cmd)
	if strings.Contains(proxyErr.String(), value) {
		t.Error("value in the proxy's stderr")
	}
	if found := filesHolding(t, home, value); len(found) > 0 {
		t.Errorf("value found in the Airlock home: %v", found)
	}
	found := filesHolding(t, hostDir, value)
	if len(found) != 1 || !strings.Contains(filepath.Base(found[0]), ".airlock-install-") {
		t.Errorf("value found in %v; want only the host config's backup", found)
	}
}

// keychainSetup builds the binaries, requires a keychain, and returns the
// testserver, a context for the test, a fresh home and the environment to
// run airlock with.
func keychainSetup(t *testing.T) (ts string, ctx context.Context, home string, env []string) {
	t.Helper()
	buildAirlock(t) // before the deadline starts
	ts = rsTestServer(t)
	requireKeychain(t)
	home = newHome(t)
	return ts, testCtx(t, 60*time.Second), home, busEnv(home)
}

// requireKeychain fails in CI and skips elsewhere when no Secret Service
// answers: a developer without one can still run the rest.
func requireKeychain(t *testing.T) {
	t.Helper()
	err := secrets.Check(context.Background(), secrets.OS{})
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no usable keychain in CI (run through make test-keychain): %v", err)
	}
	t.Skipf("no usable keychain here (make test-keychain provides one): %v", err)
}
