//go:build unix

package servers

import (
	"errors"
	"syscall"
)

// processGone reports whether no process has this pid on this machine.
// Signal 0 checks without sending anything; EPERM means it exists but
// belongs to someone else.
func processGone(pid int) bool {
	if pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
