package fswake

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// waitWake fails the test when no wake comes. The bound only keeps a broken
// watch from hanging the test.
func waitWake(t *testing.T, wake <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-wake:
	case <-time.After(20 * time.Second):
		t.Fatalf("no wake after %s", what)
	}
}

func mustWatch(t *testing.T, ctx context.Context, dir string, names ...string) <-chan struct{} {
	t.Helper()
	wake, err := Watch(ctx, dir, names...)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	return wake
}

// A commit wakes a watch on the database's folder: SQLite writes it to the
// WAL file before Exec returns. The database exists before the watch
// starts, so only the commit can wake it.
func TestWakeOnSQLiteCommit(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := mustWatch(t, ctx, dir, "airlock.db", "airlock.db-wal")

	if err := st.Heartbeat(ctx, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitWake(t, wake, "a commit")
}

// The WAL file goes away when the last connection closes and comes back
// with the next: its creation wakes too.
func TestWakeOnFileCreated(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := mustWatch(t, ctx, dir, "airlock.db-wal")
	f, err := os.Create(filepath.Join(dir, "airlock.db-wal"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	waitWake(t, wake, "creating the file")
}

func TestWatchMissingFolder(t *testing.T) {
	wake, err := Watch(context.Background(), filepath.Join(t.TempDir(), "none"), "airlock.db")
	if err == nil || wake != nil {
		t.Fatalf("Watch of a missing folder = %v, %v; want nil and an error", wake, err)
	}
}

// Writes to other files of the folder do not wake: the window would
// otherwise reload on every write of airlock.json or a lock file.
func TestNoWakeForOtherFiles(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := mustWatch(t, ctx, dir, "airlock.db-wal")
	if err := os.WriteFile(filepath.Join(dir, "airlock.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Then the named file: the first wake must come from it, so none may
	// be waiting before it is written.
	select {
	case <-wake:
		t.Fatal("a write of airlock.json woke a watch of airlock.db-wal")
	case <-time.After(300 * time.Millisecond):
	}
	if err := os.WriteFile(filepath.Join(dir, "airlock.db-wal"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitWake(t, wake, "writing the named file")
}

// Once ctx ends the watch is closed and no longer wakes.
func TestWatchEndsWithContext(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	wake := mustWatch(t, ctx, dir, "airlock.db-wal")
	cancel()
	time.Sleep(100 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(dir, "airlock.db-wal"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wake:
		t.Fatal("a watch woke after its context ended")
	case <-time.After(300 * time.Millisecond):
	}
}

// Every waiter on a Signal wakes on one write; a nil Signal never wakes.
func TestSignalWakesEveryWaiter(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := NewSignal(ctx, mustWatch(t, ctx, dir, "airlock.db-wal"))
	a, b := s.Next(), s.Next()
	if err := os.WriteFile(filepath.Join(dir, "airlock.db-wal"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []<-chan struct{}{a, b} {
		select {
		case <-ch:
		case <-time.After(20 * time.Second):
			t.Fatal("a waiter did not wake on the write")
		}
	}
	var none *Signal
	if none.Next() != nil {
		t.Fatal("a nil Signal's Next is not nil")
	}
}
