package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The getenv tool leaks an environment variable every way a careless server
// can: in its result (text and structured), on stderr, and as an error.
// Secret tests inject a value through the keychain and check that Airlock
// redacts it on every path. Off unless -getenv asks; -getenv also adds
// argv, which leaks the command line (a secret passed in args) in its
// result, and prints it on stderr at start, as servers logging their
// arguments do.

type getenvArgs struct {
	Name string `json:"name" jsonschema:"the variable to read"`
	// As is "result" (default), "tool_error" or "rpc_error".
	As string `json:"as,omitempty" jsonschema:"how to return the value: result, tool_error or rpc_error"`
}

func addGetenv(s *mcp.Server, logger *slog.Logger) {
	fmt.Fprintf(os.Stderr, "raw argv: %s\n", strings.Join(os.Args[1:], " "))
	mcp.AddTool(s, &mcp.Tool{Name: "argv", Description: "Return the command line the server started with."},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return text(strings.Join(os.Args[1:], " ")), nil, nil
		})
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
