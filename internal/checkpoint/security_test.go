package checkpoint

import (
	"context"
	"testing"

	"github.com/airlock-dev/airlock/internal/store"
)

// An "always allow" answer to a write call must not become a rule that runs
// the same tool's destructive calls unasked: only once by a person, or an
// explicit rule, may allow those.
func TestAlwaysAllowOfWriteDoesNotCoverDestructive(t *testing.T) {
	f := newFixture(t, nil)
	sql := tool("db", "query", "Query the database")
	ctx := context.Background()

	ans := f.answer(true, store.ScopeAlways)
	v := f.cp.Decide(ctx, f.call(sql, `{"sql":"INSERT INTO notes VALUES (1)"}`, "s1"))
	if r := <-ans; r.Tier != "write" || !v.Allow {
		t.Fatalf("insert asked as %q, verdict %+v", r.Tier, v)
	}
	if v := f.cp.Decide(ctx, f.call(sql, `{"sql":"INSERT INTO notes VALUES (2)"}`, "s2")); !v.Allow || f.lastRow().DecidedBy != ByRule {
		t.Fatalf("the always-allow rule did not cover another write: %+v", f.lastRow())
	}

	ans = f.answer(false, store.ScopeOnce)
	v = f.cp.Decide(ctx, f.call(sql, `{"sql":"DROP TABLE notes"}`, "s2"))
	r, asked := <-ans
	if v.Allow || !asked || r.Tier != "destructive" {
		t.Fatalf("a destructive call ran on a rule made from a write approval: verdict %+v, asked %v %+v", v, asked, r)
	}
}
