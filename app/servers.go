package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/servers"
	"github.com/airlock-dev/airlock/internal/store"
)

// ServerView is one upstream on the Servers & tools screen. Every string
// but the states, consent values and times is untrusted text (from the
// config, the server, or its errors). Times are RFC 3339, "" when unset.
type ServerView struct {
	Name            string         `json:"name"`
	Configured      bool           `json:"configured"`
	Command         string         `json:"command"`
	State           string         `json:"state"` // running | starting | restarting | failed | not running
	Detail          string         `json:"detail"`
	Since           string         `json:"since"`
	Instances       []InstanceView `json:"instances"`
	Paused          bool           `json:"paused"`
	PauseReason     string         `json:"pauseReason"`
	PausedAt        string         `json:"pausedAt"`
	ServerConsent   bool           `json:"serverConsent"`
	ServerConsentAt string         `json:"serverConsentAt"`
	ServerConsentBy string         `json:"serverConsentBy"`
	Tools           []ToolView     `json:"tools"`
}

// InstanceView is one proxy's copy of a server.
type InstanceView struct {
	ProxyPID int    `json:"proxyPid"`
	State    string `json:"state"`
	Detail   string `json:"detail"`
	PID      int    `json:"pid"`
	Tools    int    `json:"tools"`
	Since    string `json:"since"`
	SeenAt   string `json:"seenAt"`
	Live     bool   `json:"live"`
}

// ToolView is one pinned tool with its tier, consent and pin state.
type ToolView struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Description  string   `json:"description"`
	Tier         string   `json:"tier"`
	Reasons      []string `json:"reasons"`
	Findings     []string `json:"findings"`
	Rules        []string `json:"rules"`
	Consent      string   `json:"consent"` // none | tool | server
	ConsentAt    string   `json:"consentAt"`
	ConsentBy    string   `json:"consentBy"`
	StaleConsent bool     `json:"staleConsent"`
	PinnedAt     string   `json:"pinnedAt"`
	Changed      bool     `json:"changed"`
	ChangedAt    string   `json:"changedAt"`
	// Diff of the pinned definition against the one offered now: lines
	// "- " pinned, "+ " offered, "  " unchanged.
	Diff string `json:"diff"`
	// NotOffered: every live proxy running the server has listed its tools
	// and none offers this one any more. False when not known (no proxy
	// runs the server, or one has not listed its tools yet).
	NotOffered bool `json:"notOffered"`
	// NotOfferedSince: missing from the tool lists at least since then.
	NotOfferedSince string `json:"notOfferedSince"`
}

// Servers is the bound service behind the Servers & tools screen. The
// assembly is internal/servers'; this only reads the config and converts.
type Servers struct {
	home string
	open func() (*store.Store, error)
	now  func() time.Time
}

// NewServers reads home's airlock.json and the database through open.
func NewServers(home string, open func() (*store.Store, error)) *Servers {
	return &Servers{home: home, open: open, now: time.Now}
}

// List returns every server with its status and tools, by name.
func (s *Servers) List() ([]ServerView, error) {
	cfg, err := config.Load(s.home)
	if err != nil {
		return nil, err
	}
	st, err := s.open()
	if err != nil {
		return nil, err
	}
	list, err := servers.List(context.Background(), st, cfg, s.now())
	if err != nil {
		return nil, fmt.Errorf("read servers: %w", err)
	}
	out := make([]ServerView, 0, len(list))
	for _, v := range list {
		out = append(out, serverView(v))
	}
	return out, nil
}

// Resume lifts a server's pause, so its write calls are asked again.
func (s *Servers) Resume(server string) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	was, err := st.ResumeServer(context.Background(), server)
	if err != nil {
		return fmt.Errorf("resume %q: %w", server, err)
	}
	if !was {
		return fmt.Errorf("%q is not paused", server)
	}
	return nil
}

// RevokeConsent withdraws a read consent: tool names one tool, "*" the
// whole server's. The next read asks again.
func (s *Servers) RevokeConsent(server, tool string) error {
	if strings.TrimSpace(server) == "" || strings.TrimSpace(tool) == "" {
		return errors.New("revoke consent: name a server and a tool (\"*\" for the whole server)")
	}
	st, err := s.store()
	if err != nil {
		return err
	}
	if err := st.RevokeConsent(context.Background(), server, tool); err != nil {
		return fmt.Errorf("revoke consent for %s/%s: %w", server, tool, err)
	}
	return nil
}

// store is the database, which must exist for a change to make sense.
func (s *Servers) store() (*store.Store, error) {
	st, err := s.open()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errors.New("no audit log yet: nothing has been paused or consented to")
	}
	return st, nil
}

func serverView(v servers.Server) ServerView {
	out := ServerView{
		Name: v.Name, Configured: v.Configured, Command: v.Command, State: v.State, Detail: v.Detail,
		Since: stamp(v.Since), Instances: make([]InstanceView, 0, len(v.Instances)),
		Paused: v.Paused, PauseReason: v.PauseReason, PausedAt: stamp(v.PausedAt),
		ServerConsent: v.ServerConsent, ServerConsentAt: stamp(v.ServerConsentAt), ServerConsentBy: v.ServerConsentBy,
		Tools: make([]ToolView, 0, len(v.Tools)),
	}
	for _, in := range v.Instances {
		out.Instances = append(out.Instances, InstanceView{ProxyPID: in.ProxyPID, State: in.State, Detail: in.Detail,
			PID: in.PID, Tools: in.Tools, Since: stamp(in.Since), SeenAt: stamp(in.SeenAt), Live: in.Live})
	}
	for _, t := range v.Tools {
		out.Tools = append(out.Tools, ToolView{Name: t.Name, Title: t.Title, Description: t.Description,
			Tier: t.Tier, Reasons: t.Reasons, Findings: t.Findings, Rules: t.Rules,
			Consent: t.Consent, ConsentAt: stamp(t.ConsentAt), ConsentBy: t.ConsentBy, StaleConsent: t.StaleConsent,
			PinnedAt: stamp(t.PinnedAt), Changed: t.Changed, ChangedAt: stamp(t.ChangedAt), Diff: t.Diff,
			NotOffered: t.NotOffered, NotOfferedSince: stamp(t.NotOfferedSince)})
	}
	return out
}

// stamp formats a time for the frontend; the zero time is "".
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
