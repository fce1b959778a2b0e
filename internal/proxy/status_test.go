//go:build unix

package proxy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
)

// OnStatus hears every upstream's transitions: a real upstream runs (with
// its pid and tools), restarts after its process is killed, and one whose
// command does not exist fails with the error.
func TestOnStatusReportsTransitions(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := &config.Config{MCPServers: map[string]config.Server{
		"up": {Command: exe, Env: map[string]string{upstreamEnv: "1"}},
		// The error quotes the command; it holds a value Airlock injected as
		// a secret, which must not reach the status (it goes to the database).
		"broken": {Command: filepath.Join(t.TempDir(), "no-such-server-s3cr3t-value")},
	}}
	known := redact.NewKnown()
	known.Add("s3cr3t-value")
	got := make(chan Status, 100)
	p := New(Options{Config: cfg, Store: st, Checkpoint: checkpoint.New(checkpoint.Options{Store: st, Config: cfg}),
		StartTimeout: 20 * time.Second, Known: known, OnStatus: func(s Status) { got <- s }})
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })

	// next waits for server's next report in the given state, skipping
	// others (the two upstreams report concurrently).
	next := func(server string, want State) Status {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case s := <-got:
				if s.Name == server && s.State == want {
					return s
				}
			case <-deadline:
				t.Fatalf("no %s report for %s", want, server)
			}
		}
	}
	running := next("up", StateRunning)
	if running.PID <= 0 || running.Tools == 0 || running.Error != "" {
		t.Fatalf("running report = %+v, want a pid, tools and no error", running)
	}
	failed := next("broken", StateFailed)
	if !strings.Contains(failed.Error, "no-such-server") || failed.PID != 0 {
		t.Fatalf("failed report = %+v, want the start error and no pid", failed)
	}
	if strings.Contains(failed.Error, "s3cr3t-value") {
		t.Fatalf("failed report carries an injected secret: %q", failed.Error)
	}

	if err := syscall.Kill(running.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	restarting := next("up", StateRestarting)
	if restarting.Error == "" || restarting.PID != 0 {
		t.Fatalf("restarting report = %+v, want why it went down and no pid", restarting)
	}
	again := next("up", StateRunning)
	if again.PID == running.PID || again.PID <= 0 {
		t.Fatalf("after the restart pid = %d, want a new process (was %d)", again.PID, running.PID)
	}

	p.Close()
	next("up", StateStopped)
}

// A server that drops a tool (list_changed) is re-listed, and the status
// report says which tools it offers now: the window tells the dropped
// tool's pin by it.
func TestOnStatusReportsTheOfferedTools(t *testing.T) {
	h := newHarness(t, 5*time.Second, policy.Rule{Server: "up", Tool: "drop", Action: policy.Allow, Source: "config"})
	offers := func(s Status, tool string) bool { return slices.Contains(s.Offered, tool) }
	// next waits for a report whose offered tools pass ok.
	next := func(what string, ok func(Status) bool) Status {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case s := <-h.status:
				if s.Name == "up" && ok(s) {
					return s
				}
			case <-deadline:
				t.Fatalf("no status report %s", what)
			}
		}
	}
	first := next("listing the tools", func(s Status) bool { return s.State == StateRunning })
	if !offers(first, "slow") || !offers(first, "write_note") || first.Tools != len(first.Offered) {
		t.Fatalf("running report offers %v (%d tools), want slow and write_note among them", first.Offered, first.Tools)
	}

	cs := h.connect(nil)
	if res, err := h.call(cs, "up__drop", map[string]any{}); err != nil || res.IsError {
		t.Fatalf("drop: %v %+v", err, res)
	}
	after := next("without slow", func(s Status) bool { return s.Offered != nil && !offers(s, "slow") })
	if !offers(after, "write_note") || after.State != StateRunning || after.Tools != first.Tools-1 {
		t.Errorf("after the server dropped slow: %+v", after)
	}
}
