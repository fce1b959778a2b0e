//go:build unix

package config

import (
	"io/fs"
	"syscall"
)

// fileID is the file's inode: a file replaced by rename (Airlock's own
// writes, most editors' saves) is a new one even when its size and
// modification time read the same.
func fileID(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
