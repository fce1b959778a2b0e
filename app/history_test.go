package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

func TestHistoryPagesFiltersAndExports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	c := NewCalls(path)
	defer c.shutdown()
	h := NewHistory(c.open)

	// Before any proxy ran: empty, and nothing is created.
	page, err := h.History(HistoryFilter{})
	if err != nil || page.Calls == nil || len(page.Calls) != 0 || page.NextBeforeID != 0 {
		t.Fatalf("History before the database = %+v, %v", page, err)
	}

	proxy, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	ctx := context.Background()
	now := time.Now()
	for i := range 5 {
		tier := "read"
		if i%2 == 1 {
			tier = "write"
		}
		call := &store.Call{Time: now.Add(time.Duration(i-5) * time.Minute), Server: "fs", Tool: "t", Tier: tier,
			Decision: "allow", DecidedBy: "user", Reasons: []string{"why"}, Summary: "=HYPERLINK(\"x\")",
			Arguments: `{"n":` + string(rune('0'+i)) + `}`}
		if _, err := proxy.BeginCall(ctx, call); err != nil {
			t.Fatal(err)
		}
	}

	page, err = h.History(HistoryFilter{Tier: "read", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Calls) != 2 || page.Calls[0].ID != 5 || page.NextBeforeID != 3 {
		t.Fatalf("first page = %+v", page)
	}
	if got := page.Calls[0]; got.DecidedBy != "user" || len(got.Reasons) != 1 || got.Summary == "" {
		t.Errorf("detail fields missing: %+v", got)
	}
	page, err = h.History(HistoryFilter{Tier: "read", Limit: 2, BeforeID: page.NextBeforeID})
	if err != nil || len(page.Calls) != 1 || page.Calls[0].ID != 1 || page.NextBeforeID != 0 {
		t.Fatalf("last page = %+v, %v", page, err)
	}
	if _, err := h.History(HistoryFilter{Since: "yesterday"}); err == nil {
		t.Error("a malformed time is not an error")
	}

	dir := t.TempDir()
	h.exportDir = func() (string, error) { return dir, nil }
	h.now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	first, err := h.Export(HistoryFilter{Tier: "write"}, "json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.Export(HistoryFilter{Tier: "write"}, "json")
	if err != nil || first == second || filepath.Base(first) != "airlock-history-20260301-120000.json" {
		t.Fatalf("exports %q, %q, %v: want distinct timestamped files", first, second, err)
	}
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(data, &rows); err != nil || len(rows) != 2 {
		t.Fatalf("export = %d rows, %v", len(rows), err)
	}
	csvPath, err := h.Export(HistoryFilter{}, "csv")
	if err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(csvPath)
	if !strings.Contains(string(data), `'=HYPERLINK`) {
		t.Errorf("CSV export does not neutralise formulas:\n%s", data)
	}
	if _, err := h.Export(HistoryFilter{}, "html"); err == nil {
		t.Error("unknown format: no error")
	}

	h.now = time.Now
	days, err := h.CallsPerDay(7)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range days {
		total += d.Count
	}
	if total != 5 {
		t.Errorf("CallsPerDay total = %d (%+v), want 5", total, days)
	}
}

func TestHistoryNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	c := NewCalls(path)
	defer c.shutdown()
	h := NewHistory(c.open)

	// Before any proxy ran: an empty list (not null), and nothing is created.
	names, err := h.Names()
	if err != nil || names == nil || len(names) != 0 {
		t.Fatalf("Names before the database = %#v, %v", names, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Names created the database: %v", err)
	}

	proxy, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	for _, n := range [][2]string{{"memory", "read_graph"}, {"mem", "create_entities"}, {"mem", "create_entities"}, {"fs", "write_file"}} {
		call := &store.Call{Time: time.Now(), Server: n[0], Tool: n[1], Tier: "write", Decision: "allow"}
		if _, err := proxy.BeginCall(context.Background(), call); err != nil {
			t.Fatal(err)
		}
	}
	names, err = h.Names()
	want := []CallName{{"fs", "write_file", false}, {"mem", "create_entities", false}, {"memory", "read_graph", false}}
	if err != nil || !reflect.DeepEqual(names, want) {
		t.Fatalf("Names = %+v, %v; want %+v", names, err, want)
	}
}
