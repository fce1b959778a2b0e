package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/policy"
)

func TestUpdateRule(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	id, err := s.AddRule(ctx, policy.Rule{Server: "fs", Tool: "read_*", Action: policy.Allow, Note: "reads"})
	if err != nil {
		t.Fatal(err)
	}
	v0, _ := s.TrustVersion(ctx)
	upd := policy.Rule{ID: id, Server: "fs", Tool: "write_*", Args: map[string]string{"path": "/tmp/*"}, Action: policy.Deny, Note: "edited"}
	if err := s.UpdateRule(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if v1, _ := s.TrustVersion(ctx); v1 == v0 {
		t.Error("an edit did not bump the trust version: proxies would keep the old rule")
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Tool != "write_*" || rules[0].Action != policy.Deny || rules[0].Args["path"] != "/tmp/*" ||
		rules[0].Note != "edited" || rules[0].Source != "user" || rules[0].CreatedAt.IsZero() {
		t.Errorf("after update: %+v", rules)
	}

	// Fail closed: an invalid rule or a missing id changes nothing.
	for _, bad := range []struct {
		r    policy.Rule
		want string
	}{
		{policy.Rule{ID: id, Server: "fs", Tool: "x", Action: "maybe"}, `action "maybe"`},
		{policy.Rule{ID: id, Server: "", Tool: "x", Action: policy.Allow}, `needs "server"`},
		{policy.Rule{ID: id, Server: "fs", Tool: "", Action: policy.Allow}, `needs "tool"`},
		{policy.Rule{ID: id, Server: "fs", Tool: "x", Action: policy.Deny, UpTo: policy.Write}, "allow rules only"},
		{policy.Rule{ID: id + 100, Server: "fs", Tool: "x", Action: policy.Allow}, "no rule"},
	} {
		if err := s.UpdateRule(ctx, bad.r); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("UpdateRule(%+v) = %v, want %q", bad.r, err, bad.want)
		}
	}
	if after, _ := s.Rules(ctx); after[0].Tool != "write_*" || after[0].Action != policy.Deny {
		t.Errorf("a refused update changed the rule: %+v", after[0])
	}
}

func TestRuleMatchesAreCounted(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	id, err := s.AddRule(ctx, policy.Rule{Server: "fs", Tool: "read_*", Action: policy.Allow})
	if err != nil {
		t.Fatal(err)
	}
	v0, _ := s.TrustVersion(ctx)
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	record := func(c Call) int64 {
		t.Helper()
		if _, err := s.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	first := record(Call{Time: base, Server: "fs", Tool: "read_file", Decision: DecisionAllow, DecidedBy: "rule", RuleID: id, Rule: "rule #1: allow fs/read_*"})
	record(Call{Time: base.Add(time.Minute), Server: "fs", Tool: "write_file", Decision: DecisionPending})
	last := record(Call{Time: base.Add(2 * time.Minute), Server: "fs", Tool: "read_dir", Decision: DecisionAllow, DecidedBy: "rule", RuleID: id, Rule: "rule #1: allow fs/read_*"})
	record(Call{Time: base.Add(3 * time.Minute), Server: "db", Tool: "drop", Decision: DecisionDeny, DecidedBy: "rule", Rule: "deny db/drop"})
	record(Call{Time: base.Add(4 * time.Minute), Server: "db", Tool: "drop", Decision: DecisionDeny, DecidedBy: "rule", Rule: "deny db/drop"})

	rules, err := s.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rules[0].Use.Matches != 2 || !rules[0].Use.MatchedAt.Equal(base.Add(2*time.Minute)) {
		t.Errorf("use = %+v, want 2 matches, last at +2m", rules[0].Use)
	}
	if v1, _ := s.TrustVersion(ctx); v1 != v0 {
		t.Error("counting a match bumped the trust version: every proxy would reload after every rule-decided call")
	}
	got, err := s.RuleCalls(ctx, id, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != last || got[1].ID != first || got[0].RuleID != id || got[0].Rule != "rule #1: allow fs/read_*" {
		t.Errorf("rule calls = %+v, want [%d %d]", got, last, first)
	}

	// A rule from airlock.json has no id: its calls are found by its text.
	use, err := s.ConfigRuleUse(ctx, []string{"deny db/drop", "allow never/used"})
	if err != nil {
		t.Fatal(err)
	}
	if u := use["deny db/drop"]; u.Matches != 2 || !u.MatchedAt.Equal(base.Add(4*time.Minute)) {
		t.Errorf("config rule use = %+v", u)
	}
	if u := use["allow never/used"]; u.Matches != 0 || !u.MatchedAt.IsZero() {
		t.Errorf("unused config rule = %+v", u)
	}
	cfgCalls, err := s.RuleCalls(ctx, 0, "deny db/drop", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgCalls) != 1 || cfgCalls[0].Tool != "drop" || !cfgCalls[0].Time.Equal(base.Add(4*time.Minute)) {
		t.Errorf("config rule calls = %+v", cfgCalls)
	}
}

// A new rule must not inherit a deleted rule's calls, which SQLite's own
// rowid choice would do after the highest rule is deleted.
func TestDeletedRuleIDIsNotReused(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	id, err := s.AddRule(ctx, policy.Rule{Server: "fs", Tool: "read_*", Action: policy.Allow})
	if err != nil {
		t.Fatal(err)
	}
	c := Call{Server: "fs", Tool: "read_file", Decision: DecisionAllow, DecidedBy: "rule", RuleID: id}
	if _, err := s.BeginCall(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRule(ctx, id); err != nil {
		t.Fatal(err)
	}
	next, err := s.AddRule(ctx, policy.Rule{Server: "fs", Tool: "*", Action: policy.Deny})
	if err != nil {
		t.Fatal(err)
	}
	if next == id {
		t.Fatalf("new rule reused id %d", id)
	}
	if calls, _ := s.RuleCalls(ctx, next, "", 10); len(calls) != 0 {
		t.Errorf("new rule lists the deleted rule's calls: %+v", calls)
	}
	// An "always deny" answer makes a rule through another path.
	call, req := newAsk(KindCall, "write", `{"a":1}`)
	if err := s.Ask(ctx, call, req); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, req.ID, false, ScopeAlways, "person"); err != nil {
		t.Fatal(err)
	}
	rules, _ := s.Rules(ctx)
	if len(rules) != 2 || rules[1].ID <= next {
		t.Errorf("rules after an always-deny answer: %+v", rules)
	}
}

// An upstream picks its tool names: one named "*" must not turn a person's
// "always" answer into a rule for every tool of the server.
func TestAlwaysRefusedForGlobToolNames(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for _, tool := range []string{"*", "read_?", "x*y"} {
		for _, allow := range []bool{true, false} {
			c, r := newAsk(KindCall, "write", `{"t":"`+tool+`"}`)
			c.Tool, r.Tool = tool, tool
			if err := s.Ask(ctx, c, r); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Answer(ctx, r.ID, allow, ScopeAlways, "person"); err == nil || !strings.Contains(err.Error(), "glob character") {
				t.Errorf("always (allow=%v) for tool %q: %v", allow, tool, err)
			}
			if _, err := s.Answer(ctx, r.ID, allow, ScopeOnce, "person"); err != nil {
				t.Errorf("once for tool %q: %v", tool, err)
			}
		}
	}
	if rules, _ := s.Rules(ctx); len(rules) != 0 {
		t.Errorf("rules made: %+v", rules)
	}
}

// A read consent for "this tool" is stored under the tool's name, and the
// name "*" means every read tool of the server: an upstream naming a tool
// "*" must not turn the person's "this tool" into "the whole server".
func TestToolConsentRefusedForToolNamedStar(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c, r := newAsk(KindConsent, "read", `{}`)
	c.Tool, r.Tool = "*", "*"
	if err := s.Ask(ctx, c, r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, r.ID, true, ScopeTool, "person"); err == nil {
		t.Error(`a "this tool" consent for a tool named "*" was accepted`)
	}
	trust, err := s.LoadTrust(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if trust.HasConsent("fs", "read_secrets", "other-def") {
		t.Errorf("consent for the tool named \"*\" covers every read tool of the server: %+v", trust.Consents)
	}
	if _, err := s.Answer(ctx, r.ID, true, ScopeOnce, "person"); err != nil {
		t.Errorf("once for the tool named \"*\": %v", err)
	}
}
