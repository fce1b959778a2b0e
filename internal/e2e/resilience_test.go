package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// These tests run the real `airlock proxy` binary in front of real testserver
// processes and speak to it with the go-sdk client, as a host would.

func TestProxyUpstreamFailsToStart(t *testing.T) {
	tests := []struct {
		name  string
		entry func(home string) rsEntry
	}{
		{"exits at start", func(home string) rsEntry {
			return rsEntry{Command: rsTestServer(t), Args: []string{"-name", "broken", "-fail-start"}}
		}},
		{"command missing", func(home string) rsEntry {
			return rsEntry{Command: filepath.Join(home, "no-such-server")}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := rsHome(t, rsUpstream{name: "good"})
			rsWriteConfig(t, home, map[string]rsEntry{
				"good":   {Command: rsTestServer(t), Args: []string{"-name", "good"}},
				"broken": tt.entry(home),
			})
			cmd := airlockCmd(t, home, "proxy")
			stderr := cmd.Stderr.(*lockedBuffer)
			cs := connect(t, testCtx(t, rsWait), cmd, nil)

			tools := rsToolNames(t, cs)
			if !tools["good__echo"] {
				t.Fatalf("healthy upstream's tools missing; listed %v", tools)
			}
			if res := rsCall(t, cs, "good__echo", map[string]any{"text": "still here"}); res.IsError || rsText(res) != "still here" {
				t.Errorf("good__echo = %q (isError %v)", rsText(res), res.IsError)
			}

			res := rsCall(t, cs, "broken__echo", map[string]any{"text": "x"})
			if !res.IsError || !strings.Contains(rsText(res), "broken") {
				t.Errorf("broken__echo = %q (isError %v), want an isError result naming the server \"broken\"", rsText(res), res.IsError)
			}
			if tt.name == "exits at start" {
				// The upstream's own stderr reaches the proxy's, marked with its name.
				rsEventually(t, "the failing upstream's stderr line, prefixed [broken]", func() bool {
					for line := range strings.Lines(stderr.String()) {
						if strings.HasPrefix(line, "[broken] ") && strings.Contains(line, "failing at start") {
							return true
						}
					}
					return false
				})
			}
			rsExpectAudit(t, home,
				rsWant{server: "good", tool: "echo", outcome: "ok", argsContain: "still here"},
				rsWant{server: "broken", tool: "echo", outcome: "upstream_down", exposedOK: true},
			)
		})
	}
}

func TestProxyUpstreamRestarts(t *testing.T) {
	tests := []struct {
		name string
		// kill makes the upstream with pid die while a call is in flight and
		// returns that call's outcome.
		kill func(t *testing.T, cs *mcp.ClientSession, pid int) (*mcp.CallToolResult, error)
		tool string // the in-flight tool, for the audit row
	}{
		{"crash tool", func(t *testing.T, cs *mcp.ClientSession, _ int) (*mcp.CallToolResult, error) {
			ctx, cancel := context.WithTimeout(context.Background(), rsWait)
			defer cancel()
			return cs.CallTool(ctx, &mcp.CallToolParams{Name: "up__crash", Arguments: map[string]any{}})
		}, "crash"},
		{"SIGKILL", func(t *testing.T, cs *mcp.ClientSession, pid int) (*mcp.CallToolResult, error) {
			return rsWhileSlow(t, cs, func() {
				if err := killPID(pid); err != nil {
					t.Fatalf("kill upstream %d: %v", pid, err)
				}
			})
		}, "slow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := rsHome(t, rsUpstream{name: "up"})
			cs := rsConnect(t, home, rsProgressOpts(nil))
			pid := rsPID(t, cs)

			res, err := tt.kill(t, cs, pid)
			if err == nil && !res.IsError {
				t.Fatalf("in-flight call survived its upstream's death: %q", rsText(res))
			}
			t.Logf("in-flight call: err=%v result=%q", err, rsText(res))

			// Calls may fail while the upstream restarts; once it is back
			// they must work again, in a new process.
			rsEventually(t, "up__echo to work after the restart", func() bool {
				res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "up__echo", Arguments: map[string]any{"text": "back"}})
				return err == nil && !res.IsError && rsText(res) == "back"
			})
			if again := rsPID(t, cs); again == pid {
				t.Errorf("upstream pid is still %d after it died", pid)
			}
			if !rsToolNames(t, cs)["up__slow"] {
				t.Error("restarted upstream's tools are not listed")
			}
			rsEventually(t, "the dead upstream to be gone", func() bool { return !rsAlive(pid) })
			rsExpectAudit(t, home,
				rsWant{server: "up", tool: tt.tool, outcome: "upstream_down"},
				rsWant{server: "up", tool: "echo", outcome: "ok", argsContain: "back"},
			)
		})
	}
}

func TestProxyListChanged(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	changed := make(chan struct{}, 16)
	cs := rsConnect(t, home, &mcp.ClientOptions{
		ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) {
			changed <- struct{}{}
		},
	})
	if rsToolNames(t, cs)["up__newtool"] {
		t.Fatal("up__newtool listed before add_tool")
	}
	// Startup may announce changes of its own; only later ones count.
	for len(changed) > 0 {
		<-changed
	}

	if res := rsCall(t, cs, "up__add_tool", map[string]any{"name": "newtool"}); res.IsError {
		t.Fatalf("add_tool: %s", rsText(res))
	}
	select {
	case <-changed:
	case <-time.After(rsWait):
		t.Fatal("no notifications/tools/list_changed reached the host")
	}
	rsEventually(t, "up__newtool to be listed", func() bool { return rsToolNames(t, cs)["up__newtool"] })
	if res := rsCall(t, cs, "up__newtool", map[string]any{"text": "fresh"}); res.IsError || rsText(res) != "newtool: fresh" {
		t.Errorf("up__newtool = %q (isError %v)", rsText(res), res.IsError)
	}

	// A restarted upstream starts without the added tool: the host hears
	// about it and the tool is gone from the list.
	for len(changed) > 0 {
		<-changed
	}
	cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "up__crash", Arguments: map[string]any{}})
	select {
	case <-changed:
	case <-time.After(rsWait):
		t.Fatal("no notifications/tools/list_changed after the upstream restarted without up__newtool")
	}
	rsEventually(t, "up__newtool to leave the list after the restart", func() bool {
		names := rsToolNames(t, cs)
		return names["up__echo"] && !names["up__newtool"]
	})
	rsExpectAudit(t, home,
		rsWant{server: "up", tool: "add_tool", outcome: "ok"},
		rsWant{server: "up", tool: "newtool", outcome: "ok", argsContain: "fresh"},
	)
}

func TestProxyHostRequests(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	hostCancelled := make(chan struct{}, 1)
	cs := rsConnect(t, home, &mcp.ClientOptions{
		CreateMessageHandler: func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			prompt := ""
			if len(req.Params.Messages) > 0 {
				if tc, ok := req.Params.Messages[0].Content.(*mcp.TextContent); ok {
					prompt = tc.Text
				}
			}
			if prompt == "never answered" {
				<-ctx.Done()
				hostCancelled <- struct{}{}
				return nil, ctx.Err()
			}
			return &mcp.CreateMessageResult{Model: "host-model", Role: "assistant", Content: &mcp.TextContent{Text: "re: " + prompt}}, nil
		},
		ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"name": "Ada " + req.Params.Message}}, nil
		},
	})
	tests := []struct {
		tool, prompt, want string
	}{
		{"up__sample", "hello", "host-model: re: hello"},
		{"up__elicit", "Lovelace", `accept {"name":"Ada Lovelace"}`},
	}
	for _, tt := range tests {
		if res := rsCall(t, cs, tt.tool, map[string]any{"prompt": tt.prompt}); res.IsError || rsText(res) != tt.want {
			t.Errorf("%s = %q (isError %v), want %q", tt.tool, rsText(res), res.IsError, tt.want)
		}
	}

	// The upstream gives up on the host: its cancellation must reach the
	// host's handler.
	if res := rsCall(t, cs, "up__sample", map[string]any{"prompt": "never answered", "timeout_ms": 300}); !res.IsError {
		t.Errorf("sample past its timeout = %q, want a tool error", rsText(res))
	}
	select {
	case <-hostCancelled:
	case <-time.After(rsWait):
		t.Error("the upstream's notifications/cancelled did not reach the host's sampling handler")
	}
	rsExpectAudit(t, home,
		rsWant{server: "up", tool: "sample", outcome: "ok", argsContain: "hello"},
		rsWant{server: "up", tool: "elicit", outcome: "ok", argsContain: "Lovelace"},
		rsWant{server: "up", tool: "sample", outcome: "tool_error", argsContain: "never answered"},
	)
}

func TestProxyProgressAndCancel(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	var mu sync.Mutex
	var got []*mcp.ProgressNotificationParams
	cs := rsConnect(t, home, rsProgressOpts(func(p *mcp.ProgressNotificationParams) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p)
	}))

	for _, token := range []any{"host-token-1", 4242} {
		t.Run(fmt.Sprintf("token %T", token), func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			params := &mcp.CallToolParams{Name: "up__slow", Arguments: map[string]any{"steps": 5, "interval_ms": 10}}
			params.SetProgressToken(token)
			res, err := cs.CallTool(context.Background(), params)
			if err != nil || res.IsError {
				t.Fatalf("slow: %v %q", err, rsText(res))
			}
			// Every notification precedes the result on the upstream's
			// stdout; allow the host side a moment to deliver them.
			deadline := time.Now().Add(5 * time.Second)
			for {
				mu.Lock()
				n := len(got)
				mu.Unlock()
				if n >= 5 || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 5 {
				t.Errorf("host got %d progress notifications, want all 5 the upstream sent before its result", len(got))
			}
			for i, p := range got {
				if fmt.Sprint(p.ProgressToken) != fmt.Sprint(token) {
					t.Errorf("notification %d carries token %v (%T), want the host's %v", i, p.ProgressToken, p.ProgressToken, token)
				}
				if p.Progress != float64(i+1) || p.Total != 5 {
					t.Errorf("notification %d: progress %v/%v, want %d/5", i, p.Progress, p.Total, i+1)
				}
			}
		})
	}
	rsExpectAudit(t, home, rsWant{server: "up", tool: "slow", outcome: "ok", argsContain: `"steps":5`})

	t.Run("cancel reaches upstream", func(t *testing.T) {
		marker := filepath.Join(t.TempDir(), "cancelled")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		res, err := rsWhileSlowCtx(t, ctx, cs, map[string]any{"marker": marker}, cancel)
		if err == nil {
			t.Errorf("cancelled call returned a result: %q", rsText(res))
		}
		rsEventually(t, "the upstream to see the cancellation (marker file)", func() bool {
			_, err := os.Stat(marker)
			return err == nil
		})
		rsExpectAudit(t, home, rsWant{server: "up", tool: "slow", outcome: "cancelled", argsContain: "marker"})
	})
}

func TestProxyErrorsPassThrough(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	cs := rsConnect(t, home, nil)

	res := rsCall(t, cs, "up__fail", map[string]any{"message": "boom: disk full"})
	if !res.IsError || rsText(res) != "boom: disk full" {
		t.Errorf("up__fail = %q (isError %v), want the upstream's isError result unchanged", rsText(res), res.IsError)
	}

	_, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "up__rpc_error", Arguments: map[string]any{"message": "nope"}})
	var werr *jsonrpc.Error
	if !errors.As(err, &werr) || werr.Code != -32042 || werr.Message != "nope" {
		t.Errorf("up__rpc_error: got %v, want JSON-RPC error -32042 \"nope\"", err)
	}
	rsExpectAudit(t, home,
		rsWant{server: "up", tool: "fail", outcome: "tool_error"},
		rsWant{server: "up", tool: "rpc_error", outcome: "protocol_error"},
	)
}

func TestProxyPromptsAndResources(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	cs := rsConnect(t, home, nil)
	ctx := context.Background()

	p, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "up__greet", Arguments: map[string]string{"name": "Ada"}})
	if err != nil {
		t.Fatalf("get prompt up__greet: %v", err)
	}
	if len(p.Messages) != 1 || p.Messages[0].Content.(*mcp.TextContent).Text != "Hello, Ada!" {
		t.Errorf("up__greet = %+v", p.Messages)
	}

	var uris []string
	for r, err := range cs.Resources(ctx, nil) {
		if err != nil {
			t.Fatalf("list resources: %v", err)
		}
		uris = append(uris, r.URI)
	}
	if len(uris) != 1 {
		t.Fatalf("resources = %v, want the upstream's one", uris)
	}
	r, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uris[0]})
	if err != nil {
		t.Fatalf("read %s: %v", uris[0], err)
	}
	if len(r.Contents) != 1 || r.Contents[0].Text != "server up" {
		t.Errorf("read %s = %+v", uris[0], r.Contents)
	}
}

func TestProxyTwoProxiesShareAudit(t *testing.T) {
	const perProxy, workers = 200, 4
	home := rsHome(t, rsUpstream{name: "up"})
	sessions := []*mcp.ClientSession{rsConnect(t, home, nil), rsConnect(t, home, nil)}

	var wg sync.WaitGroup
	errs := make(chan error, 2*perProxy)
	for p, cs := range sessions {
		for w := range workers {
			wg.Go(func() {
				for i := w; i < perProxy; i += workers {
					text := fmt.Sprintf("p%d-call%03d", p, i)
					res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "up__echo", Arguments: map[string]any{"text": text}})
					switch {
					case err != nil:
						errs <- fmt.Errorf("%s: %w", text, err)
					case res.IsError || rsText(res) != text:
						errs <- fmt.Errorf("%s: got %q (isError %v)", text, rsText(res), res.IsError)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	var seen map[string]int
	rsEventually(t, "400 echo rows in the history", func() bool {
		seen = map[string]int{}
		for _, r := range rsHistory(t, home) {
			if r.Server == "up" && r.Tool == "echo" && r.Outcome == "ok" {
				seen[string(r.Arguments)]++
			}
		}
		return len(seen) == 2*perProxy
	})
	for args, n := range seen {
		if n != 1 {
			t.Errorf("%d rows for arguments %s, want 1", n, args)
		}
	}
}

// rsProgressOpts is client options whose progress handler calls f and the
// callback registered for the token with rsOnProgress.
func rsProgressOpts(f func(*mcp.ProgressNotificationParams)) *mcp.ClientOptions {
	return &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			rsProgressRouter.mu.Lock()
			g := rsProgressRouter.m[fmt.Sprint(req.Params.ProgressToken)]
			rsProgressRouter.mu.Unlock()
			if g != nil {
				g()
			}
			if f != nil {
				f(req.Params)
			}
		},
	}
}

var rsProgressRouter struct {
	mu sync.Mutex
	m  map[string]func()
}

// rsOnProgress runs f for each progress notification carrying token, on
// sessions connected with rsProgressOpts.
func rsOnProgress(t *testing.T, token string, f func()) {
	rsProgressRouter.mu.Lock()
	defer rsProgressRouter.mu.Unlock()
	if rsProgressRouter.m == nil {
		rsProgressRouter.m = map[string]func(){}
	}
	rsProgressRouter.m[token] = f
	t.Cleanup(func() {
		rsProgressRouter.mu.Lock()
		defer rsProgressRouter.mu.Unlock()
		delete(rsProgressRouter.m, token)
	})
}

// rsPID asks the upstream "up" for its process id.
func rsPID(t *testing.T, cs *mcp.ClientSession) int {
	t.Helper()
	res := rsCall(t, cs, "up__pid", nil)
	var pid int
	if _, err := fmt.Sscan(rsText(res), &pid); err != nil || res.IsError {
		t.Fatalf("up__pid = %q (isError %v)", rsText(res), res.IsError)
	}
	return pid
}

// rsWhileSlow starts a long up__slow call, runs during once the upstream is
// demonstrably working on it (first progress seen), and returns the call's outcome.
func rsWhileSlow(t *testing.T, cs *mcp.ClientSession, during func()) (*mcp.CallToolResult, error) {
	return rsWhileSlowCtx(t, context.Background(), cs, nil, during)
}

func rsWhileSlowCtx(t *testing.T, ctx context.Context, cs *mcp.ClientSession, extra map[string]any, during func()) (*mcp.CallToolResult, error) {
	t.Helper()
	args := map[string]any{"steps": 2000, "interval_ms": 20}
	for k, v := range extra {
		args[k] = v
	}
	params := &mcp.CallToolParams{Name: "up__slow", Arguments: args}
	token := fmt.Sprintf("slow-%d", time.Now().UnixNano())
	params.SetProgressToken(token)

	started := make(chan struct{})
	var once sync.Once
	rsOnProgress(t, token, func() { once.Do(func() { close(started) }) })

	type outcome struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		ctx, cancel := context.WithTimeout(ctx, rsWait)
		defer cancel()
		res, err := cs.CallTool(ctx, params)
		done <- outcome{res, err}
	}()
	select {
	case <-started:
	case o := <-done:
		t.Fatalf("up__slow ended before any progress: err=%v result=%q", o.err, rsText(o.res))
	case <-time.After(rsWait):
		t.Fatal("no progress from up__slow")
	}
	during()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(rsWait + time.Second):
		t.Fatal("in-flight up__slow never returned")
		return nil, nil
	}
}
