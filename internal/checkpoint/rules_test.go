package checkpoint

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
)

// A call a rule decides names the rule, and the rule's use shows it: by id
// for a rule in the database, by its text for one from airlock.json.
func TestRuleDecisionsAreRecorded(t *testing.T) {
	deny := policy.Rule{Server: "db", Tool: "drop_*", Action: policy.Deny, Source: "config"}
	f := newFixture(t, func(c *config.Config) { c.Rules = []policy.Rule{deny} })
	ctx := context.Background()
	id, err := f.st.AddRule(ctx, policy.Rule{Server: "fs", Tool: "write_*", Action: policy.Allow, UpTo: policy.Write})
	if err != nil {
		t.Fatal(err)
	}
	f.cp.forgetTrust()

	write := tool("fs", "write_file", "Write a file")
	if v := f.cp.Decide(ctx, f.call(write, `{"path":"/tmp/a"}`, "s1")); !v.Allow {
		t.Fatalf("allow rule did not allow: %+v", v)
	}
	row := f.lastRow()
	if row.DecidedBy != ByRule || row.RuleID != id || row.Rule != "rule #1: allow up to write fs/write_*" {
		t.Errorf("allowed row: decided by %q, rule %d %q", row.DecidedBy, row.RuleID, row.Rule)
	}
	rules, _ := f.st.Rules(ctx)
	if rules[0].Use.Matches != 1 || rules[0].Use.MatchedAt.IsZero() {
		t.Errorf("rule use after one call = %+v", rules[0].Use)
	}
	if calls, _ := f.st.RuleCalls(ctx, id, "", 5); len(calls) != 1 || calls[0].ID != row.ID {
		t.Errorf("rule calls = %+v, want call %d", calls, row.ID)
	}

	drop := tool("db", "drop_table", "Drop a table")
	if v := f.cp.Decide(ctx, f.call(drop, `{"table":"users"}`, "s1")); v.Allow {
		t.Fatal("deny rule let a call through")
	}
	row = f.lastRow()
	if row.DecidedBy != ByRule || row.RuleID != 0 || row.Rule != deny.String() {
		t.Errorf("denied row: decided by %q, rule %d %q", row.DecidedBy, row.RuleID, row.Rule)
	}
	use, _ := f.st.ConfigRuleUse(ctx, []string{deny.String()})
	if use[deny.String()].Matches != 1 {
		t.Errorf("config rule use = %+v", use)
	}

	// A call no rule touches names none.
	read := tool("fs", "list_dir", "List a folder")
	f.answer(true, store.ScopeOnce)
	f.cp.Decide(ctx, f.call(read, `{"path":"/tmp"}`, "s1"))
	if row := f.lastRow(); row.RuleID != 0 || row.Rule != "" {
		t.Errorf("a call no rule matched names rule %d %q", row.RuleID, row.Rule)
	}
}

// A proxy that follows airlock.json applies a new approval wait, TTL and
// config rule to its next call without a restart.
func TestLiveConfigReachesTheNextCall(t *testing.T) {
	home := t.TempDir()
	write := func(s string) {
		t.Helper()
		if err := config.WriteFileAtomic(filepath.Join(home, config.FileName), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"mcpServers": {"fs": {"command": "x"}}, "approvalWait": "1ms", "approvalTTL": "1m"}`)
	cfg, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, cfg: cfg}
	f.cp = New(Options{Store: st, Config: cfg, Live: config.NewLive(home, cfg, time.Nanosecond, nil), Poll: 5 * time.Millisecond})
	ctx := context.Background()
	w := tool("fs", "write_file", "Write a file")

	// Nobody answers: a 1 ms wait holds the call for a retry at once.
	v := f.cp.Decide(ctx, f.call(w, `{"n":1}`, "s1"))
	if v.Allow || v.Outcome != store.OutcomeHeld {
		t.Fatalf("with a 1ms wait: %+v", v)
	}
	req, _ := st.GetRequest(ctx, f.lastRow().RequestID)
	if left := time.Until(req.Expires); left > time.Minute {
		t.Errorf("request expires in %v, want the 1m TTL", left)
	}
	if _, err := st.Answer(ctx, req.ID, false, store.ScopeOnce, "test"); err != nil {
		t.Fatal(err) // out of the queue, so the next answer goes to the next call
	}

	// The window saves a long wait and TTL and a deny rule.
	write(`{"mcpServers": {"fs": {"command": "x"}}, "approvalWait": "10m", "approvalTTL": "2h",
		"rules": [{"server": "fs", "tool": "delete_*", "action": "deny"}]}`)
	ans := f.answer(true, store.ScopeOnce)
	v = f.cp.Decide(ctx, f.call(w, `{"n":2}`, "s1"))
	if r := <-ans; !v.Allow {
		t.Fatalf("with a 10m wait the answer to request %d did not reach the call: %+v", r.ID, v)
	}
	req, _ = st.GetRequest(ctx, f.lastRow().RequestID)
	if left := time.Until(req.Expires); left < time.Hour {
		t.Errorf("request expires in %v, want the new 2h TTL", left)
	}
	del := tool("fs", "delete_file", "Delete a file")
	if v := f.cp.Decide(ctx, f.call(del, `{"path":"/tmp/x"}`, "s1")); v.Allow || f.lastRow().DecidedBy != ByRule {
		t.Errorf("the new config rule did not decide: %+v, %+v", v, f.lastRow())
	}

	// A broken file keeps the last good settings.
	write(`{"mcpServers": {"fs": {"command": "x"}}, "approvalWait": "-1s"}`)
	if got := time.Duration(f.cp.settings().ApprovalWait); got != 10*time.Minute {
		t.Errorf("after a broken edit, wait = %v, want 10m kept", got)
	}
}

// Servers run as the proxy started them, but rules follow the file: an
// edit that removes (or renames) a server's entry takes its own deny rules
// with it while its upstream still runs. Its calls are refused until a
// restart rather than run without the rules the person wrote for it.
func TestLiveConfigWithoutARunningServerRefusesItsCalls(t *testing.T) {
	home := t.TempDir()
	write := func(s string) {
		t.Helper()
		if err := config.WriteFileAtomic(filepath.Join(home, config.FileName), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"mcpServers": {"fs": {"command": "x", "rules": [{"tool": "delete_*", "action": "deny"}]},
		"git": {"command": "y"}}, "approvalWait": "3s"}`)
	cfg, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, cfg: cfg}
	f.cp = New(Options{Store: st, Config: cfg, Live: config.NewLive(home, cfg, time.Nanosecond, nil), Poll: 5 * time.Millisecond})
	ctx := context.Background()
	del := tool("fs", "delete_file", "Delete a file")
	if v := f.cp.Decide(ctx, f.call(del, `{"path":"/tmp/x"}`, "s1")); v.Allow || f.lastRow().DecidedBy != ByRule {
		t.Fatalf("the server's deny rule did not decide: %+v", f.lastRow())
	}

	// "fs" renamed to "files": the running "fs" keeps no rules of its own.
	write(`{"mcpServers": {"files": {"command": "x", "rules": [{"tool": "delete_*", "action": "deny"}]},
		"git": {"command": "y"}}, "approvalWait": "3s"}`)
	v := f.cp.Decide(ctx, f.call(del, `{"path":"/tmp/y"}`, "s1"))
	if v.Allow || v.Outcome != store.OutcomeDenied || f.lastRow().RequestID != 0 {
		t.Errorf("a call to a server gone from airlock.json was not refused outright: %+v, row %+v", v, f.lastRow())
	}
	// The other servers go on as before.
	gitLog := tool("git", "git_log", "Show the log")
	f.answer(true, store.ScopeOnce)
	if v := f.cp.Decide(ctx, f.call(gitLog, `{}`, "s1")); !v.Allow {
		t.Errorf("a call to a server still configured: %+v", v)
	}
}
