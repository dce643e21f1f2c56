//go:build !unix

package main

import "io/fs"

// fileOwner returns "UID:GID" of a file; there is none here.
func fileOwner(fs.FileInfo) string { return "" }
