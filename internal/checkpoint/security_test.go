package checkpoint

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/classify"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
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

// "Allow for this session" given after the call was held covers the retry
// and the session's later calls; it never covers another session, even one
// that waited on the same shared request.
func TestSessionScopeBindsToTheAskingSession(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.ApprovalWait = policy.Duration(50 * time.Millisecond) })
	ctx := context.Background()
	write := tool("fs", "write_file", "Write a file")
	first := f.call(write, `{"path":"/tmp/a"}`, "s1")
	if v := f.cp.Decide(ctx, first); v.Outcome != store.OutcomeHeld {
		t.Fatalf("not held: %+v", v)
	}
	reqs, _ := f.st.Pending(ctx)
	if _, err := f.st.Answer(ctx, reqs[0].ID, true, store.ScopeSession, "test"); err != nil {
		t.Fatal(err)
	}
	if v := f.cp.Decide(ctx, first); !v.Allow {
		t.Fatalf("approved retry refused: %s", v.Message)
	}
	if v := f.cp.Decide(ctx, f.call(write, `{"path":"/tmp/b"}`, "s1")); !v.Allow || f.lastRow().DecidedBy != BySession {
		t.Fatalf("session answer given after the wait did not cover the session: %+v", f.lastRow())
	}

	// s2 joins s1's pending request and takes its approval: the session
	// grant stays with s1.
	f2 := newFixture(t, func(c *config.Config) { c.ApprovalWait = policy.Duration(2 * time.Second) })
	if v := f2.cp.Decide(ctx, f2.call(write, `{"path":"/tmp/c"}`, "s1")); v.Allow {
		t.Fatal("asked nobody")
	}
	// Answer once s2 waits on the request too: an answer landing before
	// s2 queued would make s2 a retry, not a sharer.
	ans := f2.answerOnceJoined(2, store.ScopeSession)
	if v := f2.cp.Decide(ctx, f2.call(write, `{"path":"/tmp/c"}`, "s2")); !v.Allow {
		t.Fatalf("identical call sharing the request not run: %s", v.Message)
	}
	if r := <-ans; r.Session != "s1" {
		t.Fatalf("shared request belongs to %q", r.Session)
	}
	ans = f2.answer(false, store.ScopeOnce)
	if v := f2.cp.Decide(ctx, f2.call(write, `{"path":"/tmp/d"}`, "s2")); v.Allow || f2.lastRow().DecidedBy == BySession {
		t.Fatalf("s1's session answer covered s2: %+v", f2.lastRow())
	}
	<-ans
}

// A tool definition that cannot be pinned is not trusted: the call is
// refused, even under an allow rule, rather than run unpinned.
func TestPinFailureRefuses(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := &config.Config{
		MCPServers:   map[string]config.Server{"fs": {Command: "x"}},
		Rules:        []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}},
		ApprovalWait: policy.Duration(time.Second), ApprovalTTL: policy.Duration(time.Minute),
	}
	cp := New(Options{Store: st, Config: cfg})
	// Another connection breaks pinning only (a full disk would break
	// more; this isolates the path).
	db, err := sql.Open("sqlite", filepath.Join(dir, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER no_pins BEFORE INSERT ON pins BEGIN SELECT RAISE(ABORT, 'pins broken'); END`); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, cfg: cfg, cp: cp}
	v := cp.Decide(context.Background(), f.call(tool("fs", "write_file", "Write a file"), `{"path":"/tmp/a"}`, "s"))
	if v.Allow || !strings.Contains(v.Message, "pins broken") {
		t.Fatalf("a tool whose definition could not be pinned ran: %+v", v)
	}
}

// Arguments whose meaning differs between Go (which hashed and inspected
// them) and the upstream's parser are refused: unpaired surrogate escapes
// and invalid UTF-8 both decode to U+FFFD here, so two different calls
// would share one hash and one approval. Non-object arguments are refused
// too: rules with argument patterns could not see into them.
func TestAmbiguousArgumentsRefused(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Rules = []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}}
	})
	write := tool("fs", "write_file", "Write a file")
	for _, args := range []string{
		`{"path":"/tmp/a\ud800"}`,
		`{"path":"/tmp/a\udc00x"}`,
		`{"path":"/tmp/a\ud800\u0041"}`,
		"{\"path\":\"/tmp/a\xff\"}",
		`[{"path":"/etc/passwd"}]`,
		`"rm -rf /"`,
		`42`,
	} {
		c := f.call(write, args, "s")
		if v := f.cp.Decide(context.Background(), c); v.Allow {
			t.Errorf("arguments %q allowed", args)
		}
	}
	for _, args := range []string{``, `null`, ` {} `, `{"path":"/tmp/\ud83d\ude00 \\ud800 literal"}`} {
		c := f.call(write, args, "s")
		if v := f.cp.Decide(context.Background(), c); !v.Allow {
			t.Errorf("arguments %q refused: %s", args, v.Message)
		}
	}
}

// Identical calls share one request; one caller cancelling must not take
// the request from another still waiting on it.
func TestCancelKeepsSharedRequest(t *testing.T) {
	f := newFixture(t, nil)
	write := tool("fs", "write_file", "Write a file")
	ctx1, cancel1 := context.WithCancel(context.Background())
	defer cancel1()
	first := make(chan Verdict, 1)
	go func() { first <- f.cp.Decide(ctx1, f.call(write, `{"path":"/tmp/a"}`, "s1")) }()
	for {
		if reqs, _ := f.st.Pending(context.Background()); len(reqs) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	second := make(chan Verdict, 1)
	go func() { second <- f.cp.Decide(context.Background(), f.call(write, `{"path":"/tmp/a"}`, "s2")) }()
	for {
		calls, _ := f.st.Calls(context.Background(), store.Filter{Limit: 5})
		if len(calls) == 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel1()
	if v := <-first; v.Allow || v.Outcome != store.OutcomeCancelled {
		t.Fatalf("cancelled call: %+v", v)
	}
	reqs, _ := f.st.Pending(context.Background())
	if len(reqs) != 1 {
		t.Fatal("the request was withdrawn while another call waited on it")
	}
	if _, err := f.st.Answer(context.Background(), reqs[0].ID, true, store.ScopeOnce, "test"); err != nil {
		t.Fatal(err)
	}
	if v := <-second; !v.Allow {
		t.Fatalf("the waiting call was not allowed: %+v", v)
	}
}

// answerOnceJoined allows the pending request once n calls were recorded
// against it.
func (f *fixture) answerOnceJoined(n int, scope string) <-chan store.Request {
	got := make(chan store.Request, 1)
	go func() {
		defer close(got)
		ctx := context.Background()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
			reqs, err := f.st.Pending(ctx)
			if err != nil || len(reqs) == 0 {
				continue
			}
			calls, err := f.st.Calls(ctx, store.Filter{})
			joined := 0
			for _, c := range calls {
				if c.RequestID == reqs[0].ID {
					joined++
				}
			}
			if err != nil || joined < n {
				continue
			}
			r, err := f.st.Answer(ctx, reqs[0].ID, true, scope, "test")
			if err != nil {
				f.t.Errorf("answer: %v", err)
			}
			got <- r
			return
		}
	}()
	return got
}

// The classifier and the summary parse what the model wrote. A bug that
// panics on some input (as the shell inspector once did on "ssh -B") must
// refuse that call with a recorded decision and leave the proxy serving:
// even an allow-all rule does not let it through.
func TestAnalysisPanicRefusesTheCall(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Rules = []policy.Rule{{Server: "*", Tool: "*", Action: policy.Allow}}
	})
	orig := classifyCall
	t.Cleanup(func() { classifyCall = orig })
	classifyCall = func(classify.Tool, json.RawMessage) classify.Result { panic("boom") }

	run := tool("sh", "run_command", "Run a shell command")
	v := f.cp.Decide(context.Background(), f.call(run, `{"command":"ssh -B"}`, "s"))
	if v.Allow || !strings.Contains(v.Message, "could not analyse the arguments") {
		t.Fatalf("verdict %+v: want a refusal naming the analysis", v)
	}
	if row := f.lastRow(); row.DecidedBy != ByError || row.Decision != "deny" {
		t.Fatalf("row decided %q by %q, want deny by error", row.Decision, row.DecidedBy)
	}

	classifyCall = orig // the next call is analysed normally
	if v := f.cp.Decide(context.Background(), f.call(run, `{"command":"ls"}`, "s")); !v.Allow {
		t.Fatalf("after the panic, a normal call was refused: %s", v.Message)
	}
}
