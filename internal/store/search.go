package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode"
)

// How a search of minTrigram characters or more is answered (eachCall).
// The trigram index only narrows rows down: every row is checked against
// the search with the LIKE a short search scans with, so a search of any
// length selects exactly the rows a plain LIKE over every call would.
//
// Asking the index for the whole search as one phrase reads the lists of
// every trigram in it with their positions; a path fragment such as
// "/home/user/" is made of trigrams found in nearly every row, and that
// read is what made a long search slow. Such a search needs no index: the
// newest calls, walked first, fill a page at once. Below them, a few of the
// search's trigrams that are rare among those calls select nearly the same
// rows as the whole search for a fraction of the reading. Weighing them on
// calls already read costs no query; probing the index trigram by trigram
// would (each probe seeks in every segment of the index). Old calls unlike
// the newest ones can make a search slower, never its result wrong.
const (
	// maxTerms is how many trigrams the index is asked for at most.
	maxTerms = 4
	// maxWeighed bounds how many of a long search's trigrams are weighed
	// (at most 64: trigramWeights keeps them as bits).
	maxWeighed = 32
)

// trigramWeights counts, for each trigram of a search, the calls it
// appears in, and keeps which trigrams each call had.
type trigramWeights struct {
	grams  []string // as typed: the index folds case itself
	keys   []string // lowered, to count
	counts []int
	calls  []uint64 // per call weighed, bit i: it has grams[i] (maxWeighed <= 64)
}

func newTrigramWeights(search string) *trigramWeights {
	w := &trigramWeights{grams: spread(trigrams(search), maxWeighed)}
	for _, g := range w.grams {
		w.keys = append(w.keys, strings.ToLower(g))
	}
	w.counts = make([]int, len(w.grams))
	return w
}

// add counts the trigrams in c's searched text.
func (w *trigramWeights) add(c Call) {
	text := strings.ToLower(c.Arguments + "\x00" + c.Summary + "\x00" + c.Server + "\x00" + c.Tool)
	var has uint64
	for i, k := range w.keys {
		if strings.Contains(text, k) {
			w.counts[i]++
			has |= 1 << i
		}
	}
	w.calls = append(w.calls, has)
}

// match is the FTS5 query of a few of the trigrams (at most maxTerms), each
// quoted, joined with AND: the rarest, then each next rarest that narrows
// the calls weighed down further, or that no call weighed had. A trigram
// found wherever the chosen ones are (the "tan" of "tango" beside "o/t")
// narrows nothing and costs the index a long list to read: it is left out.
func (w *trigramWeights) match() string {
	order := make([]int, len(w.grams))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return w.counts[a] - w.counts[b] })
	quoted := make([]string, 0, maxTerms)
	var chosen uint64
	left := len(w.calls) // calls weighed that have every chosen trigram
	for _, i := range order {
		if len(quoted) == maxTerms {
			break
		}
		with := 0
		for _, has := range w.calls {
			if has&chosen == chosen && has&(1<<i) != 0 {
				with++
			}
		}
		if len(quoted) > 0 && w.counts[i] > 0 && with == left {
			continue
		}
		chosen |= 1 << i
		left = with
		quoted = append(quoted, ftsPhrase(w.grams[i]))
	}
	return strings.Join(quoted, " AND ")
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

// walkRows is how many calls a search walks before the index takes over.
// A search one in four calls match fills a page of 50 within them.
const walkRows = 200

// walkIDs bounds the first walk to the newest ids: with filters few calls
// pass, 200 of them can lie thousands of calls deep, and reading those for
// a search the index answers at once was most of a slow search.
const walkIDs = 2000

// walkSearch sends the calls search selects, newest first, until send
// refuses more; b are rangeBounds'.
//
// It walks the newest calls (at most walkRows that pass the filters, within
// walkIDs ids), marking those the search matches. When the filters, not the
// search, thinned them out (the search matched as large a share of the
// calls that passed as passed of all calls), walking on fills the page
// sooner than the index would, and the walk goes on to walkRows calls.
// Below the walk, the index narrows the rest down.
func (s *Store) walkSearch(ctx context.Context, tx *sql.Tx, f Filter, limit int, b idBounds, search string, send func(Call) error) error {
	top := f.BeforeID
	if top <= 0 {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM calls").Scan(&top); err != nil {
			return err
		}
	}
	if b.hi > 0 {
		top = min(top, b.hi+1)
	}
	bottom := max(b.lo, 1) // the lowest id the walk by id can reach
	floor := max(top-walkIDs, bottom)
	window := b
	window.lo = floor
	f.BeforeID = top
	weigh := newTrigramWeights(search)
	walked, hits, last, err := walkMarked(ctx, tx, f, walkRows, window, weigh, send)
	if err != nil {
		return err
	}
	below := last // the index's walk starts below this id
	if walked < walkRows {
		if floor <= bottom {
			return nil // every call was walked
		}
		below = floor
		spanned := top - floor
		if walked == 0 || int64(hits)*spanned >= int64(walked)*int64(walked) {
			f.BeforeID = floor
			more, _, last, err := walkMarked(ctx, tx, f, walkRows-walked, b, weigh, send)
			if err != nil {
				return err
			}
			if more < walkRows-walked {
				return nil // every call was walked
			}
			walked, below = walked+more, last
		}
	}
	var narrow []string // terms for the filters' columns in the search index
	if walked < walkRows/4 {
		// The filters let few calls through: weigh the trigrams on the
		// newest calls too, or the index is asked for common ones.
		sample, err := weighRecent(ctx, tx, top, weigh)
		if err != nil {
			return err
		}
		// A server or tool filter that few calls pass narrows the index's
		// hits down before their rows are read: the index holds those
		// columns too. One trigram of the name is enough; the row is still
		// checked for the name itself.
		for _, col := range []struct {
			name, value string
			of          func(Call) string
		}{
			{"server", f.Server, func(c Call) string { return c.Server }},
			{"tool", f.Tool, func(c Call) string { return c.Tool }},
		} {
			same := 0
			for _, c := range sample {
				if col.of(c) == col.value {
					same++
				}
			}
			if g := trigrams(col.value); len(g) > 0 && len(sample) > 0 && same*4 <= len(sample) {
				narrow = append(narrow, "{"+col.name+"} : "+ftsPhrase(g[0]))
			}
		}
	}

	// Below them, the index narrows the rest down.
	f.BeforeID = below
	var inFlight []Call
	if f.Outcome == "" { // in-flight calls have no outcome to filter on
		q, args := callQuery(f, limit, unfinishedCalls, "", b)
		if err := eachRow(ctx, tx, q, args, func(c Call) error {
			inFlight = append(inFlight, c)
			return nil
		}); err != nil {
			return err
		}
	}
	q, args := callQuery(f, limit, indexedCalls, strings.Join(append([]string{weigh.match()}, narrow...), " AND "), b)
	err = eachRow(ctx, tx, q, args, func(c Call) error {
		for len(inFlight) > 0 && inFlight[0].ID > c.ID {
			if err := send(inFlight[0]); err != nil {
				return err
			}
			inFlight = inFlight[1:]
		}
		return send(c)
	})
	for _, c := range inFlight {
		if err == nil {
			err = send(c)
		}
	}
	return err
}

// weighSample is how many of the newest calls weighRecent reads: enough to
// tell a trigram in one call in a hundred from one in ten.
const weighSample = 400

// weighRecent weighs a search's trigrams on the newest calls below top,
// whatever the filters, and returns them (the text searched only).
func weighRecent(ctx context.Context, tx *sql.Tx, top int64, weigh *trigramWeights) ([]Call, error) {
	rows, err := tx.QueryContext(ctx, `SELECT arguments, summary, server, tool FROM calls WHERE id < ?
		ORDER BY id DESC LIMIT ?`, top, weighSample)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sample []Call
	for rows.Next() {
		var c Call
		if err := rows.Scan(&c.Arguments, &c.Summary, &c.Server, &c.Tool); err != nil {
			return nil, err
		}
		weigh.add(c)
		sample = append(sample, c)
	}
	return sample, rows.Err()
}

// walkMarked walks at most n calls f selects within b, newest first, each
// marked matching the search or not; it weighs the search's trigrams on
// them and sends the matching ones. It returns how many it walked and
// matched and the last id walked.
func walkMarked(ctx context.Context, tx *sql.Tx, f Filter, n int, b idBounds, weigh *trigramWeights, send func(Call) error) (walked, hits int, last int64, err error) {
	q, args := callQuery(f, n, markedCalls, "", b)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var hit bool
		c, err := scanCall(rows, &hit)
		if err != nil {
			return walked, hits, last, err
		}
		walked, last = walked+1, c.ID
		weigh.add(c)
		if hit {
			hits++
			if err := send(c); err != nil {
				return walked, hits, last, err
			}
		}
	}
	return walked, hits, last, rows.Err()
}
