package config

import (
	"errors"
	"fmt"
	"syscall"

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
