package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ToolName is one server and tool pair that occurs in the audit log. More
// marks the last pair listed of a server whose other tools were left out.
type ToolName struct {
	Server, Tool string
	More         bool
}

// CallNames returns the distinct server and tool pairs of the logged calls,
// sorted by server then tool: at most perServer tools of each server and max
// pairs in all (a bound <= 0: no cap). The History screen offers them as
// suggestions for its exact-match filters. The cap per server keeps the walk
// fair: a server that logs thousands of made-up tool names would otherwise
// use up max and hide every server sorted after it.
//
// It never reads the rows: each step seeks in calls_server_tool (server,
// tool, id) to the first entry after the previous pair, or past the whole
// server once it has its perServer tools, so the cost grows with the pairs
// listed (a few dozen) and not with the calls (a million). SELECT DISTINCT
// would walk the whole index.
func (s *Store) CallNames(ctx context.Context, perServer, max int) ([]ToolName, error) {
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	defer tx.Rollback() // read only: one snapshot for all the seeks
	// Two seeks, each a plain key comparison: the next tool of the same
	// server, else the first pair of the next server. (A row-value
	// comparison, (server, tool) > (?, ?), seeks on server only and then
	// walks the server's calls: a fifth of a second on a million calls.)
	sameServer, err := tx.PrepareContext(ctx, `SELECT tool FROM calls INDEXED BY calls_server_tool
		WHERE server = ? AND tool > ? ORDER BY tool LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	defer sameServer.Close()
	nextServer, err := tx.PrepareContext(ctx, `SELECT server, tool FROM calls INDEXED BY calls_server_tool
		WHERE server > ? ORDER BY server, tool LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	defer nextServer.Close()
	// The walk starts above the server "": an empty name filters nothing,
	// so it is no suggestion.
	var out []ToolName
	var cur ToolName
	listed := 0 // of cur.Server
	err = nextServer.QueryRowContext(ctx, "").Scan(&cur.Server, &cur.Tool)
	for err == nil {
		out = append(out, cur)
		listed++
		err = sameServer.QueryRowContext(ctx, cur.Server, cur.Tool).Scan(&cur.Tool)
		full := max > 0 && len(out) >= max
		if err == nil && (full || perServer > 0 && listed >= perServer) {
			out[len(out)-1].More = true // a next tool exists but is not listed
		}
		if full {
			break
		}
		if errors.Is(err, sql.ErrNoRows) || out[len(out)-1].More {
			listed = 0
			err = nextServer.QueryRowContext(ctx, cur.Server).Scan(&cur.Server, &cur.Tool)
		}
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read call names: %w", err)
	}
	return out, nil
}
