// Package uiharness serves a built Wails frontend to an ordinary browser
// with real Go services behind it, so browser tests drive the real page
// against the real backend without a desktop window (wails dev is slow to
// start and writes into the source tree).
//
// It stands in for the two things the Wails webview provides:
//   - window.go.<package>.<Service>.<Method>(...args), which the generated
//     frontend/wailsjs bindings call: the harness binds every exported method
//     of each service, as Wails does, and calls it by reflection. Arguments
//     are decoded into the parameter types; the result is the first non-error
//     return; a non-nil error rejects the promise with its message.
//   - window.runtime's events (EventsOnMultiple, EventsOff, ...), fed by
//     Server-Sent Events from Emit.
//
// The shim is a script of its own, loaded first in index.html, so the page
// keeps its Content-Security-Policy (script-src 'self') unchanged.
//
// For tests only: whoever reaches the listening port can call every bound
// method, with no check of who asks. Serve it on loopback (httptest does).
package uiharness

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Paths the harness answers itself; everything else comes from the frontend.
const (
	ShimPath   = "/__harness/shim.js"
	CallPath   = "/__harness/call"
	EventsPath = "/__harness/events"
)

//go:embed shim.js
var shimJS []byte

// Server is an http.Handler serving the frontend and the bound services.
type Server struct {
	dist    fs.FS
	files   http.Handler
	methods map[string]reflect.Value // "app.Approvals.Answer"
	shim    []byte

	mu      sync.Mutex
	clients map[chan []byte]struct{}
	closed  chan struct{}
	once    sync.Once
}

// New binds services (pointers to structs, as Wails requires) and serves
// dist, the built frontend holding index.html.
func New(dist fs.FS, services ...any) (*Server, error) {
	if _, err := fs.Stat(dist, "index.html"); err != nil {
		return nil, fmt.Errorf("uiharness: the frontend has no index.html: %w", err)
	}
	s := &Server{
		dist:    dist,
		files:   http.FileServerFS(dist),
		methods: map[string]reflect.Value{},
		clients: map[chan []byte]struct{}{},
		closed:  make(chan struct{}),
	}
	tree := map[string]map[string][]string{} // package → service → methods
	for _, svc := range services {
		pkg, name, err := serviceName(svc)
		if err != nil {
			return nil, err
		}
		if tree[pkg] == nil {
			tree[pkg] = map[string][]string{}
		}
		if _, dup := tree[pkg][name]; dup {
			return nil, fmt.Errorf("uiharness: service %s.%s bound twice", pkg, name)
		}
		v := reflect.ValueOf(svc)
		methods := []string{}
		for i := 0; i < v.NumMethod(); i++ {
			m := v.Type().Method(i).Name
			s.methods[pkg+"."+name+"."+m] = v.Method(i)
			methods = append(methods, m)
		}
		sort.Strings(methods)
		tree[pkg][name] = methods
	}
	spec, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	s.shim = bytes.Replace(shimJS, []byte("__BINDINGS__"), spec, 1)
	return s, nil
}

// serviceName is the package and type name the generated bindings use:
// "app", "Approvals" for *app.Approvals.
func serviceName(svc any) (pkg, name string, err error) {
	t := reflect.TypeOf(svc)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return "", "", fmt.Errorf("uiharness: can only bind pointers to structs, not %T", svc)
	}
	full := t.Elem().String() // "app.Approvals"
	name = t.Elem().Name()
	return strings.TrimSuffix(full, "."+name), name, nil
}

// Methods lists the bound method names, sorted: "app.Approvals.Answer", ...
func (s *Server) Methods() []string {
	out := make([]string, 0, len(s.methods))
	for m := range s.methods {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// Emit sends an event to every open page, like runtime.EventsEmit: each
// listener is called with data as its arguments.
func (s *Server) Emit(name string, data ...any) {
	if data == nil {
		data = []any{}
	}
	msg, err := json.Marshal(struct {
		Name string `json:"name"`
		Data []any  `json:"data"`
	}{name, data})
	if err != nil {
		panic(fmt.Sprintf("uiharness: event %s: %v", name, err)) // a test passed data JSON cannot hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- msg:
		default: // a page that stopped reading loses events, as a closed window would
		}
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case ShimPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(s.shim)
	case CallPath:
		s.serveCall(w, r)
	case EventsPath:
		s.serveEvents(w, r)
	case "/", "/index.html":
		s.serveIndex(w)
	case "/favicon.ico":
		// Browsers ask for it, the webview does not: no 404 in the console
		// for an icon the app never had.
		if _, err := fs.Stat(s.dist, "favicon.ico"); err != nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		s.files.ServeHTTP(w, r)
	default:
		s.files.ServeHTTP(w, r)
	}
}

// serveIndex injects the shim before anything else in <head>, where Wails
// injects its own runtime scripts.
func (s *Server) serveIndex(w http.ResponseWriter) {
	page, err := fs.ReadFile(s.dist, "index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	at := bytes.Index(bytes.ToLower(page), []byte("<head>"))
	if at < 0 {
		http.Error(w, "uiharness: index.html has no <head>", http.StatusInternalServerError)
		return
	}
	at += len("<head>")
	out := make([]byte, 0, len(page)+64)
	out = append(out, page[:at]...)
	out = append(out, `<script src="`+ShimPath+`"></script>`...)
	out = append(out, page[at:]...)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

// callMessage is what the shim posts, as Wails' ipc sends it.
type callMessage struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

// callReply mirrors Wails' CallbackMessage: error set means reject.
type callReply struct {
	Result any     `json:"result"`
	Error  *string `json:"error,omitempty"`
}

func (s *Server) serveCall(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var msg callMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<20)).Decode(&msg); err != nil {
		http.Error(w, "bad call: "+err.Error(), http.StatusBadRequest)
		return
	}
	result, err := s.Call(msg.Name, msg.Args)
	reply := callReply{Result: result}
	if err != nil {
		text := err.Error()
		reply = callReply{Error: &text}
	}
	body, err := json.Marshal(reply)
	if err != nil {
		text := "uiharness: encode the result of " + msg.Name + ": " + err.Error()
		body, _ = json.Marshal(callReply{Error: &text})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// ErrNoMethod is returned for a name no bound service has.
var ErrNoMethod = errors.New("method not registered")

// Call runs the bound method name ("app.Approvals.Answer") with JSON
// arguments, decoding each into its parameter type as Wails does. It returns
// the method's first non-error result and its error.
func (s *Server) Call(name string, args []json.RawMessage) (any, error) {
	m, ok := s.methods[name]
	if !ok {
		return nil, fmt.Errorf("%w: '%s'", ErrNoMethod, name)
	}
	t := m.Type()
	if len(args) != t.NumIn() {
		return nil, fmt.Errorf("received %d arguments to method '%s', expected %d", len(args), name, t.NumIn())
	}
	in := make([]reflect.Value, len(args))
	for i, raw := range args {
		p := reflect.New(t.In(i))
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("error parsing arguments: %w", err)
		}
		in[i] = p.Elem()
	}
	var result any
	var err error
	errType := reflect.TypeFor[error]()
	for i, out := range m.Call(in) {
		if t.Out(i) == errType {
			if !out.IsNil() {
				err = out.Interface().(error)
			}
		} else if result == nil {
			result = out.Interface()
		}
	}
	if err != nil {
		return nil, err
	}
	return result, nil
}

// Close ends every event stream, so an http.Server serving the harness can
// shut down (it waits for open requests, and a stream never ends by itself).
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
}

// serveEvents streams every Emit to one page as Server-Sent Events.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 256)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	// A comment first, so the page's EventSource opens (and the shim's
	// ready promise resolves) only once this client is registered.
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case msg := <-c:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			flusher.Flush()
		}
	}
}
