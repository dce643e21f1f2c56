package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/strata-settings/strata/profiles"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
)

func init() {
	register("completion", "print a shell completion script: bash, zsh or fish", (*cli).completion)
	register("__complete", "list completions for the words given (used by the completion scripts)", (*cli).complete)
}

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

func (c *cli) completion(args []string) int {
	fs := flag.NewFlagSet("strata completion", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsageOrHelp(err)
	}
	script, ok := completionScripts[fs.Arg(0)]
	if fs.NArg() != 1 || !ok {
		fmt.Fprintln(c.stderr, "usage: strata completion bash|zsh|fish")
		return exitUsage
	}
	fmt.Fprint(c.stdout, script)
	return exitOK
}

// commandFlags are the flags each command takes, for completion.
var commandFlags = map[string][]string{
	"":                          {"--profile", "-p", "--prefect-version", "--pydantic-settings-version"},
	"config dump":               {"--show-secrets"},
	"config view":               {"-o", "--output", "--show-defaults", "--hide-defaults", "--show-sources", "--hide-sources", "--show-secrets", "--hide-secrets"},
	"config get":                {"--show-secrets"},
	"config explain":            {"-o", "--output", "--show-secrets"},
	"config set":                {"--show-secrets"},
	"config unset":              {"--yes", "-y"},
	"profile ls":                {"-o", "--output"},
	"profile create":            {"--from"},
	"profile use":               {"--no-check"},
	"profile inspect":           {"-o", "--output", "--show-secrets"},
	"profile delete":            {"--yes", "-y"},
	"profile populate-defaults": {"--yes", "-y"},
	"lint":                      {"--format", "--env", "--strict", "--disable"},
}

// complete prints the candidates for the last of args, one a line.
func (c *cli) complete(args []string) int {
	if len(args) == 0 {
		args = []string{""}
	}
	cur, before := args[len(args)-1], args[:len(args)-1]
	var words []string // the command words typed so far, flags left out
	for i := 0; i < len(before); i++ {
		w := before[i]
		if w == "--profile" || w == "-p" || w == "--prefect-version" || w == "--pydantic-settings-version" {
			i++
			continue
		}
		if !strings.HasPrefix(w, "-") {
			words = append(words, w)
		}
	}
	var out []string
	switch prev := last(before); {
	case prev == "--profile" || prev == "-p" || prev == "--from":
		out = profileNames()
	case prev == "--prefect-version":
		for _, v := range release.Known() {
			out = append(out, v.String())
		}
	case prev == "--pydantic-settings-version":
		out = []string{"2.13.1", "2.14.1"}
	case prev == "-o" || prev == "--output":
		out = []string{"json"}
	case strings.HasPrefix(cur, "-"):
		out = append(out, commandFlags[""]...)
		out = append(out, commandFlags[strings.Join(words[:min(2, len(words))], " ")]...)
	default:
		out = c.completeWords(words)
	}
	sort.Strings(out)
	for _, o := range slices.Compact(out) {
		if strings.HasPrefix(o, cur) || strings.HasPrefix(strings.ToLower(o), strings.ToLower(cur)) && strings.HasPrefix(o, "PREFECT_") {
			fmt.Fprintln(c.stdout, o)
		}
	}
	return exitOK
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// completeWords lists what may follow the command words typed so far.
func (c *cli) completeWords(words []string) []string {
	var out []string
	typed := strings.Join(words, " ")
	for name := range commands {
		if strings.HasPrefix(name, "__") {
			continue
		}
		parts := strings.Fields(name)
		if len(words) < len(parts) && strings.Join(parts[:len(words)], " ") == typed {
			out = append(out, parts[len(words)])
		}
	}
	if len(out) > 0 {
		return out
	}
	cmd := strings.Join(words[:min(2, len(words))], " ")
	switch {
	case cmd == "completion" && len(words) == 1:
		return []string{"bash", "zsh", "fish"}
	case cmd == "config get" || cmd == "config explain" || cmd == "config unset":
		return settingNames(false)
	case cmd == "config set":
		return settingNames(true)
	case strings.HasPrefix(cmd, "profile ") && cmd != "profile ls" && cmd != "profile create" && cmd != "profile populate-defaults":
		return profileNames()
	}
	return nil
}

// settingNames lists the 330 environment names and the 225 accessors;
// with assign, the environment names followed by '='.
func settingNames(assign bool) []string {
	var out []string
	set := schema.Newest()
	if rel, _, err := (settings.Options{}).Release(); err == nil {
		set = rel.Schema() // STRATA_PREFECT_VERSION's release
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
