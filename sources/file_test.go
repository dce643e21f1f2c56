package sources

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// special makes, in dir, a file named name that is not a regular file.
func special(t *testing.T, dir, name, kind string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	var err error
	switch kind {
	case "fifo":
		err = mkfifo(p)
	case "dev/zero":
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip("no /dev/zero")
		}
		err = os.Symlink("/dev/zero", p)
	case "directory":
		err = os.Mkdir(p, 0o755)
	case "too large":
		err = os.WriteFile(p, []byte("# "+strings.Repeat("x", MaxFileSize)+"\n"), 0o644)
	}
	if err != nil {
		t.Skipf("cannot make a %s: %v", kind, err)
	}
	return p
}

// TestReadFileRefusesSpecialFiles: settings are read only from regular
// files of a sane size. A FIFO would block the read forever, /dev/zero
// would fill memory; both are refused (*FileError) before any read. A
// directory profiles file cannot be read (*ReadError); a directory .env,
// prefect.toml or pyproject.toml is no file at all, as for Prefect, which
// reads them only when Path.is_file() holds.
func TestReadFileRefusesSpecialFiles(t *testing.T) {
	tests := []struct{ kind, want string }{
		{"fifo", "not a regular file (a FIFO): settings are read only from regular files"},
		{"dev/zero", "not a regular file (a character device): settings are read only from regular files"},
		{"directory", "cannot be read: is a directory"},
		{"too large", "file larger than 4 MiB: no settings file needs that much"},
	}
	readers := []struct {
		name      string
		dirAbsent bool
		read      func(path string) error
	}{
		{".env", true, func(p string) error { _, err := ReadDotEnv(p, nil); return err }},
		{"prefect.toml", true, func(p string) error { _, err := ReadPrefectTOML(p); return err }},
		{"pyproject.toml", true, func(p string) error { _, err := ReadPyproject(p); return err }},
		{"profiles.toml", false, func(p string) error {
			l, _ := ReadProfiles(&ProfileInput{Environ: map[string]string{"PREFECT_PROFILES_PATH": p}})
			if len(l.Warnings) == 0 {
				return nil
			}
			return l.Warnings[0]
		}},
	}
	for _, tt := range tests {
		for _, r := range readers {
			t.Run(tt.kind+"/"+r.name, func(t *testing.T) {
				p := special(t, t.TempDir(), r.name, tt.kind)
				err := r.read(p)
				if tt.kind == "directory" && r.dirAbsent {
					if err != nil {
						t.Errorf("got %v; want no error: a directory sets nothing", err)
					}
					return
				}
				var fe *FileError
				var re *ReadError
				if !errors.As(err, &fe) && !errors.As(err, &re) || err.Error() != p+": "+tt.want {
					t.Errorf("got %v (%T)\nwant %s: %s", err, err, p, tt.want)
				}
			})
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v; want fs.ErrNotExist", err)
	}
	p := writeFile(t, dir, "a.toml", "a = 1\n")
	link := filepath.Join(dir, "link.toml")
	if err := os.Symlink(p, link); err != nil {
		t.Skip(err)
	}
	if data, err := ReadFile(link); err != nil || string(data) != "a = 1\n" {
		t.Errorf("symlink to a regular file: %q, %v", data, err)
	}
}

// TestOpenRegularAgreesWithReadFile: OpenRegular, for the readers of other
// files of a project, refuses what ReadFile refuses, with the same error,
// and reads what it reads.
func TestOpenRegularAgreesWithReadFile(t *testing.T) {
	for _, kind := range []string{"fifo", "dev/zero", "directory", "missing", "regular"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			var p string
			switch kind {
			case "missing":
				p = filepath.Join(dir, "nope")
			case "regular":
				p = writeFile(t, dir, "a.toml", "a = 1\n")
			default:
				p = special(t, dir, "f", kind)
			}
			data, rerr := ReadFileMax(p, 1<<10)
			f, oerr := OpenRegular(p)
			if oerr == nil {
				defer f.Close()
			}
			if fmt.Sprint(rerr) != fmt.Sprint(oerr) || fmt.Sprintf("%T", rerr) != fmt.Sprintf("%T", oerr) {
				t.Fatalf("ReadFileMax: %v (%T)\nOpenRegular: %v (%T)", rerr, rerr, oerr, oerr)
			}
			if kind == "missing" && !errors.Is(rerr, fs.ErrNotExist) {
				t.Errorf("missing file: %v; want fs.ErrNotExist", rerr)
			}
			if oerr == nil {
				got, err := io.ReadAll(f)
				if err != nil || string(got) != string(data) {
					t.Errorf("OpenRegular read %q, %v; ReadFileMax %q", got, err, data)
				}
			}
		})
	}
}

// TestReadFileMax: the limit is the caller's, and a file at it is read.
func TestReadFileMax(t *testing.T) {
	p := writeFile(t, t.TempDir(), "uv.lock", strings.Repeat("x", 100))
	if data, err := ReadFileMax(p, 100); err != nil || len(data) != 100 {
		t.Errorf("file at the limit: %d bytes, %v", len(data), err)
	}
	var fe *FileError
	if _, err := ReadFileMax(p, 99); !errors.As(err, &fe) {
		t.Errorf("file over the limit: %v; want a *FileError", err)
	}
}

// LocateProfiles asks Exists, when given, whether the default profiles
// file exists, and the system otherwise.
func TestLocateProfilesExists(t *testing.T) {
	home := t.TempDir()
	want := filepath.Join(home, ".prefect", "profiles.toml")
	var asked []string
	in := &ProfileInput{Home: home, Exists: func(p string) bool { asked = append(asked, p); return true }}
	if loc := LocateProfiles(in); loc.Packaged || loc.Path != want || len(asked) != 1 || asked[0] != want {
		t.Errorf("with Exists: %+v, asked %q", loc, asked)
	}
	if loc := LocateProfiles(&ProfileInput{Home: home}); !loc.Packaged {
		t.Errorf("without Exists, no file: %+v", loc)
	}
}

// readAll stops at a read that gives exactly the file's size, asked for
// more, and otherwise reads to the end: a file that grew since its size
// was taken is read whole.
func TestReadAllSize(t *testing.T) {
	for _, tt := range []struct {
		content string
		size    int64
		reads   int // calls to Read
	}{
		{"abc", 3, 1},
		{"abcdef", 3, 3}, // grew: abcd, ef, EOF
		{"ab", 3, 2},     // shrank: ab, EOF
		{"", 0, 1},       // EOF
		{"abc", 0, 2},    // no size known
	} {
		r := &countingReader{r: strings.NewReader(tt.content)}
		got, err := readAll(r, tt.size)
		if err != nil || string(got) != tt.content || r.reads != tt.reads {
			t.Errorf("readAll(%q, %d) = %q, %v after %d reads, want %d reads", tt.content, tt.size, got, err, r.reads, tt.reads)
		}
	}
}

type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(b []byte) (int, error) {
	c.reads++
	return c.r.Read(b)
}
