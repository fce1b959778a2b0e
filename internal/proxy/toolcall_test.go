package proxy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
)

func TestHarnessForwardsAllowedCall(t *testing.T) {
	h := newHarness(t, 5*time.Second, policy.Rule{Server: "up", Tool: "write_note", Action: policy.Allow, Source: "config"})
	cs := h.connect(nil)
	res, err := h.call(cs, "up__write_note", map[string]any{"text": "hi"})
	if err != nil || res.IsError || !strings.Contains(resultText(res), `"text":"hi"`) {
		t.Fatalf("allowed call: %v %q", err, resultText(res))
	}
}

// A person approves what they were shown. If the tool's definition changes
// while the call waits for them, the approval is for the old definition and
// the call must not run against the new one.
func TestDefinitionChangedWhileWaitingRefuses(t *testing.T) {
	h := newHarness(t, 20*time.Second, policy.Rule{Server: "up", Tool: "mutate", Action: policy.Allow, Source: "config"})
	cs := h.connect(nil)
	type out struct {
		text    string
		isError bool
		err     error
	}
	done := make(chan out, 1)
	go func() {
		res, err := h.call(cs, "up__write_note", map[string]any{"text": "hi"})
		o := out{err: err}
		if res != nil {
			o.text, o.isError = resultText(res), res.IsError
		}
		done <- o
	}()
	req := h.waitPending()
	before, _ := h.proxy.routes.tool("up__write_note")
	if res, err := h.call(cs, "up__mutate", map[string]any{}); err != nil || res.IsError {
		t.Fatalf("mutate: %v %q", err, resultText(res))
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if now, _ := h.proxy.routes.tool("up__write_note"); now.tool.DefHash != before.tool.DefHash {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the proxy never saw the new definition")
		}
	}
	if _, err := h.st.Answer(context.Background(), req.ID, true, store.ScopeOnce, "test"); err != nil {
		t.Fatal(err)
	}
	o := <-done
	if o.err == nil && !o.isError {
		t.Fatalf("the call approved for the old definition ran against the new one: %q", o.text)
	}
	calls, _ := h.st.Calls(context.Background(), store.Filter{Tool: "write_note", Limit: 1})
	if len(calls) != 1 || calls[0].Decision != store.DecisionDeny || calls[0].Outcome != store.OutcomeDenied {
		t.Fatalf("audit row %+v, want denied", calls)
	}
}

func lastCall(t *testing.T, st *store.Store) store.Call {
	t.Helper()
	calls, err := st.Calls(context.Background(), store.Filter{Limit: 1})
	if err != nil || len(calls) == 0 {
		t.Fatalf("no audit row: %v", err)
	}
	return calls[0]
}
