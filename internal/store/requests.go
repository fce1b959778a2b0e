package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Request kinds: what a person is asked.
const (
	KindCall    = "call"    // allow this write or destructive call?
	KindConsent = "consent" // first read of a server: allow reads?
	KindChanged = "changed" // a pinned tool definition changed: accept it?
)

// Request statuses.
const (
	RequestPending   = "pending"
	RequestAllowed   = "allowed"
	RequestDenied    = "denied"
	RequestWithdrawn = "withdrawn" // the host cancelled the call
	RequestExpired   = "expired"   // nobody answered within the TTL
)

// Answer scopes.
const (
	ScopeOnce    = "once"
	ScopeSession = "session" // the asking host session, for this tool
	ScopeAlways  = "always"  // becomes a rule
	ScopeTool    = "tool"    // consent: this read tool
	ScopeServer  = "server"  // consent: every read tool of the server
)

// ErrNotPending is returned when answering a request that is no longer open.
var ErrNotPending = errors.New("request is no longer pending")

// ErrSpent is returned when an approval was already used by another call.
var ErrSpent = errors.New("approval already used by another call")

// Request is one question to a person, answerable by any approver (CLI,
// desktop app) of any process sharing the database.
type Request struct {
	ID                 int64
	Created, Expires   time.Time
	Kind               string
	Server, Tool, Tier string
	Reasons            []string
	Summary            string
	Arguments          string // redacted JSON
	ArgsHash, DefHash  string
	Session, Client    string
	Findings           []string // injection markers found in the definition
	Definition         string   // the tool definition (JSON) asked about
	Previous           string   // kind changed: the pinned definition it replaces
	Status, Scope      string
	AnsweredAt         time.Time
	AnsweredBy         string
	ConsumedBy         int64
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func bumpTrust(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE trust_version SET v = v + 1")
	return err
}

func jsonList(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Ask records call c as waiting for a person, in one transaction with the
// request it waits on: an identical request already pending (same server,
// tool, kind, tier, arguments and definition) is shared, so retries do not
// pile up in the queue. It sets c.ID, c.RequestID and r.ID, and r.Session to
// the session that asked first (a shared request is that session's).
func (s *Store) Ask(ctx context.Context, c *Call, r *Request) error {
	now := time.Now().UTC()
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, session FROM requests WHERE status = 'pending' AND server = ? AND tool = ?
			AND args_hash = ? AND def_hash = ? AND kind = ? AND tier = ? AND expires_at > ? ORDER BY id DESC LIMIT 1`,
			r.Server, r.Tool, r.ArgsHash, r.DefHash, r.Kind, r.Tier, now.UnixMicro()).Scan(&r.ID, &r.Session)
		if errors.Is(err, sql.ErrNoRows) {
			r.Created, r.Status = now, RequestPending
			res, err := tx.ExecContext(ctx, `INSERT INTO requests (created_at, expires_at, kind, server, tool, tier, reasons,
				summary, arguments, args_hash, def_hash, session, client, findings, definition, previous)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				now.UnixMicro(), r.Expires.UnixMicro(), r.Kind, r.Server, r.Tool, r.Tier, jsonList(r.Reasons),
				r.Summary, r.Arguments, r.ArgsHash, r.DefHash, r.Session, r.Client, jsonList(r.Findings), r.Definition, r.Previous)
			if err != nil {
				return fmt.Errorf("record request: %w", err)
			}
			if r.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		} else if err != nil {
			return fmt.Errorf("find open request: %w", err)
		}
		c.Decision, c.RequestID = DecisionPending, r.ID
		return s.insertCallTx(ctx, tx, c)
	})
}

// ClaimApproval looks for an answered, unspent approval of exactly this call
// (server, tool, tier, arguments, definition) that has not expired: the
// retry the model was told to make. If there is one, c is recorded as
// allowed by the person and the approval is spent on it, in one
// transaction, and the request (its scope and asking session) is returned.
func (s *Store) ClaimApproval(ctx context.Context, c *Call) (*Request, error) {
	now := time.Now().UTC()
	var found *Request
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var r Request
		err := tx.QueryRowContext(ctx, `SELECT id, scope, session FROM requests WHERE status = 'allowed' AND consumed_by = 0
			AND server = ? AND tool = ? AND tier = ? AND args_hash = ? AND def_hash = ? AND expires_at > ?
			ORDER BY id DESC LIMIT 1`,
			c.Server, c.Tool, c.Tier, c.ArgsHash, c.DefHash, now.UnixMicro()).Scan(&r.ID, &r.Scope, &r.Session)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		c.Decision, c.DecidedBy, c.RequestID = DecisionAllow, "person", r.ID
		if err := s.insertCallTx(ctx, tx, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE requests SET consumed_by = ? WHERE id = ?", c.ID, r.ID); err != nil {
			return err
		}
		found = &r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim approval: %w", err)
	}
	return found, nil
}

// RequestState reads a request's status and answer scope.
func (s *Store) RequestState(ctx context.Context, id int64) (status, scope string, err error) {
	err = s.reader.QueryRowContext(ctx, "SELECT status, scope FROM requests WHERE id = ?", id).Scan(&status, &scope)
	if err != nil {
		return "", "", fmt.Errorf("read request %d: %w", id, err)
	}
	return status, scope, nil
}

// Decide records the decision for a call that was waiting. Allowing a call
// spends its request's approval: if another call spent it first, ErrSpent.
func (s *Store) Decide(ctx context.Context, callID int64, decision, decidedBy string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var reqID int64
		if err := tx.QueryRowContext(ctx, "SELECT request_id FROM calls WHERE id = ?", callID).Scan(&reqID); err != nil {
			return fmt.Errorf("decide call %d: %w", callID, err)
		}
		if decision == DecisionAllow && reqID != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE requests SET consumed_by = ? WHERE id = ? AND status = 'allowed'
				AND consumed_by = 0`, callID, reqID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrSpent
			}
		}
		_, err := tx.ExecContext(ctx, "UPDATE calls SET decision = ?, decided_by = ? WHERE id = ?", decision, decidedBy, callID)
		return err
	})
}

// Withdraw records that call callID no longer waits on request id, and
// closes the request when no other call waits on it or was told to retry it
// (identical calls from other hosts share one request).
func (s *Store) Withdraw(ctx context.Context, id, callID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM calls WHERE request_id = ? AND id != ?
			AND decision = 'pending'`, id, callID).Scan(&others); err != nil {
			return err
		}
		if others > 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE requests SET status = 'withdrawn' WHERE id = ? AND status = 'pending'", id)
		return err
	})
}

// ExpireRequests closes pending requests past their TTL, and with them the
// calls still waiting on them or held for a retry: those are denied by
// timeout, so the audit log says what became of every call. Nothing is
// written when nothing expired, so calling it often costs one read and does
// not wake the processes watching the database.
func (s *Store) ExpireRequests(ctx context.Context) error {
	now := time.Now().UnixMicro()
	var one int
	err := s.reader.QueryRowContext(ctx, "SELECT 1 FROM requests WHERE status = 'pending' AND expires_at <= ? LIMIT 1",
		now).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find expired requests: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := denyWaitingCalls(ctx, tx, "timeout", "The approval request expired in Airlock without an answer.",
			"SELECT id FROM requests WHERE status = 'pending' AND expires_at <= ?", now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE requests SET status = 'expired' WHERE status = 'pending' AND expires_at <= ?", now)
		return err
	})
	if err != nil {
		return fmt.Errorf("expire requests: %w", err)
	}
	return nil
}

// denyWaitingCalls records the calls still undecided on the requests the
// query selects as denied by by ('timeout' and 'person' are the checkpoint's
// ByTimeout and ByPerson). A held call keeps its outcome (what the host was
// told); a call still in flight gets one, for the case its proxy is gone (a
// live proxy closes it again with the same decision).
func denyWaitingCalls(ctx context.Context, tx *sql.Tx, by, message, requests string, args ...any) error {
	_, err := tx.ExecContext(ctx, `UPDATE calls SET decision = 'deny', decided_by = ?,
		outcome = CASE outcome WHEN '' THEN 'denied' ELSE outcome END,
		error = CASE outcome WHEN '' THEN ? ELSE error END
		WHERE decision = 'pending' AND request_id IN (`+requests+`)`, append([]any{by, message}, args...)...)
	if err != nil {
		return fmt.Errorf("deny waiting calls: %w", err)
	}
	return nil
}

const requestColumns = `id, created_at, expires_at, kind, server, tool, tier, reasons, summary, arguments, args_hash,
	def_hash, session, client, findings, definition, previous, status, scope, answered_at, answered_by, consumed_by`

func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var created, expires, answered int64
	var reasons, findings string
	err := row.Scan(&r.ID, &created, &expires, &r.Kind, &r.Server, &r.Tool, &r.Tier, &reasons, &r.Summary, &r.Arguments,
		&r.ArgsHash, &r.DefHash, &r.Session, &r.Client, &findings, &r.Definition, &r.Previous, &r.Status, &r.Scope,
		&answered, &r.AnsweredBy, &r.ConsumedBy)
	if err != nil {
		return r, err
	}
	r.Created, r.Expires = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	if answered != 0 {
		r.AnsweredAt = time.UnixMicro(answered).UTC()
	}
	_ = json.Unmarshal([]byte(reasons), &r.Reasons)
	_ = json.Unmarshal([]byte(findings), &r.Findings)
	return r, nil
}

// Pending lists open requests, newest first.
func (s *Store) Pending(ctx context.Context) ([]Request, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+requestColumns+` FROM requests
		WHERE status = 'pending' AND expires_at > ? ORDER BY id DESC`, time.Now().UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("list pending: %w", err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("list pending: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetRequest reads one request.
func (s *Store) GetRequest(ctx context.Context, id int64) (Request, error) {
	r, err := scanRequest(s.reader.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("no request %d", id)
	}
	return r, err
}

// Answer records a person's answer to a pending request, with what the
// scope implies, in one transaction:
//   - allow always: an allow rule for the server's tool; deny always: a deny rule
//   - consent allowed for ScopeTool or ScopeServer: a consent (bound to the
//     definition hash for one tool)
//   - changed allowed: the new definition becomes the pinned one
func (s *Store) Answer(ctx context.Context, id int64, allow bool, scope, by string) (Request, error) {
	// Expired requests are closed first, so answering one reports "expired".
	if err := s.ExpireRequests(ctx); err != nil {
		return Request{}, err
	}
	var r Request
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no request %d", id)
		}
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		if r.Status != RequestPending {
			return fmt.Errorf("request %d is %s: %w", id, r.Status, ErrNotPending)
		}
		if err := checkScope(r, allow, scope); err != nil {
			return err
		}
		r.Status, r.Scope, r.AnsweredAt, r.AnsweredBy = RequestDenied, scope, now, by
		if allow {
			r.Status = RequestAllowed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET status = ?, scope = ?, answered_at = ?, answered_by = ?
			WHERE id = ?`, r.Status, scope, now.UnixMicro(), by, id); err != nil {
			return err
		}
		if err := applyScope(ctx, tx, r, allow, now); err != nil {
			return err
		}
		if !allow {
			// Calls held for a retry are denied now, not left undecided.
			if err := denyWaitingCalls(ctx, tx, "person", "The user denied this call in Airlock.", "?", id); err != nil {
				return err
			}
		}
		return bumpTrust(ctx, tx)
	})
	return r, err
}

// checkScope enforces which answers each kind of request accepts: a
// destructive call can only be allowed once; "always" for a read consent is
// spelled "server".
func checkScope(r Request, allow bool, scope string) error {
	// An "always" answer becomes a rule whose tool is a glob: a tool an
	// upstream named "*" or "read_?" would make it cover other tools too.
	if scope == ScopeAlways && strings.ContainsAny(r.Server+r.Tool, "*?") {
		return fmt.Errorf("the tool name %q holds a glob character (* or ?), so an always rule would cover other tools too; answer once, or write the rule you mean in the Rules screen", r.Tool)
	}
	if !allow {
		if scope != ScopeOnce && scope != ScopeAlways {
			return fmt.Errorf("deny scope %q: want once or always", scope)
		}
		return nil
	}
	switch r.Kind {
	case KindConsent:
		if scope != ScopeOnce && scope != ScopeTool && scope != ScopeServer {
			return fmt.Errorf("consent scope %q: want once, tool or server", scope)
		}
		// A consent's tool "*" is the whole server's (Trust.HasConsent):
		// a tool an upstream named "*" would turn "this tool" into that.
		if scope == ScopeTool && r.Tool == "*" {
			return fmt.Errorf(`the tool is named "*", which a consent reads as every read tool of %s; allow it once, or for the whole server if you mean that`, r.Server)
		}
	case KindChanged:
		if scope != ScopeOnce {
			return fmt.Errorf("a changed definition is accepted with scope once (it becomes the pinned definition)")
		}
	default:
		if r.Tier == "destructive" && scope != ScopeOnce {
			return fmt.Errorf("a destructive call can only be allowed once (scope %q refused); add an explicit rule to allow it always", scope)
		}
		if scope != ScopeOnce && scope != ScopeSession && scope != ScopeAlways {
			return fmt.Errorf("scope %q: want once, session or always", scope)
		}
	}
	return nil
}

func applyScope(ctx context.Context, tx *sql.Tx, r Request, allow bool, now time.Time) error {
	note := fmt.Sprintf("from request %d", r.ID)
	switch {
	case r.Scope == ScopeAlways:
		// An allow rule stops at the tier the person saw (checkScope keeps
		// destructive out), so the tool's destructive calls still ask.
		action, upTo := "allow", "write"
		if r.Tier == "read" {
			upTo = "read"
		}
		if !allow {
			action, upTo = "deny", ""
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rules (id, server, tool, action, up_to, note, created_at)
			VALUES (`+nextRuleID+`, ?, ?, ?, ?, ?, ?)`,
			r.Server, r.Tool, action, upTo, note, now.UnixMicro())
		return err
	case allow && r.Kind == KindConsent && (r.Scope == ScopeTool || r.Scope == ScopeServer):
		tool, hash := r.Tool, r.DefHash
		if r.Scope == ScopeServer {
			tool, hash = "*", ""
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO consents (server, tool, def_hash, granted_at, granted_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (server, tool) DO UPDATE SET def_hash = excluded.def_hash, granted_at = excluded.granted_at,
			granted_by = excluded.granted_by`, r.Server, tool, hash, now.UnixMicro(), r.AnsweredBy)
		return err
	case allow && r.Kind == KindChanged:
		return acceptPin(ctx, tx, r.Server, r.Tool, r.DefHash, now)
	}
	return nil
}

// insertCallTx is BeginCall inside a transaction.
func (s *Store) insertCallTx(ctx context.Context, tx *sql.Tx, c *Call) error {
	if c.Time.IsZero() {
		c.Time = time.Now()
	}
	c.Time = c.Time.UTC()
	res, err := tx.StmtContext(ctx, s.insertCall).ExecContext(ctx, c.Time.UnixMicro(), c.Client, c.Session, c.Server,
		c.Tool, c.Tier, c.Decision, c.DecidedBy, jsonList(c.Reasons), c.Arguments, c.ArgsHash, c.DefHash, c.Summary, c.RequestID,
		c.RuleID, c.Rule)
	if err != nil {
		return fmt.Errorf("record call %s/%s: %w", c.Server, c.Tool, err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return countMatch(ctx, tx, c)
}
