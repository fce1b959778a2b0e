package e2e

// The checkpoint end to end: the real `airlock proxy` binary in front of real
// upstreams (the testserver, server-memory, server-filesystem), a go-sdk
// client as the host, and the real CLI approver (`airlock pending`,
// `approve`, `deny`) run as separate processes against the same
// AIRLOCK_HOME, the way a person answers from a terminal.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// entities is a server-memory create_entities argument.
func entities(names ...string) map[string]any {
	var list []any
	for _, n := range names {
		list = append(list, map[string]any{"name": n, "entityType": "e2e", "observations": []string{"seen"}})
	}
	return map[string]any{"entities": list}
}

// listedTool finds an exposed tool in the host's tools/list.
func listedTool(t *testing.T, ctx context.Context, cs *mcp.ClientSession, name string) *mcp.Tool {
	t.Helper()
	res, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range res.Tools {
		if tl.Name == name {
			return tl
		}
	}
	t.Fatalf("tool %s not listed", name)
	return nil
}

func TestCheckpointReadConsent(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "10s"})
	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)

	// Airlock auto-approves consented reads, so the host is told echo is
	// read-only and does not ask a second time.
	if a := listedTool(t, ctx, cs, "ts__echo").Annotations; a == nil || !a.ReadOnlyHint {
		t.Fatalf("ts__echo annotations for the host = %+v, want readOnlyHint", a)
	}

	first := callAsync(ctx, cs, "ts__echo", map[string]any{"text": "first"})
	req := waitRequest(t, home, "echo")
	if req.Kind != "consent" || req.Tier != "read" {
		t.Fatalf("first read asked %+v, want a read consent", req)
	}
	approve(t, home, req.ID, "server")
	wantOK(t, done(t, first), "first")
	wantDecision(t, lastRow(t, home, "ts", "echo"), "allow", "person", "ok")

	// Consent for the server covers every later read of any of its read tools.
	wantOK(t, call(t, ctx, cs, "ts__echo", map[string]any{"text": "second"}), "second")
	wantDecision(t, lastRow(t, home, "ts", "echo"), "allow", "consent", "ok")
	call(t, ctx, cs, "ts__pid", map[string]any{})
	wantDecision(t, lastRow(t, home, "ts", "pid"), "allow", "consent", "ok")
	noPending(t, home)
	checkWriteAhead(t, home)
}

func TestCheckpointWriteOnceAndDeny(t *testing.T) {
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "10s"})
	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)

	ch := callAsync(ctx, cs, "mem__create_entities", entities("Alpha"))
	req := waitRequest(t, home, "create_entities")
	if req.Kind != "call" || req.Tier != "write" || !strings.Contains(string(req.Arguments), "Alpha") {
		t.Fatalf("write asked %+v", req)
	}
	approve(t, home, req.ID, "once")
	wantOK(t, done(t, ch), "Alpha") // the upstream's answer
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "allow", "person", "ok")

	// "Once" means once: the identical call asks again. Denied, it never
	// reaches the upstream.
	ch = callAsync(ctx, cs, "mem__create_entities", entities("Alpha"))
	again := waitRequest(t, home, "create_entities")
	if again.ID == req.ID {
		t.Fatalf("the spent approval #%d was offered again", req.ID)
	}
	airlockOK(t, home, "deny", fmt.Sprint(again.ID))
	wantError(t, done(t, ch), "denied")
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "deny", "person", "denied")

	ch = callAsync(ctx, cs, "mem__create_entities", entities("Secret"))
	airlockOK(t, home, "deny", fmt.Sprint(waitRequest(t, home, "create_entities").ID))
	wantError(t, done(t, ch), "denied")
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "deny", "person", "denied")
	graph, err := os.ReadFile(memory)
	if err != nil {
		t.Fatalf("memory file after an approved write: %v", err)
	}
	if !strings.Contains(string(graph), "Alpha") || strings.Contains(string(graph), "Secret") {
		t.Fatalf("memory graph = %s, want Alpha (approved) and no Secret (denied)", graph)
	}
	noPending(t, home)
	checkWriteAhead(t, home)
}

func TestCheckpointSessionAndAlways(t *testing.T) {
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "10s"})
	ctx := testCtx(t, 90*time.Second)
	p1 := startProxy(t, ctx, home, nil)

	// Allow for this session: later writes of the tool in the same host
	// session pass, with the session recorded as the decider.
	ch := callAsync(ctx, p1, "mem__create_entities", entities("S1"))
	first := waitRequest(t, home, "create_entities")
	approve(t, home, first.ID, "session")
	wantOK(t, done(t, ch), "S1")
	wantOK(t, call(t, ctx, p1, "mem__create_entities", entities("S2")), "S2")
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "allow", "session", "ok")
	noPending(t, home)

	// Another proxy process is another host session: it still asks.
	p2 := startProxy(t, ctx, home, nil)
	ch = callAsync(ctx, p2, "mem__create_entities", entities("S3"))
	other := waitRequest(t, home, "create_entities")
	if other.Session == first.Session {
		t.Fatalf("two proxies share session %q", other.Session)
	}
	approve(t, home, other.ID, "once")
	wantOK(t, done(t, ch), "S3")

	// Always allow and always deny become rules. The proxy that saw the
	// answer applies them at once; a proxy started later finds them in the
	// database. (Running proxies re-read rules made elsewhere within the
	// trust cache's lifetime: not asserted, it is a timing.)
	observe := func(entity, note string) map[string]any {
		return map[string]any{"observations": []any{map[string]any{"entityName": entity, "contents": []string{note}}}}
	}
	ch = callAsync(ctx, p2, "mem__add_observations", observe("S3", "one"))
	approve(t, home, waitRequest(t, home, "add_observations").ID, "always")
	wantOK(t, done(t, ch), "one")
	wantOK(t, call(t, ctx, p2, "mem__add_observations", observe("S3", "two")), "two")
	wantDecision(t, lastRow(t, home, "mem", "add_observations"), "allow", "rule", "ok")

	relate := func(from, to string) map[string]any {
		return map[string]any{"relations": []any{map[string]any{"from": from, "to": to, "relationType": "knows"}}}
	}
	ch = callAsync(ctx, p1, "mem__create_relations", relate("S1", "S2"))
	airlockOK(t, home, "deny", fmt.Sprint(waitRequest(t, home, "create_relations").ID), "--always")
	wantError(t, done(t, ch), "denied")
	wantDecision(t, lastRow(t, home, "mem", "create_relations"), "deny", "person", "denied")
	wantError(t, call(t, ctx, p1, "mem__create_relations", relate("S2", "S1")), "denied")
	wantDecision(t, lastRow(t, home, "mem", "create_relations"), "deny", "rule", "denied")

	p3 := startProxy(t, ctx, home, nil)
	wantOK(t, call(t, ctx, p3, "mem__add_observations", observe("S3", "three")), "three")
	wantDecision(t, lastRow(t, home, "mem", "add_observations"), "allow", "rule", "ok")
	wantError(t, call(t, ctx, p3, "mem__create_relations", relate("S2", "S3")), "denied")
	wantDecision(t, lastRow(t, home, "mem", "create_relations"), "deny", "rule", "denied")
	noPending(t, home)
	checkWriteAhead(t, home)
}

func TestCheckpointTimeoutThenRetry(t *testing.T) {
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "1s"})
	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)
	args := entities("Later")

	// Nobody answers within the wait: the model is told to retry, and the
	// request stays in the queue.
	wantError(t, call(t, ctx, cs, "mem__create_entities", args), "Waiting for approval in Airlock", "same arguments")
	req := waitRequest(t, home, "create_entities")
	if r := lastRow(t, home, "mem", "create_entities"); r.Outcome != "held" || r.Decision == "allow" {
		t.Fatalf("held call row %+v", r)
	}
	// A retry before anyone answered shares the request.
	wantError(t, call(t, ctx, cs, "mem__create_entities", args), "Waiting for approval in Airlock")
	if reqs := waitPending(t, home, "create_entities", 1); len(reqs) != 1 || reqs[0].ID != req.ID {
		t.Fatalf("identical retries should share request #%d: %+v", req.ID, reqs)
	}

	// Approved after the wait: the identical retry runs.
	approve(t, home, req.ID, "once")
	wantOK(t, call(t, ctx, cs, "mem__create_entities", args), "Later")
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "allow", "person", "ok")
	noPending(t, home)

	// The approval covered one retry; another asks again, and so does a
	// call with other arguments.
	wantError(t, call(t, ctx, cs, "mem__create_entities", args), "Waiting for approval in Airlock")
	wantError(t, call(t, ctx, cs, "mem__create_entities", entities("Other")), "Waiting for approval in Airlock")
	reqs := waitPending(t, home, "create_entities", 2)
	if len(reqs) != 2 || reqs[0].ID == req.ID || !strings.Contains(string(reqs[1].Arguments), "Other") {
		t.Fatalf("after the spent approval #%d, pending = %+v", req.ID, reqs)
	}
	checkWriteAhead(t, home)
}

func TestCheckpointCancelWithdraws(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "30s"})
	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)

	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := callAsync(callCtx, cs, "ts__slow", map[string]any{"steps": 1, "interval_ms": 1})
	req := waitRequest(t, home, "slow")
	cancel()
	select {
	case r := <-ch:
		if r.err == nil {
			t.Fatalf("cancelled call returned %q, want an error", text(r.res))
		}
	case <-time.After(cpWait):
		t.Fatal("the cancelled call did not return")
	}
	waitNoPending(t, home)
	if out, err := airlock(t, home, "approve", fmt.Sprint(req.ID)); err == nil {
		t.Fatalf("approving a withdrawn request succeeded: %s", out)
	}
	deadline := time.Now().Add(cpWait)
	for lastRow(t, home, "ts", "slow").Outcome != "cancelled" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	wantDecision(t, lastRow(t, home, "ts", "slow"), "deny", "cancelled", "cancelled")
	checkWriteAhead(t, home)
}

func TestCheckpointTwoProxiesShareQueue(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "10s"})
	ctx := testCtx(t, time.Minute)
	p1 := startProxy(t, ctx, home, nil)
	p2 := startProxy(t, ctx, home, nil)

	ch1 := callAsync(ctx, p1, "ts__slow", map[string]any{"steps": 1, "interval_ms": 1})
	ch2 := callAsync(ctx, p2, "ts__slow", map[string]any{"steps": 2, "interval_ms": 1})
	reqs := waitPending(t, home, "slow", 2)
	if reqs[0].Session == reqs[1].Session {
		t.Fatalf("two proxies asked from one session: %+v", reqs)
	}
	for _, r := range reqs {
		approve(t, home, r.ID, "once")
	}
	wantOK(t, done(t, ch1), "done 1 steps")
	wantOK(t, done(t, ch2), "done 2 steps")
	waitFinished(t, home)
	rows := rowsOf(t, home, "ts", "slow")
	if len(rows) != 2 || rows[0].Session == rows[1].Session {
		t.Fatalf("audit rows %+v, want one per proxy session", rows)
	}
	for _, r := range rows {
		wantDecision(t, r, "allow", "person", "ok")
	}
	checkWriteAhead(t, home)
}

// "Allow for this session" is usually given after the host was told to
// retry (a person is slower than approvalWait): the retry runs, and the
// session grant must cover the session's later calls of the tool too.
func TestCheckpointSessionScopeAfterTimeout(t *testing.T) {
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "1s"})
	ctx := testCtx(t, time.Minute)
	cs := startProxy(t, ctx, home, nil)

	wantError(t, call(t, ctx, cs, "mem__create_entities", entities("First")), "Waiting for approval in Airlock")
	approve(t, home, waitRequest(t, home, "create_entities").ID, "session")
	wantOK(t, call(t, ctx, cs, "mem__create_entities", entities("First")), "First")
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "allow", "person", "ok")

	res := call(t, ctx, cs, "mem__create_entities", entities("Second"))
	if res.IsError {
		t.Fatalf("a write in the session approved with --scope session asked again: %s", text(res))
	}
	wantDecision(t, lastRow(t, home, "mem", "create_entities"), "allow", "session", "ok")
	checkWriteAhead(t, home)
}

// Identical calls from two hosts share one request. One host cancelling
// its call must not take the request away from the other, still waiting.
func TestCheckpointCancelKeepsSharedRequest(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "30s"})
	ctx := testCtx(t, time.Minute)
	p1 := startProxy(t, ctx, home, nil)
	p2 := startProxy(t, ctx, home, nil)
	args := map[string]any{"steps": 1, "interval_ms": 1}

	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch1 := callAsync(callCtx, p1, "ts__slow", args)
	req := waitRequest(t, home, "slow")
	ch2 := callAsync(ctx, p2, "ts__slow", args)
	deadline := time.Now().Add(cpWait)
	for len(rowsOf(t, home, "ts", "slow")) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the second host's call never reached the checkpoint")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case <-ch1:
	case <-time.After(cpWait):
		t.Fatal("the cancelled call did not return")
	}
	deadline = time.Now().Add(cpWait)
	for rowsOf(t, home, "ts", "slow")[0].Outcome != "cancelled" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if out, err := airlock(t, home, "approve", fmt.Sprint(req.ID)); err != nil {
		t.Fatalf("the other host's call lost its request when the first host cancelled: %v %s", err, out)
	}
	wantOK(t, done(t, ch2), "done 1 steps")
	checkWriteAhead(t, home)
}

// While a person is asked, a host that gave a progress token hears that the
// call is alive (Claude Desktop would otherwise give up on it).
func TestCheckpointWaitingSendsProgress(t *testing.T) {
	home := cpHome(t, map[string]any{"ts": cpTestServer(t)}, map[string]any{"approvalWait": "30s"})
	ctx := testCtx(t, time.Minute)
	notes := make(chan string, 16)
	cs := startProxy(t, ctx, home, &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			select {
			case notes <- req.Params.Message:
			default:
			}
		},
	})
	params := &mcp.CallToolParams{Name: "ts__slow", Arguments: map[string]any{"steps": 1, "interval_ms": 1}}
	params.SetProgressToken("wait-1")
	ch := make(chan callResult, 1)
	go func() {
		res, err := cs.CallTool(ctx, params)
		ch <- callResult{res, err}
	}()
	req := waitRequest(t, home, "slow")
	select {
	case msg := <-notes:
		if !strings.Contains(msg, "Waiting for approval in Airlock") {
			t.Errorf("progress while waiting = %q", msg)
		}
	case <-time.After(cpWait):
		t.Fatal("no progress notification while the call waited for a person")
	}
	approve(t, home, req.ID, "once")
	wantOK(t, done(t, ch), "done 1 steps")
}
