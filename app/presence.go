package app

import (
	"context"
	"time"

	"github.com/airlock-dev/airlock/internal/launch"
	"github.com/airlock-dev/airlock/internal/store"
)

// presence tells the proxies that a window is running, so a call that needs
// a person does not start a second one (internal/launch has the protocol).
type presence struct {
	stop context.CancelFunc
	done chan struct{}
}

// startPresence beats every interval until shutdown. open is Calls.open:
// nil until the database exists.
func startPresence(ctx context.Context, open func() (*store.Store, error), interval time.Duration) *presence {
	ctx, stop := context.WithCancel(ctx)
	p := &presence{stop: stop, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		launch.Beat(ctx, open, interval)
	}()
	return p
}

// shutdown withdraws the heartbeat; it returns once that is written, so the
// database can be closed after.
func (p *presence) shutdown() {
	if p == nil {
		return
	}
	p.stop()
	<-p.done
}
