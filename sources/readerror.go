package sources

import (
	"errors"
	"io/fs"
)

// ReadError is a settings file that exists but cannot be read: a
// directory, a file without read permission. It is not a syntax problem,
// and it is reported as "file: cannot be read: reason".
type ReadError struct {
	File string
	Err  error
}

// Error renders the problem with the file's name.
func (e *ReadError) Error() string { return e.File + ": " + e.Reason() }

// Unwrap returns the system's error.
func (e *ReadError) Unwrap() error { return e.Err }

// Reason is the problem without the file's name: "cannot be read: is a
// directory".
func (e *ReadError) Reason() string { return "cannot be read: " + e.cause() }

// cause is the system's error without the path it repeats.
func (e *ReadError) cause() string {
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return pe.Err.Error()
	}
	return e.Err.Error()
}
