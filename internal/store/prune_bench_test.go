package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPruneBatch measures one pruning transaction: PruneBatch old,
// finished calls (each with a search-index entry) deleted in one go. That
// is the longest a proxy recording a call waits on a prune.
func BenchmarkPruneBatch(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "airlock.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	old := time.Now().Add(-400 * 24 * time.Hour)
	seed := func() {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for i := range PruneBatch {
				c := Call{Time: old.Add(time.Duration(i) * time.Second), Server: "filesystem", Tool: "write_file",
					Decision: DecisionAllow, Outcome: OutcomeOK,
					Arguments: `{"path":"/home/user/projects/report-` + string(rune('a'+i%26)) + `.md","content":"quarterly numbers"}`,
					Summary:   "Write file ~/projects/report.md"}
				if err := s.insertCallTx(ctx, tx, &c); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, finishCallSQL, OutcomeOK, "", 1000, c.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	cutoff := time.Now().Add(-90 * 24 * time.Hour)
	for b.Loop() {
		b.StopTimer()
		seed()
		b.StartTimer()
		n, err := s.Prune(ctx, cutoff)
		if err != nil || n.Calls != PruneBatch {
			b.Fatalf("pruned %+v, %v", n, err)
		}
	}
}
