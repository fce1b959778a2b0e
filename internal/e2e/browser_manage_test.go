package e2e

// Browser tests of the management screens (Servers & tools, Rules,
// Settings) against the real backend; see browser_test.go.

import (
	"testing"
	"time"
)

// A burst of destructive calls pauses a server; Resume on its card lifts
// the pause and the running proxy forwards its calls again.
func TestBrowserServersResume(t *testing.T) {
	srv := cpTestServer(t, "-liar")
	srv["rateLimit"] = map[string]any{"callsPerMinute": 1000, "burst": 1000, "destructiveBurst": 2, "destructiveWindow": "1m"}
	settings := map[string]any{"approvalWait": "30s", "rules": []map[string]any{{"server": "ts", "tool": "*", "action": "allow"}}}
	home := cpHome(t, map[string]any{"ts": srv}, settings)
	ctx := testCtx(t, 2*time.Minute)
	cs := startProxy(t, ctx, home, nil)
	slow := map[string]any{"steps": 1, "interval_ms": 1}

	wantOK(t, call(t, ctx, cs, "ts__delete_record", map[string]any{"id": "r1"}), "deleted r1")
	wantError(t, call(t, ctx, cs, "ts__delete_record", map[string]any{"id": "r2"}), "paused")
	wantError(t, call(t, ctx, cs, "ts__slow", slow), "paused")
	wantDecision(t, lastRow(t, home, "ts", "slow"), "deny", "paused", "denied")

	url, _ := startUI(t, home)
	p := openPage(t, url, "servers")
	var s serverView
	p.step("server", map[string]any{"name": "ts"}, &s)
	p.shot("paused")
	if !s.Paused || s.State != "running" {
		t.Fatalf("ts card shows state %q, paused %v; want running and paused: %s", s.State, s.Paused, s.Text)
	}
	p.step("resume", map[string]any{"name": "ts"}, nil)
	p.shot("resumed")

	// The running proxy sees the resume within its trust cache's lifetime.
	deadline := time.Now().Add(cpWait)
	for call(t, ctx, cs, "ts__slow", slow).IsError {
		if time.Now().After(deadline) {
			t.Fatal("ts still paused after Resume in the window")
		}
		time.Sleep(20 * time.Millisecond)
	}
	wantDecision(t, lastRow(t, home, "ts", "slow"), "allow", "rule", "ok")
	p.step("server", map[string]any{"name": "ts"}, &s)
	if s.Paused {
		t.Fatalf("ts card still paused after Resume: %s", s.Text)
	}
}
