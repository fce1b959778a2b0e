package proxy

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/config"
)

// EnvResolver fills placeholders (${keyring:NAME}) in an upstream's env when
// it starts. It returns the environment to use and the secret values it put
// in; an error stops that upstream's start (and names the secret), never the
// others'.
type EnvResolver func(ctx context.Context, env map[string]string) (map[string]string, []string, error)

// ArgsResolver fills placeholders in an upstream's args as EnvResolver does
// in its env.
type ArgsResolver func(ctx context.Context, args []string) ([]string, []string, error)

// launch is what an upstream's process starts with once its placeholders
// are filled in.
type launch struct {
	env  map[string]string
	args []string
}

// resolveLaunch resolves cfg's env and args for one start, and from then on
// hides the injected values everywhere the proxy writes or forwards text:
// the audit log, the logs (the upstreams' stderr included) and what goes to
// the host. The values are added before the child starts, so nothing it
// prints can come before its own secrets are known.
func (p *Proxy) resolveLaunch(ctx context.Context, cfg config.Server) (launch, error) {
	l := launch{env: cfg.Env, args: cfg.Args}
	var injected []string
	if p.opts.ResolveEnv != nil && len(cfg.Env) > 0 {
		env, in, err := p.opts.ResolveEnv(ctx, cfg.Env)
		if err != nil {
			return launch{}, err
		}
		l.env, injected = env, in
	}
	if p.opts.ResolveArgs != nil && len(cfg.Args) > 0 {
		args, in, err := p.opts.ResolveArgs(ctx, cfg.Args)
		if err != nil {
			return launch{}, err
		}
		l.args, injected = args, append(injected, in...)
	}
	p.opts.Known.Add(injected...)
	return l, nil
}

// launchFor returns what u starts with: resolved at its first start that
// got every secret, and reused by each restart after it. A locked or slow
// keychain is asked once per upstream and proxy process, not at every
// crash (each ask may show an unlock prompt and leave a call waiting on
// it); a secret changed in the keychain reaches the upstream when the
// proxy restarts. A start that failed to resolve is asked again next time.
func (u *upstream) launchFor(ctx context.Context) (launch, error) {
	if u.resolved != nil {
		return *u.resolved, nil
	}
	if u.resolve == nil {
		return launch{env: u.cfg.Env, args: u.cfg.Args}, nil
	}
	l, err := u.resolve(ctx, u.cfg)
	if err != nil {
		return launch{}, err
	}
	u.resolved = &l
	return l, nil
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
