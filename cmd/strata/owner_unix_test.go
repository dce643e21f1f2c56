//go:build unix

package main

import (
	"fmt"
	"io/fs"
	"syscall"
)

// fileOwner returns "UID:GID" of a file.
func fileOwner(st fs.FileInfo) string {
	s := st.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("%d:%d", s.Uid, s.Gid)
}
