// Package proxy is Airlock's MCP multiplexer: one MCP server facing the host,
// one MCP client per upstream server, and every tool call recorded in the
// audit log on its way through.
//
// Both sides use the go-sdk, so progress, cancellation, list_changed and the
// Streamable HTTP transport behave exactly as the SDK's own servers do. The
// proxy's job is routing: names are looked up in tables built from the
// upstreams' catalogs, never parsed.
package proxy

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
)

// Options configure a Proxy.
type Options struct {
	Config *config.Config
	Store  *store.Store
	// Checkpoint decides every tool call before it is forwarded.
	Checkpoint *checkpoint.Checkpoint
	Logger     *slog.Logger
	// Stderr receives each upstream's stderr, line by line, prefixed with
	// its name. Never stdout: that carries JSON-RPC.
	Stderr io.Writer
	// StartTimeout bounds one upstream start (process + initialize + lists).
	StartTimeout time.Duration
	// OnStatus, if set, is told each state change of every upstream, from
	// that upstream's supervisor (serially per upstream): it should not
	// block for long.
	OnStatus func(Status)
	// ResolveEnv, if set, fills keychain placeholders in each upstream's
	// env at every start.
	ResolveEnv EnvResolver
	// ResolveArgs, if set, does the same for each upstream's args. Both
	// are asked once per upstream: its restarts reuse what they returned.
	ResolveArgs ArgsResolver
	// Known holds secret values to hide from every text the proxy writes or
	// forwards; the values ResolveEnv and ResolveArgs inject are added to it. The caller
	// passes the same set to its own log writer. Nil means a new set.
	Known *redact.Known
}

// Proxy multiplexes the configured upstreams behind one MCP server.
type Proxy struct {
	opts      Options
	log       *slog.Logger
	instance  string      // names stdio sessions, which have no id of their own
	upstreams []*upstream // sorted by name
	byName    map[string]*upstream

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	finishing sync.WaitGroup // audit rows being completed

	mu       sync.Mutex
	server   *mcp.Server // nil until Start has seen every upstream's first attempt
	routes   *routes
	inflight map[*upstream][]*activeCall // for routing an upstream's sampling/elicitation
	sessions []*mcp.ServerSession        // initialized host sessions, oldest first
	progress map[string]progressTarget   // upstream progress token -> host's
	nextTok  uint64
	roots    []string // the host's root URIs, mirrored to every upstream
}

// New prepares a proxy for the configured upstreams; Start runs it.
func New(opts Options) *Proxy {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 30 * time.Second
	}
	if opts.Known == nil {
		opts.Known = redact.NewKnown()
	}
	opts.Stderr = opts.Known.Writer(opts.Stderr)
	p := &Proxy{
		opts:     opts,
		log:      opts.Logger,
		byName:   map[string]*upstream{},
		routes:   newRoutes(),
		inflight: map[*upstream][]*activeCall{},
		progress: map[string]progressTarget{},
		instance: "stdio-" + rand.Text()[:12],
	}
	for _, name := range opts.Config.ServerNames() {
		u := &upstream{
			name: name,
			cfg:  opts.Config.MCPServers[name],
			log:  opts.Logger,
			// Known values are hidden before the line is cut, not after:
			// a line cut at maxPartialLine would split a value in two.
			stderr:       opts.Known.Writer(newPrefixWriter(opts.Stderr, "["+name+"] ")),
			firstAttempt: make(chan struct{}),
			state:        StateStarting,
		}
		u.onCatalog = p.publish
		if opts.OnStatus != nil {
			// The last error goes to the database: no injected secret in it,
			// whatever a failing start quoted.
			u.onStatus = func(s Status) {
				s.Error = opts.Known.String(s.Error)
				opts.OnStatus(s)
			}
		}
		u.resolve = p.resolveLaunch
		u.wrap = func(t mcp.Transport) mcp.Transport { return knownTransport{t, p} }
		u.client = p.newClient(u)
		p.upstreams = append(p.upstreams, u)
		p.byName[name] = u
	}
	return p
}

// Start launches every upstream concurrently and returns once each has
// started or failed its first attempt. Failed upstreams keep retrying in the
// background; they never stop the others.
func (p *Proxy) Start(ctx context.Context) error {
	ctx, p.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for _, u := range p.upstreams {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			u.supervise(ctx, p.opts.StartTimeout)
		}()
	}
	for _, u := range p.upstreams {
		<-u.firstAttempt
	}
	server := p.newServer()
	p.mu.Lock()
	p.server = server
	p.mu.Unlock()
	for _, u := range p.upstreams {
		p.publish(u)
	}
	return nil
}

// Close stops every upstream and waits for the children to exit.
func (p *Proxy) Close() error {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
	p.finishing.Wait()
	return nil
}

// Server is the host-facing MCP server (valid after Start).
func (p *Proxy) Server() *mcp.Server {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.server
}

// Statuses reports every upstream's state.
func (p *Proxy) Statuses() []Status {
	out := make([]Status, 0, len(p.upstreams))
	for _, u := range p.upstreams {
		out = append(out, u.status())
	}
	return out
}

// newServer builds the host-facing server. Its capabilities are the union of
// what the upstreams offered at start; tools are always offered because an
// upstream that is still starting may bring them later.
func (p *Proxy) newServer() *mcp.Server {
	caps := &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{ListChanged: true}}
	var completions, subscribe bool
	for _, u := range p.upstreams {
		c := u.snapshot().caps
		if c == nil {
			continue
		}
		if c.Logging != nil {
			caps.Logging = &mcp.LoggingCapabilities{}
		}
		if c.Prompts != nil {
			caps.Prompts = &mcp.PromptCapabilities{ListChanged: true}
		}
		if c.Resources != nil {
			if caps.Resources == nil {
				caps.Resources = &mcp.ResourceCapabilities{ListChanged: true}
			}
			subscribe = subscribe || c.Resources.Subscribe
		}
		completions = completions || c.Completions != nil
	}
	opts := &mcp.ServerOptions{
		Logger:                  p.log,
		Capabilities:            caps,
		InitializedHandler:      p.onInitialized,
		RootsListChangedHandler: p.onRootsChanged,
	}
	if completions {
		opts.CompletionHandler = p.complete
	}
	if subscribe {
		caps.Resources.Subscribe = true
		opts.SubscribeHandler = p.subscribe
		opts.UnsubscribeHandler = p.unsubscribe
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "airlock", Title: "Airlock", Version: "1"}, opts)
	s.AddReceivingMiddleware(p.middleware)
	return s
}

// publish brings the host-facing server in line with u's catalog.
func (p *Proxy) publish(u *upstream) {
	p.mu.Lock()
	server := p.server
	p.mu.Unlock()
	if server == nil {
		return // Start publishes every catalog once the server exists
	}
	cat := u.snapshot()
	p.routes.apply(server, u, cat, p)
}

// track records the host sessions that finished initializing, so requests
// from upstreams that are not tied to a tool call reach a live host.
func (p *Proxy) onInitialized(ctx context.Context, req *mcp.InitializedRequest) {
	ss := req.Session
	p.mu.Lock()
	p.sessions = append(p.sessions, ss)
	p.mu.Unlock()
	go func() {
		_ = ss.Wait()
		p.mu.Lock()
		for i, s := range p.sessions {
			if s == ss {
				p.sessions = append(p.sessions[:i], p.sessions[i+1:]...)
				break
			}
		}
		p.mu.Unlock()
	}()
	go p.syncRoots(context.WithoutCancel(ctx), ss)
}

func (p *Proxy) upstreamFor(name string) (*upstream, error) {
	u, ok := p.byName[name]
	if !ok {
		return nil, fmt.Errorf("no upstream server %q", name)
	}
	return u, nil
}

// sessionID names a host session in the audit log.
func (p *Proxy) sessionID(ss *mcp.ServerSession) string {
	if id := ss.ID(); id != "" {
		return id
	}
	return p.instance
}

// ToolInfo describes one exposed tool for `airlock tools` and the app.
type ToolInfo struct {
	Exposed  string
	Server   string
	Tool     *checkpoint.Tool
	Upstream Status
}

// Tools lists every exposed tool, sorted by exposed name.
func (p *Proxy) Tools() []ToolInfo {
	p.routes.mu.RLock()
	out := make([]ToolInfo, 0, len(p.routes.tools))
	for name, t := range p.routes.tools {
		out = append(out, ToolInfo{Exposed: name, Server: t.up.name, Tool: t.tool})
	}
	p.routes.mu.RUnlock()
	for i := range out {
		out[i].Upstream = p.byName[out[i].Server].status()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Exposed < out[j].Exposed })
	return out
}
