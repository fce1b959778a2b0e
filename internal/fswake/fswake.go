// Package fswake tells a watcher at once when a file in a folder is written,
// so it need not wait for its next poll to notice.
//
// It only wakes: a wake says "look now", not what changed, and wakes
// coalesce. Watchers keep polling, since a wake can come a moment before
// the change is visible (SQLite writes a commit to its WAL file before it
// publishes it) and some systems and file systems give none (Watch
// returns ErrUnsupported there, and nothing wakes on a network mount).
package fswake

import (
	"context"
	"errors"
)

// ErrUnsupported is Watch's error where the system has no file watch.
var ErrUnsupported = errors.New("fswake: file watching is not supported here")

// Watch returns a channel that receives when any of names (base names) in
// dir is created or written, until ctx ends. Wakes coalesce: a watcher
// behind by several writes receives one. On error (no such folder, no
// watch available) the channel is nil, which never receives.
func Watch(ctx context.Context, dir string, names ...string) (<-chan struct{}, error) {
	return watch(ctx, dir, names)
}
