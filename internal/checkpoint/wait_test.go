package checkpoint

import (
	"context"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
)

// OnAsk runs once per queued call, when the request is already in the queue
// (the app it starts must find it), and never for a call nobody is asked about.
func TestOnAskRunsOncePerQueuedCall(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.ApprovalWait = policy.Duration(20 * time.Millisecond) })
	var pendingSeen []int
	f.cp.opts.OnAsk = func(ctx context.Context) {
		reqs, err := f.st.Pending(ctx)
		if err != nil {
			t.Error(err)
		}
		pendingSeen = append(pendingSeen, len(reqs))
	}
	write := tool("fs", "write_file", "Write a file")
	c := f.call(write, `{"path":"/tmp/a","content":"x"}`, "s1")

	if v := f.cp.Decide(context.Background(), c); v.Outcome != store.OutcomeHeld {
		t.Fatalf("unanswered call: %+v", v)
	}
	if len(pendingSeen) != 1 || pendingSeen[0] != 1 {
		t.Fatalf("OnAsk runs %v (pending requests seen), want once with the request queued", pendingSeen)
	}
	reqs, _ := f.st.Pending(context.Background())
	if _, err := f.st.Answer(context.Background(), reqs[0].ID, true, store.ScopeOnce, "test"); err != nil {
		t.Fatal(err)
	}
	// The retry claims the approval: nobody is asked, nothing is started.
	if v := f.cp.Decide(context.Background(), c); !v.Allow {
		t.Fatalf("approved retry: %+v", v)
	}
	if len(pendingSeen) != 1 {
		t.Fatalf("OnAsk ran for a call that was not queued: %v", pendingSeen)
	}
}

// A call nobody answers is held for a retry; when the request's TTL passes,
// the held row is recorded as denied by timeout.
func TestUnansweredCallIsDeniedAtExpiry(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.ApprovalWait = policy.Duration(10 * time.Millisecond)
		c.ApprovalTTL = policy.Duration(20 * time.Millisecond)
	})
	write := tool("fs", "write_file", "Write a file")
	v := f.cp.Decide(context.Background(), f.call(write, `{"path":"/tmp/a","content":"x"}`, "s1"))
	if v.Allow || v.Outcome != store.OutcomeHeld {
		t.Fatalf("unanswered call: %+v", v)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := f.st.ExpireRequests(context.Background()); err != nil {
			t.Fatal(err)
		}
		if row := f.lastRow(); row.Decision != store.DecisionPending {
			if row.Decision != store.DecisionDeny || row.DecidedBy != ByTimeout || row.Outcome != store.OutcomeHeld {
				t.Fatalf("expired held call recorded as %+v", row)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the held call was never closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
