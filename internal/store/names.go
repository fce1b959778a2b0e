package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ToolName is one server and tool pair that occurs in the audit log.
type ToolName struct {
	Server, Tool string
}

// CallNames returns the distinct server and tool pairs of the logged calls,
// sorted by server then tool, at most max of them (max <= 0: no cap). The
// History screen offers them as suggestions for its exact-match filters.
//
// It never reads the rows: each step seeks in calls_server_tool (server,
// tool, id) to the first entry after the previous pair, so the cost grows
// with the number of pairs (a few dozen) and not with the calls (a million).
// SELECT DISTINCT would walk the whole index.
func (s *Store) CallNames(ctx context.Context, max int) ([]ToolName, error) {
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	defer tx.Rollback() // read only: one snapshot for all the seeks
	next, err := tx.PrepareContext(ctx, `SELECT server, tool FROM calls INDEXED BY calls_server_tool
		WHERE (server, tool) > (?, ?) ORDER BY server, tool LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	defer next.Close()
	// Every pair is greater than ("", ""), except that one, which names
	// nothing worth suggesting.
	var out []ToolName
	cur := ToolName{}
	for max <= 0 || len(out) < max {
		err := next.QueryRowContext(ctx, cur.Server, cur.Tool).Scan(&cur.Server, &cur.Tool)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			return nil, fmt.Errorf("read call names: %w", err)
		}
		out = append(out, cur)
	}
	return out, nil
}
