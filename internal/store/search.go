package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode"
)

// How a long search uses the trigram index. The index only narrows the
// rows down: every row it yields is checked against the search with the
// same LIKE a short search scans with, so a search of any length selects
// exactly the rows a plain LIKE over every call would.
//
// Asking the index for the whole search as one phrase reads the lists of
// every trigram in it with their positions; a path fragment such as
// "/home/user/" is made of trigrams found in nearly every row, and that
// read is what made a long search slow. A few of the search's trigrams
// that are rare in the index select nearly the same rows for a fraction of
// the reading.
const (
	// maxTerms is how many trigrams the index is asked for at most.
	maxTerms = 4
	// maxProbes bounds how many of a long search's trigrams are weighed.
	maxProbes = 16
	// probeRows is how far into a trigram's list, newest first, a probe
	// reads to estimate how common the trigram is.
	probeRows = 256
)

// querier runs reads; a read transaction or the reader pool.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// searchMatch returns the FTS5 query that narrows search down: its rarest
// trigrams (at most maxTerms), each quoted, joined with AND.
func searchMatch(ctx context.Context, q querier, search string) (string, error) {
	grams := trigrams(search)
	if len(grams) > maxTerms {
		var err error
		if grams, err = rarest(ctx, q, spread(grams, maxProbes), maxTerms); err != nil {
			return "", err
		}
	}
	quoted := make([]string, len(grams))
	for i, g := range grams {
		quoted[i] = ftsPhrase(g)
	}
	return strings.Join(quoted, " AND "), nil
}

// trigrams returns the distinct three-character windows of s, in order.
// Windows that differ only in case are one trigram to the index (it folds
// case), so only the first is kept.
func trigrams(s string) []string {
	runes := []rune(s)
	var out []string
	seen := map[string]bool{}
	for i := 0; i+3 <= len(runes); i++ {
		g := string(runes[i : i+3])
		key := strings.Map(unicode.ToLower, g)
		if !seen[key] {
			seen[key] = true
			out = append(out, g)
		}
	}
	return out
}

// spread picks n of grams evenly from first to last, so a long search is
// weighed along its whole length.
func spread(grams []string, n int) []string {
	if len(grams) <= n {
		return grams
	}
	out := make([]string, n)
	for i := range out {
		out[i] = grams[i*(len(grams)-1)/(n-1)]
	}
	return out
}

// rarest returns the n of grams with the fewest rows in the index. A probe
// reads at most probeRows of a trigram's list, newest first: a trigram
// with fewer rows is counted exactly; for one with more, the span of ids
// those rows cover tells how dense it is (a shorter span, a commoner
// trigram).
func rarest(ctx context.Context, q querier, grams []string, n int) ([]string, error) {
	var top int64
	if err := q.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM calls").Scan(&top); err != nil {
		return nil, err
	}
	type weighed struct {
		gram string
		rows float64 // estimated rows in the index
	}
	ws := make([]weighed, 0, len(grams))
	for _, g := range grams {
		var count, oldest int64
		err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(min(rowid), 0) FROM (
			SELECT rowid FROM calls_fts WHERE calls_fts MATCH ? ORDER BY rowid DESC LIMIT ?)`,
			ftsPhrase(g), probeRows).Scan(&count, &oldest)
		if err != nil {
			return nil, err
		}
		rows := float64(count)
		if count == probeRows {
			rows = float64(count) * float64(top) / float64(max(top-oldest+1, 1))
		}
		ws = append(ws, weighed{g, rows})
	}
	slices.SortStableFunc(ws, func(a, b weighed) int {
		switch {
		case a.rows < b.rows:
			return -1
		case a.rows > b.rows:
			return 1
		}
		return 0
	})
	out := make([]string, 0, n)
	for _, w := range ws[:min(n, len(ws))] {
		out = append(out, w.gram)
	}
	return out, nil
}
