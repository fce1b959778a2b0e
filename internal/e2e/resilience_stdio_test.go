package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/proxy"
)

// These tests drive the proxy's stdin and stdout by hand, as a broken or
// departing host would, which a well-behaved SDK client cannot do.

// rsRaw is `airlock proxy` with its stdio pipes in the test's hands.
type rsRaw struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	msgs   chan map[string]any // each JSON line from stdout; closed at EOF
	exited chan error          // the process's exit status, once
	nextID int
}

func rsStartRaw(t *testing.T, home string) *rsRaw {
	t.Helper()
	cmd := airlockCmd(t, home, "proxy")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start airlock proxy: %v", err)
	}
	r := &rsRaw{cmd: cmd, stdin: stdin, msgs: make(chan map[string]any, 1024), exited: make(chan error, 1), nextID: 1000}
	go func() {
		defer close(r.msgs)
		br := bufio.NewReaderSize(stdout, 1<<20)
		for {
			line, err := br.ReadBytes('\n')
			if len(bytes.TrimSpace(line)) > 0 {
				var m map[string]any
				d := json.NewDecoder(bytes.NewReader(line))
				d.UseNumber()
				if err := d.Decode(&m); err != nil || m["jsonrpc"] != "2.0" {
					// stdout belongs to JSON-RPC: anything else breaks the host.
					t.Errorf("proxy stdout carried a line that is not a JSON-RPC message: %.300q", line)
					continue
				}
				r.msgs <- m
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { r.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-r.exited:
		case <-time.After(rsWait):
			cmd.Process.Kill()
		}
	})
	return r
}

// send writes one line; a proxy that stops reading fails the test instead of
// hanging it.
func (r *rsRaw) send(t *testing.T, line string) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := io.WriteString(r.stdin, line+"\n")
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("write to proxy stdin: %v", err)
		}
	case <-time.After(rsWait):
		t.Fatalf("proxy stopped reading stdin (line of %d bytes)", len(line))
	}
}

// response returns the next response, skipping notifications and answering
// requests from the proxy with "method not found".
func (r *rsRaw) response(t *testing.T) map[string]any {
	t.Helper()
	timeout := time.After(rsWait)
	for {
		select {
		case m, ok := <-r.msgs:
			if !ok {
				t.Fatalf("proxy closed stdout (exit: %v)", r.exitStatus())
			}
			if _, isCall := m["method"]; !isCall {
				return m
			}
			if id, ok := m["id"]; ok {
				b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": -32601, "message": "not supported by this test host"}})
				r.send(t, string(b))
			}
		case <-timeout:
			t.Fatalf("no response from the proxy within %v", rsWait)
		}
	}
}

func (r *rsRaw) exitStatus() error {
	select {
	case err := <-r.exited:
		r.exited <- err
		return err
	case <-time.After(time.Second):
		return fmt.Errorf("still running")
	}
}

// call sends a request and returns its response, checking the id matches.
func (r *rsRaw) call(t *testing.T, method string, params any) map[string]any {
	t.Helper()
	r.nextID++
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": r.nextID, "method": method, "params": params})
	if err != nil {
		t.Fatal(err)
	}
	r.send(t, string(b))
	m := r.response(t)
	if fmt.Sprint(m["id"]) != fmt.Sprint(r.nextID) {
		t.Fatalf("%s: response id %v, want %d: %v", method, m["id"], r.nextID, m)
	}
	if m["error"] != nil {
		t.Fatalf("%s: error response %v", method, m["error"])
	}
	return m
}

func (r *rsRaw) initialize(t *testing.T) {
	t.Helper()
	r.call(t, "initialize", map[string]any{
		"protocolVersion": rsProtocol,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "raw-e2e", "version": "1"},
	})
	r.send(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

func (r *rsRaw) echo(t *testing.T, tool, text string) string {
	t.Helper()
	m := r.call(t, "tools/call", map[string]any{"name": tool, "arguments": map[string]any{"text": text}})
	b, _ := json.Marshal(m["result"])
	return string(b)
}

func TestProxyMalformedInput(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	r := rsStartRaw(t, home)
	r.initialize(t)

	huge := `{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"up__echo","arguments":{"text":"` +
		strings.Repeat("A", proxy.MaxMessageSize) + `"}}}`
	tests := []struct {
		name  string
		line  string
		codes []int64 // acceptable error codes
		ids   []any   // acceptable ids; nil means JSON null
	}{
		{"bad JSON", `{"jsonrpc":"2.0","id":1,"method":`, []int64{-32700}, []any{nil}},
		{"not an object", `42`, []int64{-32600}, []any{nil}},
		{"JSON without jsonrpc", `{"hello":"world"}`, []int64{-32600}, []any{nil}},
		{"empty array", `[]`, []int64{-32600}, []any{nil}},
		{"batch array", `[{"jsonrpc":"2.0","id":5,"method":"ping"}]`, []int64{-32600}, []any{nil}},
		{"wrong version", `{"jsonrpc":"1.0","id":6,"method":"ping"}`, []int64{-32600}, []any{nil, "6"}},
		{"method not a string", `{"jsonrpc":"2.0","id":7,"method":42}`, []int64{-32600}, []any{nil, "7"}},
		{"unknown method", `{"jsonrpc":"2.0","id":8,"method":"no/such/method"}`, []int64{-32601}, []any{"8"}},
		{"line over the size limit", huge, []int64{-32700, -32600}, []any{nil, "77"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.send(t, tt.line)
			m := r.response(t)
			rsCheckError(t, m, tt.codes, tt.ids)
			// The session survives: a valid request right after still works.
			r.call(t, "ping", map[string]any{})
		})
	}
	if got := r.echo(t, "up__echo", "after the garbage"); !strings.Contains(got, "after the garbage") {
		t.Errorf("up__echo after malformed input = %s", got)
	}
}

func rsCheckError(t *testing.T, m map[string]any, codes []int64, ids []any) {
	t.Helper()
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("want an error response, got %.500v", m)
	}
	n, _ := e["code"].(json.Number)
	code, err := n.Int64()
	if err != nil {
		t.Fatalf("error without an integer code: %v", m)
	}
	codeOK := false
	for _, c := range codes {
		codeOK = codeOK || c == code
	}
	if !codeOK {
		t.Errorf("error code %d (%v), want one of %v", code, e["message"], codes)
	}
	id, hasID := m["id"]
	if !hasID {
		t.Errorf("error response has no id member (JSON-RPC 2.0 needs \"id\": null): %v", m)
	}
	idOK := false
	for _, want := range ids {
		if want == nil {
			idOK = idOK || id == nil
		} else {
			idOK = idOK || (id != nil && fmt.Sprint(id) == want)
		}
	}
	if !idOK {
		t.Errorf("error response id %v, want one of %v", id, ids)
	}
}

func TestProxyHostDisconnect(t *testing.T) {
	tests := []struct {
		name string
		ups  []rsUpstream
	}{
		{"well-behaved upstreams", []rsUpstream{{name: "a"}, {name: "b"}}},
		{"upstream ignores EOF and SIGTERM", []rsUpstream{{name: "a"}, {name: "stubborn", flags: []string{"-stubborn"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := rsHome(t, tt.ups...)
			r := rsStartRaw(t, home)
			r.initialize(t)
			for _, u := range tt.ups {
				if got := r.echo(t, u.name+"__echo", "hi"); !strings.Contains(got, "hi") {
					t.Fatalf("%s__echo = %s", u.name, got)
				}
			}
			var pids []int
			for _, u := range tt.ups {
				pids = append(pids, rsPIDs(t, home, u.name)...)
			}
			if len(pids) != len(tt.ups) {
				t.Fatalf("recorded child pids %v, want one per upstream", pids)
			}

			// Leave a call in flight: the proxy must not wait for it.
			r.send(t, `{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"a__slow","arguments":{"steps":100000,"interval_ms":50}}}`)
			closed := time.Now()
			if err := r.stdin.Close(); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-r.exited:
				r.exited <- err
				t.Logf("proxy exited %v after stdin closed: %v", time.Since(closed).Round(time.Millisecond), err)
			case <-time.After(30 * time.Second):
				t.Fatal("proxy still running 30s after its stdin closed")
			}
			for _, pid := range pids {
				rsEventually(t, fmt.Sprintf("upstream pid %d to be gone", pid), func() bool { return !rsAlive(pid) })
			}
		})
	}
}
