package e2e

import "os"

// killPID sends SIGKILL (TerminateProcess on Windows) to pid: the tests'
// way to crash an upstream or a proxy whose *exec.Cmd they do not hold.
func killPID(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
