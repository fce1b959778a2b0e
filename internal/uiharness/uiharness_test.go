package uiharness

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Greeter is a bound service with the method shapes Wails accepts.
type Greeter struct{ calls int }

type point struct {
	X int `json:"x"`
	Y int `json:"y"`
}

func (g *Greeter) Hello(name string, n int) (string, error) {
	g.calls++
	return strings.Repeat("hi "+name+" ", n), nil
}
func (g *Greeter) Fail() error                        { return errors.New("no luck") }
func (g *Greeter) FailWith() (string, error)          { return "ignored", errors.New("broken") }
func (g *Greeter) Move(p point, by []int) point       { return point{p.X + by[0], p.Y + by[1]} }
func (g *Greeter) Nothing()                           {}
func (g *Greeter) List() []string                     { return nil }
func (g *Greeter) Pair() (map[string]int, int)        { return map[string]int{"a": 1}, 2 }
func (g *Greeter) unexported() string                 { return "never bound" }
func (g *Greeter) Count() (int, error)                { return g.calls, nil }
func (g *Greeter) Echo(v map[string]any) (any, error) { return v, nil }

var dist = fstest.MapFS{
	"index.html":    {Data: []byte("<!doctype html><html><HEAD><script type=\"module\" src=\"/assets/app.js\"></script></HEAD><body></body></html>")},
	"assets/app.js": {Data: []byte("console.log('app')")},
}

func newHarness(t *testing.T) (*Server, *httptest.Server, *Greeter) {
	t.Helper()
	g := &Greeter{}
	h, err := New(dist, g)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return h, srv, g
}

// post calls a method the way the shim does and returns the raw reply.
func post(t *testing.T, url, name string, args ...any) map[string]json.RawMessage {
	t.Helper()
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		raw[i] = b
	}
	body, _ := json.Marshal(callMessage{Name: name, Args: raw})
	res, err := http.Post(url+CallPath, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("call %s: HTTP %d: %s", name, res.StatusCode, b)
	}
	var reply map[string]json.RawMessage
	if err := json.NewDecoder(res.Body).Decode(&reply); err != nil {
		t.Fatal(err)
	}
	return reply
}

func TestBindsExportedMethodsUnderPackageAndType(t *testing.T) {
	h, _, _ := newHarness(t)
	got := strings.Join(h.Methods(), " ")
	want := "uiharness.Greeter.Count uiharness.Greeter.Echo uiharness.Greeter.Fail uiharness.Greeter.FailWith " +
		"uiharness.Greeter.Hello uiharness.Greeter.List uiharness.Greeter.Move uiharness.Greeter.Nothing uiharness.Greeter.Pair"
	if got != want {
		t.Fatalf("methods\n got %s\nwant %s", got, want)
	}
}

func TestCallDecodesArgumentsAndEncodesResults(t *testing.T) {
	_, srv, g := newHarness(t)
	cases := []struct {
		name string
		args []any
		want string
	}{
		{"uiharness.Greeter.Hello", []any{"Ada", 2}, `"hi Ada hi Ada "`},
		{"uiharness.Greeter.Move", []any{map[string]int{"x": 1, "y": 2}, []int{10, 20}}, `{"x":11,"y":22}`},
		{"uiharness.Greeter.Nothing", nil, `null`},
		{"uiharness.Greeter.List", nil, `null`}, // a nil slice is null, as Wails sends it
		{"uiharness.Greeter.Pair", nil, `{"a":1}`},
		{"uiharness.Greeter.Echo", []any{map[string]any{"k": []any{"<b>", 1.5}}}, `{"k":["<b>",1.5]}`},
		{"uiharness.Greeter.Count", nil, `1`}, // the one Hello above ran
	}
	for _, c := range cases {
		reply := post(t, srv.URL, c.name, c.args...)
		if _, ok := reply["error"]; ok {
			t.Fatalf("%s: error %s", c.name, reply["error"])
		}
		if got := compact(t, reply["result"]); got != c.want {
			t.Errorf("%s(%v) = %s, want %s", c.name, c.args, got, c.want)
		}
	}
	if g.calls != 1 {
		t.Fatalf("Hello ran %d times, want 1", g.calls)
	}
}

func TestCallErrorsRejectWithTheMessage(t *testing.T) {
	_, srv, g := newHarness(t)
	cases := []struct {
		name string
		args []any
		want string
	}{
		{"uiharness.Greeter.Fail", nil, "no luck"},
		{"uiharness.Greeter.FailWith", nil, "broken"},
		{"uiharness.Greeter.Hello", []any{"Ada"}, "received 1 arguments to method 'uiharness.Greeter.Hello', expected 2"},
		{"uiharness.Greeter.Hello", []any{7, 1}, "error parsing arguments"},
		{"uiharness.Greeter.unexported", nil, "method not registered"},
		{"app.Nope.Nope", nil, "method not registered"},
	}
	for _, c := range cases {
		reply := post(t, srv.URL, c.name, c.args...)
		var msg string
		if err := json.Unmarshal(reply["error"], &msg); err != nil {
			t.Fatalf("%s: reply %v has no error string", c.name, reply)
		}
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want it to contain %q", c.name, msg, c.want)
		}
		if _, ok := reply["result"]; ok && compact(t, reply["result"]) != "null" {
			t.Errorf("%s: a failed call also sent result %s", c.name, reply["result"])
		}
	}
	if g.calls != 0 {
		t.Fatalf("a call with bad arguments ran Hello %d times", g.calls)
	}
}

func TestRefusesWhatWailsCannotBind(t *testing.T) {
	for _, svc := range []any{Greeter{}, func() {}, nil, new(int)} {
		if _, err := New(dist, svc); err == nil {
			t.Errorf("New bound %T", svc)
		}
	}
	if _, err := New(dist, &Greeter{}, &Greeter{}); err == nil {
		t.Error("New bound the same service name twice")
	}
	if _, err := New(fstest.MapFS{}, &Greeter{}); err == nil {
		t.Error("New accepted a frontend without index.html")
	}
}

func TestIndexLoadsTheShimFirst(t *testing.T) {
	_, srv, _ := newHarness(t)
	page := get(t, srv.URL+"/")
	shim := strings.Index(page, `<script src="`+ShimPath+`"></script>`)
	app := strings.Index(page, `src="/assets/app.js"`)
	if shim < 0 || app < 0 || shim > app || !strings.HasPrefix(page[shim-len("<HEAD>"):], "<HEAD>") {
		t.Fatalf("index.html served as %s: want the shim first in <head>", page)
	}
	if got := get(t, srv.URL+"/assets/app.js"); got != "console.log('app')" {
		t.Fatalf("asset served as %q", got)
	}
	js := get(t, srv.URL+ShimPath)
	if !strings.Contains(js, `const bindings = {"uiharness":{"Greeter":["Count","Echo","Fail",`) || strings.Contains(js, "__BINDINGS__") {
		t.Fatalf("shim does not carry the bindings:\n%s", js)
	}
}

func TestEmitReachesEveryOpenStream(t *testing.T) {
	h, srv, _ := newHarness(t)
	res, err := http.Get(srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events content type %q", ct)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != ": connected" {
		t.Fatalf("stream opened with %q", first)
	}
	// The stream is registered before its first line is written.
	h.Emit("pending:changed")
	h.Emit("calls:changed", "x", 2)
	var got []string
	for len(got) < 2 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended after %v", got)
			}
			if strings.HasPrefix(l, "data: ") {
				got = append(got, strings.TrimPrefix(l, "data: "))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("events received: %v, want 2", got)
		}
	}
	want := []string{`{"name":"pending:changed","data":[]}`, `{"name":"calls:changed","data":["x",2]}`}
	if got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("events %v, want %v", got, want)
	}
	h.Close()
	for range lines { // Close ends the stream
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return string(b)
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if raw == nil {
		return "null"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}
