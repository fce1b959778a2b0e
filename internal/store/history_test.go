package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// seedHistory writes a small, varied log: ids 1..len(calls), one minute apart.
func seedHistory(t *testing.T, s *Store, base time.Time) []Call {
	t.Helper()
	ctx := context.Background()
	calls := []Call{
		{Server: "fs", Tool: "read_file", Tier: "read", Decision: "allow", Arguments: `{"path":"/home/u/notes.md"}`, Summary: "Read file ~/notes.md"},
		{Server: "fs", Tool: "write_file", Tier: "write", Decision: "allow", DecidedBy: "user", Arguments: `{"path":"/home/u/Invoice.txt"}`, Summary: "Write file ~/Invoice.txt"},
		{Server: "db", Tool: "query", Tier: "destructive", Decision: "deny", Arguments: `{"sql":"DROP TABLE users"}`, Summary: "Run SQL on db: DROP TABLE users"},
		{Server: "shell", Tool: "run", Tier: "destructive", Decision: "allow", Arguments: `{"cmd":"rm -rf build"}`, Summary: "Run shell: rm -rf build"},
		{Server: "fs", Tool: "read_file", Tier: "read", Decision: "allow", Arguments: `{"path":"100%_done\"quoted\" ok"}`, Summary: "=cmd|' /C calc'!A0"},
	}
	outcomes := []string{OutcomeOK, OutcomeOK, OutcomeDenied, OutcomeToolError, OutcomeOK}
	for i := range calls {
		calls[i].Time = base.Add(time.Duration(i) * time.Minute)
		if _, err := s.BeginCall(ctx, &calls[i]); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishCall(ctx, calls[i].ID, outcomes[i], "", time.Millisecond); err != nil {
			t.Fatal(err)
		}
		calls[i].Outcome = outcomes[i]
	}
	return calls
}

func ids(cs []Call) []int64 {
	out := []int64{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestHistoryFilters(t *testing.T) {
	s, _ := openTemp(t)
	base := time.Date(2026, 3, 1, 23, 58, 0, 0, time.UTC)
	seedHistory(t, s, base)

	tests := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"all newest first", Filter{}, []int64{5, 4, 3, 2, 1}},
		{"server", Filter{Server: "fs"}, []int64{5, 2, 1}},
		{"server and tool", Filter{Server: "fs", Tool: "read_file"}, []int64{5, 1}},
		{"tier", Filter{Tier: "destructive"}, []int64{4, 3}},
		{"decision", Filter{Decision: "deny"}, []int64{3}},
		{"outcome", Filter{Outcome: OutcomeOK}, []int64{5, 2, 1}},
		{"since and until", Filter{Since: base.Add(time.Minute), Until: base.Add(3 * time.Minute)}, []int64{3, 2}},
		{"keyset page", Filter{BeforeID: 4, Limit: 2}, []int64{3, 2}},
		{"search arguments, any case", Filter{Search: "invoice"}, []int64{2}},
		{"search summary", Filter{Search: "DROP TAB"}, []int64{3}},
		{"search tool", Filter{Search: "write_f"}, []int64{2}},
		{"search syntax is literal", Filter{Search: `\"quoted\" ok`}, []int64{5}},
		{"search NEAR/AND are text", Filter{Search: "rm AND x"}, []int64{}},
		{"search with filters and paging", Filter{Search: "read_file", BeforeID: 5}, []int64{1}},
		{"short search scans", Filter{Search: "rm"}, []int64{4}},
		{"short search LIKE wildcards are literal", Filter{Search: "%_"}, []int64{5}},
		{"search and tier", Filter{Search: "/home/u", Tier: "write"}, []int64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Calls(context.Background(), tt.f)
			if err != nil {
				t.Fatalf("Calls: %v", err)
			}
			if g := ids(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("ids = %v, want %v", g, tt.want)
			}
		})
	}
}

func TestHistorySearchFollowsUpdates(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	c := &Call{Server: "fs", Tool: "t", Arguments: `{"a":"before-text"}`}
	if _, err := s.BeginCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	// A call enters the search index when it finishes (off the call's
	// critical path); a search finds it before that too.
	var indexed int
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM calls_fts WHERE calls_fts MATCH '"before-text"'`).Scan(&indexed); err != nil || indexed != 0 {
		t.Errorf("an unfinished call is already indexed (%d rows, err %v)", indexed, err)
	}
	if got, _ := s.Calls(ctx, Filter{Search: "before-text"}); len(got) != 1 {
		t.Errorf("an unfinished call is not found: %d rows", len(got))
	}
	if err := s.FinishCall(ctx, c.ID, OutcomeOK, "", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Calls(ctx, Filter{Search: "before-text"}); len(got) != 1 {
		t.Errorf("a finished call is not searchable: %d rows", len(got))
	}
	if _, err := s.writer.ExecContext(ctx, `UPDATE calls SET arguments = '{"a":"after-text"}' WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	for search, want := range map[string]int{"before-text": 0, "after-text": 1} {
		got, err := s.Calls(ctx, Filter{Search: search})
		if err != nil || len(got) != want {
			t.Errorf("search %q: %d rows, err %v; want %d", search, len(got), err, want)
		}
	}
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM calls WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Calls(ctx, Filter{Search: "after-text"}); err != nil || len(got) != 0 {
		t.Errorf("after delete: %d rows, err %v", len(got), err)
	}
	// The external-content index must agree with its table.
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO calls_fts(calls_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("fts integrity-check: %v", err)
	}
}

func TestCallsPerDay(t *testing.T) {
	s, _ := openTemp(t)
	base := time.Date(2026, 3, 1, 23, 58, 0, 0, time.UTC) // calls 3..5 fall on March 2 (UTC)
	seedHistory(t, s, base)
	ctx := context.Background()

	got, err := s.CallsPerDay(ctx, base.Add(-time.Hour), base.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []DayCount{
		{"2026-03-01", "read", "allow", 1},
		{"2026-03-01", "write", "allow", 1},
		{"2026-03-02", "destructive", "allow", 1},
		{"2026-03-02", "destructive", "deny", 1},
		{"2026-03-02", "read", "allow", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UTC days = %v\nwant %v", got, want)
	}

	// Two hours east, every call is on March 2.
	east := time.FixedZone("east", 2*3600)
	got, err = s.CallsPerDay(ctx, base.Add(-time.Hour).In(east), base.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		if d.Day != "2026-03-02" {
			t.Errorf("east day = %v, want all on 2026-03-02", d)
		}
	}
}

func TestExportCalls(t *testing.T) {
	s, _ := openTemp(t)
	seedHistory(t, s, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()

	var buf bytes.Buffer
	if err := s.ExportCalls(ctx, Filter{Server: "fs"}, &buf, FormatCSV); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read CSV back: %v", err)
	}
	if len(records) != 4 || !reflect.DeepEqual(records[0], exportColumns) {
		t.Fatalf("CSV = %d records, header %v", len(records), records[0])
	}
	col := func(name string) int {
		for i, c := range exportColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	newest := records[1]
	if newest[col("id")] != "5" || newest[col("summary")] != "'=cmd|' /C calc'!A0" {
		t.Errorf("newest row = %q; want id 5 with the formula neutralised", newest)
	}
	if newest[col("arguments")] != `{"path":"100%_done\"quoted\" ok"}` {
		t.Errorf("arguments = %q", newest[col("arguments")])
	}

	buf.Reset()
	if err := s.ExportCalls(ctx, Filter{Tier: "destructive"}, &buf, FormatJSON); err != nil {
		t.Fatal(err)
	}
	var rows []exportedCall
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatalf("JSON export does not parse: %v\n%s", err, buf.String())
	}
	if len(rows) != 2 || rows[0].ID != 4 || rows[1].Arguments != `{"sql":"DROP TABLE users"}` || rows[1].Outcome != OutcomeDenied {
		t.Errorf("JSON rows = %+v", rows)
	}

	buf.Reset()
	if err := s.ExportCalls(ctx, Filter{Server: "none"}, &buf, FormatJSON); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty JSON export = %q, %v", buf.String(), err)
	}
	if err := s.ExportCalls(ctx, Filter{}, &buf, "xml"); err == nil {
		t.Error("unknown format: no error")
	}
}

func TestCellText(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"plain": "plain", "": "", "a=b": "a=b",
	} {
		if got := cellText(in); got != want {
			t.Errorf("cellText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHistorySearchFindsRowsRecordedFinished(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO calls (started_at, server, tool, arguments, outcome)
		VALUES (1, 'fs', 't', '{"a":"imported-row"}', 'ok')`); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Calls(ctx, Filter{Search: "imported-row"}); err != nil || len(got) != 1 {
		t.Fatalf("search: %d rows, %v", len(got), err)
	}
}
