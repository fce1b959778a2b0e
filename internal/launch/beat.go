package launch

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// firstLook is how often Beat checks for the database until it exists.
const firstLook = 250 * time.Millisecond

// Beat announces the running desktop app every interval until ctx ends,
// then withdraws the announcement so proxies know at once that no window
// will ask. open returns the store, or nil while there is no database yet
// (the app may start before any proxy has created it).
//
// Each beat also expires requests past their TTL: while a window runs, the
// calls nobody answered are recorded as denied even when no proxy is left.
func Beat(ctx context.Context, open func() (*store.Store, error), interval time.Duration) {
	pid, started := os.Getpid(), time.Now()
	t := time.NewTicker(interval)
	defer t.Stop()
	display := DisplayEnv(os.Getenv)
	var last *store.Store
	failing := false
	for {
		st, err := open()
		if err == nil && st != nil {
			if last == nil && len(display) > 0 {
				// Once per run: where a proxy without a display of its
				// own starts the window next time.
				if err := st.RecordDisplay(ctx, display); err != nil {
					slog.Warn("record the display", "err", err)
				}
			}
			last = st
			err = st.Heartbeat(ctx, pid, started)
			if err == nil {
				err = st.ExpireRequests(ctx)
			}
		}
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			slog.Warn("app heartbeat", "err", err) // once per outage
			failing = true
		case err == nil:
			failing = false
		}
		if last == nil {
			// No database yet: look again soon, so the first proxy to
			// create it sees this window before it asks.
			t.Reset(min(interval, firstLook))
		} else {
			t.Reset(interval)
		}
		select {
		case <-ctx.Done():
			if last != nil {
				if err := last.AppStopped(context.WithoutCancel(ctx), pid, started); err != nil {
					slog.Warn("app heartbeat", "err", err)
				}
			}
			return
		case <-t.C:
		}
	}
}
