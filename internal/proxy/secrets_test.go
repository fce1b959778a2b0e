package proxy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
	"github.com/airlock-dev/airlock/internal/store"
)

// An upstream whose env refers to the keychain starts with the value, and
// the value is then hidden from results, the audit row (arguments, summary)
// and the log; an upstream whose secret is missing stays down with an error
// naming it while the other runs. The keychain is in memory; the upstream
// and the database are real.
func TestInjectedSecretsAreHidden(t *testing.T) {
	ctx := context.Background()
	const value = "plain-lowercase-secret-value"
	kc := &secrets.Memory{}
	dir := t.TempDir()
	sec := secrets.New(dir, kc)
	if err := sec.Set(ctx, "TOKEN", value); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "airlock.db")
	st, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	limits := &policy.Limits{CallsPerMinute: 100000, Burst: 1000}
	cfg := &config.Config{
		MCPServers: map[string]config.Server{
			"up":   {Command: exe, Env: map[string]string{upstreamEnv: "1", "API": "Bearer ${keyring:TOKEN}"}, RateLimit: limits},
			"down": {Command: exe, Env: map[string]string{upstreamEnv: "1", "API": "${keyring:MISSING}"}, RateLimit: limits},
		},
		Rules:        []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}},
		ApprovalWait: policy.Duration(5 * time.Second),
		ApprovalTTL:  policy.Duration(time.Minute),
	}
	known := redact.NewKnown()
	var logs bytes.Buffer
	cp := checkpoint.New(checkpoint.Options{Store: st, Config: cfg, Poll: 5 * time.Millisecond, Known: known})
	p := New(Options{Config: cfg, Store: st, Checkpoint: cp, StartTimeout: 20 * time.Second, Stderr: &logs,
		ResolveEnv: sec.Resolve, Known: known})
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	h := &harness{t: t, st: st, proxy: p}
	cs := h.connect(nil)

	res, err := h.call(cs, "up__write_note", map[string]any{"text": "the token is " + value})
	if err != nil {
		t.Fatal(err)
	}
	if got := resultText(res); strings.Contains(got, value) || !strings.Contains(got, "the token is "+redact.Placeholder) {
		t.Errorf("result = %q", got)
	}
	for _, s := range p.Statuses() {
		if s.Name == "down" && (s.State == StateRunning || !strings.Contains(s.Error, `secret "MISSING": secret not set`)) {
			t.Errorf("down: %+v", s)
		}
		if s.Name == "up" && s.State != StateRunning {
			t.Errorf("up: %+v", s)
		}
	}
	p.Close()
	calls, err := st.Calls(ctx, store.Filter{})
	if err != nil || len(calls) != 1 {
		t.Fatalf("calls = %v, %v", calls, err)
	}
	if c := calls[0]; strings.Contains(c.Arguments+c.Summary+strings.Join(c.Reasons, " "), value) ||
		!strings.Contains(c.Arguments, redact.Placeholder) {
		t.Errorf("audit row holds the value: %+v", c)
	}
	st.Close()
	for _, f := range []string{dbPath, dbPath + "-wal"} {
		if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(value)) {
			t.Errorf("%s holds the value", filepath.Base(f))
		}
	}
	if strings.Contains(logs.String(), value) {
		t.Errorf("log holds the value:\n%s", logs.String())
	}
}
