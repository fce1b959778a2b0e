package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/launch"
	"github.com/airlock-dev/airlock/internal/store"
)

// The window announces itself once the database exists and withdraws on
// shutdown, so proxies start a window only when none runs.
func TestPresenceBeatsOnceTheDatabaseExists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	calls := NewCalls(path)
	defer calls.shutdown()
	alive := startPresence(context.Background(), calls.open, 10*time.Millisecond)

	st, err := store.Open(path) // a proxy creates the database
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for deadline := time.Now().Add(20 * time.Second); ; {
		if ok, err := st.AppAlive(context.Background(), launch.Fresh); err != nil || ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the window never announced itself")
		}
		time.Sleep(5 * time.Millisecond)
	}
	alive.shutdown()
	if ok, err := st.AppAlive(context.Background(), launch.Fresh); ok || err != nil {
		t.Fatalf("still announced after shutdown: %v", err)
	}
}
