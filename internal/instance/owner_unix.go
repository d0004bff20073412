//go:build unix

package instance

import (
	"io/fs"
	"syscall"
)

// fileOwner is the uid that owns a file, where the OS keeps one.
func fileOwner(info fs.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
