//go:build unix

package launch

import (
	"os"
	"syscall"
)

// ownedByUser reports whether path exists, is a folder when dir is true (a
// file or socket otherwise, not a symlink), and belongs to this user.
func ownedByUser(path string, dir bool) bool {
	fi, err := os.Lstat(path)
	if err != nil || fi.IsDir() != dir || fi.Mode()&os.ModeSymlink != 0 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
