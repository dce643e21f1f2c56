//go:build unix

package profiles

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// owner returns the owner and group of the file at path.
func owner(t *testing.T, path string) (uid, gid uint32, mode fs.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s := st.Sys().(*syscall.Stat_t)
	return s.Uid, s.Gid, st.Mode().Perm()
}

// TestEditKeepsOwner is a write by root (or anyone allowed to change
// owners) on a file owned by someone else: the file and its lock keep the
// owner, the group and the mode.
func TestEditKeepsOwner(t *testing.T) {
	const uid, gid = 12345, 12345
	probe := filepath.Join(t.TempDir(), "probe")
	os.WriteFile(probe, nil, 0o600)
	if err := os.Chown(probe, uid, gid); err != nil {
		t.Skipf("this test must be able to change owners (run it as root): %v", err)
	}
	for _, tt := range []struct {
		name      string
		staleLock bool // a lock a write as root created before, owned by root
	}{{"new lock", false}, {"lock owned by root", true}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "profiles.toml")
			if err := os.WriteFile(path, []byte("[profiles.a]\n"), 0o640); err != nil {
				t.Fatal(err)
			}
			os.Chmod(path, 0o640)
			if err := os.Chown(path, uid, gid); err != nil {
				t.Fatal(err)
			}
			if tt.staleLock {
				os.WriteFile(path+".lock", nil, 0o600)
			}
			if _, err := Edit(path, func(d *Doc) error { return d.Set("a", "K", Quote("secret")) }); err != nil {
				t.Fatal(err)
			}
			if u, g, m := owner(t, path); u != uid || g != gid || m != 0o640 {
				t.Errorf("file: %d:%d %v, want %d:%d -rw-r-----", u, g, m, uid, gid)
			}
			if u, g, _ := owner(t, path+".lock"); u != uid || g != gid {
				t.Errorf("lock: %d:%d, want %d:%d", u, g, uid, gid)
			}
			if _, _, m := owner(t, path+".lock"); !tt.staleLock && m != 0o640 {
				t.Errorf("new lock mode %v, want the file's -rw-r-----", m)
			}
		})
	}
}

// TestNewFileTakesDirectoryOwner: root creating a profiles file (and the
// directories to it) in a user's directory gives them to that user.
func TestNewFileTakesDirectoryOwner(t *testing.T) {
	const uid, gid = 12345, 12345
	home := t.TempDir()
	if err := os.Chown(home, uid, gid); err != nil || os.Geteuid() != 0 {
		t.Skipf("this test must run as root: %v", err)
	}
	path := filepath.Join(home, ".prefect", "profiles.toml")
	if _, err := Edit(path, func(d *Doc) error { return d.Set("a", "K", Quote("secret")) }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Dir(path), path, path + ".lock"} {
		if u, g, _ := owner(t, p); u != uid || g != gid {
			t.Errorf("%s: %d:%d, want %d:%d", p, u, g, uid, gid)
		}
	}
	if _, _, m := owner(t, path); m != 0o600 {
		t.Errorf("new file mode %v, want -rw-------", m)
	}
	if _, _, m := owner(t, filepath.Dir(path)); m != 0o700 {
		t.Errorf("new directory mode %v, want drwx------", m)
	}
}

// TestCrashBeforeRename kills a writer between writing its temporary file
// and the rename: the file left behind is private whatever the profiles
// file's mode, the profiles file is untouched, and the next write removes
// the leftover (and only files named as ours).
func TestCrashBeforeRename(t *testing.T) {
	if p := os.Getenv("STRATA_TEST_CRASH_WRITE"); p != "" {
		beforeRename = func(string) { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
		Edit(p, func(d *Doc) error { return d.Set("a", "PREFECT_API_KEY", Quote("pnu_crash")) })
		t.Fatal("the writer survived")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "profiles.toml")
	const before = "[profiles.a]\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashBeforeRename$")
	cmd.Env = append(os.Environ(), "STRATA_TEST_CRASH_WRITE="+path)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(path); string(b) != before {
		t.Errorf("profiles file changed by the crashed write: %q", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".profiles.toml.*.tmp"))
	if len(leftovers) != 1 {
		t.Fatalf("leftovers: %v", leftovers)
	}
	if _, _, m := owner(t, leftovers[0]); m != 0o600 {
		t.Errorf("leftover temporary file has mode %v, want -rw-------", m)
	}
	if b, _ := os.ReadFile(leftovers[0]); !strings.Contains(string(b), "pnu_crash") {
		t.Errorf("leftover = %q", b)
	}

	// Files that are not ours stay.
	keep := []string{".profiles.toml.backup.tmp", ".other.toml.123.tmp", "profiles.toml.123.tmp", ".profiles.toml.123.tmp.bak"}
	for _, k := range keep {
		os.WriteFile(filepath.Join(dir, k), nil, 0o600)
	}
	os.Mkdir(filepath.Join(dir, ".profiles.toml.77.tmp"), 0o700) // not a regular file
	keep = append(keep, ".profiles.toml.77.tmp")
	if _, err := Edit(path, func(d *Doc) error { return d.Set("a", "K", "1") }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftovers[0]); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the next write left %s: %v", leftovers[0], err)
	}
	for _, k := range keep {
		if _, err := os.Lstat(filepath.Join(dir, k)); err != nil {
			t.Errorf("%s was removed: %v", k, err)
		}
	}
	if _, _, m := owner(t, path); m != 0o644 {
		t.Errorf("profiles file mode %v, want -rw-r--r-- kept", m)
	}
}

func TestTempName(t *testing.T) {
	tests := []struct {
		name string
		ours bool
	}{
		{".profiles.toml.123.tmp", true},
		{".profiles.toml.4294967295.tmp", true},
		{".profiles.toml..tmp", false},
		{".profiles.toml.12a.tmp", false},
		{".profiles.toml.12.tmp~", false},
		{"profiles.toml.12.tmp", false},
		{".x.toml.12.tmp", false},
	}
	for _, tt := range tests {
		if got := isTemp("/d/profiles.toml", tt.name); got != tt.ours {
			t.Errorf("isTemp(%q) = %v, want %v", tt.name, got, tt.ours)
		}
	}
}

// TestLockNotFollowed: a lock path that is a symbolic link, or not a
// regular file, is refused; the link's target is not created.
func TestLockNotFollowed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "profiles.toml")
	os.WriteFile(path, []byte("[profiles.a]\n"), 0o600)
	target := filepath.Join(dir, "elsewhere")
	if err := os.Symlink(target, path+".lock"); err != nil {
		t.Skip(err)
	}
	_, err := Edit(path, func(d *Doc) error { return d.Set("a", "K", "1") })
	want := path + ".lock: is a symbolic link, which Strata does not follow; remove it"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
	os.Remove(path + ".lock")
	os.Mkdir(path+".lock", 0o700)
	_, err = Edit(path, func(d *Doc) error { return d.Set("a", "K", "1") })
	want = path + ".lock: is not a regular file; remove it"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "[profiles.a]\n" {
		t.Errorf("the file was written: %q", b)
	}
}

// TestLockWaiting: a writer that finds the lock taken says so once the
// notice delay has passed (the clock is the test's), and then goes on.
func TestLockWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	hold, err := (&Editor{}).lock(path+".lock", target{perm: 0o600})
	if err != nil {
		t.Fatal(err)
	}
	fire := make(chan time.Time)
	started := make(chan time.Duration, 1)
	told := make(chan string, 2)
	e := &Editor{
		Waiting: func(lock string) { told <- lock },
		after: func(d time.Duration) (<-chan time.Time, func()) {
			started <- d
			return fire, func() {}
		},
	}
	done := make(chan error)
	go func() {
		_, err := e.Edit(path, func(d *Doc) error { return d.Set("a", "K", "1") })
		done <- err
	}()
	if d := <-started; d != time.Second {
		t.Errorf("notice after %v, want 1s", d)
	}
	fire <- time.Time{}
	if got := <-told; got != path+".lock" {
		t.Errorf("waiting for %q, want %q", got, path+".lock")
	}
	hold()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(told) != 0 {
		t.Error("told more than once")
	}

	// A lock nobody holds is taken without a word.
	e.after = func(time.Duration) (<-chan time.Time, func()) {
		t.Error("the clock started for a free lock")
		return nil, func() {}
	}
	if _, err := e.Edit(path, func(d *Doc) error { return d.Set("a", "L", "1") }); err != nil {
		t.Fatal(err)
	}
}

// TestLockReleasedWithoutNotice: a lock released before the notice delay
// says nothing.
func TestLockReleasedWithoutNotice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	hold, err := (&Editor{}).lock(path+".lock", target{perm: 0o600})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	e := &Editor{
		Waiting: func(string) { t.Error("told about a wait shorter than the notice") },
		after: func(time.Duration) (<-chan time.Time, func()) {
			close(started)
			return make(chan time.Time), func() {}
		},
	}
	done := make(chan error)
	go func() {
		_, err := e.Edit(path, func(d *Doc) error { return d.Set("a", "K", "1") })
		done <- err
	}()
	<-started
	hold()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestReadErrors: a profiles file that exists but cannot be read is said
// to be so, not to be invalid TOML.
func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	asDir := filepath.Join(dir, "profiles.toml")
	os.Mkdir(asDir, 0o700)
	want := asDir + ": cannot be read: is a directory"
	if _, err := Read(asDir); err == nil || err.Error() != want {
		t.Errorf("Read: %v, want %s", err, want)
	}
	if _, err := Edit(asDir, func(d *Doc) error { return d.Set("a", "K", "1") }); err == nil || err.Error() != want {
		t.Errorf("Edit: %v, want %s", err, want)
	}
	if _, err := os.Lstat(asDir + ".lock"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a lock was created beside a directory: %v", err)
	}

	// A link to a device is refused before a lock is created beside the
	// device.
	_, err := os.Lstat(os.DevNull + ".lock")
	existed := err == nil
	dev := filepath.Join(dir, "dev.toml")
	os.Symlink(os.DevNull, dev)
	want = dev + ": not a regular file (a character device): settings are read only from regular files; the file is a link to " + os.DevNull
	if _, err := Edit(dev, func(d *Doc) error { return d.Set("a", "K", "1") }); err == nil || err.Error() != want {
		t.Errorf("Edit: %v, want %s", err, want)
	}
	if _, err := os.Lstat(os.DevNull + ".lock"); !errors.Is(err, fs.ErrNotExist) && !existed {
		t.Errorf("a lock was created beside %s: %v", os.DevNull, err)
		os.Remove(os.DevNull + ".lock")
	}

	if os.Geteuid() == 0 {
		return // root reads every file
	}
	closed := filepath.Join(dir, "closed.toml")
	os.WriteFile(closed, []byte("[profiles.a]\n"), 0o000)
	want = closed + ": cannot be read: permission denied"
	if _, err := Read(closed); err == nil || err.Error() != want {
		t.Errorf("Read: %v, want %s", err, want)
	}
}

// TestEditThroughLinkNamesTheLink: every error of an edit through a
// symbolic link names the link, the file the user knows, and says where it
// points when the problem is that file's.
func TestEditThroughLinkNamesTheLink(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[profiles.a]\nK = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target string
		want   string
	}{
		{"/dev/zero", "LINK: not a regular file (a character device): settings are read only from regular files; the file is a link to /dev/zero"},
		{sub, "LINK: cannot be read: is a directory; the file is a link to " + sub},
		{bad, "LINK:2:5: "},
	} {
		link := filepath.Join(dir, "profiles-"+filepath.Base(tc.target)+".toml")
		if err := os.Symlink(tc.target, link); err != nil {
			t.Fatal(err)
		}
		_, err := Edit(link, func(d *Doc) error { return d.Set("a", "K", Quote("v")) })
		want := strings.ReplaceAll(tc.want, "LINK", link)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Edit through a link to %s: %v; want %q", tc.target, err, want)
		}
	}
}
