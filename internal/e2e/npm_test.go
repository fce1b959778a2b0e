package e2e

// The npm reference servers (server-everything, server-filesystem,
// server-memory) behind one `airlock proxy`, driven by the go-sdk client and,
// in TestCompareTypeScriptClient, by the TypeScript SDK.

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// npmSetup is three real servers configured in one AIRLOCK_HOME.
type npmSetup struct {
	home    string
	fsRoot  string
	memFile string
	servers map[string]map[string]any
}

func newNPMSetup(t *testing.T) npmSetup {
	t.Helper()
	dir := t.TempDir()
	s := npmSetup{
		home:    newHome(t),
		fsRoot:  filepath.Join(dir, "files"),
		memFile: filepath.Join(dir, "memory.jsonl"),
	}
	if err := os.MkdirAll(s.fsRoot, 0o700); err != nil {
		t.Fatal(err)
	}
	s.servers = map[string]map[string]any{
		"everything": everythingServer(t),
		"filesystem": filesystemServer(t, s.fsRoot),
		"memory":     memoryServer(t, s.memFile),
	}
	cfg := map[string]any{}
	for k, v := range s.servers {
		cfg[k] = v
	}
	writeAllowConfig(t, s.home, cfg)
	return s
}

// notes collects what the proxy sends the client between requests.
type notes struct {
	mu       sync.Mutex
	progress []*mcp.ProgressNotificationParams
	updated  []string
	arrived  chan struct{}
}

func (n *notes) add(f func()) {
	n.mu.Lock()
	f()
	n.mu.Unlock()
	select {
	case n.arrived <- struct{}{}:
	default:
	}
}

// waitFor waits until cond holds (checked under the lock) or ctx ends.
func (n *notes) waitFor(ctx context.Context, cond func() bool) bool {
	for {
		n.mu.Lock()
		ok := cond()
		n.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-n.arrived:
		case <-ctx.Done():
			return false
		}
	}
}

// hostOptions declares what a full host declares: sampling and elicitation
// (answered with canned replies). The direct clients use the same, so the
// servers offer the same capability-dependent tools both ways.
func hostOptions() *mcp.ClientOptions {
	return &mcp.ClientOptions{
		CreateMessageHandler: func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			return &mcp.CreateMessageResult{Model: "e2e-model", Role: "assistant", Content: &mcp.TextContent{Text: "canned sample from the host"}}, nil
		},
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "decline"}, nil
		},
	}
}

func (n *notes) options() *mcp.ClientOptions {
	o := hostOptions()
	o.ProgressNotificationHandler = func(_ context.Context, r *mcp.ProgressNotificationClientRequest) {
		n.add(func() { n.progress = append(n.progress, r.Params) })
	}
	o.ResourceUpdatedHandler = func(_ context.Context, r *mcp.ResourceUpdatedNotificationRequest) {
		n.add(func() { n.updated = append(n.updated, r.Params.URI) })
	}
	return o
}

// wantRow is an audit row a test expects after its calls.
type wantRow struct{ server, tool, outcome string }

func TestNPMServersThroughProxy(t *testing.T) {
	s := newNPMSetup(t)
	ctx := testCtx(t, 3*time.Minute)

	// Reference answers, straight from each server.
	direct := map[string]*mcp.ClientSession{}
	for name, srv := range s.servers {
		direct[name] = connectDirect(t, ctx, srv, hostOptions())
	}

	n := &notes{arrived: make(chan struct{}, 1)}
	cs := startProxy(t, ctx, s.home, n.options())
	var want []wantRow

	t.Run("tools are the prefixed union", func(t *testing.T) {
		got := toolMap(t, ctx, cs)
		exp := map[string]*mcp.Tool{}
		for name, d := range direct {
			for k, tool := range toolMap(t, ctx, d) {
				exp[name+"__"+k] = tool
			}
		}
		if missing, extra := keyDiff(exp, got); len(missing)+len(extra) > 0 {
			t.Errorf("proxied tool names differ from the direct union:\nmissing %v\nextra %v", missing, extra)
		}
		for name, e := range exp {
			g, ok := got[name]
			if !ok {
				continue
			}
			for _, f := range []struct {
				field string
				a, b  any
			}{
				{"title", e.Title, g.Title},
				{"description", e.Description, g.Description},
				{"inputSchema", e.InputSchema, g.InputSchema},
				{"outputSchema", e.OutputSchema, g.OutputSchema},
				{"annotations (other than tier hints)", passedHints(e.Annotations), passedHints(g.Annotations)},
			} {
				if ja, jb := jsonOf(t, f.a), jsonOf(t, f.b); ja != jb {
					t.Errorf("%s %s:\ndirect  %s\nproxied %s", name, f.field, ja, jb)
				}
			}
			if a, b := jsonOf(t, tierHints(e.Annotations)), jsonOf(t, tierHints(g.Annotations)); a != b {
				t.Logf("%s tier hints: upstream %s, airlock shows %s", name, a, b)
			}
		}
	})

	t.Run("filesystem write and read in the allowed folder", func(t *testing.T) {
		path := filepath.Join(s.fsRoot, "note.txt")
		const body = "written through airlock\nsecond line ✓"
		callOK(t, ctx, cs, "filesystem__write_file", map[string]any{"path": path, "content": body})
		if b, err := os.ReadFile(path); err != nil || string(b) != body {
			t.Fatalf("file on disk = %q, %v; want %q", b, err, body)
		}
		if got := callOK(t, ctx, cs, "filesystem__read_text_file", map[string]any{"path": path}); got != body {
			t.Errorf("read_text_file = %q, want %q", got, body)
		}
		want = append(want, wantRow{"filesystem", "write_file", "ok"}, wantRow{"filesystem", "read_text_file", "ok"})

		// Outside the allowed folder the server itself refuses: a tool error.
		res := call(t, ctx, cs, "filesystem__read_text_file", map[string]any{"path": "/etc/hostname"})
		if !res.IsError {
			t.Errorf("read outside the allowed folder: want isError, got %q", text(res))
		}
		want = append(want, wantRow{"filesystem", "read_text_file", "tool_error"})
	})

	t.Run("memory create and read graph", func(t *testing.T) {
		callOK(t, ctx, cs, "memory__create_entities", map[string]any{"entities": []any{
			map[string]any{"name": "Airlock", "entityType": "project", "observations": []string{"proxies MCP"}},
		}})
		graph := callOK(t, ctx, cs, "memory__read_graph", map[string]any{})
		if !strings.Contains(graph, `"Airlock"`) || !strings.Contains(graph, "proxies MCP") {
			t.Errorf("read_graph lacks the new entity: %s", graph)
		}
		if b, _ := os.ReadFile(s.memFile); !strings.Contains(string(b), "proxies MCP") {
			t.Errorf("memory file %s lacks the entity: %q", s.memFile, b)
		}
		want = append(want, wantRow{"memory", "create_entities", "ok"}, wantRow{"memory", "read_graph", "ok"})
	})

	t.Run("everything echo and tool error", func(t *testing.T) {
		if got := callOK(t, ctx, cs, "everything__echo", map[string]any{"message": "hi"}); got != "Echo: hi" {
			t.Errorf("echo = %q", got)
		}
		res := call(t, ctx, cs, "everything__get-resource-reference", map[string]any{"resourceType": "Text", "resourceId": 0})
		if !res.IsError {
			t.Errorf("get-resource-reference id 0: want isError, got %q", text(res))
		}
		want = append(want, wantRow{"everything", "echo", "ok"}, wantRow{"everything", "get-resource-reference", "tool_error"})
	})

	t.Run("sampling and elicitation reach the host", func(t *testing.T) {
		got := callOK(t, ctx, cs, "everything__trigger-sampling-request", map[string]any{"prompt": "say hi", "maxTokens": 5})
		if !strings.Contains(got, "canned sample from the host") || !strings.Contains(got, "e2e-model") {
			t.Errorf("sampling result lacks the host's reply: %q", got)
		}
		got = callOK(t, ctx, cs, "everything__trigger-elicitation-request", map[string]any{})
		if !strings.Contains(got, "declined") {
			t.Errorf("elicitation result lacks the host's decline: %q", got)
		}
		want = append(want, wantRow{"everything", "trigger-sampling-request", "ok"},
			wantRow{"everything", "trigger-elicitation-request", "ok"})
	})

	t.Run("progress notifications reach the client", func(t *testing.T) {
		params := &mcp.CallToolParams{Name: "everything__trigger-long-running-operation",
			Arguments: map[string]any{"duration": 0.6, "steps": 3}}
		params.SetProgressToken("e2e-progress-1")
		res, err := cs.CallTool(ctx, params)
		if err != nil || res.IsError {
			t.Fatalf("long-running operation: %v %v", err, res)
		}
		// The last notification may race the result (also without the proxy).
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		ok := n.waitFor(wctx, func() bool { return countToken(n.progress, "e2e-progress-1") >= 2 })
		if !ok {
			t.Errorf("progress notifications with our token: got %d of 3 (all: %s)",
				countToken(n.progress, "e2e-progress-1"), jsonOf(t, n.progress))
		}
		want = append(want, wantRow{"everything", "trigger-long-running-operation", "ok"})
	})

	t.Run("cancelling a call returns and the proxy stays healthy", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		params := &mcp.CallToolParams{Name: "everything__trigger-long-running-operation",
			Arguments: map[string]any{"duration": 60, "steps": 60}}
		params.SetProgressToken("e2e-cancel")
		done := make(chan error, 1)
		go func() { _, err := cs.CallTool(cctx, params); done <- err }()
		// Cancel once the call is surely running upstream (first progress).
		wctx, wcancel := context.WithTimeout(ctx, 15*time.Second)
		defer wcancel()
		if !n.waitFor(wctx, func() bool { return countToken(n.progress, "e2e-cancel") >= 1 }) {
			t.Error("no progress from the long call before cancelling")
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled call returned %v, want context.Canceled", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("cancelled call did not return (hang detector, 20 s)")
		}
		if got := callOK(t, ctx, cs, "everything__echo", map[string]any{"message": "still here"}); got != "Echo: still here" {
			t.Errorf("echo after cancel = %q", got)
		}
		want = append(want, wantRow{"everything", "trigger-long-running-operation", "cancelled"},
			wantRow{"everything", "echo", "ok"})
	})

	t.Run("resources list, read and subscribe", func(t *testing.T) {
		got := resourceURIs(t, ctx, cs)
		exp := []string{}
		for _, d := range direct {
			exp = append(exp, resourceURIs(t, ctx, d)...)
		}
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("resources:\nproxied %v\ndirect  %v", got, exp)
		}
		const uri = "demo://resource/static/document/features.md"
		pr, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			t.Fatalf("read %s through the proxy: %v", uri, err)
		}
		dr, err := direct["everything"].ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			t.Fatal(err)
		}
		// Only the contents: the go-sdk under the proxy writes out the
		// cache defaults (ttlMs 0, cacheScope "public") that mean the same
		// as the upstream's absent fields.
		if a, b := jsonOf(t, dr.Contents), jsonOf(t, pr.Contents); a != b {
			t.Errorf("read %s:\ndirect  %.300s\nproxied %.300s", uri, a, b)
		}

		caps := cs.InitializeResult().Capabilities
		if caps.Resources == nil || !caps.Resources.Subscribe {
			t.Fatalf("proxy does not offer resources.subscribe although server-everything does: %s", jsonOf(t, caps))
		}
		sub := "demo://resource/dynamic/text/1"
		if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: sub}); err != nil {
			t.Fatalf("subscribe: %v", err)
		}
		// server-everything sends updates for subscribed URIs right when
		// toggled on, then every 5 s.
		callOK(t, ctx, cs, "everything__toggle-subscriber-updates", map[string]any{})
		wctx, cancel := context.WithTimeout(ctx, 12*time.Second)
		defer cancel()
		if !n.waitFor(wctx, func() bool { return slices.Contains(n.updated, sub) }) {
			t.Errorf("no notifications/resources/updated for %s (got %v)", sub, n.updated)
		}
		callOK(t, ctx, cs, "everything__toggle-subscriber-updates", map[string]any{})
		if err := cs.Unsubscribe(ctx, &mcp.UnsubscribeParams{URI: sub}); err != nil {
			t.Errorf("unsubscribe: %v", err)
		}
		want = append(want, wantRow{"everything", "toggle-subscriber-updates", "ok"})
	})

	t.Run("prompts list and get", func(t *testing.T) {
		pl, err := cs.ListPrompts(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		dl, err := direct["everything"].ListPrompts(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got, exp []string
		for _, p := range pl.Prompts {
			got = append(got, p.Name)
		}
		for _, p := range dl.Prompts {
			exp = append(exp, "everything__"+p.Name)
		}
		slices.Sort(got)
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("prompts: proxied %v, direct (prefixed) %v", got, exp)
		}
		args := map[string]string{"city": "Lyon", "state": "Rhône"}
		pg, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "everything__args-prompt", Arguments: args})
		if err != nil {
			t.Fatalf("get prompt through the proxy: %v", err)
		}
		dg, err := direct["everything"].GetPrompt(ctx, &mcp.GetPromptParams{Name: "args-prompt", Arguments: args})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := jsonOf(t, dg), jsonOf(t, pg); a != b {
			t.Errorf("get args-prompt:\ndirect  %s\nproxied %s", a, b)
		}
	})

	t.Run("every call has an audit row", func(t *testing.T) {
		// The cancelled call's row may be completed just after the client
		// gave up, so poll briefly.
		deadline := time.Now().Add(10 * time.Second)
		var rows []historyRow
		var missing []wantRow
		for {
			rows = history(t, s.home)
			missing = missingRows(rows, want)
			if len(missing) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		for _, m := range missing {
			t.Errorf("no audit row server=%s tool=%s outcome=%s", m.server, m.tool, m.outcome)
		}
		if len(missing) > 0 {
			for _, r := range rows {
				t.Logf("row: server=%s tool=%s tier=%s decision=%s outcome=%s", r.Server, r.Tool, r.Tier, r.Decision, r.Outcome)
			}
		}
		for _, r := range rows {
			if r.Decision == "" || r.Time == "" || len(r.Arguments) == 0 || string(r.ID) == "" {
				t.Errorf("incomplete audit row: %+v", r)
			}
		}
		if len(rows) > 0 {
			t.Logf("sample audit row: id=%s server=%s tool=%s tier=%q decision=%s outcome=%s duration_ms=%v arguments=%s",
				rows[0].ID, rows[0].Server, rows[0].Tool, rows[0].Tier, rows[0].Decision, rows[0].Outcome, rows[0].DurationMS, rows[0].Arguments)
		}
	})
}

// tierHints are the annotations Airlock rewrites to match its own tier for
// the tool (DESIGN.md: the host should not ask twice for reads).
func tierHints(a *mcp.ToolAnnotations) any {
	if a == nil {
		return nil
	}
	return []any{a.ReadOnlyHint, a.DestructiveHint}
}

// passedHints are the annotations that must reach the host unchanged.
func passedHints(a *mcp.ToolAnnotations) any {
	if a == nil {
		return nil
	}
	return []any{a.Title, a.IdempotentHint, a.OpenWorldHint}
}

// missingRows returns the wanted rows that have no match, counting
// duplicates: two wanted echo calls need two rows.
func missingRows(rows []historyRow, want []wantRow) []wantRow {
	used := make([]bool, len(rows))
	var missing []wantRow
	for _, w := range want {
		found := false
		for i, r := range rows {
			if !used[i] && r.Server == w.server && r.Tool == w.tool && r.Outcome == w.outcome {
				used[i], found = true, true
				break
			}
		}
		if !found {
			missing = append(missing, w)
		}
	}
	return missing
}

func toolMap(t *testing.T, ctx context.Context, cs *mcp.ClientSession) map[string]*mcp.Tool {
	t.Helper()
	m := map[string]*mcp.Tool{}
	for tool, err := range cs.Tools(ctx, nil) {
		if err != nil {
			t.Fatalf("list tools: %v", err)
		}
		m[tool.Name] = tool
	}
	return m
}

func resourceURIs(t *testing.T, ctx context.Context, cs *mcp.ClientSession) []string {
	t.Helper()
	if cs.InitializeResult().Capabilities.Resources == nil {
		return nil
	}
	var uris []string
	for r, err := range cs.Resources(ctx, nil) {
		if err != nil {
			t.Fatalf("list resources: %v", err)
		}
		uris = append(uris, r.URI)
	}
	slices.Sort(uris)
	return uris
}

func keyDiff[V any](want, got map[string]V) (missing, extra []string) {
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	return missing, extra
}

func countToken(ps []*mcp.ProgressNotificationParams, token string) int {
	n := 0
	for _, p := range ps {
		if p.ProgressToken == token {
			n++
		}
	}
	return n
}
