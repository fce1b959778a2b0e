package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "airlock.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("file modes are not POSIX on windows; only checking Open works")
	}
	s, path := openTemp(t)
	// A write makes SQLite create the -wal file too.
	if _, err := s.BeginCall(context.Background(), &Call{Server: "a", Tool: "b"}); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	checks := map[string]os.FileMode{
		filepath.Dir(path): 0o700,
		path:               0o600,
		path + "-wal":      0o600,
		path + "-shm":      0o600,
	}
	for p, want := range checks {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("stat %s: %v", filepath.Base(p), err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", filepath.Base(p), got, want)
		}
	}
}

func TestOpenNarrowsExistingFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("file modes are not POSIX on windows")
		return
	}
	path := filepath.Join(t.TempDir(), "airlock.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // beat the umask
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %o, want 600", got)
	}
}

func TestOpenIsIdempotentAndRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a#b?c%d.db") // URI metacharacters in the name
	for i := 0; i < 2; i++ {
		s, err := Open(path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		if _, err := s.BeginCall(context.Background(), &Call{Server: "s", Tool: "t"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("WAL is %d bytes after Close, want truncated", fi.Size())
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: err = %v, want a 'newer' error", err)
	}
}

func TestBeginFinishRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.FixedZone("x", 3600))
	in := &Call{
		Time: start, Client: "claude-ai", Session: "s1", Server: "fs", Tool: "read_file",
		Decision: "forwarded", DecidedBy: "no-policy", Reasons: []string{"name says read", "ünïcode"},
		Arguments: `{"path":"/tmp/x"}`, ArgsHash: "abc",
	}
	id, err := s.BeginCall(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if id == 0 || in.ID != id {
		t.Fatalf("id = %d, c.ID = %d", id, in.ID)
	}

	got, err := s.Calls(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Outcome != "" || got[0].Duration != 0 {
		t.Fatalf("in-flight row = %+v", got)
	}

	if err := s.FinishCall(ctx, id, OutcomeToolError, "boom", 1500*time.Microsecond); err != nil {
		t.Fatal(err)
	}
	got, err = s.Calls(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Time = start.UTC().Truncate(time.Microsecond)
	want.Outcome, want.Error, want.Duration = OutcomeToolError, "boom", 1500*time.Microsecond
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("row:\n got %+v\nwant %+v", got[0], want)
	}

	if err := s.FinishCall(ctx, id+100, OutcomeOK, "", 0); err == nil {
		t.Error("FinishCall of an unknown id succeeded")
	}
}

func TestCallsFiltersAndPaging(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	servers := []string{"fs", "db", "fs"}
	tools := []string{"read", "query", "write"}
	for i := 0; i < 30; i++ {
		c := &Call{Time: base.Add(time.Duration(i) * time.Minute), Server: servers[i%3], Tool: tools[i%3]}
		if _, err := s.BeginCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		f       Filter
		wantIDs []int64
	}{
		{"limit", Filter{Limit: 3}, []int64{30, 29, 28}},
		{"server", Filter{Server: "db", Limit: 3}, []int64{29, 26, 23}},
		{"server and tool", Filter{Server: "fs", Tool: "write", Limit: 2}, []int64{30, 27}},
		{"tool", Filter{Tool: "read", Limit: 2}, []int64{28, 25}},
		{"since", Filter{Since: base.Add(27 * time.Minute)}, []int64{30, 29, 28}},
		{"before", Filter{BeforeID: 3}, []int64{2, 1}},
		{"before and server", Filter{BeforeID: 10, Server: "db", Limit: 2}, []int64{8, 5}},
		{"no match", Filter{Server: "nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Calls(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
		})
	}

	// Default page size, and walking every page reaches every row once.
	page, err := s.Calls(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 30 {
		t.Errorf("default limit returned %d rows, want all 30", len(page))
	}
	seen := 0
	var before int64
	for {
		page, err := s.Calls(ctx, Filter{Limit: 7, BeforeID: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		seen += len(page)
		before = page[len(page)-1].ID
	}
	if seen != 30 {
		t.Errorf("paging saw %d rows, want 30", seen)
	}
}

func TestDataVersionSeesOtherWriters(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	v1, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.BeginCall(ctx, &Call{Server: "s", Tool: "t"}); err != nil {
		t.Fatal(err)
	}
	v2, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 == v1 {
		t.Errorf("data_version unchanged (%d) after another connection wrote", v1)
	}
	if _, err := s.BeginCall(ctx, &Call{Server: "s", Tool: "t"}); err != nil {
		t.Fatal(err)
	}
	v3, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v3 == v2 {
		t.Errorf("data_version unchanged (%d) after this store wrote", v2)
	}
}

func TestGoroutinesShareOneStore(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	const workers, each = 8, 50
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < each; i++ {
				id, err := s.BeginCall(ctx, &Call{Server: "s", Tool: "t"})
				if err == nil {
					err = s.FinishCall(ctx, id, OutcomeOK, "", time.Microsecond)
				}
				if err == nil {
					_, err = s.DataVersion(ctx)
				}
				if err == nil {
					_, err = s.Calls(ctx, Filter{Limit: 3})
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	rows, err := s.Calls(ctx, Filter{Limit: workers * each * 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != workers*each {
		t.Errorf("%d rows, want %d", len(rows), workers*each)
	}
}

const (
	helperEnvPath = "AIRLOCK_STORE_HELPER_DB"
	helperEnvName = "AIRLOCK_STORE_HELPER_NAME"
	helperRows    = 500
)

// TestHelperWriter is not a test on its own: TestProcessesWriteConcurrently
// runs it in child processes, each writing helperRows rows.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(helperEnvPath)
	if path == "" {
		return // run directly: nothing to do
	}
	name := os.Getenv(helperEnvName)
	s, err := Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := 0; i < helperRows; i++ {
		id, err := s.BeginCall(ctx, &Call{Server: name, Tool: "t" + strconv.Itoa(i), Session: name})
		if err != nil {
			t.Fatalf("row %d: begin: %v", i, err)
		}
		if err := s.FinishCall(ctx, id, OutcomeOK, "", time.Millisecond); err != nil {
			t.Fatalf("row %d: finish: %v", i, err)
		}
		if i%50 == 0 { // readers interleave with writers, as the app does
			if _, err := s.Calls(ctx, Filter{Server: name, Limit: 5}); err != nil {
				t.Fatalf("row %d: read: %v", i, err)
			}
		}
	}
}

func TestProcessesWriteConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	const procs = 3
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*strings.Builder, procs)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnvPath+"="+path, helperEnvName+"=p"+strconv.Itoa(i))
		outs[i] = &strings.Builder{}
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer p%d: %v\n%s", i, err, outs[i])
		}
	}
	if t.Failed() {
		return
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := 0; i < procs; i++ {
		name := "p" + strconv.Itoa(i)
		rows, err := s.Calls(ctx, Filter{Server: name, Limit: helperRows * 2})
		if err != nil {
			t.Fatal(err)
		}
		tools := map[string]bool{}
		for _, c := range rows {
			if c.Outcome != OutcomeOK {
				t.Errorf("%s %s: outcome %q, want ok", name, c.Tool, c.Outcome)
			}
			tools[c.Tool] = true
		}
		if len(rows) != helperRows || len(tools) != helperRows {
			t.Errorf("%s: %d rows (%d distinct), want %d", name, len(rows), len(tools), helperRows)
		}
	}
}

func BenchmarkBeginFinish(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "airlock.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	c := Call{
		Client: "claude-ai", Session: "s", Server: "filesystem", Tool: "read_file",
		Decision: "forwarded", DecidedBy: "no-policy", Arguments: `{"path":"/home/user/notes.txt"}`,
		ArgsHash: strings.Repeat("ab", 32),
	}
	var beginTotal time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		row := c
		t0 := time.Now()
		id, err := s.BeginCall(ctx, &row)
		beginTotal += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.FinishCall(ctx, id, OutcomeOK, "", time.Millisecond); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(beginTotal.Microseconds())/float64(b.N), "begin-µs/op")
}
