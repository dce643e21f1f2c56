//go:build !unix

package sources

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
