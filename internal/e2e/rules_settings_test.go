package e2e

// The Rules and Settings screens against the real binary and a real proxy:
// a rule made through the window's service decides a real call and shows
// it; a setting saved through the window reaches a proxy already running;
// history exported from the CLI survives a prune.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/app"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

func TestRulesDecideRealCallsAndShowTheirMatches(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{
		"approvalWait": "20s",
		"rules":        []map[string]any{{"server": "ts", "tool": "fail", "action": "deny", "note": "from the file"}},
	})
	backend := app.NewBackend(home)
	t.Cleanup(backend.Shutdown)

	// Made in the window before any proxy ran (the database does not exist yet).
	added, err := backend.Rules.AddRule(app.RuleInput{Server: "ts", Tool: "echo", Action: "allow", UpTo: "write",
		Args: []app.RuleArg{{Key: "text", Pattern: "hello *"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Refused input leaves nothing behind.
	if _, err := backend.Rules.AddRule(app.RuleInput{Server: "ts", Tool: "echo", Action: "alow"}); err == nil {
		t.Fatal("an invalid rule was accepted")
	}

	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)

	// The rule runs the call without asking anyone.
	wantOK(t, call(t, ctx, cs, "ts__echo", map[string]any{"text": "hello rules"}), "hello rules")
	wantDecision(t, lastRow(t, home, "ts", "echo"), "allow", "rule", "ok")
	noPending(t, home)
	// The config's deny rule refuses its tool before it reaches the server.
	wantError(t, call(t, ctx, cs, "ts__fail", map[string]any{"message": "must not run"}), "denied")
	wantDecision(t, lastRow(t, home, "ts", "fail"), "deny", "rule", "denied")

	list, err := backend.Rules.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rules) != 2 || list.ConfigError != "" {
		t.Fatalf("rules = %+v", list)
	}
	cfgRule, winRule := list.Rules[0], list.Rules[1]
	if cfgRule.Source != app.RuleFromConfig || cfgRule.Matches != 1 || cfgRule.MatchedAt == "" {
		t.Errorf("config rule after one denied call: %+v", cfgRule)
	}
	if winRule.ID != added.ID || winRule.Matches != 1 || winRule.MatchedAt == "" {
		t.Errorf("window rule after one allowed call: %+v", winRule)
	}
	recent, err := backend.Rules.RuleCalls(added.ID, "", 10)
	if err != nil || len(recent) != 1 || recent[0].Tool != "echo" || recent[0].DecidedBy != "rule" ||
		recent[0].Rule != winRule.Text || !strings.Contains(recent[0].Arguments, "hello rules") {
		t.Errorf("recent calls of the window rule = %+v, %v", recent, err)
	}
	if recent, _ := backend.Rules.RuleCalls(0, cfgRule.Text, 10); len(recent) != 1 || recent[0].Tool != "fail" {
		t.Errorf("recent calls of the config rule = %+v", recent)
	}

	// Edited in the window, the rule no longer covers the next call: the
	// running proxy sees the change and asks a person.
	if err := backend.Rules.UpdateRule(app.RuleInput{ID: added.ID, Server: "ts", Tool: "echo", Action: "allow", UpTo: "write",
		Args: []app.RuleArg{{Key: "text", Pattern: "only this"}}}); err != nil {
		t.Fatal(err)
	}
	// A proxy re-reads its trust state at most every 100 ms
	// (checkpoint.trustFresh): give it that long to see the edit.
	time.Sleep(300 * time.Millisecond)
	ch := callAsync(ctx, cs, "ts__echo", map[string]any{"text": "hello again"})
	req := waitRequest(t, home, "echo")
	airlockOK(t, home, "deny", fmt.Sprint(req.ID))
	wantError(t, done(t, ch), "denied")
	if list, _ := backend.Rules.Rules(); list.Rules[1].Matches != 1 {
		t.Errorf("a call the edited rule did not match was counted: %+v", list.Rules[1])
	}
	checkWriteAhead(t, home)
}

func TestSettingsReachARunningProxy(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "1s", "approvalTTL": "1m"})
	backend := app.NewBackend(home)
	t.Cleanup(backend.Shutdown)
	ctx := testCtx(t, 2*time.Minute)
	cs := startProxy(t, ctx, home, nil)
	slow := func(marker string) map[string]any {
		return map[string]any{"steps": 1, "interval_ms": 1, "marker": filepath.Join(t.TempDir(), marker)}
	}

	// A 1 s wait: nobody answers, so the model is told to retry.
	wantError(t, call(t, ctx, cs, "ts__slow", slow("a")), "Waiting for approval in Airlock")
	airlockOK(t, home, "deny", fmt.Sprint(waitRequest(t, home, "slow").ID))

	// The window saves a 60 s wait; the proxy keeps running.
	set, err := backend.Settings.Settings()
	if err != nil {
		t.Fatal(err)
	}
	set.ApprovalWaitSeconds, set.ApprovalTTLSeconds = 60, 600
	if _, err := backend.Settings.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	// A refused value changes nothing (the TTL may not be shorter than the wait).
	bad := set
	bad.ApprovalTTLSeconds = 30
	if _, err := backend.Settings.SaveSettings(bad); err == nil || !strings.Contains(err.Error(), "shorter than approvalWait") {
		t.Fatalf("a TTL below the wait: %v", err)
	}
	// The proxy looks at the file at most once per config.LiveCheck.
	time.Sleep(config.LiveCheck + 200*time.Millisecond)

	// The next call is still waiting well past the old 1 s, and the
	// answer given then reaches it.
	ch := callAsync(ctx, cs, "ts__slow", slow("b"))
	req := waitRequest(t, home, "slow")
	time.Sleep(2 * time.Second)
	approve(t, home, req.ID, "once")
	if res := done(t, ch); res.IsError {
		t.Fatalf("with the new 60 s wait the call should have waited for the answer: %q", text(res))
	}
	wantDecision(t, lastRow(t, home, "ts", "slow"), "allow", "person", "ok")
	// Created and Expires come from two clock reads: compare in minutes.
	if r := pendingRequest(t, home, req.ID); r.Expires.Sub(r.Created).Round(time.Minute) != 10*time.Minute {
		t.Errorf("request TTL = %v, want the new 10m", r.Expires.Sub(r.Created))
	}
}

// pendingRequest reads a request from the database directly.
func pendingRequest(t *testing.T, home string, id int64) store.Request {
	t.Helper()
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := st.GetRequest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestExportThenPruneFromTheCLI(t *testing.T) {
	home := cpHome(t, map[string]any{}, map[string]any{"retention": 30})
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []store.Call{
		{Time: time.Now().Add(-45 * 24 * time.Hour), Server: "fs", Tool: "write_file", Arguments: `{"path":"/old/report.txt"}`},
		{Time: time.Now().Add(-time.Hour), Server: "fs", Tool: "write_file", Arguments: `{"path":"/new/report.txt"}`},
	} {
		if _, err := st.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishCall(ctx, c.ID, store.OutcomeOK, "", time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	if out := airlockOK(t, home, "prune", "--dry-run"); !strings.Contains(out, "would delete 1 calls") {
		t.Fatalf("dry run: %q", out)
	}
	saved := filepath.Join(t.TempDir(), "before-prune.json")
	airlockOK(t, home, "history", "--until", "720h", "--export", "json", "--out", saved)
	if out := airlockOK(t, home, "prune"); !strings.Contains(out, "deleted 1 calls") || !strings.Contains(out, "retention 30 days") {
		t.Fatalf("prune: %q", out)
	}
	rows := history(t, home)
	if len(rows) != 1 || !strings.Contains(string(rows[0].Arguments), "/new/") {
		t.Errorf("history after prune = %+v", rows)
	}
	data, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	var exported []map[string]any
	if err := json.Unmarshal(data, &exported); err != nil || len(exported) != 1 ||
		!strings.Contains(exported[0]["arguments"].(string), "/old/report.txt") {
		t.Errorf("export = %s (%v)", data, err)
	}
}
