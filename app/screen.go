package app

import (
	"context"
	"time"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// onTopFor is how long a raised window stays above the others: long enough
// for window managers that ignore a plain show to put it in front, short
// enough not to cover what the user turns to next.
const onTopFor = 700 * time.Millisecond

// windowScreen tells the frontend about queue changes and brings the window
// forward for new requests.
type windowScreen struct{ w *window }

func (s windowScreen) pendingChanged() {
	if ctx := s.w.context(); ctx != nil {
		wailsruntime.EventsEmit(ctx, EventPendingChanged)
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
