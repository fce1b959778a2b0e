package proxy

import (
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

// An injected value is hidden whole before the shape rules run: a
// DATABASE_URL from the keychain echoed in arguments once kept its user,
// host and database, because the rule for passwords in URLs hid only its
// password and the exact match then found nothing.
func TestInjectedValueHiddenWholeInArguments(t *testing.T) {
	ctx := context.Background()
	const value = "postgres://admin:S3cretPassw0rd@db.internal.example/prod"
	dir := t.TempDir()
	sec := secrets.New(dir, &secrets.Memory{})
	if err := sec.Set(ctx, "DB", value); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := &config.Config{
		MCPServers:   map[string]config.Server{"up": {Command: exe, Env: map[string]string{upstreamEnv: "1", "DATABASE_URL": "${keyring:DB}"}}},
		Rules:        []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}},
		ApprovalWait: policy.Duration(5 * time.Second),
		ApprovalTTL:  policy.Duration(time.Minute),
	}
	known := redact.NewKnown()
	cp := checkpoint.New(checkpoint.Options{Store: st, Config: cfg, Poll: 5 * time.Millisecond, Known: known})
	p := New(Options{Config: cfg, Store: st, Checkpoint: cp, StartTimeout: 20 * time.Second, ResolveEnv: sec.Resolve, Known: known})
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	h := &harness{t: t, st: st, proxy: p}
	cs := h.connect(nil)
	if _, err := h.call(cs, "up__write_note", map[string]any{"text": "connect to " + value + " now"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.call(cs, "up__no_such_tool", map[string]any{"text": value}); err == nil {
		t.Fatal("an unknown tool was called")
	}
	p.Close()
	calls, err := st.Calls(ctx, store.Filter{})
	if err != nil || len(calls) != 2 {
		t.Fatalf("calls = %v, %v", calls, err)
	}
	for _, c := range calls {
		if strings.Contains(c.Arguments+c.Summary+c.Error, "db.internal.example") || !strings.Contains(c.Arguments, redact.Placeholder) {
			t.Errorf("audit row %s holds part of the value: %q %q %q", c.Tool, c.Arguments, c.Summary, c.Error)
		}
	}
}
