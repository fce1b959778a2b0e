// Package servers is the Servers & tools view: proxies report their
// upstreams' lifecycle into the shared database (Reporter), and the window
// assembles each configured server's status, tools, tiers, consents and
// pins from it (List).
package servers

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

const (
	// Every is how often a proxy refreshes its rows' heartbeat.
	Every = 10 * time.Second
	// Fresh is how recent a heartbeat must be for a proxy's rows to count:
	// a couple of missed beats (a busy machine) do not make it look gone.
	Fresh = 3 * Every
)

// Reporter writes one proxy's upstream statuses to the database, off the
// supervisors' goroutines: Report only records the latest state, and a
// background loop writes what changed, batched, plus a heartbeat every
// Every. A slow or busy database never holds up an upstream's restart.
type Reporter struct {
	st   *store.Store
	log  *slog.Logger
	self store.Proxy

	mu    sync.Mutex
	last  map[string]store.UpstreamStatus // by server: what was reported
	dirty map[string]bool                 // servers whose last report is not written yet

	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// StartReporter starts reporting for this process. Stop ends it.
func StartReporter(ctx context.Context, st *store.Store, log *slog.Logger, every time.Duration) *Reporter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Reporter{
		st: st, log: log,
		self:   store.Proxy{PID: os.Getpid(), Started: time.Now()},
		last:   map[string]store.UpstreamStatus{},
		dirty:  map[string]bool{},
		wake:   make(chan struct{}, 1),
		cancel: cancel, done: make(chan struct{}),
	}
	go r.loop(ctx, every)
	return r
}

// Report records server's current state and the tools it offered at its
// last listing (nil while it has not listed them). It never blocks on the
// database.
func (r *Reporter) Report(server, state, detail string, pid, tools int, offered []string) {
	if offered != nil {
		offered = slices.Clone(offered)
		slices.Sort(offered)
	}
	r.mu.Lock()
	prev, seen := r.last[server]
	now := time.Now()
	since := now
	if seen && prev.State == state {
		since = prev.Since // the same state, e.g. a new error while failing
	}
	var offeredSince time.Time
	switch {
	case offered == nil:
	case seen && prev.Offered != nil && slices.Equal(prev.Offered, offered):
		offeredSince = prev.OfferedSince // the same list, listed again
	default:
		offeredSince = now
	}
	r.last[server] = store.UpstreamStatus{Server: server, State: state, Detail: detail, PID: pid, Tools: tools, Since: since,
		Offered: offered, OfferedSince: offeredSince}
	r.dirty[server] = true
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Reporter) loop(ctx context.Context, every time.Duration) {
	defer close(r.done)
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-t.C:
		}
		if err := r.flush(ctx); err != nil && ctx.Err() == nil {
			// Log once per outage; the next beat retries.
			if !failing {
				r.log.Warn("report upstream status", "err", err)
			}
			failing = true
		} else {
			failing = false
		}
	}
}

// flush writes the unwritten reports and refreshes the heartbeat.
func (r *Reporter) flush(ctx context.Context) error {
	r.mu.Lock()
	changed := make([]store.UpstreamStatus, 0, len(r.dirty))
	for server := range r.dirty {
		changed = append(changed, r.last[server])
	}
	clear(r.dirty)
	r.mu.Unlock()
	err := r.st.BeatUpstreams(ctx, r.self, changed)
	if err != nil {
		r.mu.Lock()
		for _, u := range changed {
			r.dirty[u.Server] = true // last[] holds the newest; write that one next time
		}
		r.mu.Unlock()
	}
	return err
}

// Stop ends the reporting and removes this proxy's rows: its upstreams no
// longer run. Call it after the proxy's upstreams have stopped and before
// the store closes.
func (r *Reporter) Stop() {
	r.cancel()
	<-r.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.st.ProxyStopped(ctx, r.self); err != nil {
		r.log.Warn("withdraw upstream status", "err", err)
	}
}
