package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/textdiff"
)

// EventPendingChanged tells the frontend to reload the approval queue.
const EventPendingChanged = "pending:changed"

// answeredBy is who the app records as having answered.
const answeredBy = "app"

// RequestView is one open request as the Pending screen shows it. Every
// string is untrusted text except id, times, kind and tier.
type RequestView struct {
	ID        int64    `json:"id"`
	Created   string   `json:"created"` // RFC 3339 with milliseconds
	Expires   string   `json:"expires"`
	Kind      string   `json:"kind"` // call, consent or changed
	Tier      string   `json:"tier"`
	Server    string   `json:"server"`
	Tool      string   `json:"tool"`
	Summary   string   `json:"summary"`
	Reasons   []string `json:"reasons"`
	Findings  []string `json:"findings"`  // injection markers in the definition
	Arguments string   `json:"arguments"` // redacted JSON text
	Client    string   `json:"client"`
	Session   string   `json:"session"`
	Diff      string   `json:"diff"` // kind changed: line diff, "- " approved, "+ " now
}

// screen is what the queue needs from the window; Wails in the app, a
// recorder in tests.
type screen interface {
	pendingChanged()
	// arrived is told about requests the window has not shown yet,
	// oldest first.
	arrived(fresh []store.Request)
}

// Approvals is the bound service behind the Pending screen: it lists the
// queue every proxy writes to and answers it like the CLI approver does.
type Approvals struct {
	open func() (*store.Store, error) // nil store: no database yet

	checking sync.Mutex // one check at a time, so an older look never overwrites a newer one

	mu     sync.Mutex
	ctx    context.Context
	screen screen
	seen   []int64 // ids of the queue last shown, ascending; nil before the first look
	expiry *time.Timer
	closed bool
}

// NewApprovals answers the queue in the store open returns.
func NewApprovals(open func() (*store.Store, error)) *Approvals {
	return &Approvals{open: open, ctx: context.Background()}
}

// Pending returns the open requests, newest first.
func (a *Approvals) Pending() ([]RequestView, error) {
	reqs, err := a.list(a.context())
	if err != nil {
		return nil, err
	}
	out := make([]RequestView, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, requestView(r))
	}
	return out, nil
}

// Answer allows or denies request id. scope is once, session or always
// for calls; once, tool or server to allow a first-read consent; once or
// always to deny. The store refuses scopes a request does not accept, such
// as anything but once for a destructive call.
func (a *Approvals) Answer(id int64, allow bool, scope string) error {
	ctx := a.context()
	st, err := a.open()
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("answer request %d: no audit log yet", id)
	}
	if _, err := st.Answer(ctx, id, allow, scope, answeredBy); err != nil {
		if errors.Is(err, store.ErrNotPending) {
			a.check(ctx) // someone else answered: show the queue as it is
		}
		return fmt.Errorf("answer request %d: %w", id, err)
	}
	a.check(ctx)
	return nil
}

func (a *Approvals) list(ctx context.Context) ([]store.Request, error) {
	st, err := a.open()
	if err != nil || st == nil {
		return nil, err
	}
	reqs, err := st.Pending(ctx)
	if err != nil {
		return nil, fmt.Errorf("read approval queue: %w", err)
	}
	return reqs, nil
}

func requestView(r store.Request) RequestView {
	v := RequestView{
		ID:        r.ID,
		Created:   r.Created.Format(timeFormat),
		Expires:   r.Expires.Format(timeFormat),
		Kind:      r.Kind,
		Tier:      r.Tier,
		Server:    r.Server,
		Tool:      r.Tool,
		Summary:   r.Summary,
		Reasons:   r.Reasons,
		Findings:  r.Findings,
		Arguments: r.Arguments,
		Client:    r.Client,
		Session:   r.Session,
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	if v.Findings == nil {
		v.Findings = []string{}
	}
	if r.Kind == store.KindChanged {
		v.Diff = definitionDiff(r.Previous, r.Definition)
	}
	return v
}

// timeFormat is RFC 3339 with milliseconds, as in CallView.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// definitionDiff compares two definitions pretty-printed one field a line,
// as the terminal approver shows them.
func definitionDiff(before, after string) string {
	return textdiff.Lines(indentJSON(before), indentJSON(after))
}

func indentJSON(s string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(s), "", "  ") != nil {
		return s
	}
	return buf.String()
}

func (a *Approvals) context() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ctx
}

// start remembers the window; call check after every database change.
func (a *Approvals) start(ctx context.Context, s screen) {
	a.mu.Lock()
	a.ctx, a.screen = ctx, s
	a.mu.Unlock()
}

// check compares the queue with what the window last showed: any change
// is announced, and requests the window has not shown yet raise it.
// Requests also leave the queue when they expire, which commits nothing, so
// check runs again when the next one expires.
func (a *Approvals) check(ctx context.Context) {
	a.checking.Lock()
	defer a.checking.Unlock()
	reqs, err := a.list(ctx)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("check approval queue", "err", err)
		}
		return
	}
	ids := make([]int64, 0, len(reqs))
	var next time.Time
	for _, r := range reqs {
		ids = append(ids, r.ID)
		if next.IsZero() || r.Expires.Before(next) {
			next = r.Expires
		}
	}
	slices.Sort(ids)

	a.mu.Lock()
	prev, s := a.seen, a.screen
	changed := prev == nil || !slices.Equal(prev, ids)
	var fresh []store.Request
	for _, r := range slices.Backward(reqs) {
		if _, found := slices.BinarySearch(prev, r.ID); !found {
			fresh = append(fresh, r)
		}
	}
	a.seen = ids
	if a.expiry != nil {
		a.expiry.Stop()
		a.expiry = nil
	}
	if !next.IsZero() && !a.closed && ctx.Err() == nil {
		// A little after the deadline, so the store sees it as past.
		a.expiry = time.AfterFunc(time.Until(next)+50*time.Millisecond, func() { a.check(ctx) })
	}
	a.mu.Unlock()

	if s == nil {
		return
	}
	if changed {
		s.pendingChanged()
	}
	if len(fresh) > 0 {
		s.arrived(fresh)
	}
}

// shutdown stops the expiry timer.
func (a *Approvals) shutdown() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.expiry != nil {
		a.expiry.Stop()
		a.expiry = nil
	}
	a.screen, a.closed = nil, true
}
