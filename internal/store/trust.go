package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/airlock-dev/airlock/internal/policy"
)

// This file keeps what the user has decided to trust: read consents, pinned
// tool definitions, rules made from answers, and paused servers. Every change
// bumps trust_version so proxies can cache all of it.

// TrustVersion changes whenever consents, pins, rules or pauses change.
func (s *Store) TrustVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.trustVersion.QueryRowContext(ctx).Scan(&v)
	return v, err
}

// Consent is a person's permission for a server's read tools.
type Consent struct {
	Server, Tool string // Tool "*": every read tool of the server
	DefHash      string // for one tool: the definition consented to
	GrantedAt    time.Time
	GrantedBy    string
}

// Pin is the tool definition a person last accepted (first seen, or
// re-approved), and a newer one that differs, if any.
type Pin struct {
	Server, Tool        string
	DefHash, Definition string
	PinnedAt            time.Time
	ChangedHash         string // "" unless the upstream now offers another definition
	ChangedDefinition   string
	ChangedAt           time.Time
}

// Trust is everything the checkpoint needs from the database, loaded at once.
type Trust struct {
	Version  int64
	Consents []Consent
	Pins     map[[2]string]Pin // by server, tool
	Rules    []policy.Rule     // rules made by people (config rules live in the config)
	Paused   map[string]string // server -> reason
}

// LoadTrust reads the whole trust state in one read transaction.
func (s *Store) LoadTrust(ctx context.Context) (*Trust, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t := &Trust{Pins: map[[2]string]Pin{}, Paused: map[string]string{}}
	if err := tx.QueryRowContext(ctx, "SELECT v FROM trust_version").Scan(&t.Version); err != nil {
		return nil, fmt.Errorf("load trust: %w", err)
	}
	if err := each(ctx, tx, "SELECT server, tool, def_hash, granted_at, granted_by FROM consents", func(r *sql.Rows) error {
		var c Consent
		var at int64
		err := r.Scan(&c.Server, &c.Tool, &c.DefHash, &at, &c.GrantedBy)
		c.GrantedAt = time.UnixMicro(at).UTC()
		t.Consents = append(t.Consents, c)
		return err
	}); err != nil {
		return nil, err
	}
	if err := each(ctx, tx, `SELECT server, tool, def_hash, definition, pinned_at, changed_hash, changed_definition,
		changed_at FROM pins`, func(r *sql.Rows) error {
		var p Pin
		var at, cat int64
		err := r.Scan(&p.Server, &p.Tool, &p.DefHash, &p.Definition, &at, &p.ChangedHash, &p.ChangedDefinition, &cat)
		p.PinnedAt = time.UnixMicro(at).UTC()
		if cat != 0 {
			p.ChangedAt = time.UnixMicro(cat).UTC()
		}
		t.Pins[[2]string{p.Server, p.Tool}] = p
		return err
	}); err != nil {
		return nil, err
	}
	if t.Rules, err = rulesFrom(ctx, tx); err != nil {
		return nil, err
	}
	if err := each(ctx, tx, "SELECT server, reason FROM paused", func(r *sql.Rows) error {
		var server, reason string
		err := r.Scan(&server, &reason)
		t.Paused[server] = reason
		return err
	}); err != nil {
		return nil, err
	}
	return t, nil
}

func each(ctx context.Context, tx *sql.Tx, q string, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("load trust: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("load trust: %w", err)
		}
	}
	return rows.Err()
}

// HasConsent reports whether reads of server's tool (with this definition)
// are consented to.
func (t *Trust) HasConsent(server, tool, defHash string) bool {
	for _, c := range t.Consents {
		if c.Server == server && (c.Tool == "*" || (c.Tool == tool && c.DefHash == defHash)) {
			return true
		}
	}
	return false
}

// ObservePin records the definition the upstream offers now. The first
// definition seen is pinned (trust on first use, shown to the person with
// the first consent); a different one later is kept beside the pin as a
// change awaiting a person. A definition that returns to the pinned one
// clears the change.
func (s *Store) ObservePin(ctx context.Context, server, tool, defHash, definition string) (Pin, error) {
	var p Pin
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC()
		var at, cat int64
		err := tx.QueryRowContext(ctx, `SELECT def_hash, definition, pinned_at, changed_hash, changed_definition, changed_at
			FROM pins WHERE server = ? AND tool = ?`, server, tool).Scan(&p.DefHash, &p.Definition, &at, &p.ChangedHash,
			&p.ChangedDefinition, &cat)
		p.Server, p.Tool = server, tool
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.DefHash, p.Definition, p.PinnedAt = defHash, definition, now
			if _, err := tx.ExecContext(ctx, `INSERT INTO pins (server, tool, def_hash, definition, pinned_at)
				VALUES (?, ?, ?, ?, ?)`, server, tool, defHash, definition, now.UnixMicro()); err != nil {
				return err
			}
			return bumpTrust(ctx, tx)
		case err != nil:
			return err
		}
		p.PinnedAt = time.UnixMicro(at).UTC()
		if cat != 0 {
			p.ChangedAt = time.UnixMicro(cat).UTC()
		}
		want := defHash
		if want == p.DefHash {
			want = "" // back to the pinned definition
		}
		if want == p.ChangedHash {
			return nil // nothing new
		}
		p.ChangedHash, p.ChangedDefinition, p.ChangedAt = want, "", time.Time{}
		var changedAt int64
		if want != "" {
			p.ChangedDefinition, p.ChangedAt, changedAt = definition, now, now.UnixMicro()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pins SET changed_hash = ?, changed_definition = ?, changed_at = ?
			WHERE server = ? AND tool = ?`, p.ChangedHash, p.ChangedDefinition, changedAt, server, tool); err != nil {
			return err
		}
		return bumpTrust(ctx, tx)
	})
	if err != nil {
		return p, fmt.Errorf("pin %s/%s: %w", server, tool, err)
	}
	return p, nil
}

// acceptPin makes the changed definition the pinned one, if it is still
// the one the person saw. Consents bound to the old definition lapse.
func acceptPin(ctx context.Context, tx *sql.Tx, server, tool, defHash string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE pins SET def_hash = changed_hash, definition = changed_definition, pinned_at = ?,
		changed_hash = '', changed_definition = '', changed_at = 0
		WHERE server = ? AND tool = ? AND changed_hash = ?`, now.UnixMicro(), server, tool, defHash)
	return err
}

// GrantConsent records a consent directly (for the app's consent screen).
func (s *Store) GrantConsent(ctx context.Context, c Consent) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (server, tool, def_hash, granted_at, granted_by)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (server, tool) DO UPDATE SET def_hash = excluded.def_hash,
			granted_at = excluded.granted_at, granted_by = excluded.granted_by`,
			c.Server, c.Tool, c.DefHash, time.Now().UnixMicro(), c.GrantedBy); err != nil {
			return err
		}
		return bumpTrust(ctx, tx)
	})
}

// RevokeConsent removes a consent.
func (s *Store) RevokeConsent(ctx context.Context, server, tool string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM consents WHERE server = ? AND tool = ?", server, tool); err != nil {
			return err
		}
		return bumpTrust(ctx, tx)
	})
}

func rulesFrom(ctx context.Context, tx *sql.Tx) ([]policy.Rule, error) {
	var out []policy.Rule
	err := each(ctx, tx, "SELECT id, server, tool, args, action, up_to, note FROM rules ORDER BY id", func(r *sql.Rows) error {
		var rule policy.Rule
		var args string
		if err := r.Scan(&rule.ID, &rule.Server, &rule.Tool, &args, &rule.Action, &rule.UpTo, &rule.Note); err != nil {
			return err
		}
		if err := decodeRuleArgs(args, &rule); err != nil {
			return err
		}
		rule.Source = "user"
		out = append(out, rule)
		return nil
	})
	return out, err
}

// AddRule stores a rule made in the app or the CLI.
func (s *Store) AddRule(ctx context.Context, r policy.Rule) (int64, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO rules (id, server, tool, args, action, up_to, note, created_at)
			VALUES (`+nextRuleID+`, ?, ?, ?, ?, ?, ?, ?)`,
			r.Server, r.Tool, encodeRuleArgs(r.Args), string(r.Action), string(r.UpTo), r.Note, time.Now().UnixMicro())
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return bumpTrust(ctx, tx)
	})
	return id, err
}

// DeleteRule removes a stored rule.
func (s *Store) DeleteRule(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM rules WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no rule %d", id)
		}
		return bumpTrust(ctx, tx)
	})
}

// PauseServer stops a server's non-read calls until ResumeServer.
func (s *Store) PauseServer(ctx context.Context, server, reason string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO paused (server, paused_at, reason) VALUES (?, ?, ?)
			ON CONFLICT (server) DO NOTHING`, server, time.Now().UnixMicro(), reason); err != nil {
			return err
		}
		return bumpTrust(ctx, tx)
	})
}

// ResumeServer lifts a pause; it reports whether the server was paused.
func (s *Store) ResumeServer(ctx context.Context, server string) (bool, error) {
	var was bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM paused WHERE server = ?", server)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		was = n > 0
		return bumpTrust(ctx, tx)
	})
	return was, err
}
