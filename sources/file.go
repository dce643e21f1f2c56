package sources

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// The limits of what Strata reads. No real settings file comes near them;
// a file beyond one is refused with a *FileError naming the file and the
// limit, before it can cost more than a moment or a few megabytes.
const (
	MaxFileSize  = 4 << 20 // bytes in one settings file
	MaxDepth     = 32      // keys in one TOML key path, and arrays or inline tables in one another
	MaxKeys      = 10000   // keys in one file (.env bindings, TOML keys and tables)
	MaxTableKeys = 2000    // keys directly in one TOML table
	MaxValueLen  = 1 << 20 // bytes in one value, after ${VAR} expansion in .env
	maxExpanded  = 16 << 20
)

// FileError is a settings file Strata refuses to read: a FIFO or a device
// rather than a regular file, or beyond one of the limits above. Unlike a syntax error it
// is never skipped over.
type FileError struct {
	Pos Position
	Msg string
	Err error // the cause, when there is one
}

// Error renders the problem as "position: message".
func (e *FileError) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

func limitError(pos Position, format string, args ...any) *FileError {
	return &FileError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// ReadFile reads the settings file at path, as every source, the linter
// and the profiles editor do. Only a regular file is read (a symbolic link
// is followed to one), and at most MaxFileSize bytes of it: a FIFO or a
// device such as /dev/zero is refused with a *FileError, without waiting on
// it or reading it. A missing file is an error satisfying
// errors.Is(err, fs.ErrNotExist); a directory, or a file the system will
// not let us read, is a *ReadError.
func ReadFile(path string) ([]byte, error) {
	return readRegular(path, MaxFileSize, ": no settings file needs that much")
}

// ReadFileMax is ReadFile with another size limit, for the other files of
// a project Strata reads (lock files, requirements): regular files only,
// never waiting on a FIFO.
func ReadFileMax(path string, max int64) ([]byte, error) {
	return readRegular(path, max, "")
}

// readLimited is the end of readRegular, once the file is open: its
// size per the system is size, and read reads it.
func readLimited(path string, read io.Reader, size, max int64, why string) ([]byte, error) {
	if size > max {
		return nil, limitError(Position{File: path}, "%s%s", tooLargeMsg(max), why)
	}
	data, err := readAll(io.LimitReader(read, max+1), size)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	if int64(len(data)) > max {
		return nil, limitError(Position{File: path}, "%s%s", tooLargeMsg(max), why)
	}
	return data, nil
}

// readAll is io.ReadAll into a buffer sized for a file of size bytes, as
// os.ReadFile does: one allocation for a file that does not grow while it
// is read, and no spare capacity kept alive by the caches of parsed files.
// A read asked for more than the file's size that gives exactly that
// size is the whole file, as a regular file's reads end only at its end:
// no further call is made to see the end.
func readAll(r io.Reader, size int64) ([]byte, error) {
	n := size + 1 // +1: the read that sees EOF
	if size <= 0 {
		n = 512 // no size known: a special file's first read
	}
	data := make([]byte, 0, n)
	for {
		want := cap(data) - len(data)
		got, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+got]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if size > 0 && int64(len(data)) == size && 0 < got && got < want {
			return data, nil
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// OpenRegular opens path for reading if it is a regular file (after
// following symbolic links), without blocking on a FIFO; errors are as
// ReadFile's.
func OpenRegular(path string) (*os.File, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, openError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &ReadError{File: path, Err: err}
	}
	if err := checkRegular(path, st.Mode()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openError is the error of opening path for reading: err itself for a
// missing file, else a *ReadError.
func openError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return &ReadError{File: path, Err: err}
}

// checkRegular refuses a file of mode m at path that is not a regular
// file: a directory is a *ReadError, anything else a *FileError.
func checkRegular(path string, m fs.FileMode) error {
	switch {
	case m.IsDir():
		return &ReadError{File: path, Err: syscall.EISDIR}
	case !m.IsRegular():
		return &FileError{Pos: Position{File: path}, Msg: fmt.Sprintf("not a regular file (%s): settings are read only from regular files", modeName(m))}
	}
	return nil
}

// absent reports whether err, from ReadFile, means the layer has no file:
// none exists, or a directory stands at its path. Prefect reads .env,
// prefect.toml and pyproject.toml only when Path.is_file() holds, so a
// directory there (a virtualenv named .env) sets nothing and is no error.
func absent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.EISDIR)
}

func tooLargeMsg(max int64) string { return fmt.Sprintf("file larger than %d MiB", max>>20) }

func tooLarge(path string) *FileError {
	return limitError(Position{File: path}, "%s: no settings file needs that much", tooLargeMsg(MaxFileSize))
}

func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}
