//go:build !linux

package proxy

import "os/exec"

func setChildAttrs(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Kill()
}
