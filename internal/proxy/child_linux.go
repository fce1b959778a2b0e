package proxy

import (
	"os/exec"
	"syscall"
)

// setChildAttrs puts the child in its own process group, so the whole group
// can be stopped, and asks the kernel to kill it if the proxy dies without
// cleaning up: the host killing the proxy must not leave orphans.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills what is left of the child's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
