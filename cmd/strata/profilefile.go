package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/profiles"
	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// profilesFile is what the commands that read or change profiles work on:
// the file the settings are read from (one resolver: the profile commands
// never edit a file the settings do not come from) and the resolution.
type profilesFile struct {
	r     *settings.Result // the settings before the change (they may be invalid)
	path  string           // the file, absolute
	shown string           // the file as messages name it
}

// openProfiles finds the profiles file the settings are read from; when
// there is none, the one Prefect creates (~/.prefect/profiles.toml). It
// prints why it cannot, and returns nil, in test mode.
func (c *cli) openProfiles() *profilesFile {
	r, err := settings.Load(c.options())
	if r == nil {
		fmt.Fprintf(c.stderr, "strata: %v\n", err)
		return nil
	}
	if r.TestMode {
		fmt.Fprintf(c.stderr, "strata: profiles are not read in test mode (%s is set); unset it to use profiles\n", testModeVariable())
		return nil
	}
	path := r.ProfilesFile.Path
	if r.ProfilesFile.Packaged {
		home, err := homeDir()
		if err != nil {
			fmt.Fprintf(c.stderr, "strata: no profiles file, and no home directory to create one in: %v\n", err)
			return nil
		}
		path = pypath.Join(home, ".prefect/profiles.toml")
	}
	if !filepath.IsAbs(path) {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(c.stderr, "strata: %v\n", err)
			return nil
		}
		path = pypath.Join(wd, path)
	}
	return &profilesFile{r: r, path: path, shown: relative(path)}
}

func testModeVariable() string {
	for _, name := range sources.TestModeVariables() {
		if os.Getenv(name) != "" {
			return name
		}
	}
	return sources.TestModeVariables()[0]
}

func homeDir() (string, error) {
	if h := os.Getenv("HOME"); h != "" {
		return h, nil
	}
	return os.UserHomeDir()
}

// read parses the file as it is now; a missing file is empty. It prints the
// problem and returns nil when the file cannot be read.
func (c *cli) read(f *profilesFile) *profiles.Doc {
	doc, err := profiles.Read(f.path)
	if err != nil {
		c.fail(err)
		return nil
	}
	return doc
}

// edit applies change to the file under its lock, and prints the problem
// when it fails.
func (c *cli) edit(f *profilesFile, change func(*profiles.Doc) error) bool {
	e := &profiles.Editor{
		Waiting: func(lock string) {
			c.diag("note", "waiting for the lock on %s: another program is writing the profiles file", relative(lock))
		},
		WaitNotice: c.lockNotice,
	}
	c.pause("before the lock")
	_, err := e.Edit(f.path, func(doc *profiles.Doc) error {
		c.pause("under the lock")
		return change(doc)
	})
	if err != nil {
		c.fail(err)
		return false
	}
	c.noteElsewhere(f)
	return true
}

// fail prints an error, naming files relative to the working directory.
func (c *cli) fail(err error) {
	var (
		ce *cliError
		le *profiles.LockError
		ee *profiles.EditError
	)
	switch {
	case errors.As(err, &ce):
		for _, d := range ce.diags {
			c.render(d)
		}
		c.diag("error", "%s", ce.msg)
		for _, l := range ce.more {
			fmt.Fprintln(c.stderr, l)
		}
	case errors.As(err, &le):
		c.render(diag.Diagnostic{Pos: sources.Position{File: le.File}, Severity: diag.Error, Message: le.Msg})
	case errors.As(err, &ee):
		c.render(diag.Diagnostic{Pos: sources.Position{File: ee.File}, Severity: diag.Error, Message: ee.Msg})
	default:
		d, _ := diag.Of(err) // positioned, or the error's text alone
		c.render(d)
	}
}

// cliError is a refusal with its explanation: the diagnostics that caused
// it, a line, and more lines printed as they are.
type cliError struct {
	diags []diag.Diagnostic
	msg   string
	more  []string
}

func (e *cliError) Error() string { return e.msg }

func refuse(format string, args ...any) *cliError {
	return &cliError{msg: fmt.Sprintf(format, args...)}
}

// noteElsewhere says so when Prefect's own CLI would have written another
// file: it writes to the profiles_path setting, which can differ from the
// file its settings loader reads.
func (c *cli) noteElsewhere(f *profilesFile) {
	prefect := f.r.Settings.ProfilesPath
	if prefect == "" {
		return
	}
	if !filepath.IsAbs(prefect) {
		if wd, err := os.Getwd(); err == nil {
			prefect = pypath.Join(wd, prefect)
		}
	}
	if pypath.Clean(prefect) != pypath.Clean(f.path) {
		c.diag("note", "edited %s, the file the settings are read from; Prefect's CLI would have written %s instead", f.shown, relative(prefect))
	}
}

// confirm asks a yes/no question on a terminal; elsewhere the answer is yes,
// as the command was asked for in a script.
func (c *cli) confirm(question string, def bool) bool {
	if !c.interactive {
		return true
	}
	hint := " [y/N]: "
	if def {
		hint = " [Y/n]: "
	}
	fmt.Fprint(c.stderr, question+hint)
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	case "":
		return def
	}
	return false
}

// selection says what chose the profile in use and what it named: the
// --profile flag, PREFECT_PROFILE or the file's active key.
func (c *cli) selection(doc *profiles.Doc) (name, by string) {
	if c.profile != "" {
		return c.profile, "--profile"
	}
	if p := os.Getenv("PREFECT_PROFILE"); p != "" {
		return p, "PREFECT_PROFILE"
	}
	a, _ := doc.Active()
	return a, "the active key of the profiles file"
}

// packagedDoc is the profiles Prefect ships with, parsed once; callers
// only read it.
var packagedDoc = sync.OnceValue(func() *profiles.Doc {
	d, err := profiles.Parse(sources.PackagedProfiles, sources.PackagedProfilesTOML())
	if err != nil {
		panic(err) // embedded, and tested
	}
	return d
})

// openAndRead finds the profiles file and reads it; nil when it cannot,
// the problem printed.
func (c *cli) openAndRead() (*profilesFile, *profiles.Doc) {
	f := c.openProfiles()
	if f == nil {
		return nil, nil
	}
	doc := c.read(f)
	if doc == nil {
		return nil, nil
	}
	return f, doc
}

// current is the profile whose values apply, as doc says: the one selected
// (--profile, PREFECT_PROFILE, else the active key), when doc holds it. It
// reads doc only, never the settings resolved before, so that a decision
// taken under the file's lock rests on the file as it is under the lock.
func (c *cli) current(doc *profiles.Doc) string {
	name, _ := c.selection(doc)
	if name == "" || !doc.Has(name) {
		return ""
	}
	return name
}
