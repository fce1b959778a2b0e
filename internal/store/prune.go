package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PruneBatch is how many rows one pruning transaction deletes. Each batch
// holds the write lock briefly (a deleted call also leaves the search
// index), so proxies recording calls in between wait milliseconds, not for
// the whole prune.
const PruneBatch = 500

// Pruned counts what Prune deleted, or would delete.
type Pruned struct {
	Calls    int64
	Requests int64 // answered, expired or withdrawn requests
}

// Prunable counts the finished calls started before cutoff and the closed
// requests created before it: what Prune(cutoff) would delete now.
func (s *Store) Prunable(ctx context.Context, cutoff time.Time) (Pruned, error) {
	var p Pruned
	at := cutoff.UnixMicro()
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM calls WHERE started_at < ? AND outcome != ''", at).Scan(&p.Calls); err != nil {
		return p, fmt.Errorf("count old calls: %w", err)
	}
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM requests WHERE created_at < ? AND status != ?",
		at, RequestPending).Scan(&p.Requests); err != nil {
		return p, fmt.Errorf("count old requests: %w", err)
	}
	return p, nil
}

// Prune deletes the finished calls started before cutoff (their
// search-index rows go with them, by trigger) and the requests created
// before it that are no longer pending, PruneBatch rows per transaction. A
// request still pending stays whatever its age: a proxy may be waiting on
// it. So does a call without an outcome: it is running or waiting (its
// proxy would finish a record that is gone), or its proxy died while it
// ran, which the audit log must go on showing. Cancelling ctx
// stops between batches; what was deleted stays deleted.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (Pruned, error) {
	var p Pruned
	at := cutoff.UnixMicro()
	steps := []struct {
		count *int64
		what  string
		query string
		args  []any
	}{
		{&p.Calls, "calls", `DELETE FROM calls WHERE id IN
			(SELECT id FROM calls WHERE started_at < ? AND outcome != '' ORDER BY started_at LIMIT ?)`, []any{at, PruneBatch}},
		{&p.Requests, "requests", `DELETE FROM requests WHERE id IN
			(SELECT id FROM requests WHERE created_at < ? AND status != ? ORDER BY created_at LIMIT ?)`,
			[]any{at, RequestPending, PruneBatch}},
	}
	for _, step := range steps {
		for {
			if err := ctx.Err(); err != nil {
				return p, err
			}
			var n int64
			err := s.tx(ctx, func(tx *sql.Tx) error {
				res, err := tx.ExecContext(ctx, step.query, step.args...)
				if err != nil {
					return err
				}
				n, err = res.RowsAffected()
				return err
			})
			if err != nil {
				return p, fmt.Errorf("prune old %s: %w", step.what, err)
			}
			*step.count += n
			if n < PruneBatch {
				break
			}
		}
	}
	return p, nil
}
