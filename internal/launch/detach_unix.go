//go:build unix

package launch

import "syscall"

// detached puts the app in a new session, away from the proxy's process
// group and terminal.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
