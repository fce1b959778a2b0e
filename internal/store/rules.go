package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/airlock-dev/airlock/internal/policy"
)

// This file is the Rules screen's side of the rules table: editing a
// person's rules and counting what every rule decided. AddRule and
// DeleteRule sit with the rest of the trust state in trust.go.

// nextRuleID is the id of a new rule. It never takes the id of a deleted
// rule that still names calls (calls.rule_id), which would list those calls
// as the new rule's; SQLite alone reuses the highest id once it is deleted.
const nextRuleID = `max(coalesce((SELECT max(id) FROM rules), 0),
	coalesce((SELECT max(rule_id) FROM calls WHERE rule_id != 0), 0)) + 1`

// countMatch bumps the match count of the database rule that decided c (or
// set its tier). It runs in the transaction that records c, and leaves
// trust_version alone: a count is not a change of policy, and bumping it
// would make every proxy reload its trust state after every such call.
func countMatch(ctx context.Context, tx *sql.Tx, c *Call) error {
	if c.RuleID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE rules SET matches = matches + 1, matched_at = ? WHERE id = ?",
		c.Time.UnixMicro(), c.RuleID)
	if err != nil {
		return fmt.Errorf("count match of rule %d: %w", c.RuleID, err)
	}
	return nil
}

// RuleUse is how often a rule decided calls, and when it last did.
type RuleUse struct {
	Matches   int64
	MatchedAt time.Time // zero when it never matched
}

// StoredRule is a person's rule with its bookkeeping.
type StoredRule struct {
	policy.Rule
	CreatedAt time.Time
	Use       RuleUse
}

// Rules lists the rules people made (in the window, the CLI or by an
// "always" answer), oldest first, with their match counts.
func (s *Store) Rules(ctx context.Context) ([]StoredRule, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, server, tool, args, action, up_to, note, created_at, matches,
		matched_at FROM rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	defer rows.Close()
	var out []StoredRule
	for rows.Next() {
		var r StoredRule
		var args string
		var created, matched int64
		if err := rows.Scan(&r.ID, &r.Server, &r.Tool, &args, &r.Action, &r.UpTo, &r.Note, &created, &r.Use.Matches,
			&matched); err != nil {
			return nil, fmt.Errorf("list rules: %w", err)
		}
		if err := decodeRuleArgs(args, &r.Rule); err != nil {
			return nil, fmt.Errorf("list rules: %w", err)
		}
		r.Source = "user"
		r.CreatedAt = time.UnixMicro(created).UTC()
		if matched != 0 {
			r.Use.MatchedAt = time.UnixMicro(matched).UTC()
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	return out, nil
}

func decodeRuleArgs(text string, r *policy.Rule) error {
	if text == "" || text == "{}" {
		return nil
	}
	if err := json.Unmarshal([]byte(text), &r.Args); err != nil {
		return fmt.Errorf("rule %d: arguments: %w", r.ID, err)
	}
	return nil
}

func encodeRuleArgs(args map[string]string) string {
	if len(args) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(args) // a map of strings always encodes
	return string(b)
}

// UpdateRule replaces the rule with r.ID by r. An invalid rule is an error
// and nothing changes. Its match count stays: the calls it decided keep the
// rule as it read when it decided them.
func (s *Store) UpdateRule(ctx context.Context, r policy.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE rules SET server = ?, tool = ?, args = ?, action = ?, up_to = ?, note = ?
			WHERE id = ?`, r.Server, r.Tool, encodeRuleArgs(r.Args), string(r.Action), string(r.UpTo), r.Note, r.ID)
		if err != nil {
			return fmt.Errorf("update rule %d: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no rule %d", r.ID)
		}
		return bumpTrust(ctx, tx)
	})
}

// ConfigRuleUse counts the calls each rule from airlock.json decided, by
// the rule as text (policy.Rule.String), among the calls still kept.
func (s *Store) ConfigRuleUse(ctx context.Context, rules []string) (map[string]RuleUse, error) {
	out := make(map[string]RuleUse, len(rules))
	for _, text := range rules {
		if _, done := out[text]; done || text == "" {
			continue
		}
		var n, last int64
		err := s.reader.QueryRowContext(ctx, `SELECT count(*), coalesce(max(started_at), 0) FROM calls
			WHERE rule = ? AND rule != '' AND rule_id = 0`, text).Scan(&n, &last)
		if err != nil {
			return nil, fmt.Errorf("count matches of %s: %w", text, err)
		}
		u := RuleUse{Matches: n}
		if last != 0 {
			u.MatchedAt = time.UnixMicro(last).UTC()
		}
		out[text] = u
	}
	return out, nil
}

// RuleCalls returns the latest calls a rule decided, newest first: a
// database rule by id, a rule from airlock.json (id 0) by its text.
func (s *Store) RuleCalls(ctx context.Context, id int64, text string, limit int) ([]Call, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	// The "!= 0" and "!= ''" terms let SQLite use the partial indexes.
	q := "SELECT " + callColumns + " FROM calls c WHERE c.rule_id = ? AND c.rule_id != 0 ORDER BY c.rule_id, c.id DESC LIMIT ?"
	args := []any{id, limit}
	if id == 0 {
		q = "SELECT " + callColumns + " FROM calls c WHERE c.rule = ? AND c.rule != '' AND c.rule_id = 0 ORDER BY c.id DESC LIMIT ?"
		args = []any{text, limit}
	}
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("calls of rule: %w", err)
	}
	defer rows.Close()
	var out []Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("calls of rule: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
