package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-settings/strata/lint"
)

// command is one command of the table: its name, arguments, flags and
// implementation. The table drives parsing, --help, the usage text,
// completion, the synopsis of docs/cli.md and main.go's doc comment.
type command struct {
	name     string // "config view"
	args     string // the arguments, for the synopsis: "NAME..."
	min, max int    // how many arguments it takes; max -1: no limit
	summary  string
	more     func(w io.Writer) // what --help says after the flags: arguments, rules
	hidden   bool              // left out of the usage and the docs
	raw      bool              // takes its words as they are, flags too

	// complete lists the candidates for an argument, given the arguments
	// typed before it; c holds the global flags typed (--prefect-version).
	complete func(c *cli, before []string) []string

	// define declares the command's flags on f and returns the command,
	// which reads them once they are parsed.
	define func(f *flags) runFunc
}

type runFunc func(c *cli, args []string) int

// commands is the command table, in the order the usage lists them. It is
// set by init: commands such as completion read the table.
var commands []*command

func init() {
	commands = []*command{
		{
			name: "config dump", summary: "print every effective setting as JSON",
			define: func(f *flags) runFunc {
				var showSecrets bool
				var ch containerChoice
				f.showSecrets(&showSecrets, "")
				f.deployment(&ch)
				return func(c *cli, _ []string) int {
					return c.withContainer("config dump", &ch, func() int { return c.dump(showSecrets) })
				}
			},
			more: containerHelp,
		},
		{
			name: "config view", summary: "print the settings in force and where they come from",
			define: func(f *flags) runFunc {
				vo := viewOptions{sources: true}
				var watch bool
				f.jsonOutput(&vo.json)
				f.pairVar(&vo.defaults, "show-defaults", "hide-defaults", "also list the settings left at their defaults")
				f.pairVar(&vo.sources, "show-sources", "hide-sources", "say where each value comes from (the default)")
				f.pairVar(&vo.secrets, "show-secrets", "hide-secrets", "show secret values")
				f.boolVar(&watch, "watch", "print the settings again whenever a settings file changes a value, until interrupted")
				var ch containerChoice
				f.deployment(&ch)
				return func(c *cli, _ []string) int {
					return c.withContainer("config view", &ch, func() int { return c.view(vo, watch) })
				}
			},
			more: containerHelp,
		},
		settingQuery("config get", "print the effective value of settings, for scripts", (*cli).get),
		settingQuery("config explain", "tell where a setting's value comes from, layer by layer", (*cli).explain),
		{
			name: "config set", args: "NAME=VALUE...", min: 1, max: -1,
			summary:  "set settings in the active profile",
			more:     exactNameHelp,
			complete: func(c *cli, _ []string) []string { return c.settingNames(true) },
			define: func(f *flags) runFunc {
				var showSecrets bool
				f.showSecrets(&showSecrets, "show secret values in the confirmation")
				return func(c *cli, args []string) int { return c.set(args, showSecrets) }
			},
		},
		{
			name: "config unset", args: "NAME...", min: 1, max: -1,
			summary:  "remove settings from the active profile",
			more:     exactNameHelp,
			complete: func(c *cli, _ []string) []string { return c.settingNames(false) },
			define: func(f *flags) runFunc {
				var yes bool
				f.yes(&yes)
				return func(c *cli, names []string) int { return c.unset(names, yes) }
			},
		},
		{
			name: "config validate", summary: "check that the settings in force are valid",
			define: func(f *flags) runFunc {
				var asJSON bool
				f.jsonOutput(&asJSON)
				return func(c *cli, _ []string) int { return c.validate(asJSON) }
			},
		},
		{
			name: "profile ls", summary: "list the profiles",
			define: func(f *flags) runFunc {
				var asJSON bool
				f.jsonOutput(&asJSON)
				return func(c *cli, _ []string) int { return c.profileList(asJSON) }
			},
		},
		{
			name: "profile create", args: "NAME", min: 1, max: 1,
			summary: "create a profile",
			define: func(f *flags) runFunc {
				var from string
				f.stringVar(&from, "from", "SOURCE", "copy the settings of this profile").complete = profileNames
				return func(c *cli, args []string) int { return c.profileCreate(args[0], from) }
			},
		},
		{
			name: "profile use", args: "NAME", min: 1, max: 1,
			summary:  "make a profile active and check its API",
			complete: firstProfile,
			define: func(f *flags) runFunc {
				var noCheck bool
				f.boolVar(&noCheck, "no-check", "do not check the profile's API")
				return func(c *cli, args []string) int { return c.profileUse(args[0], noCheck) }
			},
		},
		{
			name: "profile inspect", args: "[NAME]", min: 0, max: 1,
			summary:  "print a profile's settings",
			complete: firstProfile,
			define: func(f *flags) runFunc {
				var asJSON, showSecrets bool
				f.jsonOutput(&asJSON)
				f.showSecrets(&showSecrets, "")
				return func(c *cli, args []string) int {
					name := ""
					if len(args) > 0 {
						name = args[0]
					}
					return c.profileInspect(name, asJSON, showSecrets)
				}
			},
		},
		{
			name: "profile rename", args: "OLD NEW", min: 2, max: 2,
			summary:  "rename a profile",
			complete: firstProfile,
			define: func(f *flags) runFunc {
				return func(c *cli, args []string) int { return c.profileRename(args[0], args[1]) }
			},
		},
		{
			name: "profile delete", args: "NAME", min: 1, max: 1,
			summary:  "delete a profile",
			complete: firstProfile,
			define: func(f *flags) runFunc {
				var yes bool
				f.yes(&yes)
				return func(c *cli, args []string) int { return c.profileDelete(args[0], yes) }
			},
		},
		{
			name: "profile populate-defaults", summary: "add Prefect's packaged profiles to the profiles file",
			define: func(f *flags) runFunc {
				var yes bool
				f.yes(&yes)
				return func(c *cli, _ []string) int { return c.profilePopulate(yes) }
			},
		},
		{
			name: "lint", args: "[PATH...]", min: 0, max: -1,
			summary: "check settings files and the environment for mistakes Prefect passes over",
			define: func(f *flags) runFunc {
				var o lintOptions
				f.output(&o.format, "o,output,format", "text", "json", "sarif", "github")
				f.stringVar(&o.sarifFile, "sarif-file", "FILE", "also write the findings as SARIF to FILE, whatever the format (not when lint cannot run)")
				f.stringVar(&o.relativeTo, "relative-to", "DIR", "print the paths of files under DIR relative to DIR (the repository's root in CI), others as they are")
				f.boolVar(&o.env, "env", "also check the PREFECT_* variables of the environment")
				f.boolVar(&o.strict, "strict", "exit 1 on warnings too")
				f.flagVar((*listValue)(&o.disabled), "disable", "RULE", "turn off a rule (repeatable, or separated by commas)").complete = ruleIDs
				f.boolVar(&o.skipUnknown, "skip-unknown", "pass over a PATH that is no file lint reads instead of refusing it (for hooks that pass every YAML file)")
				f.stringVar(&o.explain, "explain", "RULE", "print what the rule checks and why, with an example and its fix, instead of linting").complete = ruleIDs
				return func(c *cli, paths []string) int { return c.lint(paths, o) }
			},
			more: lintHelp,
		},
		{
			name: "schema", summary: "print the JSON Schema of prefect.toml, for editors",
			define: func(f *flags) runFunc {
				return func(c *cli, _ []string) int { return c.schema() }
			},
		},
		{
			name: "version", summary: "print Strata's version and the Prefect release in force",
			define: func(f *flags) runFunc {
				var asJSON bool
				f.jsonOutput(&asJSON)
				return func(c *cli, _ []string) int { return c.version(asJSON) }
			},
		},
		{
			name: "completion", args: strings.Join(shells, "|"), min: 1, max: 1,
			summary:  "print a shell completion script",
			complete: func(_ *cli, before []string) []string { return ifFirst(before, shells) },
			define: func(f *flags) runFunc {
				return func(c *cli, args []string) int { return c.completion(args[0]) }
			},
		},
		{
			name: "__complete", args: "WORD...", hidden: true, raw: true,
			summary: "list the completions of the last word (for the completion scripts)",
			define: func(f *flags) runFunc {
				return func(c *cli, words []string) int { return c.complete(words) }
			},
		},
	}
}

// lookupCommand finds a command by its full name: "config view".
func lookupCommand(name string) *command {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd
		}
	}
	return nil
}

// groups are the first words of the commands of two words.
func isGroup(word string) bool {
	for _, cmd := range commands {
		if group, _, ok := strings.Cut(cmd.name, " "); ok && group == word {
			return true
		}
	}
	return false
}

// flagsOf declares a command's flags, then the global ones, on a new flag
// set bound to c, and returns it with the command to run.
func (cmd *command) flagsOf(c *cli) (*flags, runFunc) {
	f := newFlags("strata " + cmd.name)
	run := cmd.define(f)
	f.global(c)
	return f, run
}

// synopsis is the command's line of the usage: "strata config get [-o
// json] [--show-secrets] NAME...".
func (cmd *command) synopsis() string {
	f, _ := cmd.flagsOf(&cli{})
	parts := []string{"strata", cmd.name}
	if s := f.synopsis(); s != "" {
		parts = append(parts, s)
	}
	if cmd.args != "" {
		parts = append(parts, cmd.args)
	}
	return strings.Join(parts, " ")
}

// help writes what "strata COMMAND --help" prints.
func (cmd *command) help(w io.Writer) {
	f, _ := cmd.flagsOf(&cli{})
	fmt.Fprintf(w, "usage: %s\n\n%s.\n", cmd.synopsis(), upperFirst(cmd.summary))
	if f.synopsis() != "" {
		fmt.Fprintln(w, "\nflags:")
		f.describe(w, false)
	}
	fmt.Fprintln(w, "\nglobal flags, before or after the command:")
	f.describe(w, true)
	if cmd.more != nil {
		fmt.Fprintln(w)
		cmd.more(w)
	}
}

// topFlags are the flags before the command: the global ones and
// --version.
func topFlags(c *cli, version *bool) *flags {
	f := newFlags("strata")
	f.global(c)
	f.flagVar(boolSetter{version, true}, "version", "", "print Strata's version and exit (before the command)").global = true
	return f
}

// globalSynopsis is the first line of the usage: how the global flags
// come with any command.
func globalSynopsis() string {
	f := newFlags("strata")
	f.global(&cli{})
	var parts []string
	for _, d := range f.list {
		parts = append(parts, "["+d.spelling(d.names[:1])+"]")
	}
	return "strata " + strings.Join(parts, " ") + " COMMAND [ARGS]"
}

// synopses are the lines of the synopsis block of docs/cli.md and of main.go's
// usage: the global flags, --version, then every command.
func synopses() []string {
	lines := []string{globalSynopsis(), "strata --version"}
	for _, cmd := range commands {
		if !cmd.hidden {
			lines = append(lines, cmd.synopsis())
		}
	}
	return lines
}

// usage lists the commands and the global flags.
func usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n\ncommands:\n", globalSynopsis())
	width := 0
	for _, cmd := range commands {
		width = max(width, len(cmd.name))
	}
	for _, cmd := range commands {
		if !cmd.hidden {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, cmd.name, cmd.summary)
		}
	}
	b.WriteString("\nglobal flags, before or after the command:\n")
	topFlags(&cli{}, new(bool)).describe(&b, true)
	b.WriteString("\nRun \"strata help COMMAND\" or \"strata COMMAND --help\" for a command's flags.\n")
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func nameHelp(w io.Writer) {
	fmt.Fprintln(w, "NAME is an accessor (server.api.port) or an environment name (PREFECT_SERVER_API_PORT),\nin any case.")
}

func exactNameHelp(w io.Writer) {
	fmt.Fprintln(w, "NAME is an environment name as Prefect spells it (PREFECT_SERVER_API_PORT, or\na legacy alias), case-sensitive as Prefect's CLI is, or an accessor\n(server.api.port).")
}

func containerHelp(w io.Writer) {
	fmt.Fprintln(w, "With --compose, --k8s or --dockerfile, the settings are those of a container of\nthe file, as Prefect in it resolves them: its environment replaces this one, its\nhome is HOME or /root, and of this machine's files only those the file mounts or\ncopies into it are read. The release is the image's when its tag names one.\nA value set only when the container is deployed (a Secret the files do not\nhold) is shown as such and resolved as unset.")
}

func lintHelp(w io.Writer) {
	fmt.Fprintln(w, "PATHs are settings files (prefect.toml, pyproject.toml, profiles.toml, *.toml,\n.env, .env.*, *.env and their templates), deployment files (Compose files,\nKubernetes manifests, Helm values of Prefect's charts, Dockerfiles, shell\nscripts and Makefiles, CI workflows, prefect.yaml) and directories to search;\nby default the working directory and the active profiles file. - reads a\nKubernetes manifest stream from the standard input (helm template ... | strata\nlint -). Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage\nerrors, a PATH that is no file lint reads among them; --sarif-file is written\non 0 and 1 only.")
	fmt.Fprintln(w, "\nrules:")
	for _, r := range lint.Rules() {
		fmt.Fprintf(w, "  %-26s %-8s %s\n", r.ID, r.Severity, r.Summary)
	}
}

// ruleIDs lists the lint rules, for completion.
func ruleIDs() []string {
	var out []string
	for _, r := range lint.Rules() {
		out = append(out, r.ID)
	}
	return out
}

// firstProfile completes the first argument with the profiles' names.
func firstProfile(_ *cli, before []string) []string { return ifFirst(before, profileNames()) }

func ifFirst(before []string, candidates []string) []string {
	if len(before) > 0 {
		return nil
	}
	return candidates
}

// settingQuery is a command that reports on the settings it names, as
// JSON with -o json, in a container with the deployment flags: config get
// and config explain.
func settingQuery(name, summary string, run func(c *cli, names []string, asJSON, showSecrets bool) int) *command {
	return &command{
		name: name, args: "NAME...", min: 1, max: -1,
		summary:  summary,
		complete: func(c *cli, _ []string) []string { return c.settingNames(false) },
		define: func(f *flags) runFunc {
			var asJSON, showSecrets bool
			var ch containerChoice
			f.jsonOutput(&asJSON)
			f.showSecrets(&showSecrets, "")
			f.deployment(&ch)
			return func(c *cli, names []string) int {
				return c.withContainer(name, &ch, func() int { return run(c, names, asJSON, showSecrets) })
			}
		},
		more: func(w io.Writer) { nameHelp(w); fmt.Fprintln(w); containerHelp(w) },
	}
}
