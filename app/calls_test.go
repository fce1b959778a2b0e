package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// waitChanged waits for one change notification. The bound is generous: it
// only stops a broken watcher from hanging the test.
func waitChanged(t *testing.T, changed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-changed:
	case <-time.After(20 * time.Second):
		t.Fatalf("no %s notification", what)
	}
}

func TestCallsBeforeDatabaseExists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	c := NewCalls(path)
	defer c.shutdown()

	got, err := c.RecentCalls(100)
	if err != nil {
		t.Fatalf("RecentCalls: %v", err)
	}
	if got == nil || len(got) != 0 {
		t.Fatalf("RecentCalls = %#v, want an empty, non-nil list (JSON [] not null)", got)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading created the database (stat err %v); the proxies own it", err)
	}
}

func TestCallsFollowAnotherWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	c := NewCalls(path)
	changed := make(chan struct{}, 16)
	c.start(context.Background(), func(bool) { changed <- struct{}{} })
	defer c.shutdown()

	// The proxy is another process; a second Store has its own connections,
	// which is what data_version needs to see a foreign commit.
	proxy, err := store.Open(path)
	if err != nil {
		t.Fatalf("open proxy store: %v", err)
	}
	defer proxy.Close()
	waitChanged(t, changed, "database appeared")

	ctx := context.Background()
	start := time.Date(2026, 3, 1, 12, 30, 45, 123_000_000, time.UTC)
	first := &store.Call{
		Time: start, Server: "fs", Tool: "read_file", Tier: "read", Decision: "allow",
		Arguments: `{"path":"/tmp/a\u202etxt"}`,
	}
	if _, err := proxy.BeginCall(ctx, first); err != nil {
		t.Fatalf("BeginCall: %v", err)
	}
	waitChanged(t, changed, "first call")
	if err := proxy.FinishCall(ctx, first.ID, "error", "boom <b>", 1500*time.Microsecond); err != nil {
		t.Fatalf("FinishCall: %v", err)
	}
	waitChanged(t, changed, "finished call")
	second := &store.Call{Time: start.Add(time.Second), Server: "db", Tool: "query", Arguments: `{}`}
	if _, err := proxy.BeginCall(ctx, second); err != nil {
		t.Fatalf("BeginCall: %v", err)
	}
	waitChanged(t, changed, "second call")

	got, err := c.RecentCalls(10)
	if err != nil {
		t.Fatalf("RecentCalls: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d calls, want 2: %#v", len(got), got)
	}
	if got[0].ID != second.ID || got[1].ID != first.ID {
		t.Fatalf("order = %d, %d; want newest first (%d, %d)", got[0].ID, got[1].ID, second.ID, first.ID)
	}
	want := CallView{
		ID: first.ID, Time: "2026-03-01T12:30:45.123Z", Server: "fs", Tool: "read_file",
		Tier: "read", Decision: "allow", Outcome: "error", DurationMs: 1.5,
		Arguments: `{"path":"/tmp/a\u202etxt"}`, Error: "boom <b>",
	}
	if got[1] != want {
		t.Errorf("call =\n %#v\nwant\n %#v", got[1], want)
	}

	if got, err := c.RecentCalls(1); err != nil || len(got) != 1 {
		t.Errorf("RecentCalls(1) = %d calls, %v; want 1", len(got), err)
	}
}

// TestCallsChangedOnlyByCalls: the window reloads its call lists when calls
// change, not on the heartbeats the app and the proxies commit every few
// seconds (each moves data_version).
func TestCallsChangedOnlyByCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	proxy, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	c := NewCalls(path)
	events := make(chan bool, 16)
	c.start(context.Background(), func(calls bool) { events <- calls })
	defer c.shutdown()
	next := func(what string, want bool) {
		t.Helper()
		select {
		case got := <-events:
			if got != want {
				t.Fatalf("%s: calls changed = %v, want %v", what, got, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no notification", what)
		}
	}
	next("first look", true)

	ctx := context.Background()
	st, err := c.open()
	if err != nil {
		t.Fatal(err)
	}
	// The app's own heartbeat (written through the window's store) and a
	// proxy's: the database changed, the calls did not.
	if err := st.Heartbeat(ctx, os.Getpid(), time.Now()); err != nil {
		t.Fatal(err)
	}
	next("app heartbeat", false)
	if err := proxy.Heartbeat(ctx, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	next("another heartbeat", false)

	call := &store.Call{Server: "fs", Tool: "write_file", Tier: "write", Decision: store.DecisionPending}
	if _, err := proxy.BeginCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	next("call recorded", true)
	if err := proxy.Decide(ctx, call.ID, store.DecisionAllow, "user"); err != nil {
		t.Fatal(err)
	}
	next("call decided", true)
	if err := proxy.FinishCall(ctx, call.ID, store.OutcomeOK, "", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	next("call finished", true)
	if err := proxy.Heartbeat(ctx, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	next("heartbeat after the call", false)
}

// TestCallsWake: a wake (fswake's, on a write to the database files) has the
// database checked at once, not at the next poll (an hour here); a wake that
// came before its commit was visible is followed by a few more checks.
func TestCallsWake(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	proxy, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	c := NewCalls(path)
	ctx, cancel := context.WithCancel(context.Background())
	c.done = make(chan struct{})
	wake := make(chan struct{}) // unbuffered: a send returns once the watcher took it
	events := make(chan bool, 16)
	go c.watch(ctx, time.Hour, wake, func(calls bool) { events <- calls })
	defer func() {
		cancel()
		<-c.done
		c.shutdown()
	}()
	next := func(what string) {
		t.Helper()
		select {
		case <-events:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no notification", what)
		}
	}
	next("first look")

	call := &store.Call{Server: "fs", Tool: "write_file", Tier: "write", Decision: store.DecisionPending}
	if _, err := proxy.BeginCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	wake <- struct{}{}
	next("wake after a commit")

	// Two wakes before the commit: the second is taken only once the
	// first's check is done, so the watcher has found nothing new and
	// waits when the commit comes. Only the check after a fruitless wake
	// can see it before the hour is up.
	wake <- struct{}{}
	wake <- struct{}{}
	if err := proxy.Decide(ctx, call.ID, store.DecisionAllow, "user"); err != nil {
		t.Fatal(err)
	}
	next("commit just after a wake")
}

// TestCallsWatchFiles: once the database is there, the watcher wakes on
// its writes (fswake): a proxy's commit is seen although the poll, here an
// hour, never comes.
func TestCallsWatchFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("fswake watches files on Linux only")
	}
	path := filepath.Join(t.TempDir(), "airlock.db")
	proxy, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	c := NewCalls(path)
	ctx, cancel := context.WithCancel(context.Background())
	c.done = make(chan struct{})
	changed := make(chan struct{}, 16)
	go c.watch(ctx, time.Hour, nil, func(bool) { changed <- struct{}{} })
	defer func() {
		cancel()
		<-c.done
		c.shutdown()
	}()
	waitChanged(t, changed, "first look")
	call := &store.Call{Server: "fs", Tool: "write_file", Tier: "write", Decision: store.DecisionPending}
	if _, err := proxy.BeginCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	waitChanged(t, changed, "a proxy's commit")
}

func TestCheckDisplay(t *testing.T) {
	tests := []struct {
		goos, display, wayland string
		wantErr                bool
	}{
		{"linux", "", "", true},
		{"linux", ":99", "", false},
		{"linux", "", "wayland-0", false},
		{"freebsd", "", "", true},
		{"darwin", "", "", false},
		{"windows", "", "", false},
	}
	for _, tt := range tests {
		env := map[string]string{"DISPLAY": tt.display, "WAYLAND_DISPLAY": tt.wayland}
		err := checkDisplay(tt.goos, func(k string) string { return env[k] })
		if (err != nil) != tt.wantErr {
			t.Errorf("checkDisplay(%s, DISPLAY=%q, WAYLAND_DISPLAY=%q) = %v, want error %v",
				tt.goos, tt.display, tt.wayland, err, tt.wantErr)
		}
	}
}

func TestInstanceIDPerHome(t *testing.T) {
	a, b := instanceID("/home/a/.config/airlock"), instanceID("/tmp/test-home")
	if a == b {
		t.Fatalf("two homes share the single-instance id %q", a)
	}
	if a != instanceID("/home/a/.config/airlock") {
		t.Fatal("instance id is not stable")
	}
}
