package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/strata-settings/strata/internal/profiles"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
)

// Each script asks the binary itself, through `strata __complete WORDS...`,
// for the candidates of the last word.
var completionScripts = map[string]string{
	"bash": `# strata completion for bash: source <(strata completion bash)
_strata() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\n'
  COMPREPLY=($(strata __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _strata strata
`,
	"zsh": `#compdef strata
# strata completion for zsh: strata completion zsh > "${fpath[1]}/_strata"
_strata() {
  local -a candidates
  candidates=("${(@f)$(strata __complete "${words[@]:1:$((CURRENT-1))}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _strata strata
`,
	"fish": `# strata completion for fish: strata completion fish > ~/.config/fish/completions/strata.fish
complete -c strata -f -a '(strata __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
}

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish"}

// completion prints the completion script of a shell.
func (c *cli) completion(shell string) int {
	script, ok := completionScripts[shell]
	if !ok {
		return c.usageError(lookupCommand("completion"), fmt.Sprintf("unknown shell %q; want %s", shell, strings.Join(shells, ", ")))
	}
	fmt.Fprint(c.stdout, script)
	return exitOK
}

// complete prints the candidates for the last of words, one a line: the
// command words, a command's flags, a flag's values and a command's
// arguments, all from the command table.
func (c *cli) complete(words []string) int {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	typedFlags := &cli{} // the global flags typed, before the command or after it
	f := newFlags("strata")
	f.global(typedFlags)
	var (
		typed []string // the command's words typed so far
		cmd   *command // the command, once its words are typed
		args  []string // its arguments typed before cur
		value *flagDoc // the flag cur is the value of
		done  bool     // after "--": arguments only
	)
	for i := 0; i < len(before); i++ {
		w := before[i]
		switch {
		case w == "--" && !done:
			done = true
		case !done && strings.HasPrefix(w, "-") && len(w) > 1:
			// A flag's value typed already is set, for the candidates of
			// the flags after it (--service lists --compose's services).
			name, v, inline := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if d := f.lookup(name); d != nil && d.arg != "" {
				switch {
				case inline:
					d.value.Set(v)
				case i+1 < len(before):
					i++
					d.value.Set(before[i])
				default:
					value = d
				}
			}
		case cmd == nil:
			typed = append(typed, w)
			if typed[0] == "profiles" {
				typed[0] = "profile"
			}
			if cmd = lookupCommand(strings.Join(typed, " ")); cmd != nil {
				f, _ = cmd.flagsOf(typedFlags)
			}
		default:
			args = append(args, w)
		}
	}
	var out []string
	switch {
	case value != nil:
		if value.complete != nil {
			out = value.complete()
		}
	case strings.HasPrefix(cur, "-") && !done:
		for _, d := range f.list {
			for _, n := range d.names {
				out = append(out, strings.Repeat("-", min(len(n), 2))+n)
			}
		}
	case cmd == nil:
		out = nextWords(typed)
	case cmd.complete != nil:
		out = cmd.complete(typedFlags, args)
	}
	sort.Strings(out)
	for _, o := range slices.Compact(out) {
		if strings.HasPrefix(o, cur) || strings.HasPrefix(strings.ToLower(o), strings.ToLower(cur)) && strings.HasPrefix(o, "PREFECT_") {
			fmt.Fprintln(c.stdout, o)
		}
	}
	return exitOK
}

// nextWords lists the words that may follow the command words typed.
func nextWords(typed []string) []string {
	var out []string
	if len(typed) == 0 {
		out = append(out, "help")
	}
	prefix := strings.Join(typed, " ")
	for _, cmd := range commands {
		parts := strings.Fields(cmd.name)
		if !cmd.hidden && len(typed) < len(parts) && strings.Join(parts[:len(typed)], " ") == prefix {
			out = append(out, parts[len(typed)])
		}
	}
	return out
}

// releaseNames lists the Prefect releases Strata knows, for completion.
func releaseNames() []string {
	var out []string
	for _, v := range release.Known() {
		out = append(out, v.String())
	}
	return out
}

// settingNames lists the environment names and accessors of the settings
// of the release c's flags select (--prefect-version, else
// STRATA_PREFECT_VERSION, the project's, the newest); with assign, the
// environment names followed by '='.
func (c *cli) settingNames(assign bool) []string {
	var out []string
	set := schema.Newest()
	o := settings.Options{PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion}
	if rel, _, err := o.Release(); err == nil {
		set = rel.Schema()
	}
	for _, s := range set.All() {
		for _, e := range s.Env {
			if assign {
				out = append(out, e+"=")
			} else {
				out = append(out, e)
			}
		}
		if !assign {
			out = append(out, s.Path)
		}
	}
	return out
}

// profileNames lists the profiles of the profiles file the settings are
// read from, and the packaged ones.
func profileNames() []string {
	names := packagedDoc().Names()
	r, _ := settings.Load(settings.Options{})
	if r == nil || r.ProfilesFile.Packaged {
		return names
	}
	path := r.ProfilesFile.Path
	if !filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			path = filepath.Join(wd, path)
		}
	}
	if doc, err := profiles.Read(path); err == nil {
		names = append(names, doc.Names()...)
	}
	return names
}
