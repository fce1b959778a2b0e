package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// `airlock tools` prints why a server is down. A start error quotes the
// command; when that holds a value Airlock injected, the line must not
// (the proxy hides it from the status it stores the same way).
func TestToolsHidesInjectedValuesInStartErrors(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	value := "s3cr3t-tools-value"
	cfg, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{
		"gone": map[string]any{"command": filepath.Join(t.TempDir(), "no-such-server-"+value),
			"env": map[string]string{"TOKEN": "${keyring:GH}"}},
	}})
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	kc := &secrets.Memory{}
	if err := kc.Set(context.Background(), "GH", value); err != nil {
		t.Fatal(err)
	}
	old := openKeychain
	openKeychain = func() secrets.Keychain { return kc }
	defer func() { openKeychain = old }()

	var out, errb bytes.Buffer
	Main([]string{"tools"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	if !strings.Contains(errb.String(), "server gone is") {
		t.Fatalf("no line about the server that did not start: stdout %q stderr %q", out.String(), errb.String())
	}
	if strings.Contains(out.String()+errb.String(), value) {
		t.Errorf("airlock tools printed the injected value: %q", errb.String())
	}
	if !strings.Contains(errb.String(), redact.Placeholder) {
		t.Errorf("the start error lost its place for the value: %q", errb.String())
	}
}
