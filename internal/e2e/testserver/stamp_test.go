package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestStamp pins what BenchmarkClickToForward reads: the wall clock when
// the call arrived, then the text sent back unchanged.
func TestStamp(t *testing.T) {
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	server := newServer("ts", slog.New(slog.NewTextHandler(io.Discard, nil)))
	addStamp(server)
	ss, err := server.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test"}, nil).Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	before := time.Now()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "stamp", Arguments: map[string]any{"text": "call 7 of 9"}})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("stamp failed: %q", resultText(res))
	}
	at, sent, _ := strings.Cut(resultText(res), " ")
	ns, err := strconv.ParseInt(at, 10, 64)
	if err != nil || sent != "call 7 of 9" {
		t.Fatalf("stamp answered %q, want \"<unix ns> call 7 of 9\"", resultText(res))
	}
	if got := time.Unix(0, ns); got.Before(before) || got.After(after) {
		t.Fatalf("stamp says the call arrived at %s, outside the call (%s to %s)", got, before, after)
	}
}

// TestStampOffByDefault: the tool lists other tests compare stay as they were.
func TestStampOffByDefault(t *testing.T) {
	cs := connect(t, nil)
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range res.Tools {
		if tool.Name == "stamp" {
			t.Fatal("stamp is listed without -stamp")
		}
	}
}
