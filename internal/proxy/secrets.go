package proxy

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// EnvResolver fills placeholders (${keyring:NAME}) in an upstream's env when
// it starts. It returns the environment to use and the secret values it put
// in; an error stops that upstream's start (and names the secret), never the
// others'.
type EnvResolver func(ctx context.Context, env map[string]string) (map[string]string, []string, error)

// resolveEnv resolves u's env for one start, and from then on hides the
// injected values everywhere the proxy writes or forwards text: the audit
// log, the logs (the upstreams' stderr included) and what goes to the host.
// The values are added before the child starts, so nothing it prints can
// come before its own secrets are known.
func (p *Proxy) resolveEnv(ctx context.Context, env map[string]string) (map[string]string, error) {
	if p.opts.ResolveEnv == nil || len(env) == 0 {
		return env, nil
	}
	out, injected, err := p.opts.ResolveEnv(ctx, env)
	if err != nil {
		return nil, err
	}
	p.opts.Known.Add(injected...)
	return out, nil
}

// knownTransport wraps an upstream's transport so every message read from it
// has the known secret values replaced. Redacting there covers everything
// an upstream sends (results, errors, notifications, its requests to the
// host, tool definitions) in one place, before the SDK or any of the
// proxy's own code sees it, so nothing stored or logged downstream holds a
// value.
//
// That includes the results sent back to the host. The model asked for the
// call, but a credential echoed into its context travels to the model's
// provider, into the host's saved conversations, and from there into the
// arguments of a later tool call, possibly one an injected prompt chose:
// the user moved it to the keychain so that it stays between the keychain
// and the server. A tool whose job is to show the secret cannot do it
// through Airlock; that is the point.
type knownTransport struct {
	mcp.Transport
	p *Proxy
}

func (t knownTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return knownConn{Connection: c, p: t.p}, nil
}

type knownConn struct {
	mcp.Connection
	p *Proxy
}

func (c knownConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if err != nil {
		return msg, err
	}
	k := c.p.opts.Known
	switch m := msg.(type) {
	case *jsonrpc.Request:
		m.Params = k.JSON(m.Params)
	case *jsonrpc.Response:
		m.Result = k.JSON(m.Result)
		if we, ok := m.Error.(*jsonrpc.Error); ok && we != nil {
			m.Error = &jsonrpc.Error{Code: we.Code, Message: k.String(we.Message), Data: json.RawMessage(k.JSON(we.Data))}
		} else if m.Error != nil {
			if s := m.Error.Error(); k.String(s) != s {
				m.Error = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: k.String(s)}
			}
		}
	}
	return msg, nil
}
