package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
)

// Where a rule lives, as the Rules screen labels it.
const (
	RuleFromWindow = "user"   // the rules table: made in the window, the CLI or by an "always" answer
	RuleFromConfig = "config" // airlock.json: shown, changed by editing the file
)

// RuleArg is one argument pattern of a rule. A list, not a map, so the
// screen keeps the order the person typed.
type RuleArg struct {
	Key     string `json:"key"`     // dotted for nested values
	Pattern string `json:"pattern"` // glob on the value as text
}

// RuleInput is a rule as the Rules screen's form sends it. ID 0 adds.
type RuleInput struct {
	ID     int64     `json:"id"`
	Server string    `json:"server"`
	Tool   string    `json:"tool"`
	Args   []RuleArg `json:"args"`
	Action string    `json:"action"`
	UpTo   string    `json:"upTo"`
	Note   string    `json:"note"`
}

// RuleView is one rule with what it matched. Config rules have ID 0 and
// are found by Text. RuleInput's fields are repeated, not embedded: the
// Wails binding generator writes one flat class per struct.
type RuleView struct {
	ID        int64     `json:"id"`
	Source    string    `json:"source"`
	Server    string    `json:"server"`
	Tool      string    `json:"tool"`
	Args      []RuleArg `json:"args"`
	Action    string    `json:"action"`
	UpTo      string    `json:"upTo"`
	Note      string    `json:"note"`
	Text      string    `json:"text"`      // the rule as reasons and the audit log spell it
	CreatedAt string    `json:"createdAt"` // RFC 3339; "" for config rules
	Matches   int64     `json:"matches"`   // window rules: ever; config rules: among the calls kept
	MatchedAt string    `json:"matchedAt"` // RFC 3339 of the last match; "" if none
}

// RulesList is every rule, and why the config's rules could not be read.
type RulesList struct {
	Rules       []RuleView `json:"rules"`
	ConfigPath  string     `json:"configPath"`
	ConfigError string     `json:"configError"`
}

// Rules is the bound service behind the Rules screen.
//
// The window edits only its own rules (the rules table). Rules in
// airlock.json are listed read-only: the file is the person's own,
// hand-written and perhaps kept in version control, and per-server rules
// sit inside mcpServers entries that install and uninstall rewrite; a
// window rewriting them would reorder and reformat what the person wrote.
// Running proxies follow the file, so editing it takes effect just as fast.
type Rules struct {
	home string
	open func() (*store.Store, error)
}

// NewRules serves the rules of home's config and database.
func NewRules(home string, open func() (*store.Store, error)) *Rules {
	return &Rules{home: home, open: open}
}

// Rules lists the config's rules first (in file order), then the window's.
func (r *Rules) Rules() (RulesList, error) {
	out := RulesList{Rules: []RuleView{}, ConfigPath: config.FileName}
	ctx := context.Background()
	st, err := r.open()
	if err != nil {
		return out, err
	}
	cfg, err := config.Load(r.home)
	if err != nil {
		out.ConfigError = err.Error()
	} else {
		if cfg.Path != "" {
			out.ConfigPath = cfg.Path
		}
		var texts []string
		for _, rule := range cfg.AllRules() {
			texts = append(texts, rule.String())
		}
		use := map[string]store.RuleUse{}
		if st != nil {
			if use, err = st.ConfigRuleUse(ctx, texts); err != nil {
				return out, err
			}
		}
		for _, rule := range cfg.AllRules() {
			out.Rules = append(out.Rules, ruleView(rule, RuleFromConfig, time.Time{}, use[rule.String()]))
		}
	}
	if st == nil {
		return out, nil
	}
	stored, err := st.Rules(ctx)
	if err != nil {
		return out, err
	}
	for _, s := range stored {
		out.Rules = append(out.Rules, ruleView(s.Rule, RuleFromWindow, s.CreatedAt, s.Use))
	}
	return out, nil
}

// AddRule stores a new rule. An invalid rule is refused with the reason
// and nothing is saved.
func (r *Rules) AddRule(in RuleInput) (RuleView, error) {
	rule, err := in.rule()
	if err != nil {
		return RuleView{}, err
	}
	if rule.ID != 0 {
		return RuleView{}, errors.New("a new rule has no id; use UpdateRule to change rule " + fmt.Sprint(rule.ID))
	}
	st, err := r.openOrCreate()
	if err != nil {
		return RuleView{}, err
	}
	if rule.ID, err = st.AddRule(context.Background(), rule); err != nil {
		return RuleView{}, fmt.Errorf("add rule: %w", err)
	}
	return ruleView(rule, RuleFromWindow, time.Now(), store.RuleUse{}), nil
}

// UpdateRule changes one of the window's rules.
func (r *Rules) UpdateRule(in RuleInput) error {
	rule, err := in.rule()
	if err != nil {
		return err
	}
	if rule.ID <= 0 {
		return errors.New("only rules made in Airlock can be changed here; edit airlock.json for the others")
	}
	st, err := r.open()
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no rule %d", rule.ID)
	}
	return st.UpdateRule(context.Background(), rule)
}

// DeleteRule removes one of the window's rules.
func (r *Rules) DeleteRule(id int64) error {
	if id <= 0 {
		return errors.New("only rules made in Airlock can be removed here; edit airlock.json for the others")
	}
	st, err := r.open()
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no rule %d", id)
	}
	return st.DeleteRule(context.Background(), id)
}

// RuleCalls lists the latest calls a rule decided: a window rule by id, a
// config rule (id 0) by its text.
func (r *Rules) RuleCalls(id int64, text string, limit int) ([]HistoryCall, error) {
	out := []HistoryCall{}
	st, err := r.open()
	if err != nil || st == nil {
		return out, err
	}
	calls, err := st.RuleCalls(context.Background(), id, text, pageLimit(limit))
	if err != nil {
		return out, err
	}
	for _, c := range calls {
		out = append(out, historyView(c))
	}
	return out, nil
}

// openOrCreate opens the database, creating it if no proxy has yet: a
// rule can be made before the first call.
func (r *Rules) openOrCreate() (*store.Store, error) {
	st, err := r.open()
	if err != nil || st != nil {
		return st, err
	}
	created, err := store.Open(config.DBPath(r.home))
	if err != nil {
		return nil, err
	}
	if err := created.Close(); err != nil {
		return nil, err
	}
	if st, err = r.open(); err == nil && st == nil {
		err = errors.New("the database was created but cannot be opened")
	}
	return st, err
}

func (in RuleInput) rule() (policy.Rule, error) {
	rule := policy.Rule{ID: in.ID, Server: in.Server, Tool: in.Tool, Action: policy.Action(in.Action),
		UpTo: policy.Action(in.UpTo), Note: in.Note, Source: RuleFromWindow}
	for _, a := range in.Args {
		if rule.Args == nil {
			rule.Args = map[string]string{}
		}
		if _, dup := rule.Args[a.Key]; dup {
			return rule, fmt.Errorf("rule argument key %q appears twice", a.Key)
		}
		rule.Args[a.Key] = a.Pattern
	}
	if err := rule.Validate(); err != nil {
		return rule, err
	}
	return rule, nil
}

func ruleView(r policy.Rule, source string, created time.Time, use store.RuleUse) RuleView {
	v := RuleView{ID: r.ID, Source: source, Server: r.Server, Tool: r.Tool, Args: []RuleArg{},
		Action: string(r.Action), UpTo: string(r.UpTo), Note: r.Note, Text: r.String(), Matches: use.Matches}
	keys := make([]string, 0, len(r.Args))
	for k := range r.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Args = append(v.Args, RuleArg{Key: k, Pattern: r.Args[k]})
	}
	if !created.IsZero() {
		v.CreatedAt = created.UTC().Format(time.RFC3339)
	}
	if !use.MatchedAt.IsZero() {
		v.MatchedAt = use.MatchedAt.UTC().Format(time.RFC3339)
	}
	return v
}
