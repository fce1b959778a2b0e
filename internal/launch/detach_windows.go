//go:build windows

package launch

import "syscall"

// detachedProcess is DETACHED_PROCESS: no console shared with the proxy.
const detachedProcess = 0x00000008

// detached gives the app its own process group and no console.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP | detachedProcess}
}
