package deploy

// What a script hands other tools on their command lines under a name: a
// key of a Secret kubectl creates, a key of a chart helm installs, a
// variable of a container docker starts. A credential written out there
// is committed with the file as surely as one in a settings file.

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/strata-settings/strata/sources"
)

// NoteArg is a value a command hands another tool on its command line
// under a name; the note's Arg says which, and lint tells whether it is a
// credential written out, which its rule reports. Its Pos is where the
// value is written.
const NoteArg = "secret-in-committed-file"

// Arg is a value written out on a command line under a name:
// kubectl create secret generic --from-literal=NAME=VALUE, kubectl set env
// NAME=VALUE, helm install --set NAME=VALUE, docker run -e NAME=VALUE.
// Only values written out in the file are noted: one built from a
// reference ($VAR, ${{ secrets.X }}, $(cat file)) is not.
type Arg struct {
	Tool string // the command, for messages: "kubectl create secret", "helm upgrade", "docker compose run"
	Flag string // the option that passes it: "--from-literal", "--set-string", "-e"; empty for a bare NAME=VALUE
	// Option is the option as written before the name: "--from-literal=",
	// "-e ", "" for a bare NAME=VALUE.
	Option string
	Name   string // the Secret's key, the chart's key, the variable
	Value  string
	// Var is the variable of the script the value is handed through
	// (--from-literal=key=$KEY), which the script assigns the value
	// written out; the note's Pos is then where the value is written,
	// and Use where the variable is handed.
	Var string
	Use sources.Position
	// Bare says the value is a Prefect API key (pnu_..., pnb_...) written
	// in a word or an assignment of the script, whatever the command or
	// the variable: Tool, Flag, Option and Name are empty.
	Bare bool
}

// The options that take a value, of the kubectl and helm commands whose
// arguments are read, and of docker compose before its subcommand.
var (
	kubectlValued = map[string]bool{
		"-n": true, "--namespace": true, "--context": true, "--kubeconfig": true, "--cluster": true, "--user": true,
		"-s": true, "--server": true, "--token": true, "--as": true, "--as-group": true, "--request-timeout": true,
		"-o": true, "--output": true, "--type": true, "--from-env-file": true, "--from-file": true, "--image": true,
		"-l": true, "--selector": true, "-c": true, "--containers": true, "--from": true, "--prefix": true,
		"--field-manager": true, "--resource-version": true, "--overrides": true, "--port": true, "--labels": true,
	}
	helmValued = map[string]bool{
		"-f": true, "--values": true, "-n": true, "--namespace": true, "--version": true, "--kube-context": true,
		"--kubeconfig": true, "--repo": true, "--username": true, "--password": true, "--timeout": true,
		"-o": true, "--output": true, "--post-renderer": true, "--description": true, "--ca-file": true,
		"--cert-file": true, "--key-file": true, "--keyring": true, "--registry-config": true,
		"--repository-config": true, "--repository-cache": true, "--kube-token": true, "--kube-apiserver": true,
		"--history-max": true, "--set-file": true, "--set-json": true, "--name-template": true,
	}
	composeValued = map[string]bool{
		"-f": true, "--file": true, "-p": true, "--project-name": true, "--env-file": true, "--profile": true,
		"--project-directory": true, "--ansi": true, "--progress": true, "--parallel": true,
	}
)

// passed notes value, written in word a from byte k of its value on, as
// handed to tool under name, and reports whether it did.
func (r *shellReader) passed(tool, flag, option string, a arg, k int, name, value string) bool {
	v := a.val()
	if !v.known || !v.literal || value == "" || name == "" {
		return false // built from a reference: no secret of the file's
	}
	if r.s.exec && strings.ContainsRune(value, '$') {
		return false // $(VAR), ${VAR}: the platform's reference
	}
	arg := &Arg{Tool: tool, Flag: flag, Option: option, Name: name, Value: value}
	var pos sources.Position
	if len(v.refs) > 0 {
		// Only a value that is the whole value of one variable the
		// script assigns written out (K=pnu_...; --from-literal=key=$K).
		at, ok := r.literalAt(*v, value)
		if !ok {
			return false
		}
		arg.Var, arg.Use, pos = v.refs[0].Name, v.refs[0].Pos, at
	} else {
		pos = r.valueAt(a, k, value)
	}
	r.out.Notes = append(r.out.Notes, Note{Code: NoteArg, Pos: pos,
		Message: fmt.Sprintf("%s%s is given its value on the command line of %s", option, name, tool), Arg: arg})
	return true
}

// apiKeys notes each Prefect API key (pnu_..., pnb_...) a literal piece of
// a word holds, lit written from byte off of the script on: the key is
// unambiguous whatever command or variable it is given to. Lint tells a
// key from a placeholder (pnu_xxx).
func (r *shellReader) apiKeys(lit string, off int) {
	for i := 0; i+4 < len(lit); i++ {
		if lit[i] != 'p' || lit[i+1] != 'n' || lit[i+2] != 'u' && lit[i+2] != 'b' || lit[i+3] != '_' ||
			i > 0 && isWordByte(lit[i-1]) {
			continue
		}
		end := i + 4
		for end < len(lit) && isAlnum(lit[end]) {
			end++
		}
		if end-i-4 < minKeyLen || end < len(lit) && (isWordByte(lit[end]) || lit[end] == '.' || lit[end] == '/') {
			i = end
			continue // a name, a file: pnu_helper.sh
		}
		pos, stop := r.s.at(off+i), r.s.at(off+end)
		if stop.Line == pos.Line && stop.Column > pos.Column {
			pos.EndLine, pos.EndColumn = stop.Line, stop.Column
		}
		r.out.Notes = append(r.out.Notes, Note{Code: NoteArg, Pos: pos,
			Message: "a Prefect API key is written out", Arg: &Arg{Value: lit[i:end], Bare: true}})
		i = end
	}
}

// minKeyLen is the fewest characters after pnu_ of what is read as an
// API key: Prefect's have 36.
const minKeyLen = 20

// isWordByte reports whether c may be part of a name with a key's prefix.
func isWordByte(c byte) bool { return c == '_' || c == '-' || isAlnum(c) }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// valueAt returns where value, from byte k of word a's value on, is
// written, spanning it when it is on one line: exactly when the word is
// written as its value reads (quoted or not, without escapes), else where
// the value is found in the word as written, else where the word starts.
func (r *shellReader) valueAt(a arg, k int, value string) sources.Position {
	off, end := int(a.w.Pos().Offset()), int(a.w.End().Offset())
	if off < 0 || end > len(r.s.Text) || off > end {
		return r.s.at(off)
	}
	written, text := r.s.Text[off:end], a.val().text
	at := -1
	if q := len(written) - len(text); (q == 0 || q == 2 && (written[0] == '"' || written[0] == '\'')) && written[q/2:q/2+len(text)] == text {
		at = off + q/2 + k
	} else if i := strings.LastIndex(written, value); i >= 0 {
		at = off + i
	}
	if at < 0 {
		return r.s.at(off)
	}
	pos, stop := r.s.at(at), r.s.at(at+len(value))
	if stop.Line == pos.Line && stop.Column > pos.Column {
		pos.EndLine, pos.EndColumn = stop.Line, stop.Column
	}
	return pos
}

// namedValue reads NAME=VALUE from byte k of word a's value on, notes it
// as handed to tool, and reports whether it did.
func (r *shellReader) namedValue(tool, flag string, a arg, k int) bool {
	text := a.lit()
	if k > len(text) {
		return false
	}
	name, value, ok := strings.Cut(text[k:], "=")
	if !ok {
		return false
	}
	option := text[:k] // --env=, -e glued to the name
	if k == 0 && flag != "" {
		option = flag + " "
	}
	return r.passed(tool, flag, option, a, k+len(name)+1, name, value)
}

// kubectl reads kubectl create secret|configmap --from-literal=KEY=VALUE,
// kubectl set env NAME=VALUE (or -e), kubectl run --env=NAME=VALUE.
func (r *shellReader) kubectl(args []arg) {
	words, opts := splitOptions(args[1:], []string{"--from-literal", "--env", "-e"}, kubectlValued)
	sub := func(i int) string {
		if i < len(words) {
			return words[i].lit()
		}
		return ""
	}
	var tool string
	var names []string
	switch {
	case sub(0) == "create" && (sub(1) == "secret" || sub(1) == "configmap" || sub(1) == "cm"):
		tool, names = "kubectl create "+sub(1), []string{"--from-literal"}
	case sub(0) == "set" && sub(1) == "env":
		tool, names = "kubectl set env", []string{"--env", "-e"}
		for _, w := range words[min(3, len(words)):] {
			r.namedValue(tool, "", w, 0)
		}
	case sub(0) == "run":
		tool, names = "kubectl run", []string{"--env"}
	default:
		return
	}
	for _, o := range opts {
		if slices.Contains(names, o.flag) {
			r.namedValue(tool, o.flag, o.a, o.k)
		}
	}
}

// option is an option of names splitOptions found, and the word its value
// is in from byte k on: the next word, or its own after "=".
type option struct {
	flag string
	a    arg
	k    int
}

// splitOptions returns the words of args that are no option nor an
// option's value, and the options of names, in the order written: a
// command's options may come before or after its words.
func splitOptions(args []arg, names []string, valued map[string]bool) (words []arg, opts []option) {
	for i := 0; i < len(args); i++ {
		t := args[i].lit()
		flag, _, _ := strings.Cut(t, "=")
		switch {
		case t == "--":
			return append(words, args[i+1:]...), opts
		case !strings.HasPrefix(t, "-") || t == "-":
			words = append(words, args[i])
		case slices.Contains(names, t) && i+1 < len(args):
			opts = append(opts, option{t, args[i+1], 0})
			i++
		case slices.Contains(names, flag) && flag != t:
			opts = append(opts, option{flag, args[i], len(flag) + 1})
		case valued[t]:
			i++
		}
	}
	return words, opts
}

// helm reads helm install|upgrade|template --set KEY=VALUE,... (and
// --set-string, --set-literal): each key a chart's value.
func (r *shellReader) helm(args []arg) {
	words, opts := splitOptions(args[1:], []string{"--set", "--set-string", "--set-literal"}, helmValued)
	if len(words) == 0 {
		return
	}
	sub := words[0].lit()
	if sub != "install" && sub != "upgrade" && sub != "template" {
		return
	}
	tool := "helm " + sub
	for _, o := range opts {
		if o.flag == "--set-literal" {
			r.namedValue(tool, o.flag, o.a, o.k)
			continue
		}
		for _, p := range helmPairs(o.a.lit(), o.k) {
			r.passed(tool, o.flag, o.flag+" ", o.a, p.at, p.name, p.value)
		}
	}
}

type helmPair struct {
	name, value string
	at          int // where the value starts in the text
}

// helmPairs splits what --set is given from byte k of text on into its
// KEY=VALUE pairs, as Helm's strvals does: at the commas outside braces
// not escaped with a backslash, which is dropped from a value.
func helmPairs(text string, k int) []helmPair {
	var out []helmPair
	start, depth := k, 0
	for i := k; i <= len(text); i++ {
		if i < len(text) {
			switch text[i] {
			case '\\':
				if i+1 < len(text) {
					i++ // what it escapes
				}
				continue
			case '{':
				depth++
				continue
			case '}':
				depth = max(0, depth-1)
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		name, value, ok := strings.Cut(text[start:i], "=")
		if ok && !strings.HasPrefix(value, "{") {
			out = append(out, helmPair{name: name, value: strings.ReplaceAll(value, `\,`, ","), at: start + len(name) + 1})
		}
		start = i + 1
	}
	return out
}

// dockerEnv reads -e NAME=VALUE (--env, --env-add) of docker exec,
// docker compose run|exec and docker service create|update, up to the
// container, service or image they run.
func (r *shellReader) dockerEnv(tool string, args []arg) {
	for i := 0; i < len(args); i++ {
		t := args[i].lit()
		if t == "--" || !strings.HasPrefix(t, "-") || t == "-" {
			return // the container or service: what follows is its command
		}
		if e, ok := envOption(args[i:], "-e", "--env", "--env-add"); ok {
			r.namedValue(tool, e.flag, e.a, e.k)
			i += e.words - 1
		} else if dockerValued[t] || composeRunValued[t] {
			i++
		}
	}
}

// envWord is a variable a docker option sets: NAME=VALUE from byte k of
// word a on, given by flag, which took words words.
type envWord struct {
	flag  string
	a     arg
	k     int
	words int
}

// envOption reads the option at args[0] when it is one of flags, which
// set a variable, in every form docker takes: the flag then NAME=VALUE
// (-e NAME=VALUE), joined by = (--env=NAME=VALUE), or glued to -e
// (-eNAME=VALUE).
func envOption(args []arg, flags ...string) (envWord, bool) {
	t := args[0].lit()
	flag, _, joined := strings.Cut(t, "=")
	switch {
	case slices.Contains(flags, t) && len(args) > 1:
		return envWord{t, args[1], 0, 2}, true
	case slices.Contains(flags, flag) && joined:
		return envWord{flag, args[0], len(flag) + 1, 1}, true
	case slices.Contains(flags, "-e") && strings.HasPrefix(t, "-e") && len(t) > 2 && !strings.HasPrefix(t, "--"):
		return envWord{"-e", args[0], 2, 1}, true
	}
	return envWord{}, false
}

// composeRunValued are the options of docker compose run and exec that
// take a value, beside docker run's.
var composeRunValued = map[string]bool{"--index": true}

// compose reads docker compose [options] run|exec.
func (r *shellReader) compose(tool string, args []arg) {
	rest := skipOptions(args, composeValued, nil)
	if len(rest) == 0 {
		return
	}
	if sub := rest[0].lit(); sub == "run" || sub == "exec" {
		r.dockerEnv(tool+" "+sub, rest[1:])
	}
}

// commandNotes reads the command a container of a YAML file runs as the
// file writes it (a Compose entrypoint: and command:, a Kubernetes
// command: and args:) for the values it hands other tools on their
// command lines (NoteArg). A list is words run without a shell, each
// given to the shell reader single-quoted, where it is written; a string
// (a Compose command written as one) is split as a shell splits it. A
// command that names none of the tools read is not read.
func commandNotes(y *yamlFile, lim *scriptLimits, first, second *yaml.Node) []Note {
	if !namesArgTool(first) && !namesArgTool(second) || lim.full() {
		return nil // what most commands are: read no further
	}
	type word struct {
		n    *yaml.Node
		exec bool // an item of a list: no shell's word
	}
	var words []word
	for _, n := range [...]*yaml.Node{first, second} {
		switch n = deref(n); {
		case n == nil:
		case n.Kind == yaml.ScalarNode:
			words = append(words, word{n, false})
		case n.Kind == yaml.SequenceNode:
			for _, it := range n.Content {
				if it = deref(it); it != nil && it.Kind == yaml.ScalarNode {
					words = append(words, word{it, true})
				}
			}
		}
	}
	text := NewYAMLText(y.path, y.data)
	s := &Script{File: y.path, exec: true}
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		written, inner := w.n.Value, 0
		if w.exec {
			switch q, err := syntax.Quote(w.n.Value, syntax.LangBash); {
			case !strings.Contains(w.n.Value, "'"):
				written, inner = "'"+w.n.Value+"'", 1
			case err == nil:
				written, inner = q, -1 // placed where the item is
			default:
				continue
			}
		}
		if inner >= 0 {
			for _, sp := range text.Script(w.n).Spans {
				sp.Off += b.Len() + inner
				s.Spans = append(s.Spans, sp)
			}
		} else {
			s.Spans = append(s.Spans, Span{Off: b.Len(), Pos: yamlPos(y.path, w.n)})
		}
		b.WriteString(written)
	}
	s.Text = b.String()
	var out []Note
	for _, n := range readScript(s, lim).Notes {
		if n.Code == NoteArg {
			out = append(out, n)
		}
	}
	return out
}

// hasAPIKey reports whether text may hold a Prefect API key.
func hasAPIKey(text string) bool {
	return strings.Contains(text, "pnu_") || strings.Contains(text, "pnb_")
}

// namesArgTool reports whether a command as a file writes it (a string,
// or a list of words) names a tool whose command line the shell reader
// reads for values (NoteArg).
func namesArgTool(n *yaml.Node) bool {
	switch n = deref(n); {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		s := n.Value
		return strings.Contains(s, "kubectl") || strings.Contains(s, "helm") || strings.Contains(s, "docker") ||
			strings.Contains(s, "podman") || strings.Contains(s, "oc ") || hasAPIKey(s)
	case n.Kind == yaml.SequenceNode:
		for _, it := range n.Content {
			if namesArgTool(it) {
				return true
			}
		}
	}
	return false
}
