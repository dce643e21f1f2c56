package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

type cli struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	interactive    bool // stdin and stderr are a terminal: confirmations are asked
	color          bool // diagnostics are coloured
	profile        string
	ctx            context.Context // ends long-running commands (config view --watch); nil means until interrupted

	prefectVersion, pydanticSettingsVersion string // --prefect-version, --pydantic-settings-version

	// container is the container --compose, --k8s or --dockerfile names,
	// whose settings the config commands resolve.
	container *settings.Container

	// For tests: how long a writer waits for the profiles file's lock
	// before saying so (a second when zero), and a hook called at each
	// stage of an edit ("before the lock", "under the lock").
	lockNotice time.Duration
	stage      func(stage string)
}

// pause calls the test hook for an edit's stage.
func (c *cli) pause(stage string) {
	if c.stage != nil {
		c.stage(stage)
	}
}

// options are the settings.Options of the global flags: the profile and the
// release selected.
func (c *cli) options() settings.Options {
	return settings.Options{Profile: c.profile, PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion, Container: c.container}
}

// release returns the Prefect release the flags or the environment select;
// on a bad version it prints the error and returns nil. Commands that
// resolve settings get the release, and its warnings, from settings.Load.
func (c *cli) release() *release.Release {
	rel, _, err := c.options().Release()
	if err != nil {
		c.fatal("strata", err)
		return nil
	}
	return rel
}

// colors are the ANSI colours of the severities, as Prefect's CLI shows
// them.
var colors = map[diag.Severity]string{diag.Error: "\x1b[31m", diag.Warning: "\x1b[33m", diag.Info: "\x1b[36m"}

// severities are the kinds c.diag takes; "note" is an info.
var severities = map[string]diag.Severity{"error": diag.Error, "warning": diag.Warning, "note": diag.Info, "info": diag.Info}

// diag prints a diagnostic without a position on stderr: "kind: message"
// (kind "error", "warning" or "note", which prints as "info").
func (c *cli) diag(kind, format string, args ...any) {
	c.render(diag.Diagnostic{Severity: severities[kind], Message: fmt.Sprintf(format, args...)})
}

// render prints a diagnostic on stderr as every diagnostic prints,
// "file:line:col: severity: message" (diag.Diagnostic.String), its file
// relative to the working directory, the severity coloured when stderr is
// a terminal. Its message may quote a key or value from the user's files:
// control characters are escaped, so that it cannot forge or hide a
// diagnostic.
func (c *cli) render(d diag.Diagnostic) {
	d.Pos.File = relative(d.Pos.File)
	fmt.Fprintln(c.stderr, d.Format(c.paint))
}

// paint colours a severity's word on a terminal.
func (c *cli) paint(s diag.Severity, word string) string {
	if !c.color {
		return word
	}
	return colors[s] + word + "\x1b[0m"
}

// fatal prints an error that stops a command: as a diagnostic when it
// carries a position (diag.Of), else as "prefix: message".
func (c *cli) fatal(prefix string, err error) {
	if list, ok := errors.AsType[settings.ErrorList](err); ok {
		for _, e := range list {
			c.render(e.Diagnostic())
		}
		return
	}
	if d, ok := diag.Of(err); ok && d.Pos.IsValid() {
		c.render(d)
		return
	}
	fmt.Fprintf(c.stderr, "%s: %s\n", prefix, diag.Escape(relativeMsg(err.Error()))) // a path may hold a newline
}

// useColor says whether to colour diagnostics: only on a terminal, never
// with NO_COLOR set (https://no-color.org) or on a dumb terminal.
func useColor(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

func (c *cli) main(args []string) int {
	var version bool
	top := topFlags(c, &version)
	// The global flags come before the command's words, between them
	// ("strata config -p dev view") or among the command's own flags.
	var words []string
	for {
		if err := top.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(c.stdout, usage())
				return exitOK
			}
			fmt.Fprintf(c.stderr, "strata: %s\nRun \"strata help\" for the commands and flags.\n", err)
			return exitUsage
		}
		args = top.fs.Args()
		if version {
			fmt.Fprintln(c.stdout, versionLine())
			return exitOK
		}
		if len(args) == 0 {
			break
		}
		words, args = append(words, args[0]), args[1:]
		if words[0] == "profiles" {
			words[0] = "profile" // Prefect's alias
		}
		if len(words) == 2 || !isGroup(words[0]) {
			break
		}
	}
	switch {
	case len(words) == 0:
		fmt.Fprint(c.stderr, usage())
		return exitUsage
	case words[0] == "help":
		return c.help(append(words[1:], args...))
	case len(words) == 1 && isGroup(words[0]):
		fmt.Fprintf(c.stderr, "strata %s: missing command: %s\nRun \"strata help\" for the commands.\n", words[0], strings.Join(subcommands(words[0]), ", "))
		return exitUsage
	}
	name := strings.Join(words, " ")
	cmd := lookupCommand(name)
	if cmd == nil {
		fmt.Fprintf(c.stderr, "strata: unknown command %q\nRun \"strata help\" for the commands.\n", name)
		return exitUsage
	}
	return c.run(cmd, args)
}

// run parses a command's flags and arguments and runs it.
func (c *cli) run(cmd *command, args []string) int {
	f, run := cmd.flagsOf(c)
	if cmd.raw {
		return run(c, args)
	}
	args, err := f.parse(args)
	if errors.Is(err, flag.ErrHelp) {
		cmd.help(c.stdout)
		return exitOK
	}
	switch {
	case err != nil:
		return c.usageError(cmd, err.Error())
	case len(args) < cmd.min:
		return c.usageError(cmd, "missing "+cmd.args)
	case cmd.max >= 0 && len(args) > cmd.max:
		return c.usageError(cmd, fmt.Sprintf("unexpected argument %q", args[cmd.max]))
	}
	return run(c, args)
}

// usageError says what is wrong with a command's arguments, and its
// synopsis; it returns the exit status of a usage error.
func (c *cli) usageError(cmd *command, msg string) int {
	fmt.Fprintf(c.stderr, "strata %s: %s\nusage: %s\nRun \"strata %[1]s --help\" for more.\n", cmd.name, msg, cmd.synopsis())
	return exitUsage
}

// help prints the usage, or a command's help: "strata help config view".
func (c *cli) help(words []string) int {
	if len(words) > 0 && words[0] == "profiles" {
		words[0] = "profile"
	}
	// A group ("strata help config") and help itself have the usage for
	// their help, as "strata config --help" and "strata --help" do.
	if len(words) == 0 || len(words) == 1 && (isGroup(words[0]) || slices.Contains([]string{"help", "-h", "-help", "--help"}, words[0])) {
		fmt.Fprint(c.stdout, usage())
		return exitOK
	}
	cmd := lookupCommand(strings.Join(words, " "))
	if cmd == nil {
		fmt.Fprintf(c.stderr, "strata help: unknown command %q\n", strings.Join(words, " "))
		return exitUsage
	}
	cmd.help(c.stdout)
	return exitOK
}

// subcommands lists the commands of a group: "dump", "view"...
func subcommands(group string) []string {
	var out []string
	for _, cmd := range commands {
		if g, sub, ok := strings.Cut(cmd.name, " "); ok && g == group {
			out = append(out, sub)
		}
	}
	return out
}

// load resolves the settings; on failure it prints every error, one a line,
// and returns nil.
func (c *cli) load() *settings.Result {
	r, err := settings.Load(c.options())
	if err != nil {
		c.reportFailure(r, err)
		return nil
	}
	c.printWarnings(r)
	return r
}

// printWarnings prints the warnings of a resolution.
func (c *cli) printWarnings(r *settings.Result) {
	if r == nil {
		return
	}
	for _, w := range r.Warnings {
		c.render(w.Diagnostic())
	}
	for _, n := range r.Notes {
		d := n.Diagnostic()
		d.Severity = diag.Info
		c.render(d)
	}
}

// reportFailure prints the warnings of a failed resolution and its errors,
// one a line.
func (c *cli) reportFailure(r *settings.Result, err error) {
	c.printWarnings(r)
	var list settings.ErrorList
	if !errors.As(err, &list) {
		c.fatal("strata", err)
		return
	}
	n := 0 // not counting files that cannot be read or parsed
	var unparsed []string
	for _, e := range list {
		c.render(e.Diagnostic())
		e := *e
		e.Pos.File = relative(e.Pos.File)
		var re *sources.ReadError
		var se *sources.SyntaxError
		switch {
		case errors.As(e.Err, &se):
			if !slices.Contains(unparsed, e.Pos.File) {
				unparsed = append(unparsed, e.Pos.File)
			}
		case !errors.As(e.Err, &re):
			n++
		}
	}
	for _, f := range unparsed {
		fmt.Fprintf(c.stderr, "strata: %s could not be read\n", diag.Escape(f))
	}
	if n > 0 {
		fmt.Fprintf(c.stderr, "strata: %d invalid setting(s)\n", n)
	}
}

// relative shortens a file name under the working directory, as users wrote
// it: "prefect.toml" rather than its absolute path.
func relative(file string) string {
	if !filepath.IsAbs(file) || slices.Contains(strings.Split(filepath.ToSlash(file), "/"), "..") {
		return file // filepath.Rel would drop a ".." after a link, and name another file
	}
	wd, err := os.Getwd()
	if err != nil {
		return file
	}
	if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}

// relativeMsg shortens the file names under the working directory that a
// message holds.
func relativeMsg(msg string) string {
	wd, err := os.Getwd()
	if err != nil || wd == "" {
		return msg
	}
	return strings.ReplaceAll(msg, wd+string(filepath.Separator), "")
}
