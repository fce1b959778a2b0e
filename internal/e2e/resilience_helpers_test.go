package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// rsProtocol is what a host like Claude Desktop asks for; newer versions
// change how list_changed and mid-call sampling work (see PLATFORM.md).
const rsProtocol = "2025-11-25"

// rsWait bounds every poll in these tests. Generous: the machine is shared
// and an upstream restart includes a backoff.
const rsWait = 20 * time.Second

var rsBuild struct {
	once       sync.Once
	testserver string
	err        error
}

// rsTestServer builds the testserver program once per test binary, next to
// the airlock binary so TestMain removes both.
func rsTestServer(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Dir(buildAirlock(tb))
	rsBuild.once.Do(func() {
		bin := filepath.Join(dir, "testserver")
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		rsBuild.err = goBuild(moduleRoot(tb), bin, "./internal/e2e/testserver")
		rsBuild.testserver = bin
	})
	if rsBuild.err != nil {
		tb.Fatalf("build testserver: %v", rsBuild.err)
	}
	return rsBuild.testserver
}

// rsUpstream is one airlock.json entry running the testserver.
type rsUpstream struct {
	name  string
	flags []string // extra testserver flags, e.g. -fail-start
}

// rsEntry is the airlock.json shape of one upstream.
type rsEntry struct {
	Command string            `json:"command"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	// RateLimit is noLimits unless a test sets it.
	RateLimit map[string]any `json:"rateLimit,omitempty"`
}

// rsHome makes an AIRLOCK_HOME whose airlock.json runs the given upstreams.
// Each testserver appends its pid to <home>/<name>.pids.
func rsHome(tb testing.TB, ups ...rsUpstream) string {
	tb.Helper()
	home := tb.TempDir()
	entries := map[string]rsEntry{}
	for _, u := range ups {
		args := append([]string{"-name", u.name, "-pidfile", filepath.Join(home, u.name+".pids")}, u.flags...)
		entries[u.name] = rsEntry{Command: rsTestServer(tb), Args: args}
	}
	rsWriteConfig(tb, home, entries)
	// Whatever a test's outcome, no testserver outlives it.
	tb.Cleanup(func() {
		for _, u := range ups {
			for _, pid := range rsPIDs(tb, home, u.name) {
				if rsAlive(pid) {
					killPID(pid)
				}
			}
		}
	})
	return home
}

// rsWriteConfig writes airlock.json with the allow-all rule: these tests
// check the pipe (restarts, relaying, errors), not the checkpoint.
func rsWriteConfig(tb testing.TB, home string, entries map[string]rsEntry) {
	tb.Helper()
	for name, e := range entries {
		if e.RateLimit == nil {
			e.RateLimit = noLimits
			entries[name] = e
		}
	}
	data, err := json.MarshalIndent(map[string]any{"mcpServers": entries, "rules": allowAll}, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), data, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// rsPIDs returns every pid an upstream has recorded, one per start.
func rsPIDs(tb testing.TB, home, name string) []int {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(home, name+".pids"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			tb.Fatalf("pid file %s: %v", name, err)
		}
		pids = append(pids, pid)
	}
	return pids
}

// rsAlive reports whether pid is a running process. Zombies count as gone:
// once the proxy exits, its dead children wait for init to reap them.
func rsAlive(pid int) bool {
	if !signalZero(pid) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// The state follows the parenthesised command name.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// rsEventually polls cond until it holds or rsWait passes.
func rsEventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(rsWait)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", rsWait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rsConnect starts `airlock proxy` for home and connects a go-sdk client.
// opts may set handlers; the session is closed at cleanup.
func rsConnect(tb testing.TB, home string, opts *mcp.ClientOptions) *mcp.ClientSession {
	tb.Helper()
	return startProxy(tb, testCtx(tb, rsWait), home, opts)
}

// rsCall calls a tool and fails the test on a protocol error.
func rsCall(tb testing.TB, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rsWait)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		tb.Fatalf("call %s: %v", name, err)
	}
	return res
}

// rsText joins a result's text content.
func rsText(res *mcp.CallToolResult) string {
	if res == nil {
		return ""
	}
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// rsToolNames lists the proxy's tools.
func rsToolNames(tb testing.TB, cs *mcp.ClientSession) map[string]bool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rsWait)
	defer cancel()
	names := map[string]bool{}
	for tool, err := range cs.Tools(ctx, nil) {
		if err != nil {
			tb.Fatalf("list tools: %v", err)
		}
		names[tool.Name] = true
	}
	return names
}

// rsRow is one line of `airlock history --json`.
type rsRow struct {
	ID         any             `json:"id"`
	Time       string          `json:"time"`
	Server     string          `json:"server"`
	Tool       string          `json:"tool"`
	Tier       string          `json:"tier"`
	Decision   string          `json:"decision"`
	Outcome    string          `json:"outcome"`
	DurationMS *float64        `json:"duration_ms"`
	Arguments  json.RawMessage `json:"arguments"`
}

// rsHistory runs `airlock history --json` against home.
func rsHistory(tb testing.TB, home string) []rsRow {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rsWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, airlockBinary(tb), "history", "--json", "--limit", "1000")
	cmd.Env = childEnv(home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("airlock history: %v\n%s", err, stderr.String())
	}
	var rows []rsRow
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r rsRow
		if err := json.Unmarshal(line, &r); err != nil {
			tb.Fatalf("airlock history: line is not a JSON object: %v\n%s", err, line)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

// rsWant is an audit row a test expects: server, upstream tool name and
// outcome, plus an argument fragment when several calls share a tool.
type rsWant struct {
	server, tool, outcome string
	argsContain           string
	// exposedOK also accepts the exposed name (server__tool): a call to a
	// server that never started cannot be resolved to an upstream tool.
	exposedOK bool
}

func (w rsWant) matches(r rsRow) bool {
	toolOK := r.Tool == w.tool || (w.exposedOK && r.Tool == w.server+"__"+w.tool)
	return r.Server == w.server && toolOK && r.Outcome == w.outcome &&
		strings.Contains(string(r.Arguments), w.argsContain)
}

// rsExpectAudit waits until every wanted row is in the history (rows are
// completed after the response is sent, so they may lag a little).
func rsExpectAudit(tb testing.TB, home string, wants ...rsWant) {
	tb.Helper()
	var rows []rsRow
	missing := wants
	deadline := time.Now().Add(rsWait)
	for {
		rows = rsHistory(tb, home)
		missing = missing[:0:0]
		for _, w := range wants {
			found := false
			for _, r := range rows {
				if w.matches(r) {
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  server=%s tool=%s tier=%s decision=%s outcome=%s args=%s\n", r.Server, r.Tool, r.Tier, r.Decision, r.Outcome, r.Arguments)
	}
	for _, w := range missing {
		tb.Errorf("no audit row server=%s tool=%s outcome=%s args~%q", w.server, w.tool, w.outcome, w.argsContain)
	}
	tb.Logf("history has %d rows:\n%s", len(rows), b.String())
}
