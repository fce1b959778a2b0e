package e2e

// Helpers for the checkpoint tests: a home without the allow-all rule, the
// CLI approver run as a subprocess against the same AIRLOCK_HOME, tool calls
// that wait in the background while the test answers, and the audit log
// invariants every checkpoint test ends with.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// cpWait bounds every poll in these tests (the machine is shared).
const cpWait = 20 * time.Second

// cpHome makes an AIRLOCK_HOME whose airlock.json has the given servers and
// settings (approvalWait, rules, ...) and no allow-all rule: every call
// meets the checkpoint.
func cpHome(t *testing.T, servers map[string]any, settings map[string]any) string {
	t.Helper()
	home := newHome(t)
	doc := map[string]any{"mcpServers": servers}
	for k, v := range settings {
		doc[k] = v
	}
	writeConfigFile(t, home, doc)
	return home
}

// cpTestServer is an airlock.json entry running the testserver with flags.
func cpTestServer(t *testing.T, flags ...string) map[string]any {
	return map[string]any{"command": rsTestServer(t), "args": append([]string{"-name", "ts"}, flags...)}
}

// airlock runs `airlock args...` against home, as a person in a terminal
// would, and returns its stdout; err carries the exit status and stderr.
func airlock(t *testing.T, home string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(buildAirlock(t), args...)
	cmd.Env = childEnv(home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("airlock %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// airlockOK is airlock for commands that must succeed.
func airlockOK(t *testing.T, home string, args ...string) string {
	t.Helper()
	out, err := airlock(t, home, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pendingReq is one line of `airlock pending --json`.
type pendingReq struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`
	Tier      string          `json:"tier"`
	Server    string          `json:"server"`
	Tool      string          `json:"tool"`
	Summary   string          `json:"summary"`
	Reasons   []string        `json:"reasons"`
	Findings  []string        `json:"findings"`
	Arguments json.RawMessage `json:"arguments"`
	Session   string          `json:"session"`
	Diff      string          `json:"diff"`
}

// pending lists the open requests of home through the CLI.
func pending(t *testing.T, home string) []pendingReq {
	t.Helper()
	out := airlockOK(t, home, "pending", "--json")
	var reqs []pendingReq
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r pendingReq
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("pending line %q: %v", sc.Text(), err)
		}
		reqs = append(reqs, r)
	}
	return reqs
}

// waitPending polls the queue until n requests for tool are open and
// returns them, oldest first.
func waitPending(t *testing.T, home, tool string, n int) []pendingReq {
	t.Helper()
	deadline := time.Now().Add(cpWait)
	for {
		var got []pendingReq
		for _, r := range pending(t, home) {
			if r.Tool == tool {
				got = append(got, r)
			}
		}
		if len(got) >= n {
			slices.Reverse(got)
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests for %s pending after %s, want %d: %+v", len(got), tool, cpWait, n, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitRequest waits for the one request for tool.
func waitRequest(t *testing.T, home, tool string) pendingReq {
	t.Helper()
	return waitPending(t, home, tool, 1)[0]
}

// noPending fails if any request is open.
func noPending(t *testing.T, home string) {
	t.Helper()
	if reqs := pending(t, home); len(reqs) != 0 {
		t.Fatalf("nothing should wait for a person, but: %+v", reqs)
	}
}

// waitNoPending polls until no request is open.
func waitNoPending(t *testing.T, home string) {
	t.Helper()
	deadline := time.Now().Add(cpWait)
	for {
		reqs := pending(t, home)
		if len(reqs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("requests still pending after %s: %+v", cpWait, reqs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func approve(t *testing.T, home string, id int64, scope string) {
	t.Helper()
	airlockOK(t, home, "approve", fmt.Sprint(id), "--scope", scope)
}

// callResult is the end of a tool call that ran in the background.
type callResult struct {
	res *mcp.CallToolResult
	err error
}

// callAsync starts a tool call that may wait for a person; the test
// answers the queue meanwhile and then reads the result with done.
func callAsync(ctx context.Context, cs *mcp.ClientSession, name string, args map[string]any) <-chan callResult {
	ch := make(chan callResult, 1)
	go func() {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
		ch <- callResult{res, err}
	}()
	return ch
}

// done waits for a background call and returns its result, failing on a
// protocol error.
func done(t *testing.T, ch <-chan callResult) *mcp.CallToolResult {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("call: %v", r.err)
		}
		return r.res
	case <-time.After(cpWait + 30*time.Second):
		t.Fatal("call did not return")
		return nil
	}
}

// wantOK checks a result is a success containing want.
func wantOK(t *testing.T, res *mcp.CallToolResult, want string) {
	t.Helper()
	if res.IsError || !strings.Contains(text(res), want) {
		t.Fatalf("result (isError %v) %q, want success containing %q", res.IsError, text(res), want)
	}
}

// wantError checks a result is isError containing every one of want.
func wantError(t *testing.T, res *mcp.CallToolResult, want ...string) {
	t.Helper()
	if !res.IsError {
		t.Fatalf("result %q: want isError", text(res))
	}
	for _, w := range want {
		if !strings.Contains(text(res), w) {
			t.Fatalf("error %q does not contain %q", text(res), w)
		}
	}
}

// rowsOf is the audit log of home for one exposed tool's upstream name,
// oldest first.
func rowsOf(t *testing.T, home, server, tool string) []historyRow {
	t.Helper()
	var out []historyRow
	for _, r := range history(t, home) {
		if r.Server == server && r.Tool == tool {
			out = append(out, r)
		}
	}
	slices.Reverse(out)
	return out
}

// lastRow is the newest audit row of server's tool, once it has its
// outcome. The proxy records a forwarded call's outcome beside its reply
// (internal/proxy/toolcall.go: the host does not wait for that second
// write), so a host holding the result may read the row a moment before
// the outcome lands; an unfinished row is returned after a few seconds.
func lastRow(t *testing.T, home, server, tool string) historyRow {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rows := rowsOf(t, home, server, tool)
		if len(rows) == 0 {
			t.Fatalf("no audit row for %s/%s", server, tool)
		}
		last := rows[len(rows)-1]
		if last.Outcome != "" || time.Now().After(deadline) {
			return last
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFinished waits (a few seconds at most) until every audit row of home
// has its outcome, for tests that read the history right after their
// calls returned: see lastRow for why the outcome may land a moment later.
func waitFinished(t *testing.T, home string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if !slices.ContainsFunc(history(t, home), func(r historyRow) bool { return r.Outcome == "" }) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wantDecision checks the decision fields of an audit row.
func wantDecision(t *testing.T, r historyRow, decision, by, outcome string) {
	t.Helper()
	if r.Decision != decision || r.DecidedBy != by || r.Outcome != outcome {
		t.Fatalf("audit row %s/%s: decision %q by %q outcome %q, want %q by %q outcome %q (row %+v)",
			r.Server, r.Tool, r.Decision, r.DecidedBy, r.Outcome, decision, by, outcome, r)
	}
}

// forwardedOutcomes are the outcomes of calls that reached an upstream.
var forwardedOutcomes = map[string]bool{"ok": true, "tool_error": true, "protocol_error": true, "upstream_down": true}

// checkWriteAhead checks the audit log of home: every forwarded call has
// an allow decision with who made it, and no refused call has an outcome
// that only a forwarded call can have.
func checkWriteAhead(t *testing.T, home string) {
	t.Helper()
	for _, r := range history(t, home) {
		if forwardedOutcomes[r.Outcome] && (r.Decision != "allow" || r.DecidedBy == "") {
			t.Errorf("forwarded call without a recorded decision: %+v", r)
		}
		if r.Outcome == "ok" && r.Decision != "allow" {
			t.Errorf("call with outcome ok but decision %q: %+v", r.Decision, r)
		}
		if r.Decision == "allow" && r.DecidedBy == "" {
			t.Errorf("allowed call without who decided: %+v", r)
		}
	}
}
