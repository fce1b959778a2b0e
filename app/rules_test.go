package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

func TestRulesServiceEditsWindowRulesAndShowsConfigRules(t *testing.T) {
	home := t.TempDir()
	cfgText := `{"mcpServers": {"db": {"command": "x", "rules": [{"tool": "drop_*", "action": "deny"}]}},
		"rules": [{"server": "*", "tool": "list_*", "action": "read"}]}`
	if err := os.WriteFile(filepath.Join(home, config.FileName), []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewCalls(config.DBPath(home))
	defer c.shutdown()
	r := NewRules(home, c.open)

	// Before any proxy ran: config rules listed, none counted.
	list, err := r.Rules()
	if err != nil || len(list.Rules) != 2 || list.ConfigError != "" {
		t.Fatalf("Rules() = %+v, %v", list, err)
	}
	for _, v := range list.Rules {
		if v.Source != RuleFromConfig || v.ID != 0 || v.Matches != 0 {
			t.Errorf("config rule view %+v", v)
		}
	}

	// Adding creates the database when no proxy has yet.
	added, err := r.AddRule(RuleInput{Server: "fs", Tool: "write_*", Args: []RuleArg{{Key: "path", Pattern: "/tmp/*"}},
		Action: "allow", UpTo: "write", Note: "scratch files"})
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == 0 || added.Source != RuleFromWindow || added.Text != "rule #1: allow up to write fs/write_* {\"path\":\"/tmp/*\"}" {
		t.Errorf("added = %+v", added)
	}
	// Fail closed: every invalid input is an error and nothing is saved.
	for _, bad := range []struct {
		in   RuleInput
		want string
	}{
		{RuleInput{Server: "fs", Tool: "x", Action: "permit"}, `action "permit"`},
		{RuleInput{Server: "fs", Tool: "", Action: "deny"}, `needs "tool"`},
		{RuleInput{Server: "fs", Tool: "x\u202e", Action: "deny"}, "invisible character"},
		{RuleInput{Server: "fs", Tool: "x", Action: "deny", Args: []RuleArg{{Key: "a", Pattern: "1"}, {Key: "a", Pattern: "2"}}}, "appears twice"},
		{RuleInput{Server: "fs", Tool: "x", Action: "deny", Args: []RuleArg{{Key: "", Pattern: "1"}}}, "argument key"},
		{RuleInput{ID: 7, Server: "fs", Tool: "x", Action: "deny"}, "no id"},
	} {
		if _, err := r.AddRule(bad.in); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("AddRule(%+v) = %v, want %q", bad.in, err, bad.want)
		}
	}
	if err := r.UpdateRule(RuleInput{ID: added.ID, Server: "fs", Tool: "write_*", Action: "sometimes"}); err == nil {
		t.Error("an invalid update was accepted")
	}
	if err := r.UpdateRule(RuleInput{ID: 0, Server: "db", Tool: "drop_*", Action: "allow"}); err == nil ||
		!strings.Contains(err.Error(), "edit airlock.json") {
		t.Errorf("updating a config rule: %v", err)
	}
	list, _ = r.Rules()
	if len(list.Rules) != 3 || list.Rules[2].Tool != "write_*" || list.Rules[2].Args[0] != (RuleArg{Key: "path", Pattern: "/tmp/*"}) {
		t.Fatalf("after refused edits: %+v", list.Rules)
	}

	// A proxy records a call the rule decided; the screen counts and lists it.
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	call := store.Call{Server: "fs", Tool: "write_file", Decision: store.DecisionAllow, DecidedBy: "rule",
		RuleID: added.ID, Rule: added.Text, Summary: "Write file /tmp/<b>x</b>"}
	if _, err := st.BeginCall(context.Background(), &call); err != nil {
		t.Fatal(err)
	}
	list, _ = r.Rules()
	if got := list.Rules[2]; got.Matches != 1 || got.MatchedAt == "" {
		t.Errorf("after one decided call: %+v", got)
	}
	calls, err := r.RuleCalls(added.ID, "", 10)
	if err != nil || len(calls) != 1 || calls[0].ID != call.ID || calls[0].Summary != "Write file /tmp/<b>x</b>" {
		t.Errorf("RuleCalls = %+v, %v", calls, err)
	}

	if err := r.UpdateRule(RuleInput{ID: added.ID, Server: "fs", Tool: "write_*", Action: "deny", Note: "no more"}); err != nil {
		t.Fatal(err)
	}
	list, _ = r.Rules()
	if got := list.Rules[2]; got.Action != "deny" || got.Note != "no more" || len(got.Args) != 0 || got.Matches != 1 {
		t.Errorf("after update: %+v", got)
	}
	if err := r.DeleteRule(added.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteRule(added.ID); err == nil {
		t.Error("deleting a deleted rule succeeded")
	}
	if list, _ = r.Rules(); len(list.Rules) != 2 {
		t.Errorf("after delete: %+v", list.Rules)
	}
}

func TestRulesServiceReportsABrokenConfig(t *testing.T) {
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, config.FileName), []byte(`{"rules": [{"server": "*", "tool": "x", "action": "perhaps"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewCalls(config.DBPath(home))
	defer c.shutdown()
	list, err := NewRules(home, c.open).Rules()
	if err != nil || !strings.Contains(list.ConfigError, `action "perhaps"`) || len(list.Rules) != 0 {
		t.Errorf("Rules() = %+v, %v", list, err)
	}
}
