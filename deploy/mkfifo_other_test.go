//go:build !unix

package deploy

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
