package proxy

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// This file relays everything besides tool calls: prompts, resources,
// completion, logging, progress, and the requests upstreams make of the host.

// newClient is the MCP client the proxy uses towards one upstream. Its
// handlers pass the upstream's requests and notifications on to the host.
func (p *Proxy) newClient(u *upstream) *mcp.Client {
	refresh := func() {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), p.opts.StartTimeout)
			defer cancel()
			u.refresh(ctx)
		}()
	}
	return mcp.NewClient(&mcp.Implementation{Name: "airlock", Title: "Airlock", Version: "1"}, &mcp.ClientOptions{
		Logger: p.log,
		CreateMessageWithToolsHandler: func(ctx context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
			hctx, ss, done := p.hostRequestContext(ctx, u)
			defer done()
			if ss == nil {
				return nil, noHost("sampling")
			}
			return ss.CreateMessageWithTools(hctx, req.Params)
		},
		ElicitationHandler: func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			hctx, ss, done := p.hostRequestContext(ctx, u)
			defer done()
			if ss == nil {
				return nil, noHost("elicitation")
			}
			return ss.Elicit(hctx, req.Params)
		},
		ElicitationCompleteHandler: func(ctx context.Context, req *mcp.ElicitationCompleteNotificationRequest) {
			if hctx, ss := p.hostFor(u); ss != nil {
				_ = ss.NotifyElicitationComplete(hctx, req.Params)
			}
		},
		ToolListChangedHandler:     func(context.Context, *mcp.ToolListChangedRequest) { refresh() },
		PromptListChangedHandler:   func(context.Context, *mcp.PromptListChangedRequest) { refresh() },
		ResourceListChangedHandler: func(context.Context, *mcp.ResourceListChangedRequest) { refresh() },
		ResourceUpdatedHandler: func(ctx context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			if s := p.Server(); s != nil {
				_ = s.ResourceUpdated(ctx, req.Params)
			}
		},
		LoggingMessageHandler: func(ctx context.Context, req *mcp.LoggingMessageRequest) {
			p.forwardLog(u, req.Params)
		},
		ProgressNotificationHandler: func(ctx context.Context, req *mcp.ProgressNotificationClientRequest) {
			p.forwardProgress(req.Params)
		},
	})
}

// hostRequestContext joins the host call that an upstream request belongs to
// with the upstream's own request context: the host request travels with the
// call (its HTTP stream) and is cancelled if the upstream cancels.
func (p *Proxy) hostRequestContext(upCtx context.Context, u *upstream) (context.Context, *mcp.ServerSession, func()) {
	callCtx, ss := p.hostFor(u)
	ctx, cancel := context.WithCancel(callCtx)
	stop := context.AfterFunc(upCtx, cancel)
	return ctx, ss, func() { stop(); cancel() }
}

func noHost(what string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "Airlock: no single host session can answer this " + what +
		" request (none is connected, or calls of several hosts are running on this server and the request does not say whose it is)"}
}

// progressTarget is where an upstream progress token leads.
type progressTarget struct {
	ctx   context.Context
	ss    *mcp.ServerSession
	token any
}

// mapProgress mints an upstream token for a host token. Upstream tokens are
// the proxy's own, so two hosts using the same token cannot collide.
func (p *Proxy) mapProgress(ctx context.Context, ss *mcp.ServerSession, hostToken any) string {
	own := "airlock-" + strconv.FormatUint(atomic.AddUint64(&p.nextTok, 1), 10)
	p.mu.Lock()
	p.progress[own] = progressTarget{ctx: ctx, ss: ss, token: hostToken}
	p.mu.Unlock()
	return own
}

// progressGrace keeps a token mapped a little after its call returned: the
// go-sdk hands notifications to handlers asynchronously, so the last one can
// arrive after the response.
const progressGrace = 2 * time.Second

func (p *Proxy) unmapProgress(own string) {
	time.AfterFunc(progressGrace, func() {
		p.mu.Lock()
		delete(p.progress, own)
		p.mu.Unlock()
	})
}

func (p *Proxy) forwardProgress(params *mcp.ProgressNotificationParams) {
	key := fmt.Sprint(params.ProgressToken)
	p.mu.Lock()
	t, ok := p.progress[key]
	p.mu.Unlock()
	if !ok {
		return // late or unknown token: nothing to map it to
	}
	out := *params
	out.ProgressToken = t.token
	_ = t.ss.NotifyProgress(t.ctx, &out)
}

// forwardLog passes an upstream's log message to every host session, with
// the logger name prefixed by the server so the host can tell them apart.
// Each session applies its own level.
func (p *Proxy) forwardLog(u *upstream, params *mcp.LoggingMessageParams) {
	out := *params
	out.Logger = u.name
	if params.Logger != "" {
		out.Logger = u.name + "/" + params.Logger
	}
	p.mu.Lock()
	sessions := append([]*mcp.ServerSession(nil), p.sessions...)
	p.mu.Unlock()
	for _, ss := range sessions {
		_ = ss.Log(context.Background(), &out)
	}
}

// middleware sees every host request before the go-sdk handles it.
func (p *Proxy) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		switch method {
		case "tools/call":
			// Calls to names that no upstream offers are recorded too.
			if r, ok := req.(*mcp.CallToolRequest); ok {
				if _, known := p.routes.tool(r.Params.Name); !known {
					return p.unknownTool(ctx, r)
				}
			}
		case "logging/setLevel":
			if params, ok := req.GetParams().(*mcp.SetLoggingLevelParams); ok {
				p.setUpstreamLogLevel(ctx, params.Level)
			}
		}
		return next(ctx, method, req)
	}
}

// setUpstreamLogLevel passes the host's level on to every upstream that logs.
func (p *Proxy) setUpstreamLogLevel(ctx context.Context, level mcp.LoggingLevel) {
	for _, u := range p.upstreams {
		sess, err := u.current()
		if err != nil || u.snapshot().caps.Logging == nil {
			continue
		}
		if err := sess.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: level}); err != nil {
			p.log.Warn("set upstream log level", "server", u.name, "err", err)
		}
	}
}

func (p *Proxy) getPrompt(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
	t, ok := p.routes.prompt(req.Params.Name)
	if !ok {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown prompt %q", req.Params.Name)}
	}
	sess, err := t.up.current()
	if err != nil {
		return nil, err
	}
	params := *req.Params
	params.Name = t.name
	return sess.GetPrompt(ctx, &params)
}

func (p *Proxy) readResource(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	sess, err := p.resourceSession(req.Params.URI)
	if err != nil {
		return nil, err
	}
	return sess.ReadResource(ctx, req.Params)
}

func (p *Proxy) subscribe(ctx context.Context, req *mcp.SubscribeRequest) error {
	sess, err := p.resourceSession(req.Params.URI)
	if err != nil {
		return err
	}
	return sess.Subscribe(ctx, req.Params)
}

func (p *Proxy) unsubscribe(ctx context.Context, req *mcp.UnsubscribeRequest) error {
	sess, err := p.resourceSession(req.Params.URI)
	if err != nil {
		return err
	}
	return sess.Unsubscribe(ctx, req.Params)
}

func (p *Proxy) resourceSession(uri string) (*mcp.ClientSession, error) {
	u, ok := p.routes.resourceOwner(uri)
	if !ok {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	if err := p.opts.Checkpoint.CheckResource(u.name, uri); err != nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "Airlock refused this resource: " + err.Error()}
	}
	return u.current()
}

// complete routes a completion by what it completes: a prompt (by exposed
// name) or a resource template (by URI).
func (p *Proxy) complete(ctx context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	if req.Params == nil || req.Params.Ref == nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "completion needs a ref"}
	}
	params := *req.Params
	ref := *req.Params.Ref
	params.Ref = &ref
	var u *upstream
	switch ref.Type {
	case "ref/prompt":
		t, ok := p.routes.prompt(ref.Name)
		if !ok {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown prompt %q", ref.Name)}
		}
		u, ref.Name = t.up, t.name
	case "ref/resource":
		owner, ok := p.routes.resourceOwner(ref.URI)
		if !ok {
			return nil, mcp.ResourceNotFoundError(ref.URI)
		}
		u = owner
	default:
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown completion ref type %q", ref.Type)}
	}
	sess, err := u.current()
	if err != nil {
		return nil, err
	}
	if u.snapshot().caps.Completions == nil {
		return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{}}}, nil
	}
	return sess.Complete(ctx, &params)
}

// syncRoots gives every upstream the host's roots. Upstreams ask the proxy
// for roots; the proxy answers with the host's list.
func (p *Proxy) syncRoots(ctx context.Context, ss *mcp.ServerSession) {
	ip := ss.InitializeParams()
	if ip == nil || ip.Capabilities == nil || (ip.Capabilities.RootsV2 == nil && !ip.Capabilities.Roots.ListChanged) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := ss.ListRoots(ctx, nil)
	if err != nil {
		p.log.Warn("list host roots", "err", err)
		return
	}
	uris := make([]string, 0, len(res.Roots))
	for _, r := range res.Roots {
		uris = append(uris, r.URI)
	}
	p.mu.Lock()
	old := p.roots
	p.roots = uris
	p.mu.Unlock()
	for _, u := range p.upstreams {
		u.client.RemoveRoots(old...)
		u.client.AddRoots(res.Roots...)
	}
}

func (p *Proxy) onRootsChanged(ctx context.Context, req *mcp.RootsListChangedRequest) {
	go p.syncRoots(context.WithoutCancel(ctx), req.Session)
}
