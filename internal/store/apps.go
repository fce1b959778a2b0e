package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// staleApp is how long a heartbeat row is kept after its app stopped
// beating (it crashed): long enough to look into, short enough not to pile up.
const staleApp = time.Hour

// Heartbeat records that the desktop app with this pid, started at started,
// is alive now. The start time tells a reused pid from the app that had it.
func (s *Store) Heartbeat(ctx context.Context, pid int, started time.Time) error {
	now := time.Now().UnixMicro()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO apps (pid, started_at, seen_at) VALUES (?, ?, ?)
			ON CONFLICT (pid) DO UPDATE SET started_at = excluded.started_at, seen_at = excluded.seen_at`,
			pid, started.UnixMicro(), now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM apps WHERE seen_at < ?", now-staleApp.Microseconds())
		return err
	})
	if err != nil {
		return fmt.Errorf("app heartbeat: %w", err)
	}
	return nil
}

// AppStopped removes the heartbeat of the app with this pid and start time,
// so proxies know at once that no window will ask.
func (s *Store) AppStopped(ctx context.Context, pid int, started time.Time) error {
	_, err := s.writer.ExecContext(ctx, "DELETE FROM apps WHERE pid = ? AND started_at = ?", pid, started.UnixMicro())
	if err != nil {
		return fmt.Errorf("app stopped: %w", err)
	}
	return nil
}

// AppAlive reports whether some desktop app beat within the last within.
func (s *Store) AppAlive(ctx context.Context, within time.Duration) (bool, error) {
	var one int
	err := s.reader.QueryRowContext(ctx, "SELECT 1 FROM apps WHERE seen_at > ? LIMIT 1",
		time.Now().Add(-within).UnixMicro()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read app heartbeats: %w", err)
	}
	return true, nil
}

// ClaimLaunch decides, for every process sharing the database at once,
// whether the caller should start the desktop app: only when no app beat
// within alive and nobody claimed a launch within gap. A true answer records
// the claim in the same transaction, so concurrent callers get one true.
func (s *Store) ClaimLaunch(ctx context.Context, alive, gap time.Duration) (bool, error) {
	now := time.Now()
	claimed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM apps WHERE seen_at > ?",
			now.Add(-alive).UnixMicro()).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO launches (id, at) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET at = excluded.at WHERE at <= ?`,
			now.UnixMicro(), now.Add(-gap).UnixMicro())
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		claimed = affected > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim app launch: %w", err)
	}
	return claimed, nil
}

// RecordDisplay remembers the display variables of the desktop app's
// session (DISPLAY, XAUTHORITY, ...), replacing the last ones. They outlive
// the app, so a proxy whose host gave it no display can start the window
// where the user last had it.
func (s *Store) RecordDisplay(ctx context.Context, env map[string]string) error {
	b, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("record display: %w", err)
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO app_display (id, env, recorded_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET env = excluded.env, recorded_at = excluded.recorded_at`,
		string(b), time.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("record display: %w", err)
	}
	return nil
}

// LastDisplay returns what RecordDisplay last recorded; nil when no app
// has recorded one. The values are as the app saw them: a caller checks
// them before use.
func (s *Store) LastDisplay(ctx context.Context) (map[string]string, error) {
	var text string
	err := s.reader.QueryRowContext(ctx, "SELECT env FROM app_display WHERE id = 1").Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read last display: %w", err)
	}
	var env map[string]string
	if err := json.Unmarshal([]byte(text), &env); err != nil {
		return nil, fmt.Errorf("read last display: %w", err)
	}
	return env, nil
}
