package app

import (
	"context"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/launch"
	"github.com/airlock-dev/airlock/internal/store"
)

// UI is where the backend's news goes: the Wails window in the app, or the
// page of a browser-test harness that serves the same bindings.
type UI interface {
	// Emit sends an event to the frontend (EventCallsChanged, ...).
	Emit(event string)
	// Arrived is told about requests not shown before, oldest first: the
	// window comes forward and a notification goes out.
	Arrived(fresh []store.Request)
}

// Backend is everything the window binds, with no Wails runtime in it, so
// a test harness can serve the frontend with exactly these services.
type Backend struct {
	Home      string
	Calls     *Calls
	Approvals *Approvals
	History   *History
	Servers   *Servers
	Hosts     *Hosts
	Secrets   *Secrets
	Rules     *Rules
	Settings  *Settings

	alive *presence
}

// NewBackend builds the services over home's database. Nothing runs until
// Start.
func NewBackend(home string) *Backend {
	calls := NewCalls(config.DBPath(home))
	return &Backend{
		Home:      home,
		Calls:     calls,
		Approvals: NewApprovals(calls.open),
		History:   NewHistory(calls.open),
		Servers:   NewServers(home, calls.open),
		Hosts:     NewHosts(home),
		Secrets:   NewSecrets(home),
		Rules:     NewRules(home, calls.open),
		Settings:  NewSettings(home, calls.open),
	}
}

// Bind lists the services whose exported methods the frontend calls.
func (b *Backend) Bind() []any {
	return []any{b.Calls, b.Approvals, b.History, b.Servers, b.Hosts, b.Secrets, b.Rules, b.Settings}
}

// Start announces the window to the proxies and watches the database,
// telling ui about every change until ctx ends or Shutdown.
func (b *Backend) Start(ctx context.Context, ui UI) {
	b.alive = startPresence(ctx, b.Calls.open, launch.Every)
	b.Settings.startRetention(ctx, PruneEvery)
	b.Approvals.start(ctx, uiScreen{ui})
	b.Calls.start(ctx, func(calls bool) {
		ui.Emit(EventDataChanged)
		if calls {
			ui.Emit(EventCallsChanged)
		}
		b.Approvals.check(ctx)
	})
}

// Shutdown stops the watchers and closes the database.
func (b *Backend) Shutdown() {
	b.alive.shutdown() // before the database closes
	b.Approvals.shutdown()
	b.Settings.shutdown() // a prune batch ends before the database closes
	b.Calls.shutdown()
}

// uiScreen adapts a UI to what Approvals tells its screen.
type uiScreen struct{ ui UI }

func (s uiScreen) pendingChanged()               { s.ui.Emit(EventPendingChanged) }
func (s uiScreen) arrived(fresh []store.Request) { s.ui.Arrived(fresh) }
