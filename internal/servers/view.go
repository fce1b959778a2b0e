package servers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/textdiff"
)

// NotRunning is the state of a server no live proxy runs: no host started
// Airlock, or every proxy that ran it stopped or stopped beating.
const NotRunning = "not running"

// Consent states of a tool.
const (
	ConsentNone   = "none"
	ConsentTool   = "tool"   // this tool, this definition
	ConsentServer = "server" // every read tool of the server
)

// Server is one upstream as the Servers & tools screen shows it.
type Server struct {
	Name string
	// Configured is false for a server that is no longer in airlock.json
	// but whose tools are still pinned (or a proxy still runs it).
	Configured bool
	Command    string // the configured command, without arguments or env (they may hold secrets)

	// State is the worst state among the live proxies running it (one
	// host's failing copy is not hidden by another's running one), or
	// NotRunning. Detail is that state's last error.
	State     string
	Detail    string
	Since     time.Time // zero when not running
	Instances []Instance

	Paused      bool // non-read calls are refused until a person resumes it
	PauseReason string
	PausedAt    time.Time

	// ServerConsent: every read tool of the server is consented to.
	ServerConsent   bool
	ServerConsentAt time.Time
	ServerConsentBy string

	Tools []Tool
}

// Instance is one proxy's copy of a server.
type Instance struct {
	ProxyPID int
	State    string
	Detail   string
	PID      int // the upstream's process, while running
	Tools    int
	Since    time.Time
	SeenAt   time.Time
	// Live is false when the proxy stopped beating or its process is gone:
	// the row is only a record of what it last said.
	Live bool
	// Offered names the tools of this copy's last listing; nil while
	// unknown (not listed yet, or a proxy too old to say).
	Offered      []string
	OfferedSince time.Time
}

// Tool is one pinned tool definition with how Airlock treats it.
type Tool struct {
	Name        string
	Title       string
	Description string
	// Tier and Reasons are what the definition alone says (the worst
	// plausible call), raised or lowered by a rule that pins the tool's tier.
	Tier     string
	Reasons  []string
	Findings []string // injection markers in the definition
	Rules    []string // every rule that applies to the tool (some only to some arguments)

	Consent      string // ConsentNone, ConsentTool or ConsentServer
	ConsentAt    time.Time
	ConsentBy    string
	StaleConsent bool // a consent exists, but for an earlier definition

	PinnedAt  time.Time
	Changed   bool // the server now offers another definition, awaiting a person
	ChangedAt time.Time
	Diff      string // textdiff lines: "- " pinned, "+ " offered now, "  " same

	// NotOffered: every live proxy running the server has listed its
	// tools and none lists this one (the server dropped it). False when
	// that is not known, e.g. no proxy runs the server. NotOfferedSince is
	// when the last of those listings changed: the tool has been missing
	// at least since then.
	NotOffered      bool
	NotOfferedSince time.Time
}

// List assembles every configured server (and any other server with pins
// or status rows), by name. A nil st stands for a database no proxy has
// created yet: the configured servers, none of them running.
func List(ctx context.Context, st *store.Store, cfg *config.Config, now time.Time) ([]Server, error) {
	trust := &store.Trust{}
	var statuses []store.UpstreamStatus
	var paused []store.Paused
	if st != nil {
		var err error
		if trust, err = st.LoadTrust(ctx); err != nil {
			return nil, err
		}
		if statuses, err = st.Upstreams(ctx); err != nil {
			return nil, err
		}
		if paused, err = st.PausedServers(ctx); err != nil {
			return nil, err
		}
	}

	byName := map[string]*Server{}
	get := func(name string) *Server {
		s := byName[name]
		if s == nil {
			s = &Server{Name: name, State: NotRunning, Tools: []Tool{}, Instances: []Instance{}}
			byName[name] = s
		}
		return s
	}
	for _, name := range cfg.ServerNames() {
		s := get(name)
		s.Configured = true
		s.Command = cfg.MCPServers[name].Command
	}
	for _, u := range statuses {
		s := get(u.Server)
		s.Instances = append(s.Instances, Instance{
			ProxyPID: u.Proxy.PID, State: u.State, Detail: u.Detail, PID: u.PID, Tools: u.Tools,
			Since: u.Since, SeenAt: u.SeenAt,
			Live:    now.Sub(u.SeenAt) < Fresh && !processGone(u.Proxy.PID),
			Offered: u.Offered, OfferedSince: u.OfferedSince,
		})
	}
	for _, p := range paused {
		s := get(p.Server)
		s.Paused, s.PauseReason, s.PausedAt = true, p.Reason, p.At
	}
	for _, c := range trust.Consents {
		if c.Tool == "*" {
			s := get(c.Server)
			s.ServerConsent, s.ServerConsentAt, s.ServerConsentBy = true, c.GrantedAt, c.GrantedBy
		}
	}
	rules := append(append([]policy.Rule(nil), cfg.AllRules()...), trust.Rules...)
	pins := make([]store.Pin, 0, len(trust.Pins))
	for _, p := range trust.Pins {
		pins = append(pins, p)
	}
	sort.Slice(pins, func(i, j int) bool { return pins[i].Tool < pins[j].Tool })
	for _, p := range pins {
		s := get(p.Server)
		s.Tools = append(s.Tools, toolView(p, trust, rules))
	}

	out := make([]Server, 0, len(byName))
	for _, s := range byName {
		s.State, s.Detail, s.Since = overall(s.Instances)
		if offered, since, known := offeredBy(s.Instances); known {
			for i := range s.Tools {
				if !offered[s.Tools[i].Name] {
					s.Tools[i].NotOffered, s.Tools[i].NotOfferedSince = true, since
				}
			}
		}
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// severity orders states for the overall one: the worst live state wins.
var severity = map[string]int{"running": 1, "starting": 2, "restarting": 3, "failed": 4}

func overall(instances []Instance) (state, detail string, since time.Time) {
	state, best := NotRunning, 0
	for _, in := range instances {
		// A proxy that is shutting down reports "stopped": it runs nothing.
		if rank := severity[in.State]; in.Live && rank > best {
			state, detail, since, best = in.State, in.Detail, in.Since, rank
		}
	}
	return state, detail, since
}

// offeredBy is the union of the tools the live copies of a server offer,
// and when the newest of their lists began. known is false unless at least
// one proxy runs the server and every live one has listed its tools: a
// copy that has not listed them yet may offer any tool, so nothing is said
// rather than guessed.
func offeredBy(instances []Instance) (offered map[string]bool, since time.Time, known bool) {
	offered = map[string]bool{}
	for _, in := range instances {
		if !in.Live {
			continue
		}
		if in.Offered == nil {
			return nil, time.Time{}, false
		}
		known = true
		for _, name := range in.Offered {
			offered[name] = true
		}
		if in.OfferedSince.After(since) {
			since = in.OfferedSince
		}
	}
	return offered, since, known
}

// toolView classifies a pin's current definition (the changed one, when the
// server offers another) the way the checkpoint does.
func toolView(p store.Pin, trust *store.Trust, rules []policy.Rule) Tool {
	def, hash := p.Definition, p.DefHash
	if p.ChangedHash != "" {
		def, hash = p.ChangedDefinition, p.ChangedHash
	}
	r := read(p.Server, hash, def)
	out := Tool{Name: p.Tool, Title: r.title, Description: r.description, Tier: r.tier,
		Reasons: append([]string{}, r.reasons...), Findings: append([]string{}, r.findings...),
		Consent: ConsentNone, PinnedAt: p.PinnedAt, Rules: []string{}}
	for _, r := range rules {
		if !policy.Glob(r.Server, p.Server) || !policy.Glob(r.Tool, p.Tool) {
			continue
		}
		out.Rules = append(out.Rules, r.String())
	}
	// A tier rule without argument conditions holds for every call: the
	// checkpoint puts it first, and so does this view.
	if v := policy.Evaluate(rulesWithoutArgs(rules), p.Server, p.Tool, nil); v.Tier != nil {
		out.Tier = string(v.Tier.Action)
		out.Reasons = append([]string{"rule: " + v.Tier.String()}, out.Reasons...)
	}

	for _, c := range trust.Consents {
		if c.Server != p.Server {
			continue
		}
		switch {
		case c.Tool == "*" && out.Consent == ConsentNone:
			out.Consent, out.ConsentAt, out.ConsentBy = ConsentServer, c.GrantedAt, c.GrantedBy
		case c.Tool == p.Tool && c.DefHash == p.DefHash:
			// This tool's own consent is the more specific answer.
			out.Consent, out.ConsentAt, out.ConsentBy = ConsentTool, c.GrantedAt, c.GrantedBy
		case c.Tool == p.Tool:
			out.StaleConsent = true
		}
	}

	if p.ChangedHash != "" {
		out.Changed, out.ChangedAt = true, p.ChangedAt
		out.Diff = textdiff.Lines(indent(p.Definition), indent(p.ChangedDefinition))
	}
	return out
}

// reading is what a stored definition says, classified as the checkpoint
// classifies it.
type reading struct {
	title, description string
	tier               string
	reasons, findings  []string
}

// readings caches readings by server and definition hash: a definition
// never changes under its hash, and the window re-reads the list after
// every database change. Bounded, since definitions come and go.
var readings = struct {
	sync.Mutex
	m map[[3]string]reading
}{m: map[[3]string]reading{}}

const maxReadings = 10_000

func read(server, hash, def string) reading {
	// The definition's length guards against a row whose hash does not
	// match its text (a hand-edited database) reusing another reading.
	key := [3]string{server, hash, strconv.Itoa(len(def))}
	readings.Lock()
	r, ok := readings.m[key]
	readings.Unlock()
	if ok {
		return r
	}
	var mt mcp.Tool
	if err := json.Unmarshal([]byte(def), &mt); err != nil || mt.Name == "" {
		// Fail closed: a definition Airlock cannot read is treated as the
		// worst it could be.
		r = reading{tier: "destructive", reasons: []string{fmt.Sprintf("the stored definition cannot be read (%v)", err)}}
	} else {
		t := checkpoint.NewTool(server, &mt)
		r = reading{title: mt.Title, description: mt.Description, tier: t.Class.Tier.String(),
			reasons: t.Class.Reasons, findings: t.Findings}
	}
	readings.Lock()
	if len(readings.m) >= maxReadings {
		clear(readings.m)
	}
	readings.m[key] = r
	readings.Unlock()
	return r
}

func rulesWithoutArgs(rules []policy.Rule) []policy.Rule {
	var out []policy.Rule
	for _, r := range rules {
		if len(r.Args) == 0 {
			out = append(out, r)
		}
	}
	return out
}

// indent spreads a stored (compact) definition over lines, so the diff
// shows which field changed rather than one long line.
func indent(def string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(def), "", "  "); err != nil {
		return def
	}
	return b.String()
}
