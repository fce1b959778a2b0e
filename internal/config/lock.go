package config

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// LockFile takes an exclusive lock on the file at path (created 0600 if
// missing), waiting for other holders, and returns its release. It is
// flock(2) on unix and LockFileEx on Windows, so the window and the CLI
// serialise their edits on every OS. Each call opens its own handle, so
// two goroutines of one process exclude each other too. The file stays
// behind, empty: removing it would let a waiter lock a file no one else
// can see.
func LockFile(path string) (unlock func(), err error) {
	l := flock.New(path, flock.SetPermissions(0o600))
	err = l.Lock()
	for errors.Is(err, syscall.EINTR) { // a signal arrived while waiting
		err = l.Lock()
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { l.Unlock() }, nil
}

// ErrLockBusy says another holder kept a lock for the whole of LockFileWithin's wait.
var ErrLockBusy = errors.New("another Airlock run is editing it")

// LockFileWithin is LockFile waiting at most wait, for callers that must
// not hang (the window): a terminal `airlock install` may hold a lock while
// it waits for its user to answer a question. The error wraps ErrLockBusy.
func LockFileWithin(path string, wait time.Duration) (unlock func(), err error) {
	l := flock.New(path, flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 50*time.Millisecond)
	switch {
	case ok:
		return func() { l.Unlock() }, nil
	case err == nil || errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("lock %s: %w (waited %s)", path, ErrLockBusy, wait)
	default:
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
}
