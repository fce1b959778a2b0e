package fswake

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"slices"

	"golang.org/x/sys/unix"
)

// watch uses inotify on dir. The descriptor is non-blocking, so os.File
// reads it through the runtime's poller and closing it ends the read.
func watch(ctx context.Context, dir string, names []string) (<-chan struct{}, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("fswake: inotify: %w", err)
	}
	// IN_MODIFY: a write; IN_CREATE, IN_MOVED_TO: the file (re)appears,
	// as SQLite's WAL file does after the last connection removed it.
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_MODIFY|unix.IN_CREATE|unix.IN_MOVED_TO); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("fswake: watch %s: %w", dir, err)
	}
	f := os.NewFile(uintptr(fd), "inotify")
	wake := make(chan struct{}, 1)
	stop := context.AfterFunc(ctx, func() { f.Close() })
	go func() {
		defer stop()
		defer f.Close()
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return // closed: ctx ended
			}
			if anyNamed(buf[:n], names) {
				select {
				case wake <- struct{}{}:
				default: // a wake is already waiting
				}
			}
		}
	}()
	return wake, nil
}

// anyNamed reports whether one of the inotify events in buf names one of
// names. An event is struct inotify_event: wd, mask, cookie, len (uint32
// each, native order) and len bytes of NUL-padded name.
func anyNamed(buf []byte, names []string) bool {
	const header = unix.SizeofInotifyEvent
	for len(buf) >= header {
		size := int(binary.NativeEndian.Uint32(buf[12:16]))
		if header+size > len(buf) {
			return false
		}
		name := string(bytes.TrimRight(buf[header:header+size], "\x00"))
		if slices.Contains(names, name) {
			return true
		}
		buf = buf[header+size:]
	}
	return false
}
