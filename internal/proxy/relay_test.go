package proxy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
)

func sampler(name string) *mcp.ClientOptions {
	return &mcp.ClientOptions{CreateMessageHandler: func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return &mcp.CreateMessageResult{Model: name, Role: "assistant", Content: &mcp.TextContent{Text: "from " + name}}, nil
	}}
}

// A sampling request belongs to the host whose call made it. When two
// hosts have calls in flight on the same upstream, the proxy cannot tell
// whose call asks (stdio carries no link), so it must not guess: host B
// must never see (or answer) a request that came from host A's call.
func TestSamplingNeverReachesAnotherHost(t *testing.T) {
	h := newHarness(t, 5*time.Second, policy.Rule{Server: "up", Tool: "*", Action: policy.Allow, Source: "config"})
	a, b := h.connect(sampler("A")), h.connect(sampler("B"))

	// One host alone: its call's request reaches it.
	if res, err := h.call(a, "up__sample", map[string]any{}); err != nil || !strings.Contains(resultText(res), "from A") {
		t.Fatalf("single host sampling: %v %q", err, resultText(res))
	}

	type out struct {
		text string
		err  error
	}
	done := make(chan out, 1)
	go func() {
		res, err := h.call(a, "up__sample", map[string]any{"delay_ms": 400})
		o := out{err: err}
		if res != nil {
			o.text = resultText(res)
		}
		done <- o
	}()
	time.Sleep(100 * time.Millisecond) // A's call is in flight; B's starts after it
	if res, err := h.call(b, "up__slow", map[string]any{"ms": 1000}); err != nil || res.IsError {
		t.Fatalf("B's call: %v %q", err, resultText(res))
	}
	if o := <-done; strings.Contains(o.text, "from B") {
		t.Fatalf("host A's sampling request was answered by host B: %q", o.text)
	}
}

// Some hosts let the model read resources (Claude Code has a tool for it),
// so a server's allowed folders hold for file: resource URIs too.
func TestResourceReadsStayInRoots(t *testing.T) {
	dir := t.TempDir()
	inside := filepath.Join(dir, "ok")
	os.MkdirAll(inside, 0o755)
	h := newHarnessWith(t, func(cfg *config.Config) {
		s := cfg.MCPServers["up"]
		s.Roots = []string{inside}
		cfg.MCPServers["up"] = s
	})
	cs := h.connect(nil)
	ctx := context.Background()
	if res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "file://" + inside + "/a.txt"}); err != nil || len(res.Contents) == 0 {
		t.Fatalf("read inside the roots: %v", err)
	}
	for _, uri := range []string{"file:///etc/passwd", "file://" + inside + "/../../etc/passwd", "FILE:///etc/passwd"} {
		if res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri}); err == nil {
			t.Errorf("read %s outside the roots: %+v", uri, res.Contents[0])
		}
	}
}
