package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// searchTexts are the pieces the rows of TestSearchMatchesPlainScan are
// made of: shared path parts (trigrams in most rows, as in a real log),
// case variants, non-ASCII letters, LIKE wildcards, quotes and backslashes.
var searchTexts = []string{
	"/home/user/", "docs/", "Invoice", "invoice", "INVOICE", "école", "École", "naïve", "日本語テキスト", "🔥fire",
	"100%", "50_50", "a_b%c", `say "hi"`, "it's", `C:\tmp\x`, "DROP TABLE users", "rm -rf build", "x", "ab",
}

// seedSearch writes n calls built from searchTexts; every seventh is still
// in flight (not in the search index yet).
func seedSearch(t *testing.T, s *Store, n int) []Call {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func() string { return searchTexts[rng.IntN(len(searchTexts))] }
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var calls []Call
	for i := range n {
		c := Call{
			Server:    []string{"fs", "github", "Postgres"}[rng.IntN(3)],
			Tool:      []string{"read_file", "write", "query"}[rng.IntN(3)],
			Arguments: fmt.Sprintf(`{"path":%q,"note":%q}`, pick()+pick()+fmt.Sprint(rng.IntN(50)), pick()),
			Summary:   pick() + " " + pick(),
		}
		if i%7 != 0 {
			c.Outcome = OutcomeOK
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO calls (started_at, server, tool, arguments, summary, outcome)
			VALUES (?, ?, ?, ?, ?, ?)`, i, c.Server, c.Tool, c.Arguments, c.Summary, c.Outcome)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return calls
}

// plainMatch is the reference: a substring of one of the four columns,
// ASCII letters in any case, every other character as is (SQLite's LIKE).
func plainMatch(c Call, search string) bool {
	needle := asciiLower(search)
	for _, field := range []string{c.Arguments, c.Summary, c.Server, c.Tool} {
		if strings.Contains(asciiLower(field), needle) {
			return true
		}
	}
	return false
}

// asciiLower is the test's own copy of LIKE's folding.
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestSearchMatchesPlainScan checks that a search selects exactly what a
// scan of every row would, for searches of every length: substrings of the
// rows in other cases, wildcards, quotes, non-ASCII text, long ones whose
// trigrams are weighed (more than maxTerms), and ones with a trigram no row
// has. The log is longer than walkRows, so each search is answered partly
// by the walk of the newest calls and partly by the index.
func TestSearchMatchesPlainScan(t *testing.T) {
	s, _ := openTemp(t)
	calls := seedSearch(t, s, 700)
	ctx := context.Background()

	searches := []string{
		"%", "_", "%_", "a_b", "50_", "0%", `"`, `"hi"`, `\`, `\tmp`, "'", "it's", "é", "É", "école", "ÉCOLE", "École",
		"naïve", "NAÏVE", "日本", "日本語テキスト", "🔥", "🔥FIRE", "/home/user/", "/HOME/USER/DOCS/", "invoice",
		"user/invoice", "/home/user/Invoice4", "/home/user/docs/INVOICE1", "drop table users", "rm -rf build users",
		"qqq", "/home/user/zzz", "x", "ab", "  ab  ", "fs", "github", "READ_FILE", `"path":"`, "query",
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 150 {
		c := calls[rng.IntN(len(calls))]
		text := []rune(c.Arguments + c.Summary)
		i := rng.IntN(len(text))
		j := min(len(text), i+1+rng.IntN(30))
		sub := []rune(string(text[i:j]))
		for k := range sub { // flip the case of some letters
			if rng.IntN(3) == 0 {
				sub[k] = []rune(strings.ToUpper(string(sub[k])))[0]
			}
		}
		searches = append(searches, string(sub))
	}

	for _, search := range searches {
		want := []int64{}
		for i := len(calls) - 1; i >= 0; i-- {
			if plainMatch(calls[i], strings.TrimSpace(search)) {
				want = append(want, calls[i].ID)
			}
		}
		got, err := s.Calls(ctx, Filter{Search: search, Limit: len(calls)})
		if err != nil {
			t.Fatalf("search %q: %v", search, err)
		}
		if !reflect.DeepEqual(ids(got), want) {
			t.Errorf("search %q: %d rows %v\nwant %d rows %v", search, len(got), ids(got), len(want), want)
			continue
		}
		// Pages of 7 with the keyset cursor add up to the same list.
		var paged []int64
		f := Filter{Search: search, Limit: 7}
		for {
			page, err := s.Calls(ctx, f)
			if err != nil {
				t.Fatalf("search %q page: %v", search, err)
			}
			paged = append(paged, ids(page)...)
			if len(page) < f.Limit {
				break
			}
			f.BeforeID = page[len(page)-1].ID
		}
		if !reflect.DeepEqual(append([]int64{}, paged...), want) {
			t.Errorf("search %q paged: %v\nwant %v", search, paged, want)
		}
	}

	// Filters apply to both the indexed and the in-flight rows.
	want := []int64{}
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Server == "github" && plainMatch(calls[i], "/home/user/") {
			want = append(want, calls[i].ID)
		}
	}
	got, err := s.Calls(ctx, Filter{Search: "/home/user/", Server: "github", Limit: len(calls)})
	if err != nil || !reflect.DeepEqual(ids(got), want) {
		t.Errorf("search with server filter: %v, err %v\nwant %v", ids(got), err, want)
	}
}

// TestSearchWithFiltersMatchesPlainScan: with filters few calls pass, the
// first walk ends at walkIDs ids and either walks on or hands over to the
// index, by how common the search looked; either way a search with filters
// selects exactly what a scan would. The log is longer than walkIDs; tier
// "destructive" passes one call in 37, tier "old" only calls far below the
// newest walkIDs (the first walk finds none).
func TestSearchWithFiltersMatchesPlainScan(t *testing.T) {
	s, _ := openTemp(t)
	calls := seedSearch(t, s, walkIDs+1500)
	ctx := context.Background()
	tiers := map[int64]string{}
	for i, c := range calls {
		switch {
		case c.ID%37 == 0:
			tiers[c.ID] = "destructive"
		case c.ID < 1000 && c.ID%5 == 0:
			tiers[c.ID] = "old"
		}
		// A server and a tool few calls have: the index is narrowed by
		// them (their names hold trigrams; "fs" does not).
		if c.ID%37 == 0 && c.ID%2 == 0 {
			calls[i].Server = "Jira-Prod"
		}
		if c.ID%37 == 0 && c.ID%3 == 0 {
			calls[i].Tool = "Delete_Issue"
		}
	}
	for _, c := range calls {
		if _, err := s.writer.ExecContext(ctx, "UPDATE calls SET tier = ?, server = ?, tool = ? WHERE id = ?",
			tiers[c.ID], c.Server, c.Tool, c.ID); err != nil {
			t.Fatal(err)
		}
	}

	filters := []Filter{
		{Search: "/home/user/", Tier: "destructive"}, // common search: walks on
		{Search: "/home/user/", Tier: "destructive", Server: "github"},
		{Search: "invoice", Tier: "destructive"}, // rarer: the index
		{Search: "Invoice4", Tier: "destructive", Server: "fs"},
		{Search: "日本語テキスト", Tier: "destructive"},
		{Search: "rm -rf build", Tier: "old"}, // nothing in the first walk
		{Search: "/home/user/docs", Tier: "old", Server: "Postgres"},
		{Search: "qqq", Tier: "destructive"},
		{Search: "/home/user/", Tier: "destructive", Server: "Jira-Prod", Tool: "Delete_Issue"},
		{Search: "invoice", Tier: "destructive", Server: "Jira-Prod"},
		{Search: "Prod", Tier: "destructive", Tool: "Delete_Issue"}, // the server's name is searched too
	}
	// Whole paths of calls below the first walk, each in a few calls at
	// most: the first walk matches none of them and hands over to the index.
	for _, c := range calls {
		if tiers[c.ID] == "destructive" && c.ID < 1400 && len(filters) < 24 {
			_, rest, _ := strings.Cut(c.Arguments, `{"path":"`)
			path, _, _ := strings.Cut(rest, `","note"`)
			filters = append(filters, Filter{Search: path, Tier: "destructive"},
				Filter{Search: path, Tier: "destructive", Server: c.Server, Tool: c.Tool})
		}
	}
	for _, f := range filters {
		want := []int64{}
		for i := len(calls) - 1; i >= 0; i-- {
			c := calls[i]
			if tiers[c.ID] == f.Tier && (f.Server == "" || c.Server == f.Server) && (f.Tool == "" || c.Tool == f.Tool) &&
				plainMatch(c, f.Search) {
				want = append(want, c.ID)
			}
		}
		for _, limit := range []int{len(calls), 7} {
			got := pagedIDs(t, s, f, limit)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("search %q tier %q server %q tool %q, pages of %d:\n got %v\nwant %v",
					f.Search, f.Tier, f.Server, f.Tool, limit, got, want)
			}
		}
	}
}

// pagedIDs reads every call f selects in pages of limit, each page after
// the last id of the one before, as the History screen scrolls.
func pagedIDs(t *testing.T, s *Store, f Filter, limit int) []int64 {
	t.Helper()
	got := []int64{}
	f.Limit = limit
	for {
		cs, err := s.Calls(context.Background(), f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		got = append(got, ids(cs)...)
		if len(cs) < limit {
			return got
		}
		f.BeforeID = cs[len(cs)-1].ID
	}
}

// TestTrigramMatch: the index is asked for the rarest trigram and then only
// for trigrams that narrow the calls weighed down further (or that none of
// them had), at most maxTerms.
func TestTrigramMatch(t *testing.T) {
	weigh := func(search string, texts ...string) string {
		w := newTrigramWeights(search)
		for _, text := range texts {
			w.add(Call{Arguments: text})
		}
		return w.match()
	}
	var texts []string
	for i := range 100 {
		// "o/t" in 8 calls, always with "/ta" and "tan"; "kil" in 24,
		// 4 of them with "o/t".
		switch {
		case i%25 == 0:
			texts = append(texts, "/home/user/kilo/tango")
		case i%25 == 1:
			texts = append(texts, "/home/user/echo/tango")
		case i%5 == 2:
			texts = append(texts, "/home/user/kilo/alpha")
		default:
			texts = append(texts, "/home/user/delta/tango")
		}
	}
	tests := []struct {
		name, search string
		texts        []string
		want         string
	}{
		{"rarest, then what narrows", "kilo/tango", texts, `"o/t" AND "kil"`},
		{"nothing weighed: the first maxTerms", "abcdefg", nil, `"abc" AND "bcd" AND "cde" AND "def"`},
		{"trigrams no call had are cheap to add", "kilo/zzz", texts, `"o/z" AND "/zz" AND "zzz"`},
		{"one trigram", "kil", texts, `"kil"`},
	}
	for _, tt := range tests {
		if got := weigh(tt.search, tt.texts...); got != tt.want {
			t.Errorf("%s: match(%q) = %s, want %s", tt.name, tt.search, got, tt.want)
		}
	}
}

func TestTrigrams(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"ab", nil},
		{"abc", []string{"abc"}},
		{"abcABC", []string{"abc", "bcA", "cAB"}}, // "ABC" is "abc" to the index
		{"日本語テ", []string{"日本語", "本語テ"}},
	}
	for _, tt := range tests {
		if got := trigrams(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("trigrams(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTimeRangeWithLateCalls: a time range is walked by id between the
// calls that started first and last in it; calls recorded late (ids above
// calls that started after them) must be found beyond both bounds.
func TestTimeRangeWithLateCalls(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	base := time.Now().Add(-1000 * time.Minute)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id      int64
		started time.Time
		tier    string
		args    string
	}
	var rows []row
	for i := range 400 {
		r := row{started: base.Add(time.Duration(i) * time.Minute), tier: []string{"read", "write"}[i%2],
			args: fmt.Sprintf(`{"path":"/home/user/f%d"}`, i%13)}
		switch {
		case i%10 == 0:
			r.started = r.started.Add(-120 * time.Minute) // recorded two hours late
		case i == 301:
			r.started = base // recorded very late: it cannot be in the range
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO calls (started_at, server, tool, tier, arguments, outcome)
			VALUES (?, 'fs', 't', ?, ?, 'ok')`, r.started.UnixMicro(), r.tier, r.args)
		if err != nil {
			t.Fatal(err)
		}
		if r.id, err = res.LastInsertId(); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	since := base.Add(250 * time.Minute)
	// Calls 230..310 started in it but were recorded after the last call
	// that started in it (an upper bound is used: most calls are newer).
	from, to := base.Add(105*time.Minute), base.Add(200*time.Minute)
	for _, f := range []Filter{
		{Since: since},
		{Since: since, Tier: "write"},
		{Since: since, Search: "f1"},            // short search: scanned
		{Since: since, Search: "/home/user/f1"}, // long search: walk, then the index
		{Since: since, Search: "/home/user/f12", Tier: "read"},
		{Since: base.Add(2000 * time.Minute)}, // nothing in the range
		{Since: from, Until: to},
		{Since: from, Until: to, Tier: "read"},
		{Since: from, Until: to, Search: "/home/user/f1"},
		{Since: since, Until: base.Add(350 * time.Minute)}, // the first call to start was recorded last
		{Until: to},
		{Until: to, Tier: "read"},
		{Until: to, Search: "/home/user/f1"},
		{Until: base.Add(350 * time.Minute)},
		{Until: base.Add(-60 * time.Minute)},        // one call in order, five late ones
		{Since: base, Until: base.Add(time.Minute)}, // only the very late call
		{Since: base, Until: base.Add(time.Minute), Search: "/home/user/f"},
	} {
		want := []int64{}
		for i := len(rows) - 1; i >= 0; i-- {
			r := rows[i]
			inRange := !r.started.Before(f.Since) && (f.Until.IsZero() || r.started.Before(f.Until))
			if inRange && (f.Tier == "" || r.tier == f.Tier) && strings.Contains(r.args, f.Search) {
				want = append(want, r.id)
			}
		}
		for _, limit := range []int{1000, 7} {
			got := pagedIDs(t, s, f, limit)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("since %v until %v tier %q search %q, pages of %d:\n got %v\nwant %v",
					f.Since.Sub(base), f.Until.Sub(base), f.Tier, f.Search, limit, got, want)
			}
		}
	}
}

// TestLateMarks: a call is marked late when a call recorded before it
// started after it, by migration 10 for the calls recorded before it and by
// its trigger since; ties in start time are not late.
func TestLateMarks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	db, err := sql.Open("sqlite", uriPath(path)+"?"+writerParams)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, m := range migrations[:9] {
		if _, err := db.ExecContext(ctx, m); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 9"); err != nil {
		t.Fatal(err)
	}
	insert := func(db *sql.DB, starts ...int64) {
		t.Helper()
		for _, at := range starts {
			if _, err := db.ExecContext(ctx, `INSERT INTO calls (started_at, server, tool, arguments, outcome)
				VALUES (?, 'fs', 't', '{}', 'ok')`, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert(db, 10, 20, 15, 30, 5, 40, 40, 35) // ids 1-8: 3, 5 and 8 late
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	insert(s.writer, 50, 45, 50, 1) // ids 9-12: 10 and 12 late
	var late []int64
	rows, err := s.reader.QueryContext(ctx, "SELECT id FROM calls WHERE late = 1 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		late = append(late, id)
	}
	if want := []int64{3, 5, 8, 10, 12}; !reflect.DeepEqual(late, want) {
		t.Errorf("late calls = %v, want %v", late, want)
	}

	// And a range finds them: started in [10, 40) are 1, 2, 3, 4, 8.
	got, err := s.Calls(ctx, Filter{Since: time.UnixMicro(10), Until: time.UnixMicro(40), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{8, 4, 3, 2, 1}; !reflect.DeepEqual(ids(got), want) {
		t.Errorf("calls started in [10, 40) = %v, want %v", ids(got), want)
	}
}
