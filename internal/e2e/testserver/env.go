package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The getenv tool leaks an environment variable every way a careless server
// can: in its result (text and structured), on stderr, and as an error.
// Secret tests inject a value through the keychain and check that Airlock
// redacts it on every path. Off unless -getenv asks.

type getenvArgs struct {
	Name string `json:"name" jsonschema:"the variable to read"`
	// As is "result" (default), "tool_error" or "rpc_error".
	As string `json:"as,omitempty" jsonschema:"how to return the value: result, tool_error or rpc_error"`
}

func addGetenv(s *mcp.Server, logger *slog.Logger) {
	mcp.AddTool(s, &mcp.Tool{Name: "getenv", Description: "Return an environment variable's value."},
		func(_ context.Context, _ *mcp.CallToolRequest, in getenvArgs) (*mcp.CallToolResult, any, error) {
			v := os.Getenv(in.Name)
			logger.Info("getenv", "name", in.Name, "value", v)
			fmt.Fprintf(os.Stderr, "raw stderr: %s=%s\n", in.Name, v)
			msg := fmt.Sprintf("%s=%s", in.Name, v)
			switch in.As {
			case "tool_error":
				res := text("cannot use " + msg)
				res.IsError = true
				return res, nil, nil
			case "rpc_error":
				return nil, nil, &jsonrpc.Error{Code: RPCErrorCode, Message: "cannot use " + msg}
			}
			res := text(msg)
			res.StructuredContent = map[string]string{"name": in.Name, "value": v}
			return res, nil, nil
		})
}
