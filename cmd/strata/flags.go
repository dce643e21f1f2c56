package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// flags is a command's flag set: the standard library's, plus what the
// help, the synopsis and completion need to know about each flag, in the
// order the command declares them.
type flags struct {
	fs   *flag.FlagSet
	list []*flagDoc
}

// flagDoc describes one flag and its other names.
type flagDoc struct {
	names  []string // "o", "output": the first is the one the synopsis shows
	arg    string   // the value's placeholder ("NAME"); empty for a boolean flag
	usage  string
	global bool   // one of the flags every command takes
	shown  string // the name the synopsis shows, when not the first
	value  flag.Value

	complete func() []string // the candidates for its value, for completion

	// synopsis is what the synopsis shows instead of the flag, as for a
	// group of flags; "-" leaves the flag out.
	synopsis string
}

func newFlags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by the caller
	fs.Usage = func() {}
	return &flags{fs: fs}
}

// flagVar defines a flag under each of names ("o,output"); arg is the
// placeholder of its value, empty for a boolean flag.
func (f *flags) flagVar(v flag.Value, names, arg, usage string) *flagDoc {
	d := &flagDoc{names: strings.Split(names, ","), arg: arg, usage: usage, value: v}
	for _, n := range d.names {
		f.fs.Var(v, n, usage)
	}
	f.list = append(f.list, d)
	return d
}

func (f *flags) boolVar(p *bool, names, usage string) {
	f.flagVar(boolSetter{p, true}, names, "", usage)
}

func (f *flags) stringVar(p *string, names, arg, usage string) *flagDoc {
	return f.flagVar((*stringValue)(p), names, arg, usage)
}

// pairVar defines --NAME and its opposite --NO, as Prefect's
// --show-x/--hide-x pairs: the last one given wins. The synopsis shows
// the one that changes *p.
func (f *flags) pairVar(p *bool, name, no, usage string) {
	d := &flagDoc{names: []string{name, no}, usage: usage, value: boolSetter{p, true}, shown: name}
	if *p {
		d.shown = no
	}
	f.fs.Var(boolSetter{p, true}, name, usage)
	f.fs.Var(boolSetter{p, false}, no, usage)
	f.list = append(f.list, d)
}

// showSecrets defines --show-secrets.
func (f *flags) showSecrets(p *bool, usage string) {
	if usage == "" {
		usage = "show secret values"
	}
	f.boolVar(p, "show-secrets", usage)
}

// yes defines --yes and -y.
func (f *flags) yes(p *bool) {
	f.boolVar(p, "yes,y", "do not ask for confirmation")
}

// output defines the output format under names ("o,output"): one of
// formats, the first being the default.
func (f *flags) output(p *string, names string, formats ...string) {
	*p = formats[0]
	d := f.flagVar(&formatValue{p: p, formats: formats}, names, strings.Join(formats, "|"), "the output format (default "+formats[0]+")")
	d.complete = func() []string { return formats }
}

// jsonOutput defines -o/--output json: true prints JSON.
func (f *flags) jsonOutput(p *bool) {
	d := f.flagVar(&jsonValue{p: p}, "o,output", "json", "print JSON")
	d.complete = func() []string { return []string{"json"} }
}

// global defines the flags every command takes, before or after its
// name: the profile and the release.
func (f *flags) global(c *cli) {
	profile := f.flagVar((*stringValue)(&c.profile), "profile,p", "NAME", "select the profile, as PREFECT_PROFILE does")
	profile.complete = profileNames
	prefect := f.flagVar((*stringValue)(&c.prefectVersion), "prefect-version", "X.Y.Z", "resolve as this Prefect release does (else $STRATA_PREFECT_VERSION, the project's, the newest)")
	prefect.complete = releaseNames
	ps := f.flagVar((*stringValue)(&c.pydanticSettingsVersion), "pydantic-settings-version", "X.Y.Z", "the pydantic-settings beside Prefect (else $STRATA_PYDANTIC_SETTINGS_VERSION, the project's, the newest)")
	ps.complete = func() []string { return []string{"2.13.1", "2.14.1"} }
	for _, d := range []*flagDoc{profile, prefect, ps} {
		d.global = true
	}
}

// lookup returns the flag of a name, without its dashes.
func (f *flags) lookup(name string) *flagDoc {
	for _, d := range f.list {
		if slices.Contains(d.names, name) {
			return d
		}
	}
	return nil
}

// parse parses args, flags before or after the arguments: flag.Parse
// stops at the first argument, so it is taken and the parse goes on after
// it. "--" ends the flags; everything after it is an argument.
func (f *flags) parse(args []string) ([]string, error) {
	var out []string
	for {
		if err := f.fs.Parse(args); err != nil {
			return nil, f.refusal(err)
		}
		rest := f.fs.Args()
		if len(rest) == 0 {
			return out, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" && !f.valueOf(args[:n-1]) {
			return append(out, rest...), nil
		}
		out, args = append(out, rest[0]), rest[1:]
	}
}

// valueOf reports whether the last of args is a flag that takes the word
// after it as its value ("--from --").
func (f *flags) valueOf(args []string) bool {
	if len(args) == 0 {
		return false
	}
	a := args[len(args)-1]
	if !strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
		return false
	}
	d := f.lookup(strings.TrimLeft(a, "-"))
	return d != nil && d.arg != ""
}

// synopsis renders the flags a command declares, not the global ones:
// "[-o json] [--show-secrets]".
func (f *flags) synopsis() string {
	var parts []string
	for _, d := range f.list {
		switch {
		case d.global || d.synopsis == "-":
		case d.synopsis != "":
			parts = append(parts, "["+d.synopsis+"]")
		default:
			parts = append(parts, "["+d.spelling([]string{cmp.Or(d.shown, d.names[0])})+"]")
		}
	}
	return strings.Join(parts, " ")
}

// spelling writes the flag under names, with its placeholder:
// "-o, --output json", a one-letter name first.
func (d *flagDoc) spelling(names []string) string {
	names = slices.Clone(names)
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(min(len(a), 2), min(len(b), 2)) })
	dashed := make([]string, len(names))
	for i, n := range names {
		dashed[i] = "--" + n
		if len(n) == 1 {
			dashed[i] = "-" + n
		}
	}
	s := strings.Join(dashed, ", ")
	if d.arg != "" {
		s += " " + d.arg
	}
	return s
}

// describe lists the flags, one a line with its use: the command's
// (global false) or the global ones.
func (f *flags) describe(w io.Writer, global bool) {
	width := 0
	for _, d := range f.list {
		if d.global == global {
			width = max(width, len(d.spelling(d.names)))
		}
	}
	for _, d := range f.list {
		if d.global == global {
			fmt.Fprintf(w, "  %-*s  %s\n", width, d.spelling(d.names), d.usage)
		}
	}
}

// stringValue is a string flag.
type stringValue string

func (s *stringValue) String() string     { return string(*s) }
func (s *stringValue) Set(v string) error { *s = stringValue(v); return nil }

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

// formatValue is an output format, one of formats.
type formatValue struct {
	p       *string
	formats []string
	err     *formatError // the last refusal, which flag.Parse reports only as text
}

func (v *formatValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

func (v *formatValue) Set(s string) error {
	for _, f := range v.formats {
		if strings.EqualFold(s, f) {
			*v.p = f
			return nil
		}
	}
	v.err = &formatError{s, v.formats}
	return v.err
}

// jsonValue is -o json, the only format of the commands that print JSON
// besides their text.
type jsonValue struct {
	p   *bool
	err *formatError
}

func (v *jsonValue) String() string { return "" }
func (v *jsonValue) Set(s string) error {
	if !strings.EqualFold(s, "json") {
		v.err = &formatError{s, []string{"json"}}
		return v.err
	}
	*v.p = true
	return nil
}

// formatError is an output format the command does not have.
type formatError struct {
	format  string
	formats []string
}

func (e *formatError) Error() string {
	known := e.formats
	if len(known) == 1 {
		return fmt.Sprintf("only '%s' output format is supported", known[0])
	}
	return fmt.Sprintf("unknown format %q; want %s or %s", e.format, strings.Join(known[:len(known)-1], ", "), known[len(known)-1])
}

// listValue collects a flag given several times, or with values separated
// by commas or white space.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ",") }

func (l *listValue) Set(v string) error {
	*l = append(*l, strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})...)
	return nil
}

// refusal is the error to report for a parsing error: an output format's
// own, which flag.Parse keeps only as text.
func (f *flags) refusal(err error) error {
	for _, d := range f.list {
		switch v := d.value.(type) {
		case *formatValue:
			if v.err != nil {
				return v.err
			}
		case *jsonValue:
			if v.err != nil {
				return v.err
			}
		}
	}
	return err
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
