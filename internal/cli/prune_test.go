package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// seedAges records one finished call per age, oldest first.
func seedAges(t *testing.T, home string, ages ...time.Duration) {
	t.Helper()
	var calls []store.Call
	var finish []bool
	for i, age := range ages {
		calls = append(calls, store.Call{Time: time.Now().Add(-age), Server: "fs", Tool: "write_file", Tier: "write",
			Decision: store.DecisionAllow, Arguments: `{"n":` + string(rune('0'+i)) + `}`})
		finish = append(finish, true)
	}
	recordCalls(t, home, calls, finish)
}

func countCalls(t *testing.T, home string) int {
	t.Helper()
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	calls, err := st.Calls(t.Context(), store.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(calls)
}

func TestPruneUsesTheRetention(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	day := 24 * time.Hour
	seedAges(t, home, 200*day, 100*day, 40*day, time.Hour)

	code, out, errOut := runCLI(t, "prune", "--dry-run")
	if code != 0 || !strings.Contains(out, "would delete 2 calls") || !strings.Contains(out, "retention 90 days") {
		t.Fatalf("dry run: exit %d, %q %q", code, out, errOut)
	}
	if n := countCalls(t, home); n != 4 {
		t.Fatalf("a dry run deleted calls: %d left", n)
	}
	if err := config.SaveSettings(home, config.Settings{ApprovalWait: time.Minute, ApprovalTTL: time.Hour, RetentionDays: 30, Notifications: true}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "prune")
	if code != 0 || !strings.Contains(out, "deleted 3 calls") || !strings.Contains(out, "retention 30 days") {
		t.Fatalf("prune: exit %d, %q %q", code, out, errOut)
	}
	if n := countCalls(t, home); n != 1 {
		t.Errorf("%d calls left, want 1", n)
	}
}

func TestPruneRefusesBadInput(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	seedAges(t, home, 400*24*time.Hour)
	if code, _, errOut := runCLI(t, "prune", "--days", "0"); code != 2 || !strings.Contains(errOut, "--days 0: want 1 to 3650") {
		t.Errorf("--days 0: exit %d, %q", code, errOut)
	}
	// A broken airlock.json is not read as "use the default retention".
	if err := os.WriteFile(filepath.Join(home, config.FileName), []byte(`{"retention": "forever"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "prune"); code != 1 || !strings.Contains(errOut, `"retention"`) {
		t.Errorf("broken config: exit %d, %q", code, errOut)
	}
	if n := countCalls(t, home); n != 1 {
		t.Errorf("a refused prune deleted calls: %d left", n)
	}
}

func TestHistoryExport(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	day := 24 * time.Hour
	seedAges(t, home, 100*day, 95*day, time.Hour)
	dir := t.TempDir()

	// Export what a prune at 90 days would delete, then prune it.
	csvPath := filepath.Join(dir, "old.csv")
	code, _, errOut := runCLI(t, "history", "--until", "2160h", "--export", "csv", "--out", csvPath)
	if code != 0 {
		t.Fatalf("export csv: exit %d, %q", code, errOut)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "id" {
		t.Errorf("csv has %d rows (want header + 2): %v", len(rows), rows)
	}
	if fi, _ := os.Stat(csvPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v, want 0600", fi.Mode().Perm())
	}

	// JSON, everything (no default page limit).
	jsonPath := filepath.Join(dir, "all.json")
	if code, _, errOut := runCLI(t, "history", "--export", "json", "--out", jsonPath); code != 0 {
		t.Fatalf("export json: exit %d, %q", code, errOut)
	}
	data, _ := os.ReadFile(jsonPath)
	var all []map[string]any
	if err := json.Unmarshal(data, &all); err != nil || len(all) != 3 {
		t.Errorf("json export: %d calls, %v\n%s", len(all), err, data)
	}

	// Fail closed: an existing file is not overwritten; bad flags are usage errors.
	if code, _, errOut := runCLI(t, "history", "--export", "json", "--out", jsonPath); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("overwrite: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(jsonPath); string(after) != string(data) {
		t.Error("a refused export changed the existing file")
	}
	for _, args := range [][]string{
		{"history", "--export", "xml", "--out", filepath.Join(dir, "x")},
		{"history", "--export", "csv"},
		{"history", "--out", filepath.Join(dir, "y")},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
