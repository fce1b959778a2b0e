package store

import (
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
