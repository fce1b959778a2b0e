// Package fswake tells a watcher at once when a file in a folder is written,
// so it need not wait for its next poll to notice.
//
// It only wakes: a wake says "look now", not what changed, and wakes
// coalesce. Watchers keep polling, since a wake can come a moment before
// the change is visible (SQLite writes a commit to its WAL file before it
// publishes it) and some systems and file systems give none (nothing wakes
// on a network mount). The watch itself is fsnotify's: inotify on Linux,
// kqueue on macOS and the BSDs, ReadDirectoryChangesW on Windows.
package fswake

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/fsnotify/fsnotify"
)

// ErrUnsupported is Watch's error where the system has no file watch, or
// none to spare.
var ErrUnsupported = errors.New("fswake: file watching is not supported here")

// Watch returns a channel that receives when any of names (base names) in
// dir is created or written, until ctx ends. Wakes coalesce: a watcher
// behind by several writes receives one. On error (no such folder, no
// watch available) the channel is nil, which never receives.
func Watch(ctx context.Context, dir string, names ...string) (<-chan struct{}, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		// No watch on this system, or none left (inotify's per-user limit):
		// either way the watcher polls.
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if err := w.Add(dir); err != nil {
		w.Close()
		return nil, fmt.Errorf("fswake: watch %s: %w", dir, err)
	}
	wake := make(chan struct{}, 1)
	stop := context.AfterFunc(ctx, func() { w.Close() })
	go func() {
		defer stop()
		defer w.Close()
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return // closed: ctx ended
				}
				// Write: a commit. Create (a rename in counts too): the
				// file (re)appears, as SQLite's WAL file does after the
				// last connection removed it.
				if ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) {
					if slices.Contains(names, filepath.Base(ev.Name)) {
						select {
						case wake <- struct{}{}:
						default: // a wake is already waiting
						}
					}
				}
			case _, ok := <-w.Errors:
				// An overflow or a read error: wake, since a write may
				// have been lost; the watcher's poll looks anyway.
				if !ok {
					return
				}
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}
	}()
	return wake, nil
}
