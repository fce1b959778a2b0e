package proxy

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// runStdio feeds input to a stdioConn and returns the messages it delivered
// and the lines it answered by itself.
func runStdio(t testing.TB, input string) (delivered []jsonrpc.Message, replies []string) {
	pr, pw := io.Pipe()
	tr := &StdioTransport{In: strings.NewReader(input), Out: pw}
	conn, err := tr.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			replies = append(replies, sc.Text())
		}
	}()
	for {
		msg, err := conn.Read(context.Background())
		if err != nil {
			break
		}
		delivered = append(delivered, msg)
		// Reads after initialize wait for its answer, as a server gives.
		if req, ok := msg.(*jsonrpc.Request); ok && req.Method == "initialize" && req.IsCall() {
			resp := &jsonrpc.Response{ID: req.ID, Result: json.RawMessage(`{}`)}
			if err := conn.Write(context.Background(), resp); err != nil {
				t.Fatal(err)
			}
		}
	}
	conn.Close()
	pw.Close()
	<-done
	// Keep only what the transport wrote by itself (not our answers above).
	own := replies[:0]
	for _, r := range replies {
		if !strings.Contains(r, `"result"`) {
			own = append(own, r)
		}
	}
	return delivered, own
}

func TestStdioBadInput(t *testing.T) {
	valid := `{"jsonrpc":"2.0","id":7,"method":"ping"}`
	tests := []struct {
		name     string
		line     string
		wantCode int64
		wantID   string
	}{
		{"not json", `{"jsonrpc":`, jsonrpc.CodeParseError, "null"},
		{"garbage", "\x00\xff hello", jsonrpc.CodeParseError, "null"},
		{"batch", `[` + valid + `]`, jsonrpc.CodeInvalidRequest, "null"},
		{"no method", `{"jsonrpc":"2.0","id":3}`, jsonrpc.CodeInvalidRequest, "3"},
		{"wrong version", `{"jsonrpc":"1.0","id":"a","method":"ping"}`, jsonrpc.CodeInvalidRequest, `"a"`},
		{"scalar", `42`, jsonrpc.CodeInvalidRequest, "null"},
		{"object id", `{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}`, jsonrpc.CodeInvalidRequest, "null"},
		{"oversized", `{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"` + strings.Repeat("a", MaxMessageSize) + `"}}`, jsonrpc.CodeInvalidRequest, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			delivered, replies := runStdio(t, tt.line+"\n\n"+valid+"\n")
			if len(replies) != 1 {
				t.Fatalf("replies = %q, want one error", replies)
			}
			var resp struct {
				ID    json.RawMessage      `json:"id"`
				Error struct{ Code int64 } `json:"error"`
			}
			if err := json.Unmarshal([]byte(replies[0]), &resp); err != nil {
				t.Fatalf("reply is not JSON: %v", err)
			}
			if resp.Error.Code != tt.wantCode || string(resp.ID) != tt.wantID {
				t.Errorf("reply = %s, want code %d id %s", replies[0], tt.wantCode, tt.wantID)
			}
			// The session goes on: the valid message after the bad one arrives.
			if len(delivered) != 1 {
				t.Fatalf("delivered %d messages, want the valid one", len(delivered))
			}
			if req, ok := delivered[0].(*jsonrpc.Request); !ok || req.Method != "ping" {
				t.Errorf("delivered %#v, want the ping", delivered[0])
			}
		})
	}
}

func TestStdioLastLineWithoutNewline(t *testing.T) {
	delivered, replies := runStdio(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	if len(delivered) != 1 || len(replies) != 0 {
		t.Fatalf("delivered %d, replies %q", len(delivered), replies)
	}
}

// FuzzStdioMessages: whatever the host sends, the proxy never crashes, every
// line it answers by itself is a JSON-RPC error, and valid messages pass.
func FuzzStdioMessages(f *testing.F) {
	for _, seed := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`,
		`{"jsonrpc":"2.0","id":"x","result":{}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}`,
		`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":null,"method":"ping"}`,
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"\\u202e\"}}",
		`{`, ``, "\r\n", `null`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		delivered, replies := runStdio(t, line+"\n")
		for _, r := range replies {
			var resp struct {
				JSONRPC string                `json:"jsonrpc"`
				Error   *struct{ Code int64 } `json:"error"`
			}
			if err := json.Unmarshal([]byte(r), &resp); err != nil || resp.JSONRPC != "2.0" || resp.Error == nil {
				t.Fatalf("self-made reply %q is not a JSON-RPC error", r)
			}
		}
		if lines := strings.Count(line, "\n") + 1; len(delivered)+len(replies) > lines {
			t.Fatalf("%d lines produced %d delivered + %d replies", lines, len(delivered), len(replies))
		}
		for _, m := range delivered {
			if _, err := jsonrpc.EncodeMessage(m); err != nil {
				t.Fatalf("delivered message does not re-encode: %v", err)
			}
		}
	})
}

// A host that sends "initialized" without waiting for the initialize answer
// must not reach the server before that answer exists.
func TestStdioHoldsMessagesUntilInitialized(t *testing.T) {
	in := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"
	tr := &StdioTransport{In: strings.NewReader(in), Out: io.Discard}
	conn, _ := tr.Connect(context.Background())
	defer conn.Close()
	first, err := conn.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	next := make(chan jsonrpc.Message, 1)
	go func() {
		m, _ := conn.Read(context.Background())
		next <- m
	}()
	select {
	case m := <-next:
		t.Fatalf("read %v before initialize was answered", m)
	case <-time.After(50 * time.Millisecond):
	}
	conn.Write(context.Background(), &jsonrpc.Response{ID: first.(*jsonrpc.Request).ID, Result: json.RawMessage(`{}`)})
	if m := <-next; m.(*jsonrpc.Request).Method != "notifications/initialized" {
		t.Fatalf("got %v", m)
	}
}
