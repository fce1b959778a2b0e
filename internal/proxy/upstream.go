package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sort"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/config"
)

// State is an upstream's lifecycle state, shown to users.
type State string

const (
	StateStarting   State = "starting"
	StateRunning    State = "running"
	StateRestarting State = "restarting" // crashed after running; waiting to start again
	StateFailed     State = "failed"     // the last start attempt failed; retrying
	StateStopped    State = "stopped"
)

// upstreamProtocol is what the proxy asks of upstreams: newer versions change
// list_changed and mid-call sampling semantics (see PLATFORM.md).
const upstreamProtocol = "2025-11-25"

// Backoff between restarts: doubles from minBackoff to maxBackoff, and starts
// over once an upstream has stayed up for stableAfter.
var (
	minBackoff  = 500 * time.Millisecond
	maxBackoff  = 30 * time.Second
	stableAfter = 30 * time.Second
)

// catalog is what one upstream offers, as last listed.
type catalog struct {
	caps      *mcp.ServerCapabilities
	tools     []*mcp.Tool
	prompts   []*mcp.Prompt
	resources []*mcp.Resource
	templates []*mcp.ResourceTemplate
}

// upstream supervises one configured MCP server: it starts the child process,
// keeps its catalog, and restarts it with backoff when it exits.
type upstream struct {
	name   string
	cfg    config.Server
	client *mcp.Client
	log    *slog.Logger
	stderr io.Writer
	// onCatalog is called (serially per upstream) after the catalog changed.
	onCatalog func(*upstream)
	// onStatus, if set, is told every state change (serially per upstream).
	onStatus func(Status)
	// resolve fills keychain placeholders in the env and args at a start;
	// wrap redacts what the upstream sends (see secrets.go).
	resolve func(context.Context, config.Server) (launch, error)
	wrap    func(mcp.Transport) mcp.Transport
	// resolved is the first launch resolved without error, reused by every
	// restart (see launchFor). Only the supervisor goroutine touches it.
	resolved *launch

	firstAttempt chan struct{} // closed when the first start attempt ended

	refreshMu sync.Mutex // serializes catalog refreshes
	reportMu  sync.Mutex // serializes status reports

	mu      sync.Mutex
	session *mcp.ClientSession
	cmd     *exec.Cmd
	state   State
	lastErr error
	cat     catalog
}

// Status is a snapshot of an upstream for display.
type Status struct {
	Name  string
	State State
	Error string
	Tools int
	PID   int // the child process, while running
	// Offered names the tools of the last listing, nil before the first:
	// the window tells pinned tools the server dropped by it.
	Offered []string
}

func (u *upstream) status() Status {
	u.mu.Lock()
	defer u.mu.Unlock()
	s := Status{Name: u.name, State: u.state, Tools: len(u.cat.tools)}
	if u.cat.caps != nil { // listed (listCatalog always sets caps)
		s.Offered = make([]string, 0, len(u.cat.tools))
		for _, t := range u.cat.tools {
			s.Offered = append(s.Offered, t.Name)
		}
	}
	if u.lastErr != nil {
		s.Error = u.lastErr.Error()
	}
	if u.session != nil && u.cmd != nil && u.cmd.Process != nil {
		s.PID = u.cmd.Process.Pid
	}
	return s
}

// report tells onStatus the current state. Snapshot and call are one step,
// so reports from the supervisor and from a catalog refresh land in order.
func (u *upstream) report() {
	if u.onStatus != nil {
		u.reportMu.Lock()
		defer u.reportMu.Unlock()
		u.onStatus(u.status())
	}
}

// current returns the live session, or nil and the reason it is down.
func (u *upstream) current() (*mcp.ClientSession, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.session != nil {
		return u.session, nil
	}
	reason := "not started yet"
	if u.lastErr != nil {
		reason = u.lastErr.Error()
	}
	return nil, fmt.Errorf("upstream server %q is not running (%s: %s); Airlock restarts it automatically, try again shortly", u.name, u.state, reason)
}

func (u *upstream) snapshot() catalog {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.cat
}

// supervise runs until ctx ends, keeping the upstream running.
func (u *upstream) supervise(ctx context.Context, startTimeout time.Duration) {
	backoff := minBackoff
	first := true
	// attempted ends Start's wait once the first attempt's outcome (running,
	// or down with its error) is recorded: a caller that reads the status
	// right after Start (airlock tools) must not see "starting".
	attempted := func() {
		if first {
			close(u.firstAttempt)
			first = false
		}
	}
	u.report() // starting
	for {
		began := time.Now()
		sess, err := u.start(ctx, startTimeout)
		if err == nil {
			attempted()
			u.log.Info("upstream running", "server", u.name, "tools", len(u.snapshot().tools))
			stop := context.AfterFunc(ctx, func() { u.shutdown(sess) })
			err = sess.Wait()
			stop()
			if err == nil {
				err = errors.New("exited")
			}
		}
		if ctx.Err() != nil {
			u.shutdown(sess)
			u.setDown(StateStopped, ctx.Err())
			attempted()
			return
		}
		u.shutdown(sess)
		if time.Since(began) > stableAfter {
			backoff = minBackoff
		}
		state := StateRestarting
		if sess == nil {
			state = StateFailed
		}
		u.setDown(state, err)
		attempted()
		u.log.Warn("upstream down; restarting", "server", u.name, "state", state, "err", err, "in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			u.setDown(StateStopped, ctx.Err())
			return
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

func (u *upstream) setDown(state State, err error) {
	u.mu.Lock()
	u.session = nil
	u.state = state
	u.lastErr = err
	u.mu.Unlock()
	u.report()
}

// start launches the child, initializes it and lists its catalog.
func (u *upstream) start(ctx context.Context, timeout time.Duration) (*mcp.ClientSession, error) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	l, err := u.launchFor(cctx)
	if err != nil {
		return nil, fmt.Errorf("start %q: %w", u.cfg.Command, err)
	}
	cmd := exec.Command(u.cfg.Command, l.args...)
	cmd.Env = append(os.Environ(), envList(l.env)...)
	cmd.Dir = u.cfg.Cwd
	cmd.Stderr = u.stderr
	// A grandchild holding stderr open must not block shutdown.
	cmd.WaitDelay = time.Second
	setChildAttrs(cmd)
	transport := u.wrap(&mcp.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second})
	sess, err := u.client.Connect(cctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: upstreamProtocol})
	if err != nil {
		killGroup(cmd)
		return nil, fmt.Errorf("start %q: %w", u.cfg.Command, err)
	}
	u.mu.Lock()
	u.cmd = cmd
	u.mu.Unlock()
	cat, err := listCatalog(cctx, sess)
	if err != nil {
		u.shutdown(sess)
		return nil, err
	}
	// Publish (and pin) the new catalog before calls can reach the new
	// process: after a restart, a call routed by the old catalog must not
	// run on a server whose definitions nobody checked yet.
	u.mu.Lock()
	u.cat = cat
	u.mu.Unlock()
	u.onCatalog(u)
	u.mu.Lock()
	u.session = sess
	u.state = StateRunning
	u.lastErr = nil
	u.mu.Unlock()
	u.report()
	return sess, nil
}

// shutdown closes the session (stdin, then SIGTERM, then SIGKILL) and kills
// whatever the child left in its process group.
func (u *upstream) shutdown(sess *mcp.ClientSession) {
	if sess != nil {
		_ = sess.Close()
	}
	u.mu.Lock()
	cmd := u.cmd
	u.mu.Unlock()
	killGroup(cmd)
}

// refresh re-lists the catalog after a list_changed notification.
func (u *upstream) refresh(ctx context.Context) {
	u.refreshMu.Lock()
	defer u.refreshMu.Unlock()
	sess, err := u.current()
	if err != nil {
		return
	}
	cat, err := listCatalog(ctx, sess)
	if err != nil {
		u.log.Warn("refresh catalog", "server", u.name, "err", err)
		return
	}
	u.mu.Lock()
	if u.session != sess {
		u.mu.Unlock()
		return // restarted meanwhile; start() published a newer catalog
	}
	u.cat = cat
	u.mu.Unlock()
	u.onCatalog(u)
	u.report() // the tool count and the offered tools changed
}

// listCatalog lists everything the upstream offers, following pagination.
func listCatalog(ctx context.Context, sess *mcp.ClientSession) (catalog, error) {
	cat := catalog{caps: sess.InitializeResult().Capabilities}
	if cat.caps == nil {
		cat.caps = &mcp.ServerCapabilities{}
	}
	if cat.caps.Tools != nil {
		for t, err := range sess.Tools(ctx, nil) {
			if err != nil {
				return cat, fmt.Errorf("list tools: %w", err)
			}
			cat.tools = append(cat.tools, t)
		}
	}
	// Prompts and resources are extras: an upstream that fails to list them
	// still serves its tools.
	if cat.caps.Prompts != nil {
		for p, err := range sess.Prompts(ctx, nil) {
			if err != nil {
				break
			}
			cat.prompts = append(cat.prompts, p)
		}
	}
	if cat.caps.Resources != nil {
		for r, err := range sess.Resources(ctx, nil) {
			if err != nil {
				break
			}
			cat.resources = append(cat.resources, r)
		}
		for t, err := range sess.ResourceTemplates(ctx, nil) {
			if err != nil {
				break
			}
			cat.templates = append(cat.templates, t)
		}
	}
	return cat, nil
}

func envList(env map[string]string) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+env[k])
	}
	return out
}
