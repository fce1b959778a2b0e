// Package checkpoint decides every tool call before it runs: classify it,
// apply the user's rules, roots, rate limits, consents and pins, and when a
// person must decide, put the question in the shared queue and wait.
//
// Write-ahead: every path records the decision in the audit log (committed)
// before Decide returns, and any error denies the call.
package checkpoint

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/airlock-dev/airlock/internal/classify"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/fswake"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/summary"
)

// Who decided, as recorded in the audit log.
const (
	ByRule      = "rule"
	ByConsent   = "consent"
	ByPerson    = "person"
	BySession   = "session" // an "allow for this session" answer
	ByTimeout   = "timeout"
	ByError     = "error"
	ByRoots     = "roots"
	ByRateLimit = "rate-limit"
	ByPaused    = "paused"
	ByCancelled = "cancelled"
)

// Options configure a Checkpoint.
type Options struct {
	Store  *store.Store
	Config *config.Config
	// Live, when set, keeps the approval wait and TTL and the config's
	// rules in step with airlock.json while the proxy runs (a change in the
	// Settings screen applies to the next call). Servers, roots and rate
	// limits stay as Config had them: they shape running upstreams.
	Live   *config.Live
	Logger *slog.Logger
	// Home shortens paths in summaries to ~/...; "" keeps them whole.
	Home string
	// Poll is how often a waiting call checks its request (default 25 ms).
	Poll time.Duration
	// Wake, when set, also wakes waiting calls at each commit to the
	// database (a person's answer from the window or the CLI), so an answer
	// need not wait for the next poll. The poll stays: a wake may come a
	// moment before its commit is visible, or not at all.
	Wake *fswake.Signal
	// OnAsk, when set, runs once each time a call is queued for a person,
	// before the wait starts: the proxy starts the desktop app there so a
	// window can ask. It should return quickly; the wait runs regardless.
	OnAsk func(ctx context.Context)
	// Known holds secret values Airlock injected into upstreams: reasons and
	// refusal messages are built from the raw arguments (the summary from
	// Call.Redacted), so they are cleaned of these before they are stored
	// or returned.
	Known *redact.Known
}

// Checkpoint decides calls for one proxy process.
type Checkpoint struct {
	opts     Options
	log      *slog.Logger
	roots    map[string]*policy.Roots
	rootsErr map[string]error
	limiter  *policy.Limiter

	mu        sync.Mutex
	rules     []policy.Rule  // from the config
	rulesOf   *config.Config // the config rules was taken from
	trust     *store.Trust
	trustRead time.Time // when trust was last checked against the database
	sessions  map[sessionGrant]bool
}

// trustFresh is how long the trust state is used without asking the
// database whether it changed. Answers this process sees drop the cache at
// once; a rule or consent changed elsewhere applies within this time.
const trustFresh = 100 * time.Millisecond

type sessionGrant struct{ session, server, tool string }

// New prepares a checkpoint. A server whose roots cannot be resolved gets
// every path-carrying call denied with that error, not an open door.
func New(opts Options) *Checkpoint {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Poll == 0 {
		opts.Poll = 25 * time.Millisecond
	}
	c := &Checkpoint{
		opts:     opts,
		log:      opts.Logger,
		roots:    map[string]*policy.Roots{},
		rootsErr: map[string]error{},
		rules:    opts.Config.AllRules(),
		rulesOf:  opts.Config,
		sessions: map[sessionGrant]bool{},
	}
	for name, srv := range opts.Config.MCPServers {
		if len(srv.Roots) == 0 {
			continue
		}
		r, err := policy.NewRoots(srv.Roots)
		if err != nil {
			c.rootsErr[name] = err
			continue
		}
		c.roots[name] = r
	}
	c.limiter = policy.NewLimiter(func(server string) policy.Limits {
		if l := opts.Config.MCPServers[server].RateLimit; l != nil {
			return *l
		}
		return policy.DefaultLimits
	})
	return c
}

// Call is one tool call to decide.
type Call struct {
	Tool     *Tool
	Args     json.RawMessage
	ArgsHash string
	Redacted string // the arguments as they may be stored
	Session  string
	Client   string
	// Waiting, if set, is told every few seconds while a person is asked
	// (the proxy turns it into progress notifications).
	Waiting func(message string)
}

// Verdict is the decision. The audit row exists whatever it says.
type Verdict struct {
	Allow   bool
	CallID  int64
	Tier    classify.Tier
	Reasons []string
	Summary string
	// For refused calls: the outcome to record and the text for the model.
	Outcome string
	Message string
}

// Observe records the definition an upstream offers now (pinning it on
// first sight, keeping a change for review). The proxy calls it on every
// catalog change.
func (c *Checkpoint) Observe(ctx context.Context, t *Tool) error {
	_, err := c.opts.Store.ObservePin(ctx, t.Server, t.Def.Name, t.DefHash, t.Definition)
	return err
}

// settings is the config in force now: the live one when the file is
// followed, else the one the checkpoint started with.
func (c *Checkpoint) settings() *config.Config {
	if c.opts.Live != nil {
		return c.opts.Live.Current()
	}
	return c.opts.Config
}

// removed reports whether server runs (the proxy started it from the
// config it began with) but the config followed since no longer has it:
// its own rules went with its entry, and a call to it would be decided
// without them.
func (c *Checkpoint) removed(server string) bool {
	if c.opts.Live == nil {
		return false
	}
	_, now := c.settings().MCPServers[server]
	_, started := c.opts.Config.MCPServers[server]
	return started && !now
}

// configRules returns the config's rules, taken again when the config
// was reloaded.
func (c *Checkpoint) configRules() []policy.Rule {
	cfg := c.settings()
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg != c.rulesOf {
		c.rules, c.rulesOf = cfg.AllRules(), cfg
	}
	return c.rules
}

// loadTrust returns the cached trust state, reloading it when another
// process (or an answer) changed it: one small read per call.
func (c *Checkpoint) loadTrust(ctx context.Context) (*store.Trust, error) {
	c.mu.Lock()
	cur, read := c.trust, c.trustRead
	c.mu.Unlock()
	if cur != nil && time.Since(read) < trustFresh {
		return cur, nil
	}
	v, err := c.opts.Store.TrustVersion(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if cur == nil || cur.Version != v {
		if cur, err = c.opts.Store.LoadTrust(ctx); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	c.trust, c.trustRead = cur, now
	c.mu.Unlock()
	return cur, nil
}

// forgetTrust makes the next decision re-read the trust state.
func (c *Checkpoint) forgetTrust() {
	c.mu.Lock()
	c.trust = nil
	c.mu.Unlock()
}

// Decide runs the checkpoint for one call. It blocks while a person is
// asked, up to the configured approval wait.
func (c *Checkpoint) Decide(ctx context.Context, call Call) Verdict {
	t := call.Tool
	server, tool := t.Server, t.Def.Name
	// The summary is stored beside the redacted arguments, so it is made
	// from them: made from the raw ones, it kept token-shaped values, and
	// injected values it had cut short or whose spaces it had folded
	// (forms Known cannot find afterwards).
	shown := call.Args
	if call.Redacted != "" {
		shown = json.RawMessage(call.Redacted)
	}
	// The summary and the classifier parse hostile arguments (SQL, shell,
	// code); a bug in either refuses this call instead of ending the proxy.
	var headline string
	var class classify.Result
	analysisErr := c.analyse(func() {
		headline = summary.Of(server, tool, shown, c.opts.Home)
		class = classifyCall(t.classifyTool(), call.Args)
	})
	if analysisErr != nil {
		headline = "Call " + tool + " on " + server
	}
	row := &store.Call{
		Client: call.Client, Session: call.Session, Server: server, Tool: tool,
		Arguments: call.Redacted, ArgsHash: call.ArgsHash, DefHash: t.DefHash,
		Summary: c.opts.Known.String(headline),
	}
	v := Verdict{Summary: row.Summary}

	if err := checkArgs(call.Args); err != nil {
		return c.refuse(ctx, row, v, ByError, "Airlock refused this call: "+err.Error())
	}
	if analysisErr != nil {
		return c.refuse(ctx, row, v, ByError, "Airlock refused this call: "+analysisErr.Error())
	}
	if c.removed(server) {
		return c.refuse(ctx, row, v, ByError, fmt.Sprintf("Airlock refused this call: the server %q is no longer in airlock.json "+
			"(removed or renamed), so the rules written for it no longer apply; restart the host to apply the change.", server))
	}
	trust, err := c.loadTrust(ctx)
	if err != nil {
		return c.refuse(ctx, row, v, ByError, "Airlock could not read its trust settings, so the call was refused: "+err.Error())
	}

	// Classification: rules are the strongest signal, then the arguments,
	// the name and description, and the annotations.
	rules := append(append([]policy.Rule(nil), c.configRules()...), trust.Rules...)
	verdict := policy.Evaluate(rules, server, tool, call.Args)
	if r := verdict.Tier; r != nil {
		tier, _ := classify.ParseTier(string(r.Action))
		class = classify.Result{Tier: tier, Reasons: append([]string{"rule: " + r.String()}, class.Reasons...)}
		noteRule(row, r) // replaced below if another rule decides the call
	}
	class.Reasons = c.opts.Known.Strings(class.Reasons)
	v.Tier, v.Reasons = class.Tier, class.Reasons
	row.Tier, row.Reasons = class.Tier.String(), class.Reasons

	if r := verdict.Deny; r != nil {
		noteRule(row, r)
		return c.refuse(ctx, row, v, ByRule, fmt.Sprintf("Airlock denied this call by the user's rule (%s).", r))
	}
	if reason, ok := trust.Paused[server]; ok && class.Tier != classify.Read {
		return c.refuse(ctx, row, v, ByPaused, fmt.Sprintf("Airlock has paused changes to %q (%s) until the user resumes it in Airlock.", server, reason))
	}
	if err := c.checkRoots(server, call.Args); err != nil {
		return c.refuse(ctx, row, v, ByRoots, "Airlock denied this call: "+err.Error())
	}
	pause, err := c.limiter.Take(server, class.Tier == classify.Destructive)
	if err != nil {
		return c.refuse(ctx, row, v, ByRateLimit, "Airlock denied this call: "+err.Error())
	}
	if pause {
		reason := "a burst of destructive calls"
		if err := c.opts.Store.PauseServer(ctx, server, reason); err != nil {
			c.log.Error("pause server", "server", server, "err", err)
		}
		c.forgetTrust()
		return c.refuse(ctx, row, v, ByPaused, fmt.Sprintf("Airlock paused %q after %s; the user must resume it in Airlock.", server, reason))
	}

	// A definition that changed since it was pinned needs a person, whatever
	// consents or rules said about the old one.
	pin, pinned := trust.Pins[[2]string{server, tool}]
	if !pinned {
		p, err := c.opts.Store.ObservePin(ctx, server, tool, t.DefHash, t.Definition)
		if err != nil {
			return c.refuse(ctx, row, v, ByError, "Airlock could not record this tool's definition, so the call was refused: "+err.Error())
		}
		pin = p
	}
	if pin.DefHash != t.DefHash {
		return c.ask(ctx, call, row, v, store.KindChanged, pin.Definition)
	}

	allowRule := verdict.AllowFor(class.Tier.String())
	switch {
	case allowRule != nil:
		noteRule(row, allowRule)
		return c.allow(ctx, row, v, ByRule)
	case class.Tier == classify.Read:
		if trust.HasConsent(server, tool, t.DefHash) {
			return c.allow(ctx, row, v, ByConsent)
		}
		return c.ask(ctx, call, row, v, store.KindConsent, "")
	case class.Tier == classify.Write && c.sessionAllowed(call.Session, server, tool):
		return c.allow(ctx, row, v, BySession)
	default:
		return c.ask(ctx, call, row, v, store.KindCall, "")
	}
}

// noteRule records on the audit row the rule that decided the call (or set
// its tier), so the Rules screen can count and list what each rule did.
func noteRule(row *store.Call, r *policy.Rule) {
	row.RuleID, row.Rule = r.ID, r.String()
}

func (c *Checkpoint) checkRoots(server string, args json.RawMessage) error {
	if err := c.rootsErr[server]; err != nil {
		if len(policy.PathArgs(args)) > 0 {
			return fmt.Errorf("the allowed folders of %q are misconfigured: %v", server, err)
		}
		return nil
	}
	return c.roots[server].Check(args)
}

// CheckResource applies a server's allowed folders to a resource URI. Hosts
// may let the model read resources (not only the user), and a file: URI is
// a path like any other. Other schemes mean whatever the server says they
// mean, so only file: URIs can be checked.
func (c *Checkpoint) CheckResource(server, uri string) error {
	if len(uri) < 5 || !strings.EqualFold(uri[:5], "file:") {
		return nil
	}
	if err := c.rootsErr[server]; err != nil {
		return fmt.Errorf("the allowed folders of %q are misconfigured: %v", server, err)
	}
	return c.roots[server].Contains(uri)
}

func (c *Checkpoint) sessionAllowed(session, server, tool string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessions[sessionGrant{session, server, tool}]
}

func (c *Checkpoint) grantSession(session, server, tool string) {
	c.mu.Lock()
	c.sessions[sessionGrant{session, server, tool}] = true
	c.mu.Unlock()
}

// allow records an automatic approval.
func (c *Checkpoint) allow(ctx context.Context, row *store.Call, v Verdict, by string) Verdict {
	row.Decision, row.DecidedBy = store.DecisionAllow, by
	id, err := c.opts.Store.BeginCall(ctx, row)
	if err != nil {
		v.Outcome = store.OutcomeDenied
		v.Message = "Airlock refused this call because it could not record it in its audit log: " + err.Error()
		c.log.Error("audit log write failed; call refused", "server", row.Server, "tool", row.Tool, "err", err)
		return v
	}
	v.Allow, v.CallID = true, id
	return v
}

// refuse records a denial (decision and outcome) and explains it.
func (c *Checkpoint) refuse(ctx context.Context, row *store.Call, v Verdict, by, message string) Verdict {
	row.Decision, row.DecidedBy = store.DecisionDeny, by
	message = c.opts.Known.String(message)
	v.Outcome, v.Message = store.OutcomeDenied, message
	ctx = context.WithoutCancel(ctx)
	id, err := c.opts.Store.BeginCall(ctx, row)
	if err == nil {
		v.CallID = id
		err = c.opts.Store.FinishCall(ctx, id, store.OutcomeDenied, message, 0)
	}
	if err != nil {
		c.log.Error("audit log write failed for a refused call", "server", row.Server, "tool", row.Tool, "err", err)
	}
	return v
}

// classifyCall is classify.Call; a test swaps it to prove a panic in the
// analysis refuses the call.
var classifyCall = classify.Call

// analyse runs f, turning a panic into an error: f reads arguments the
// model wrote, and one call must not take down every tool of the host.
func (c *Checkpoint) analyse(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("analysing a call's arguments panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("it could not analyse the arguments (internal error: %v)", r)
		}
	}()
	f()
	return nil
}
