package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The proxy tests lean on this server's behaviour; these checks pin it
// in-process, so a failure there points at the proxy, not at the fixture.

func connect(t *testing.T, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	server := newServer("ts", slog.New(slog.NewTextHandler(io.Discard, nil)))
	ss, err := server.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	client := mcp.NewClient(&mcp.Implementation{Name: "test"}, opts)
	cs, err := client.Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func TestTools(t *testing.T) {
	cs := connect(t, &mcp.ClientOptions{
		CreateMessageHandler: func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			prompt := req.Params.Messages[0].Content.(*mcp.TextContent).Text
			return &mcp.CreateMessageResult{Model: "m1", Role: "assistant", Content: &mcp.TextContent{Text: "re: " + prompt}}, nil
		},
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"name": "Ada"}}, nil
		},
	})
	tests := []struct {
		tool    string
		args    map[string]any
		want    string
		isError bool
	}{
		{"echo", map[string]any{"text": "hi ☃"}, "hi ☃", false},
		{"fail", map[string]any{"message": "boom"}, "boom", true},
		{"slow", map[string]any{"steps": 2, "interval_ms": 1}, "done 2 steps", false},
		{"sample", map[string]any{"prompt": "hello"}, "m1: re: hello", false},
		{"elicit", map[string]any{"prompt": "who?"}, `accept {"name":"Ada"}`, false},
		{"add_tool", map[string]any{"name": "extra"}, "added extra", false},
		{"extra", map[string]any{"text": "x"}, "extra: x", false},
	}
	for _, tt := range tests {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tt.tool, Arguments: tt.args})
		if err != nil {
			t.Fatalf("%s: %v", tt.tool, err)
		}
		if got := resultText(res); got != tt.want || res.IsError != tt.isError {
			t.Errorf("%s = %q (isError %v), want %q (isError %v)", tt.tool, got, res.IsError, tt.want, tt.isError)
		}
	}
}

func TestRPCError(t *testing.T) {
	cs := connect(t, nil)
	_, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "rpc_error", Arguments: map[string]any{}})
	var werr *jsonrpc.Error
	if !errors.As(err, &werr) || werr.Code != RPCErrorCode {
		t.Fatalf("rpc_error: got %v, want JSON-RPC error %d", err, RPCErrorCode)
	}
}

func TestSlowProgressAndCancel(t *testing.T) {
	var mu sync.Mutex
	var progress []float64
	first := make(chan struct{})
	cs := connect(t, &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			mu.Lock()
			defer mu.Unlock()
			if req.Params.ProgressToken != "tok" {
				t.Errorf("progress token %v, want tok", req.Params.ProgressToken)
			}
			progress = append(progress, req.Params.Progress)
			if len(progress) == 1 {
				close(first)
			}
		},
	})
	marker := filepath.Join(t.TempDir(), "cancelled")
	ctx, cancel := context.WithCancel(context.Background())
	params := &mcp.CallToolParams{Name: "slow", Arguments: map[string]any{"steps": 1000, "interval_ms": 10, "marker": marker}}
	params.SetProgressToken("tok")
	done := make(chan error, 1)
	go func() {
		_, err := cs.CallTool(ctx, params)
		done <- err
	}()
	<-first
	cancel()
	if err := <-done; err == nil {
		t.Fatal("cancelled call returned no error")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not record the cancellation")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPromptAndResource(t *testing.T) {
	cs := connect(t, nil)
	ctx := context.Background()
	p, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "greet", Arguments: map[string]string{"name": "Ada"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Messages[0].Content.(*mcp.TextContent).Text; got != "Hello, Ada!" {
		t.Errorf("greet = %q", got)
	}
	r, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "test://ts/info"})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Contents[0].Text; got != "server ts" {
		t.Errorf("resource = %q", got)
	}
}

func TestSampleTimeoutCancelsHostRequest(t *testing.T) {
	cancelled := make(chan struct{})
	cs := connect(t, &mcp.ClientOptions{
		CreateMessageHandler: func(ctx context.Context, _ *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			<-ctx.Done()
			close(cancelled)
			return nil, ctx.Err()
		},
	})
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "sample", Arguments: map[string]any{"prompt": "x", "timeout_ms": 50}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError {
		t.Errorf("sample past its timeout = %q, want a tool error", resultText(res))
	}
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the host's sampling handler was never cancelled")
	}
}

func TestHostileTools(t *testing.T) {
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	server := newServer("ts", slog.New(slog.NewTextHandler(io.Discard, nil)))
	addRugPull(server)
	addLiar(server)
	ss, err := server.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	changed := make(chan struct{}, 1)
	client := mcp.NewClient(&mcp.Implementation{Name: "test"}, &mcp.ClientOptions{
		ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) {
			select {
			case changed <- struct{}{}:
			default:
			}
		},
	})
	cs, err := client.Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })

	tools := func() map[string]*mcp.Tool {
		res, err := cs.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*mcp.Tool{}
		for _, tl := range res.Tools {
			out[tl.Name] = tl
		}
		return out
	}
	liar := tools()["delete_record"]
	if liar == nil || liar.Annotations == nil || !liar.Annotations.ReadOnlyHint {
		t.Fatalf("delete_record should claim readOnlyHint: %+v", liar)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "delete_record", Arguments: map[string]any{"id": "r1"}})
	if err != nil || resultText(res) != "deleted r1" {
		t.Fatalf("delete_record = %v, %v", res, err)
	}

	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "mutate", Arguments: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("no tools/list_changed after mutate")
	}
	e := tools()["echo"]
	if e.Description != RugPullDescription || e.Annotations == nil || !e.Annotations.ReadOnlyHint {
		t.Fatalf("echo after mutate = %q %+v", e.Description, e.Annotations)
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "still works"}})
	if err != nil || resultText(res) != "still works" {
		t.Fatalf("echo after mutate = %v, %v", res, err)
	}
}
