package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/airlock-dev/airlock/internal/store"
)

// onTopFor is how long a raised window stays above the others: long enough
// for window managers that ignore a plain show to put it in front, short
// enough not to cover what the user turns to next.
const onTopFor = 700 * time.Millisecond

// windowScreen tells the frontend about queue changes, and brings the
// window forward and sends an OS notification for new requests.
type windowScreen struct {
	w      *window
	notify bool // the OS notification service answered at startup
	// wanted reads the Settings screen's notifications switch; off, the
	// window still comes forward.
	wanted func() bool
}

// newWindowScreen connects to the OS notification service; without one
// (no session bus, no notification daemon) the window is still raised.
func newWindowScreen(ctx context.Context, w *window, wanted func() bool) windowScreen {
	if err := wailsruntime.InitializeNotifications(ctx); err != nil {
		slog.Info("desktop notifications unavailable", "err", err)
		return windowScreen{w: w, wanted: wanted}
	}
	// Clicking the notification brings the window forward.
	wailsruntime.OnNotificationResponse(ctx, func(wailsruntime.NotificationResult) { w.raise() })
	return windowScreen{w: w, notify: true, wanted: wanted}
}

// Arrived raises the window and sends a desktop notification.
func (s windowScreen) Arrived(fresh []store.Request) {
	s.raise()
	ctx := s.w.context()
	if !s.notify || ctx == nil || !s.wanted() {
		return
	}
	title, body := notification(fresh)
	last := fresh[len(fresh)-1]
	err := wailsruntime.SendNotification(ctx, wailsruntime.NotificationOptions{
		ID: fmt.Sprintf("airlock-request-%d", last.ID), Title: title, Body: body,
	})
	if err != nil {
		slog.Warn("send desktop notification", "err", err)
	}
}

// Emit sends event to the page.
func (s windowScreen) Emit(event string) {
	if ctx := s.w.context(); ctx != nil {
		wailsruntime.EventsEmit(ctx, event)
	}
}

// raise shows the window above the others for a moment: a request waits
// for a person, and the proxy gives up on it after approvalWait.
func (s windowScreen) raise() {
	ctx := s.w.context()
	if ctx == nil {
		return
	}
	wailsruntime.WindowUnminimise(ctx)
	wailsruntime.WindowShow(ctx)
	wailsruntime.WindowSetAlwaysOnTop(ctx, true)
	time.AfterFunc(onTopFor, func() { wailsruntime.WindowSetAlwaysOnTop(ctx, false) })
}

func (w *window) context() context.Context {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ctx
}
