package main

import (
	"context"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The stamp tool tells when a call reached this server: a benchmark that
// ends at "the upstream received the call" reads the moment here, not when
// the result has travelled back to the host. Off unless -stamp asks, so the
// tool lists other tests compare stay as they are.

// addStamp adds stamp, which answers "<unix ns> <text>": this process's wall
// clock as the handler starts, then the text sent.
func addStamp(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{Name: "stamp", Description: "Return when the call arrived (Unix nanoseconds) and the text sent."},
		func(_ context.Context, _ *mcp.CallToolRequest, in textArgs) (*mcp.CallToolResult, any, error) {
			at := time.Now().UnixNano()
			return text(fmt.Sprintf("%d %s", at, in.Text)), nil, nil
		})
}
