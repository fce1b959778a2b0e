//go:build unix

package e2e

import "syscall"

// signalZero reports whether pid exists and may be signalled.
func signalZero(pid int) bool { return syscall.Kill(pid, 0) == nil }
