package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
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
	return settings.Options{Profile: c.profile, PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion}
}

// release returns the Prefect release the flags or the environment select;
// on a bad version it prints the error and returns nil. Commands that
// resolve settings get the release, and its warnings, from settings.Load.
func (c *cli) release() *release.Release {
	rel, _, err := c.options().Release()
	if err != nil {
		fmt.Fprintf(c.stderr, "strata: %s\n", relativeMsg(err.Error()))
		return nil
	}
	return rel
}

// colors are the ANSI colours of the diagnostics, as Prefect's CLI shows
// them.
var colors = map[string]string{"error": "\x1b[31m", "warning": "\x1b[33m", "note": "\x1b[36m"}

// diag prints a diagnostic on stderr: "kind: message", the kind coloured
// when stderr is a terminal.
func (c *cli) diag(kind, format string, args ...any) {
	prefix := kind + ":"
	if c.color {
		prefix = colors[kind] + prefix + "\x1b[0m"
	}
	// A message may quote a key or value from the user's files: its lines
	// have their control characters escaped, so that it cannot forge or
	// hide a diagnostic.
	lines := strings.Split(fmt.Sprintf(format, args...), "\n")
	for i, l := range lines {
		lines[i] = settings.EscapeControl(l)
	}
	fmt.Fprintf(c.stderr, "%s %s\n", prefix, strings.Join(lines, "\n"))
}

// useColor says whether to colour diagnostics: only on a terminal, never
// with NO_COLOR set (https://no-color.org) or on a dumb terminal.
func useColor(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// usage lists the commands, from their registrations.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: strata [--profile NAME] [--prefect-version X.Y.Z] [--pydantic-settings-version X.Y.Z] <command> [flags]\n\ncommands:\n")
	names := make([]string, 0, len(commands))
	for name := range commands {
		if !strings.HasPrefix(name, "__") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	width := 0
	for _, name := range names {
		width = max(width, len(name))
	}
	for _, name := range names {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, name, commands[name].summary)
	}
	b.WriteString("\nRun \"strata <command> --help\" for a command's flags.\n")
	return b.String()
}

func (c *cli) main(args []string) int {
	fs := flag.NewFlagSet("strata", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, usage()) }
	fs.StringVar(&c.profile, "profile", "", "select the profile, as PREFECT_PROFILE does")
	fs.StringVar(&c.profile, "p", "", "shorthand for --profile")
	fs.StringVar(&c.prefectVersion, "prefect-version", "", "resolve as this Prefect release does (X.Y.Z; default $STRATA_PREFECT_VERSION, else the newest)")
	fs.StringVar(&c.pydanticSettingsVersion, "pydantic-settings-version", "", "the pydantic-settings installed beside Prefect (default $STRATA_PYDANTIC_SETTINGS_VERSION, else the newest)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage())
		return exitUsage
	}
	if args[0] == "help" {
		fmt.Fprint(c.stdout, usage())
		return exitOK
	}
	name := args[0]
	rest := args[1:]
	if (name == "config" || name == "profile" || name == "profiles") && len(rest) > 0 {
		name, rest = name+" "+rest[0], rest[1:]
	}
	if name == "profiles" || strings.HasPrefix(name, "profiles ") {
		name = "profile" + strings.TrimPrefix(name, "profiles") // Prefect's alias
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(c.stderr, "strata: unknown command %q\n", strings.Join(args[:min(2, len(args))], " "))
		fmt.Fprint(c.stderr, usage())
		return exitUsage
	}
	return cmd.run(c, rest)
}

// command is one command: its implementation and a line for the usage.
type command struct {
	run     func(c *cli, args []string) int
	summary string
}

// commands maps each command, with its group ("config view"), to its
// implementation. Each command registers itself from the file that holds it.
var commands = map[string]command{}

func register(name, summary string, run func(c *cli, args []string) int) {
	commands[name] = command{run, summary}
}

func init() {
	register("config dump", "print every effective setting as JSON", (*cli).dump)
	register("config view", "print the settings in force and where they come from", (*cli).view)
}

// flags parses a command's flags; ok is false when the command must stop
// with status code.
func (c *cli) flags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	fs.SetOutput(c.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
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
		w.Pos.File = relative(w.Pos.File)
		c.diag("warning", "%s", w)
	}
}

// reportFailure prints the warnings of a failed resolution and its errors,
// one a line.
func (c *cli) reportFailure(r *settings.Result, err error) {
	c.printWarnings(r)
	var list settings.ErrorList
	if !errors.As(err, &list) {
		fmt.Fprintf(c.stderr, "strata: %s\n", relativeMsg(err.Error()))
		return
	}
	n := 0 // not counting files that cannot be read or parsed
	var unparsed []string
	for _, e := range list {
		e := *e
		e.Pos.File = relative(e.Pos.File)
		c.diag("error", "%s", &e)
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
		fmt.Fprintf(c.stderr, "strata: %s could not be read\n", f)
	}
	if n > 0 {
		fmt.Fprintf(c.stderr, "strata: %d invalid setting(s)\n", n)
	}
}

func (c *cli) dump(args []string) int {
	fs := flag.NewFlagSet("strata config dump", flag.ContinueOnError)
	showSecrets := fs.Bool("show-secrets", false, "show secret values")
	if code, ok := c.flags(fs, args); !ok {
		return code
	}
	r := c.load()
	if r == nil {
		return exitFail
	}
	out, err := r.JSON(*showSecrets)
	if err != nil {
		fmt.Fprintf(c.stderr, "strata: %v\n", err)
		return exitFail
	}
	c.stdout.Write(out)
	return exitOK
}

// viewEntry is one line of config view.
type viewEntry struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

func (c *cli) view(args []string) int {
	fs := flag.NewFlagSet("strata config view", flag.ContinueOnError)
	output := fs.String("o", "", "output format: json")
	fs.StringVar(output, "output", "", "output format: json")
	showDefaults := pairFlag(fs, "show-defaults", "hide-defaults", false, "also list settings left at their defaults")
	showSources := pairFlag(fs, "show-sources", "hide-sources", true, "say where values come from")
	showSecrets := pairFlag(fs, "show-secrets", "hide-secrets", false, "show secret values")
	watch := fs.Bool("watch", false, "print the settings again whenever a settings file changes a value, until interrupted")
	if code, ok := c.flags(fs, args); !ok {
		return code
	}
	if *output != "" && !strings.EqualFold(*output, "json") {
		fmt.Fprintln(c.stderr, "strata config view: only 'json' output format is supported")
		return exitFail
	}
	vo := viewOptions{json: *output != "", defaults: *showDefaults, sources: *showSources, secrets: *showSecrets}
	if *watch {
		return c.watchView(vo)
	}
	r := c.load()
	if r == nil {
		return exitFail
	}
	c.printView(r, vo)
	return exitOK
}

// viewOptions are config view's choices of what to print.
type viewOptions struct {
	json, defaults, sources, secrets bool
}

// watchView prints the settings, then again after every change to a
// settings file that changes a value, each time preceded by the changes.
// An invalid change prints its errors, and the settings in force stay. It
// returns when interrupted.
func (c *cli) watchView(vo viewOptions) int {
	ctx := c.ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	var last *settings.Result
	err := settings.Watch(ctx, c.options(), func(r *settings.Result, err error) {
		if err != nil {
			c.reportFailure(r, err)
			if last != nil {
				fmt.Fprintln(c.stderr, "strata: the settings printed last stay in force")
			}
			return
		}
		c.printWarnings(r)
		if last != nil {
			fmt.Fprintln(c.stdout)
			for _, ch := range r.Diff(last) {
				if s := ch.Schema(); s != nil && vo.secrets {
					fmt.Fprintf(c.stdout, "changed: %s: %s -> %s\n", ch.Setting,
						settings.EscapeControl(settings.Display(s, ch.Old, true)), settings.EscapeControl(settings.Display(s, ch.New, true)))
					continue
				}
				fmt.Fprintf(c.stdout, "changed: %s\n", settings.EscapeControl(ch.String()))
			}
		}
		last = r
		c.printView(r, vo)
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "strata: %v\n", err)
		return exitFail
	}
	return exitOK
}

// printView prints config view's report of r.
func (c *cli) printView(r *settings.Result, vo viewOptions) {
	showDefaults, showSources, showSecrets := &vo.defaults, &vo.sources, &vo.secrets
	output := "text"
	if vo.json {
		output = "json"
	}
	var entries []viewEntry
	for _, st := range r.Schema().All() {
		i := st.Index
		o := &r.Origins()[i]
		src := sourceName(o)
		if src == "defaults" && !*showDefaults {
			continue
		}
		e := viewEntry{Name: o.Setting.Canonical(), Value: viewValue(o, r.Values()[i], *showSecrets)}
		if *showSources {
			e.Source = src
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	uiURL, _ := r.Values()[schema.IUIURL].(string)
	if !*showSecrets {
		uiURL = schema.MaskURL(uiURL) // derived from api.url, with its password
	}
	if output == "json" {
		doc := struct {
			Release  releaseJS   `json:"release"`
			Profile  string      `json:"profile"`
			Settings []viewEntry `json:"settings"`
			UIURL    string      `json:"ui_url,omitempty"`
		}{c.releaseOf(r.Release, &r.Prefect), r.Profile, entries, uiURL}
		if doc.Settings == nil {
			doc.Settings = []viewEntry{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(doc)
		return
	}
	// Values are printed as Prefect prints them, control characters
	// escaped: a value must not forge or hide a line.
	if uiURL != "" {
		fmt.Fprintf(c.stdout, "🚀 you are connected to:\n%s\n", settings.EscapeControl(uiURL))
	}
	fmt.Fprintf(c.stdout, "PREFECT_PROFILE=%s\n", pyQuote(r.Profile))
	for _, e := range entries {
		if e.Source != "" {
			fmt.Fprintf(c.stdout, "%s='%s' (from %s)\n", e.Name, settings.EscapeControl(e.Value), e.Source)
		} else {
			fmt.Fprintf(c.stdout, "%s='%s'\n", e.Name, settings.EscapeControl(e.Value))
		}
	}
}

// pairFlag defines --NAME and its opposite --NO, as Prefect's
// --show-x/--hide-x pairs: the last one given wins.
func pairFlag(fs *flag.FlagSet, name, no string, value bool, usage string) *bool {
	p := &value
	fs.Var(boolSetter{p, true}, name, usage)
	fs.Var(boolSetter{p, false}, no, "the opposite of --"+name)
	return p
}

// boolSetter is a boolean flag that sets *p to v when given.
type boolSetter struct {
	p *bool
	v bool
}

func (b boolSetter) String() string   { return "" }
func (b boolSetter) IsBoolFlag() bool { return true }
func (b boolSetter) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*b.p = on == b.v
	return nil
}

// sourceName names the winning layer as Prefect's config view does.
func sourceName(o *settings.Origin) string {
	c := o.Source()
	if c == nil {
		return "defaults"
	}
	switch c.Layer {
	case sources.Env:
		return "env"
	case sources.DotEnv:
		return ".env file"
	case sources.GroupJSON:
		if c.Pos.File != "" {
			return ".env file"
		}
		return "env"
	case sources.PrefectTOML:
		return "prefect.toml"
	case sources.PyprojectTOML:
		return "pyproject.toml"
	case sources.Profile:
		return "profile"
	case sources.LegacyPlugins:
		if strings.HasSuffix(c.File, "pyproject.toml") {
			return "pyproject.toml"
		}
		return "prefect.toml"
	}
	return "defaults"
}

// viewValue renders a value as config view shows it: a string as the
// source wrote it, anything else as Python prints the effective value.
func viewValue(o *settings.Origin, v any, showSecrets bool) string {
	if c := o.Source(); c != nil && o.Rule == "" {
		if s, ok := c.Raw.(string); ok {
			if !showSecrets {
				s, _ = schema.Masked(o.Setting, "", s).(string)
			}
			return s
		}
	}
	return settings.Display(o.Setting, v, showSecrets)
}

// pyQuote quotes s as Python's repr does.
func pyQuote(s string) string { return settings.PyRepr(s) }

// relative shortens a file name under the working directory, as users wrote
// it: "prefect.toml" rather than its absolute path.
func relative(file string) string {
	if !filepath.IsAbs(file) {
		return file
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

// exitUsageOrHelp is the exit status for a flag parsing error: 0 for -help,
// 2 otherwise.
func exitUsageOrHelp(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
