package proxy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
	"github.com/airlock-dev/airlock/internal/store"
)

// countingKeychain counts the reads of one name, to tell a restart that
// asked the keychain again from one that reused what the first start got.
type countingKeychain struct {
	secrets.Memory
	name string
	gets atomic.Int32
}

func (c *countingKeychain) Get(ctx context.Context, name string) (string, error) {
	if name == c.name {
		c.gets.Add(1)
	}
	return c.Memory.Get(ctx, name)
}

// An upstream whose args refer to the keychain (inside a longer arg, as a
// database URL's password) starts with the value in its command line; the
// value is hidden from what the host gets when the upstream echoes its
// argv, from the audit row and from its stderr in the log. A missing
// secret in args stops only that upstream, naming the arg and the secret.
// A restart after a crash reuses the value instead of asking the keychain
// again.
func TestArgsSecretsInjectedAndHidden(t *testing.T) {
	ctx := context.Background()
	const password = "pw-lowercase-plain-01"
	kc := &countingKeychain{name: "DB_PASS"}
	dir := t.TempDir()
	sec := secrets.New(dir, kc)
	if err := sec.Set(ctx, "DB_PASS", password); err != nil {
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
	env := map[string]string{upstreamEnv: "1"}
	cfg := &config.Config{
		MCPServers: map[string]config.Server{
			"up":   {Command: exe, Args: []string{"postgresql://app:${keyring:DB_PASS}@db.example/prod"}, Env: env},
			"down": {Command: exe, Args: []string{"--token", "${keyring:MISSING}"}, Env: env},
		},
		Rules:        []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}},
		ApprovalWait: policy.Duration(5 * time.Second),
		ApprovalTTL:  policy.Duration(time.Minute),
	}
	known := redact.NewKnown()
	var logs bytes.Buffer
	cp := checkpoint.New(checkpoint.Options{Store: st, Config: cfg, Poll: 5 * time.Millisecond, Known: known})
	p := New(Options{Config: cfg, Store: st, Checkpoint: cp, StartTimeout: 20 * time.Second, Stderr: &logs,
		ResolveEnv: sec.Resolve, ResolveArgs: sec.ResolveArgs, Known: known})
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	h := &harness{t: t, st: st, proxy: p}
	cs := h.connect(nil)

	argv := func() string {
		t.Helper()
		res, err := h.call(cs, "up__argv", map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		return resultText(res)
	}
	want := "postgresql://app:" + redact.Placeholder + "@db.example/prod"
	if got := argv(); strings.Contains(got, password) || !strings.HasSuffix(got, want) {
		t.Errorf("argv as the host sees it = %q, want it to end in %q", got, want)
	}
	// The upstream got the value: it is hidden, so it was there to hide.
	if _, err := h.call(cs, "up__write_note", map[string]any{"text": "password " + password}); err != nil {
		t.Fatal(err)
	}
	var running Status
	for _, s := range p.Statuses() {
		switch {
		case s.Name == "up":
			running = s
		case s.State == StateRunning || !strings.Contains(s.Error, `args[1]: secret "MISSING": secret not set`):
			t.Errorf("down: %+v", s)
		}
	}
	if running.State != StateRunning || running.PID <= 0 {
		t.Fatalf("up: %+v", running)
	}

	// A crash: the restart must not read the keychain again.
	before := kc.gets.Load()
	proc, err := os.FindProcess(running.PID)
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.Kill(); err != nil { // SIGKILL; TerminateProcess on Windows
		t.Fatal(err)
	}
	restarted := false
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && !restarted; time.Sleep(20 * time.Millisecond) {
		for _, s := range p.Statuses() {
			restarted = restarted || (s.Name == "up" && s.State == StateRunning && s.PID != running.PID && s.PID > 0)
		}
	}
	if !restarted {
		t.Fatal("up did not restart")
	}
	if got := argv(); !strings.HasSuffix(got, want) {
		t.Errorf("argv after the restart = %q", got)
	}
	if before != 1 || kc.gets.Load() != before {
		t.Errorf("the keychain was read %d times before the restart and %d after, want 1 and 1", before, kc.gets.Load())
	}
	p.Close()

	calls, err := st.Calls(ctx, store.Filter{})
	if err != nil || len(calls) != 3 {
		t.Fatalf("calls = %v, %v", calls, err)
	}
	for _, c := range calls {
		if strings.Contains(c.Arguments+c.Summary+c.Error, password) {
			t.Errorf("audit row holds the value: %+v", c)
		}
	}
	st.Close()
	for _, f := range []string{dbPath, dbPath + "-wal"} {
		if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(password)) {
			t.Errorf("%s holds the value", filepath.Base(f))
		}
	}
	log := logs.String()
	if strings.Contains(log, password) || !strings.Contains(log, "postgresql://app:"+redact.Placeholder+"@db.example/prod") {
		t.Errorf("the log holds the value, or not the upstream's argv:\n%s", log)
	}
}
