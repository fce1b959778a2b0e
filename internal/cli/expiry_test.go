package cli

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// heldPastTTL records a call that was held for a retry and whose request's
// TTL has passed, as a proxy leaves it when nobody answers.
func heldPastTTL(t *testing.T, st *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	c := &store.Call{Server: "fs", Tool: "write_file", Tier: "write", ArgsHash: "h", DefHash: "d"}
	r := &store.Request{Kind: store.KindCall, Server: "fs", Tool: "write_file", Tier: "write", ArgsHash: "h",
		DefHash: "d", Expires: time.Now().Add(-time.Second)}
	if err := st.Ask(ctx, c, r); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishCall(ctx, c.ID, store.OutcomeHeld, "Waiting for approval", 0); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func deniedByTimeout(t *testing.T, st *store.Store) bool {
	t.Helper()
	calls, err := st.Calls(context.Background(), store.Filter{Limit: 1})
	if err != nil || len(calls) != 1 {
		t.Fatalf("calls: %v %v", calls, err)
	}
	return calls[0].Decision == store.DecisionDeny && calls[0].DecidedBy == "timeout"
}

func TestProxyExpiryDeniesHeldCalls(t *testing.T) {
	st, err := store.Open(t.TempDir() + "/airlock.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	heldPastTTL(t, st)
	stop := expireEvery(context.Background(), st, slog.New(slog.DiscardHandler), time.Hour)
	// The first pass runs at once; stop waits for it to finish.
	for deadline := time.Now().Add(10 * time.Second); !deniedByTimeout(t, st); {
		if time.Now().After(deadline) {
			t.Fatal("held call never denied")
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
}

func TestPendingCommandDeniesHeldCalls(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	heldPastTTL(t, st)
	var out bytes.Buffer
	if err := runPending(context.Background(), Env{Stdout: &out, Stderr: &out}, nil); err != nil {
		t.Fatal(err)
	}
	if !deniedByTimeout(t, st) {
		t.Fatal("`airlock pending` left the expired held call undecided")
	}
}
