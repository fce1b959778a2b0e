package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Outcomes of a call once it has finished. An in-flight call has "".
const (
	OutcomeOK            = "ok"
	OutcomeToolError     = "tool_error"     // the tool ran and answered isError
	OutcomeProtocolError = "protocol_error" // the upstream answered with a JSON-RPC error
	OutcomeUpstreamDown  = "upstream_down"  // the upstream was not running or died
	OutcomeCancelled     = "cancelled"      // the host cancelled the call
	OutcomeDenied        = "denied"         // the checkpoint refused it; never forwarded
	OutcomeHeld          = "held"           // still waiting for a person when the host was answered
)

// Decisions and who made them.
const (
	DecisionAllow     = "allow"
	DecisionDeny      = "deny"
	DecisionPending   = "pending"
	DecisionForwarded = "forwarded" // recorded before the checkpoint existed
)

// Call is one row of the audit log.
type Call struct {
	ID   int64
	Time time.Time // start time, UTC

	Client  string // host client name, from initialize clientInfo
	Session string // proxy session id

	Server string // upstream server name
	Tool   string // the upstream's own tool name

	Tier      string // "" until calls are classified
	Decision  string
	DecidedBy string
	Reasons   []string

	Arguments string // redacted JSON text; the caller redacts
	ArgsHash  string // hex sha256 of the canonical, unredacted arguments
	DefHash   string // hash of the tool definition the decision was made for
	Summary   string // one-line plain-language summary
	RequestID int64  // the request a person answered, if any
	// The rule that decided the call or, when none decided, set its tier:
	// RuleID for a rule in the database (0 for one from airlock.json), Rule
	// as it read then.
	RuleID int64
	Rule   string

	Outcome  string // "" while in flight
	Error    string // short error text for non-ok outcomes
	Duration time.Duration
}

const insertCallSQL = `INSERT INTO calls
	(started_at, client, session, server, tool, tier, decision, decided_by, reasons, arguments, args_hash,
	 def_hash, summary, request_id, rule_id, rule)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const finishCallSQL = `UPDATE calls SET outcome = ?, error = ?, duration_us = ? WHERE id = ?`

// BeginCall records a call before it is forwarded. The row is committed when
// BeginCall returns, so a crash mid-call still leaves a trace. It sets c.ID.
func (s *Store) BeginCall(ctx context.Context, c *Call) (int64, error) {
	if c.Time.IsZero() {
		c.Time = time.Now()
	}
	c.Time = c.Time.UTC()
	reasons := "[]"
	if len(c.Reasons) > 0 {
		b, err := json.Marshal(c.Reasons)
		if err != nil {
			return 0, fmt.Errorf("record call %s/%s: encode reasons: %w", c.Server, c.Tool, err)
		}
		reasons = string(b)
	}
	if c.RuleID != 0 {
		// The rule's match count moves with the row, in one transaction.
		err := s.tx(ctx, func(tx *sql.Tx) error { return s.insertCallTx(ctx, tx, c) })
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	res, err := s.insertCall.ExecContext(ctx, c.Time.UnixMicro(), c.Client, c.Session, c.Server, c.Tool,
		c.Tier, c.Decision, c.DecidedBy, reasons, c.Arguments, c.ArgsHash, c.DefHash, c.Summary, c.RequestID,
		c.RuleID, c.Rule)
	if err != nil {
		return 0, fmt.Errorf("record call %s/%s: %w", c.Server, c.Tool, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("record call %s/%s: read id: %w", c.Server, c.Tool, err)
	}
	c.ID = id
	return id, nil
}

// FinishCall completes the row BeginCall wrote.
func (s *Store) FinishCall(ctx context.Context, id int64, outcome, errText string, d time.Duration) error {
	res, err := s.finishCall.ExecContext(ctx, outcome, errText, d.Microseconds(), id)
	if err != nil {
		return fmt.Errorf("finish call %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("finish call %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("finish call %d: no such call", id)
	}
	return nil
}

// DefaultLimit is the page size when Filter.Limit is 0.
const DefaultLimit = 50

// Filter selects calls for Calls and ExportCalls. Zero fields do not filter.
type Filter struct {
	Server   string
	Tool     string
	Tier     string
	Decision string
	Outcome  string    // "" does not filter; in-flight calls cannot be selected alone
	Since    time.Time // calls started at or after
	Until    time.Time // calls started before
	Search   string    // substring of the arguments, summary, server or tool; case-insensitive
	Limit    int       // 0 means DefaultLimit
	BeforeID int64     // keyset paging: only ids below this (pass the last id of the previous page)
}

// Calls returns calls matching f, newest first.
func (s *Store) Calls(ctx context.Context, f Filter) ([]Call, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var out []Call
	err := s.eachCall(ctx, f, limit, func(c Call) error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	return out, nil
}
