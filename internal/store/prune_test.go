package store

import (
	"context"
	"testing"
	"time"
)

func TestPruneDeletesOldCallsAndClosedRequests(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	cutoff := now.Add(-90 * 24 * time.Hour)

	// More old calls than one batch, so Prune must loop.
	old := PruneBatch + 7
	for i := range old {
		c := Call{Time: cutoff.Add(-time.Duration(i+1) * time.Minute), Server: "fs", Tool: "write_file",
			Arguments: `{"path":"/old/secret-plan.txt"}`, Summary: "Write file /old/secret-plan.txt", Decision: DecisionAllow}
		if _, err := s.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishCall(ctx, c.ID, OutcomeOK, "", time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	keep := Call{Time: now, Server: "fs", Tool: "write_file", Arguments: `{"path":"/new/plan.txt"}`, Decision: DecisionAllow}
	if _, err := s.BeginCall(ctx, &keep); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishCall(ctx, keep.ID, OutcomeOK, "", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// Requests: one answered long ago, one still pending though old (a
	// proxy may wait on it), one answered recently.
	mkReq := func(args string, created time.Time, answer bool) int64 {
		c, r := newAsk(KindCall, "write", args)
		r.Expires = now.Add(time.Hour)
		if err := s.Ask(ctx, c, r); err != nil {
			t.Fatal(err)
		}
		if answer {
			if _, err := s.Answer(ctx, r.ID, true, ScopeOnce, "person"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.writer.ExecContext(ctx, "UPDATE requests SET created_at = ? WHERE id = ?", created.UnixMicro(), r.ID); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	oldAnswered := mkReq(`{"a":1}`, cutoff.Add(-time.Hour), true)
	oldPending := mkReq(`{"a":2}`, cutoff.Add(-time.Hour), false)
	recent := mkReq(`{"a":3}`, now, true)

	want, err := s.Prunable(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if want.Calls != int64(old) || want.Requests != 1 {
		t.Errorf("prunable = %+v, want %d calls, 1 request", want, old)
	}
	got, err := s.Prune(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("pruned %+v, counted %+v", got, want)
	}
	left, err := s.Calls(ctx, Filter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	// The recent call and the three calls that asked (recorded now) stay.
	for _, c := range left {
		if c.Time.Before(cutoff) {
			t.Errorf("call %d from %v survived the prune", c.ID, c.Time)
		}
	}
	if len(left) != 4 {
		t.Errorf("%d calls left, want 4", len(left))
	}
	// The search index forgets pruned calls: no hit, and it holds one entry
	// per finished call (an external-content FTS5 table can drift silently;
	// its docsize table has a row per indexed call).
	if hits, _ := s.Calls(ctx, Filter{Search: "secret-plan"}); len(hits) != 0 {
		t.Errorf("search still finds %d pruned calls", len(hits))
	}
	if hits, _ := s.Calls(ctx, Filter{Search: "/new/plan"}); len(hits) != 1 {
		t.Errorf("search lost the kept call: %d hits", len(hits))
	}
	var indexed, finished int
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM calls_fts_docsize").Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM calls WHERE outcome != ''").Scan(&finished); err != nil {
		t.Fatal(err)
	}
	if indexed != finished || finished != 1 {
		t.Errorf("search index holds %d calls, %d finished calls are left (want 1)", indexed, finished)
	}
	for id, wantGone := range map[int64]bool{oldAnswered: true, oldPending: false, recent: false} {
		_, err := s.GetRequest(ctx, id)
		if gone := err != nil; gone != wantGone {
			t.Errorf("request %d: gone=%v (err %v), want gone=%v", id, gone, err, wantGone)
		}
	}
	// Nothing left to prune.
	if again, err := s.Prune(ctx, cutoff); err != nil || again != (Pruned{}) {
		t.Errorf("second prune = %+v, %v", again, err)
	}
}

// A call still in flight (allowed and forwarded, or waiting on a person)
// has no outcome yet: pruning it would lose the record of a call that ran,
// and the proxy finishing it would update nothing. It stays whatever its
// age, like a pending request; so does one a crashed proxy never finished,
// which is what an auditor most wants to see.
func TestPruneKeepsCallsInFlight(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	cutoff := now.Add(-24 * time.Hour)
	running := Call{Time: cutoff.Add(-time.Hour), Server: "build", Tool: "run_deploy", Decision: DecisionAllow}
	if _, err := s.BeginCall(ctx, &running); err != nil {
		t.Fatal(err)
	}
	c, r := newAsk(KindCall, "write", `{"a":1}`)
	r.Expires = now.Add(time.Hour)
	if err := s.Ask(ctx, c, r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.ExecContext(ctx, "UPDATE calls SET started_at = ? WHERE id = ?", cutoff.Add(-time.Hour).UnixMicro(), c.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prunable(ctx, cutoff); err != nil || n.Calls != 0 {
		t.Errorf("prunable = %+v, %v; want no calls (both are in flight)", n, err)
	}
	if n, err := s.Prune(ctx, cutoff); err != nil || n.Calls != 0 {
		t.Errorf("pruned %+v, %v; want no calls", n, err)
	}
	if err := s.FinishCall(ctx, running.ID, OutcomeOK, "", time.Hour); err != nil {
		t.Fatal(err)
	}
	left, err := s.Calls(ctx, Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[int64]string{}
	for _, l := range left {
		outcomes[l.ID] = l.Outcome
	}
	if outcomes[running.ID] != OutcomeOK {
		t.Errorf("the long call's record: %v (calls left %v)", outcomes[running.ID], outcomes)
	}
	if _, ok := outcomes[c.ID]; !ok {
		t.Errorf("the call waiting on request %d was pruned", r.ID)
	}
	// Finished, it is old history like any other.
	if n, err := s.Prune(ctx, cutoff); err != nil || n.Calls != 1 {
		t.Errorf("pruned %+v, %v; want the finished call", n, err)
	}
}
