package e2e

// Browser tests of the management screens (Servers & tools, Rules,
// Settings) against the real backend; see browser_test.go.

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/config"
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
	// Without timers the screen's 10 s refresh never runs: the card must
	// change because of the Resume click and the backend's change event.
	p.step("freezeClock", nil, nil)
	var s serverView
	p.step("server", map[string]any{"name": "ts", "state": "running"}, &s)
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

// A rule added on the Rules tab decides the next real call without asking
// anyone, and its row then shows the match and the call.
func TestBrowserRuleDecidesCall(t *testing.T) {
	sc := newMemScene(t, "rules")
	home, p, ctx, cs := sc.home, sc.p, sc.ctx, sc.cs

	var added struct {
		OK   bool   `json:"ok"`
		Note string `json:"note"`
	}
	p.step("addRule", map[string]any{"server": "mem", "tool": "create_*", "action": "allow", "upTo": "write", "note": "e2e: from the window"}, &added)
	p.shot("added")
	if !added.OK || !strings.HasPrefix(added.Note, "Added") {
		t.Fatalf("adding the rule showed %+v", added)
	}
	res := untilDecidedWithoutPerson(t, ctx, cs, home, "mem__create_entities", entities("Iota"))
	wantOK(t, res, "Iota")
	row := lastRow(t, home, "mem", "create_entities")
	wantDecision(t, row, "allow", "rule", "ok")

	var r struct {
		Text    string     `json:"text"`
		Matches string     `json:"matches"`
		Calls   [][]string `json:"calls"`
	}
	p.step("rule", map[string]any{"label": "Rule 1", "matches": "1 match,"}, &r)
	p.shot("matched")
	if !strings.Contains(r.Text, "mem/create_*") || !strings.HasPrefix(r.Matches, "1 match,") {
		t.Fatalf("rule row after the call: %+v", r)
	}
	if len(r.Calls) != 1 || !strings.Contains(r.Calls[0][1], "Iota") || r.Calls[0][2] != "allow" || r.Calls[0][3] != "rule" {
		t.Fatalf("the rule's recent calls: %q, want the Iota call allowed by rule", r.Calls)
	}
	noPending(t, home)
}

// untilDecidedWithoutPerson makes the call until nobody is asked for it: a
// proxy may read trust (rules, pauses) a moment old, so a call made right
// after a change in the window can still wait; such a request is denied
// from the CLI and the call made again. Returns the first result no person
// decided.
func untilDecidedWithoutPerson(t *testing.T, ctx context.Context, cs *mcp.ClientSession, home, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	tool := name[strings.Index(name, "__")+2:]
	deadline := time.Now().Add(cpWait)
	for {
		ch := callAsync(ctx, cs, name, args)
		for {
			select {
			case r := <-ch:
				if r.err != nil {
					t.Fatalf("call %s: %v", name, r.err)
				}
				return r.res
			case <-time.After(50 * time.Millisecond):
			}
			if reqs := pending(t, home); len(reqs) > 0 && reqs[0].Tool == tool {
				airlockOK(t, home, "deny", fmt.Sprint(reqs[0].ID))
				<-ch
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still asked a person after %s", name, cpWait)
		}
	}
}

// Saving the approval wait and TTL on the Settings tab rewrites airlock.json
// (its servers kept); a wait the form refuses is never saved.
func TestBrowserSettingsSaveApprovalWait(t *testing.T) {
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "30s", "approvalTTL": "15m"})
	url, _ := startUI(t, home)
	p := openPage(t, url, "settings")

	type saved struct {
		OK       bool   `json:"ok"`
		Disabled bool   `json:"disabled"`
		Note     string `json:"note"`
	}
	var s saved
	p.step("saveSettings", map[string]any{"wait": 0}, &s)
	if s.OK || !s.Disabled {
		t.Fatalf("a wait of 0 s could be saved: %+v", s)
	}
	p.shot("refused")
	p.step("saveSettings", map[string]any{"wait": 7, "ttlMinutes": 10}, &s)
	p.shot("saved")
	if !s.OK || !strings.HasPrefix(s.Note, "Saved.") {
		t.Fatalf("saving the settings showed %+v", s)
	}
	cfg, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(cfg.ApprovalWait) != 7*time.Second || time.Duration(cfg.ApprovalTTL) != 10*time.Minute {
		t.Fatalf("airlock.json after saving: approvalWait %s, approvalTTL %s; want 7s and 10m",
			time.Duration(cfg.ApprovalWait), time.Duration(cfg.ApprovalTTL))
	}
	if _, ok := cfg.MCPServers["mem"]; !ok {
		t.Fatalf("saving settings lost the servers: %+v", cfg.MCPServers)
	}

	// A fresh page reads the saved values back from the file.
	p2 := openPage(t, url, "settings-reopened")
	var f struct {
		Wait       string `json:"wait"`
		TTLMinutes string `json:"ttlMinutes"`
	}
	p2.step("settings", nil, &f)
	if f.Wait != "7" || f.TTLMinutes != "10" {
		t.Fatalf("reopened Settings shows wait %q, TTL %q minutes; want 7 and 10", f.Wait, f.TTLMinutes)
	}
}
