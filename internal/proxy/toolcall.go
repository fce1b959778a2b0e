package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/argshash"
	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
)

// activeCall is a host tool call in flight on an upstream. Requests the
// upstream makes meanwhile (sampling, elicitation) belong to it.
type activeCall struct {
	ctx context.Context
	ss  *mcp.ServerSession
}

// callTool is the handler of every exposed tool: route by table, record,
// forward the arguments untouched, record the outcome, return the result
// untouched.
func (p *Proxy) callTool(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	t, ok := p.routes.tool(req.Params.Name)
	if !ok {
		return p.unknownTool(ctx, req)
	}
	return p.forward(ctx, req, t)
}

func (p *Proxy) forward(ctx context.Context, req *mcp.CallToolRequest, t target) (*mcp.CallToolResult, error) {
	start := time.Now()
	up, tool := t.up, t.name
	args := req.Params.Arguments
	hash, err := argshash.Of(args)
	if err != nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "arguments are not valid JSON: " + err.Error()}
	}
	call := checkpoint.Call{
		Tool:     t.tool,
		Args:     args,
		ArgsHash: hash,
		// Known values first, whole: a shape rule hiding part of one (the
		// password of a URL) would leave the rest for no exact match.
		Redacted: string(redact.Arguments(p.opts.Known.JSON(args))),
		Session:  p.sessionID(req.Session),
		Client:   clientName(req.Session),
	}
	if tok := req.Params.GetProgressToken(); tok != nil {
		var n float64
		call.Waiting = func(msg string) {
			n++
			_ = req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{ProgressToken: tok, Progress: n, Message: msg})
		}
	}
	// Write-ahead: the decision is committed before anything reaches the
	// upstream; a refusal is already recorded with its outcome.
	v := p.opts.Checkpoint.Decide(ctx, call)
	if !v.Allow {
		if v.Outcome == store.OutcomeCancelled && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return errorResult(v.Message), nil
	}
	id := v.CallID
	// The decision is bound to the definition it was made for. A call that
	// waited for a person may find the tool redefined (or gone) meanwhile:
	// the approval does not carry over to a definition nobody saw.
	if cur, ok := p.routes.tool(req.Params.Name); !ok || cur.up != t.up || cur.name != t.name || cur.tool.DefHash != t.tool.DefHash {
		msg := fmt.Sprintf("Airlock did not run this call: the tool %q changed while the call waited for approval. Call it again to ask the user about the new definition.", req.Params.Name)
		bg := context.WithoutCancel(ctx)
		err := p.opts.Store.Decide(bg, id, store.DecisionDeny, checkpoint.ByError)
		if err == nil {
			err = p.opts.Store.FinishCall(bg, id, store.OutcomeDenied, msg, time.Since(start))
		}
		if err != nil {
			p.log.Error("audit log update failed", "id", id, "err", err)
		}
		return errorResult(msg), nil
	}
	// The outcome is recorded beside the reply rather than before it: the
	// row (and its decision) is already committed, and the host should not
	// wait for a second write. Close waits for these.
	finish := func(outcome string, err error) {
		d := time.Since(start)
		text := ""
		if err != nil {
			text = redact.String(p.opts.Known.String(err.Error()))
		}
		p.finishing.Add(1)
		go func() {
			defer p.finishing.Done()
			if ferr := p.opts.Store.FinishCall(context.WithoutCancel(ctx), id, outcome, text, d); ferr != nil {
				p.log.Error("audit log update failed", "id", id, "err", ferr)
			}
		}()
	}

	sess, err := up.current()
	if err != nil {
		finish(store.OutcomeUpstreamDown, err)
		return errorResult(err.Error()), nil
	}

	params := &mcp.CallToolParams{Name: tool, Meta: copyMeta(req.Params.Meta)}
	if len(args) > 0 {
		params.Arguments = args
	}
	if tok := req.Params.GetProgressToken(); tok != nil {
		own := p.mapProgress(ctx, req.Session, tok)
		defer p.unmapProgress(own)
		params.SetProgressToken(own)
	}
	defer p.trackCall(up, ctx, req.Session)()

	res, err := sess.CallTool(ctx, params)
	var werr *jsonrpc.Error
	switch {
	case err == nil && res.IsError:
		finish(store.OutcomeToolError, nil)
		return res, nil
	case err == nil:
		finish(store.OutcomeOK, nil)
		return res, nil
	case ctx.Err() != nil:
		finish(store.OutcomeCancelled, ctx.Err())
		return nil, ctx.Err()
	case errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		// The go-sdk reports a child that died mid-call as EOF.
		finish(store.OutcomeUpstreamDown, err)
		return errorResult(fmt.Sprintf("upstream server %q stopped while handling this call, so it may or may not have taken effect; Airlock is restarting it", up.name)), nil
	case errors.As(err, &werr):
		finish(store.OutcomeProtocolError, err)
		return nil, werr // the upstream's code and message, unchanged
	default:
		finish(store.OutcomeProtocolError, err)
		return nil, err
	}
}

// unknownTool records a call to a name no upstream offers. A name that starts
// like a configured server's tools gets an error naming that server, since the
// usual cause is a server that is not running.
func (p *Proxy) unknownTool(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	name := req.Params.Name
	var down *upstream
	for _, u := range p.upstreams {
		if strings.HasPrefix(name, u.name+"__") {
			down = u
		}
	}
	call := &store.Call{
		Time:      time.Now().UTC(),
		Client:    clientName(req.Session),
		Session:   p.sessionID(req.Session),
		Tool:      name,
		Decision:  store.DecisionDeny,
		DecidedBy: checkpoint.ByError, // nothing to forward to
		Arguments: string(redact.Arguments(p.opts.Known.JSON(req.Params.Arguments))),
	}
	call.ArgsHash, _ = argshash.Of(req.Params.Arguments)
	unknown := &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown tool %q", name)}
	outcome, result := store.OutcomeProtocolError, error(unknown)
	var downErr error
	if down != nil {
		call.Server = down.name
		if _, err := down.current(); err != nil {
			outcome, downErr = store.OutcomeUpstreamDown, err
		}
	}
	id, err := p.opts.Store.BeginCall(ctx, call)
	if err == nil {
		msg := unknown.Message
		if downErr != nil {
			msg = downErr.Error()
		}
		err = p.opts.Store.FinishCall(context.WithoutCancel(ctx), id, outcome, msg, 0)
	}
	if err != nil {
		p.log.Error("audit log write failed", "tool", name, "err", err)
	}
	if downErr != nil {
		return errorResult(downErr.Error()), nil
	}
	return nil, result
}

// trackCall registers an in-flight call; the returned func unregisters it.
func (p *Proxy) trackCall(up *upstream, ctx context.Context, ss *mcp.ServerSession) func() {
	ac := &activeCall{ctx: ctx, ss: ss}
	p.mu.Lock()
	p.inflight[up] = append(p.inflight[up], ac)
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		list := p.inflight[up]
		for i, c := range list {
			if c == ac {
				p.inflight[up] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(p.inflight[up]) == 0 {
			delete(p.inflight, up)
		}
	}
}

// hostFor picks the host session that should answer a request from up: the
// one whose call up is working on. The context carries the call, so over
// HTTP the request travels on that call's stream.
//
// Over stdio an upstream's request carries no link to the call it serves,
// so when calls of several host sessions are in flight on up, the proxy
// cannot know whose it is and answers none rather than show one host's
// request (a prompt, a form) to another. With no call in flight, only a
// lone host session can be the one meant. A nil session means "no host".
func (p *Proxy) hostFor(up *upstream) (context.Context, *mcp.ServerSession) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if list := p.inflight[up]; len(list) > 0 {
		last := list[len(list)-1]
		for _, c := range list {
			if c.ss != last.ss {
				return context.Background(), nil
			}
		}
		return last.ctx, last.ss
	}
	if len(p.sessions) == 1 {
		return context.Background(), p.sessions[0]
	}
	return context.Background(), nil
}

func clientName(ss *mcp.ServerSession) string {
	if ip := ss.InitializeParams(); ip != nil && ip.ClientInfo != nil {
		return ip.ClientInfo.Name
	}
	return ""
}

func copyMeta(m mcp.Meta) mcp.Meta {
	if len(m) == 0 {
		return nil
	}
	out := make(mcp.Meta, len(m))
	for k, v := range m {
		if k != "progressToken" {
			out[k] = v
		}
	}
	return out
}

func errorResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}
