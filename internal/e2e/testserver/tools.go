package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// RPCErrorCode is what rpc_error answers with unless asked for another code:
// outside the reserved JSON-RPC range, so a proxy that rewrites codes shows.
const RPCErrorCode = -32042

type textArgs struct {
	Text string `json:"text" jsonschema:"text to send back"`
}

type failArgs struct {
	Message string `json:"message,omitempty" jsonschema:"text of the tool error"`
}

type rpcErrorArgs struct {
	Code    int64  `json:"code,omitempty" jsonschema:"JSON-RPC error code (default -32042)"`
	Message string `json:"message,omitempty" jsonschema:"error message"`
}

type slowArgs struct {
	Steps      int    `json:"steps,omitempty" jsonschema:"number of progress steps (default 10)"`
	IntervalMS int    `json:"interval_ms,omitempty" jsonschema:"milliseconds between steps (default 50)"`
	Marker     string `json:"marker,omitempty" jsonschema:"file written with the word cancelled when the call is cancelled"`
}

type addToolArgs struct {
	Name string `json:"name,omitempty" jsonschema:"name of the tool to add (default newtool)"`
}

type promptArgs struct {
	Prompt string `json:"prompt,omitempty" jsonschema:"text sent to the host"`
	// TimeoutMS makes the server give up on the host and cancel its own
	// request: the upstream-to-host direction of cancellation.
	TimeoutMS int `json:"timeout_ms,omitempty" jsonschema:"give up on the host after this many milliseconds"`
}

func (a promptArgs) context(ctx context.Context) (context.Context, context.CancelFunc) {
	if a.TimeoutMS <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Duration(a.TimeoutMS)*time.Millisecond)
}

type emptyArgs struct{}

func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

func echo(_ context.Context, _ *mcp.CallToolRequest, in textArgs) (*mcp.CallToolResult, any, error) {
	return text(in.Text), nil, nil
}

func newServer(name string, logger *slog.Logger) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: name, Version: "1.0.0"}, &mcp.ServerOptions{Logger: logger})

	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "Return the text unchanged."}, echo)

	mcp.AddTool(s, &mcp.Tool{Name: "fail", Description: "Return a tool error (isError) with the message."},
		func(_ context.Context, _ *mcp.CallToolRequest, in failArgs) (*mcp.CallToolResult, any, error) {
			msg := in.Message
			if msg == "" {
				msg = "failed as asked"
			}
			res := text(msg)
			res.IsError = true
			return res, nil, nil
		})

	mcp.AddTool(s, &mcp.Tool{Name: "rpc_error", Description: "Answer with a JSON-RPC error instead of a result."},
		func(_ context.Context, _ *mcp.CallToolRequest, in rpcErrorArgs) (*mcp.CallToolResult, any, error) {
			code, msg := in.Code, in.Message
			if code == 0 {
				code = RPCErrorCode
			}
			if msg == "" {
				msg = "rpc_error as asked"
			}
			// The SDK sends a *jsonrpc.Error as the response's error member;
			// any other error would become an isError result.
			return nil, nil, &jsonrpc.Error{Code: code, Message: msg}
		})

	mcp.AddTool(s, &mcp.Tool{Name: "crash", Description: "Exit the process with status 3 while the call is in flight."},
		func(context.Context, *mcp.CallToolRequest, emptyArgs) (*mcp.CallToolResult, any, error) {
			logger.Warn("crashing as asked")
			os.Exit(3)
			return nil, nil, nil
		})

	mcp.AddTool(s, &mcp.Tool{Name: "pid", Description: "Return this server's process id."},
		func(context.Context, *mcp.CallToolRequest, emptyArgs) (*mcp.CallToolResult, any, error) {
			return text(fmt.Sprint(os.Getpid())), nil, nil
		})

	mcp.AddTool(s, &mcp.Tool{Name: "slow", Description: "Send progress every interval for a number of steps; stops when cancelled."},
		slow)

	mcp.AddTool(s, &mcp.Tool{Name: "add_tool", Description: "Add a tool at runtime (sends tools/list_changed)."},
		func(_ context.Context, _ *mcp.CallToolRequest, in addToolArgs) (*mcp.CallToolResult, any, error) {
			name := in.Name
			if name == "" {
				name = "newtool"
			}
			mcp.AddTool(s, &mcp.Tool{Name: name, Description: "Added at runtime; echoes its text with the tool name."},
				func(_ context.Context, _ *mcp.CallToolRequest, in textArgs) (*mcp.CallToolResult, any, error) {
					return text(name + ": " + in.Text), nil, nil
				})
			return text("added " + name), nil, nil
		})

	mcp.AddTool(s, &mcp.Tool{Name: "sample", Description: "Ask the host for a completion (sampling/createMessage) and return it."},
		func(ctx context.Context, req *mcp.CallToolRequest, in promptArgs) (*mcp.CallToolResult, any, error) {
			ctx, cancel := in.context(ctx)
			defer cancel()
			res, err := req.Session.CreateMessage(ctx, &mcp.CreateMessageParams{
				MaxTokens: 100,
				Messages:  []*mcp.SamplingMessage{{Role: "user", Content: &mcp.TextContent{Text: in.Prompt}}},
			})
			if err != nil {
				return nil, nil, fmt.Errorf("sampling: %w", err)
			}
			tc, ok := res.Content.(*mcp.TextContent)
			if !ok {
				return nil, nil, fmt.Errorf("sampling: want text content, got %T", res.Content)
			}
			return text(fmt.Sprintf("%s: %s", res.Model, tc.Text)), nil, nil
		})

	mcp.AddTool(s, &mcp.Tool{Name: "elicit", Description: "Ask the user for a name (elicitation/create) and return the answer."},
		func(ctx context.Context, req *mcp.CallToolRequest, in promptArgs) (*mcp.CallToolResult, any, error) {
			ctx, cancel := in.context(ctx)
			defer cancel()
			res, err := req.Session.Elicit(ctx, &mcp.ElicitParams{
				Message: in.Prompt,
				RequestedSchema: map[string]any{
					"type":       "object",
					"properties": map[string]any{"name": map[string]any{"type": "string"}},
					"required":   []string{"name"},
				},
			})
			if err != nil {
				return nil, nil, fmt.Errorf("elicitation: %w", err)
			}
			content, err := json.Marshal(res.Content)
			if err != nil {
				return nil, nil, fmt.Errorf("elicitation content: %w", err)
			}
			return text(res.Action + " " + string(content)), nil, nil
		})

	s.AddPrompt(&mcp.Prompt{
		Name:        "greet",
		Description: "Greet someone by name.",
		Arguments:   []*mcp.PromptArgument{{Name: "name", Required: true}},
	}, func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return &mcp.GetPromptResult{
			Description: "greeting",
			Messages: []*mcp.PromptMessage{{
				Role:    "user",
				Content: &mcp.TextContent{Text: "Hello, " + req.Params.Arguments["name"] + "!"},
			}},
		}, nil
	})

	s.AddResource(&mcp.Resource{URI: "test://" + name + "/info", Name: "info", MIMEType: "text/plain"},
		func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{
				URI: req.Params.URI, MIMEType: "text/plain", Text: "server " + name,
			}}}, nil
		})
	return s
}

// slow reports progress against the caller's token and, when the call is
// cancelled, writes the marker file: the test's proof that the
// cancellation crossed the proxy.
func slow(ctx context.Context, req *mcp.CallToolRequest, in slowArgs) (*mcp.CallToolResult, any, error) {
	steps, interval := in.Steps, time.Duration(in.IntervalMS)*time.Millisecond
	if steps <= 0 {
		steps = 10
	}
	if interval <= 0 {
		interval = 50 * time.Millisecond
	}
	token := req.Params.GetProgressToken()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 1; i <= steps; i++ {
		select {
		case <-ctx.Done():
			if in.Marker != "" {
				if err := os.WriteFile(in.Marker, []byte("cancelled\n"), 0o600); err != nil {
					return nil, nil, fmt.Errorf("write cancel marker: %w", err)
				}
			}
			return nil, nil, ctx.Err()
		case <-tick.C:
		}
		if token == nil {
			continue
		}
		err := req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{
			ProgressToken: token,
			Progress:      float64(i),
			Total:         float64(steps),
			Message:       fmt.Sprintf("step %d of %d", i, steps),
		})
		if err != nil && ctx.Err() == nil {
			return nil, nil, fmt.Errorf("progress: %w", err)
		}
	}
	return text(fmt.Sprintf("done %d steps", steps)), nil, nil
}
