package checkpoint

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/fswake"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
)

// With the database's file watch as Wake, a person's answer reaches the
// waiting call by the wake alone: the poll here is an hour, so without the
// wake the call would still be waiting when the guard below gives up.
func TestAnswerWakesTheWaitingCall(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake, err := fswake.Watch(ctx, dir, "airlock.db", "airlock.db-wal")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		MCPServers:   map[string]config.Server{"fs": {Command: "x"}},
		ApprovalWait: policy.Duration(time.Minute),
		ApprovalTTL:  policy.Duration(time.Minute),
	}
	f := &fixture{t: t, st: st, cfg: cfg, cp: New(Options{Store: st, Config: cfg, Poll: time.Hour, Wake: fswake.NewSignal(ctx, wake)})}
	ans := f.answer(true, store.ScopeOnce)
	done := make(chan Verdict, 1)
	go func() {
		done <- f.cp.Decide(ctx, f.call(tool("fs", "write_file", "Write a file"), `{"path":"/tmp/a","content":"x"}`, "s1"))
	}()
	if r, ok := <-ans; !ok || r.Kind != store.KindCall {
		t.Fatalf("no request answered: %+v", r)
	}
	select {
	case v := <-done:
		if !v.Allow || f.lastRow().DecidedBy != ByPerson {
			t.Fatalf("answered write: %+v row %+v", v, f.lastRow())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the answer did not wake the waiting call")
	}
}
