// The checks of one container of a deployment file: its variables are an
// environment, checked as the environment is (env.go, values.go) against
// the release the container runs, and resolved by the engine with the
// files mounted into it.

package lint

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// ctr is what the checks learn of one container.
type ctr struct {
	st  *stack
	c   *deploy.Container
	sel *selected // the release its settings are checked against
	// own says sel is the container's own release (an image tag, a pinned
	// install), not the project's.
	own bool
	// old names the release when it is no Prefect 3 ("Prefect 2"): its
	// settings are not checked.
	old string
	// result is what the engine resolves in it; nil for a container that
	// runs no Prefect.
	result *settings.Result
	// unsure says settings may come from where no file read tells (an
	// envFrom of an object applied apart): that a setting is not set is
	// then not known.
	unsure bool
}

// stack is the containers of one deployment file.
type stack struct {
	f    *deploy.File
	cs   []*ctr
	used map[string]bool // the names the file's values and commands refer to
	env  bool            // the environment is linted: what it does not set is unset
	// required are the variables a ${VAR:?} requires that are not set
	// here, which the file was read with stand-ins for.
	required map[string]bool
	// unsupported are the places naming a release Strata does not
	// support that were reported: a workflow's steps share their job's.
	unsupported map[sources.Position]bool
	// later are the API keys the file's scripts write out, reported once
	// the file's other findings are made, unless one of them is on the
	// same line (secretsLater).
	later []deploy.Note
}

// note reports a reader's note of the file, or keeps it for later. A
// credential handed on through a variable is reported once, at the first
// command line that hands it on.
func (st *stack) note(l *linter, n deploy.Note) {
	switch {
	case n.Arg != nil && n.Arg.Bare:
		st.later = append(st.later, n)
	case n.Arg != nil && n.Arg.Var != "":
		if !l.secretOnLine(n.Pos) {
			l.note(n)
		}
	default:
		l.note(n)
	}
}

// checkFile checks the containers of a deployment file, alone and
// together.
func (l *linter) checkFile(f *deploy.File, required map[string]bool) {
	st := &stack{f: f, env: l.opts.Env, required: required}
	for _, n := range f.Notes {
		st.note(l, n)
	}
	for i := range f.Containers {
		st.cs = append(st.cs, l.checkContainer(st, &f.Containers[i]))
	}
	l.checkStack(st)
	l.secretsLater(st.later)
	if l.interpolated == nil {
		l.interpolated = map[string]bool{}
	}
	for name := range st.names() {
		l.interpolated[name] = true
	}
}

// referenced reports whether the file refers to the variable name in a
// value or a command: the project's own variable, not a setting.
func (st *stack) referenced(name string) bool { return st.names()[name] }

// names returns the names of the variables the file's values and commands
// refer to.
func (st *stack) names() map[string]bool {
	if st.used == nil {
		st.used = map[string]bool{}
		for _, c := range st.f.Containers {
			for _, v := range c.Vars {
				for _, r := range v.Refs {
					st.used[r.Name] = true
				}
			}
			for _, w := range c.Command {
				for _, m := range commandRefRE.FindAllStringSubmatch(w, -1) {
					st.used[m[1]+m[2]+m[3]] = true
				}
			}
		}
	}
	return st.used
}

// checkContainer checks one container's variables and what the engine
// resolves from them.
func (l *linter) checkContainer(st *stack, c *deploy.Container) *ctr {
	k := &ctr{st: st, c: c}
	for _, n := range c.Notes {
		st.note(l, n)
		k.unsure = k.unsure || n.Code == deploy.NoteDeferredEnv
	}
	k.sel, k.own, k.old = l.containerRelease(c)
	if k.old != "" && !st.unsupported[c.Release.Pos] {
		if st.unsupported == nil {
			st.unsupported = map[sources.Position]bool{}
		}
		st.unsupported[c.Release.Pos] = true
		l.report(RuleUnsupported, c.Release.Pos, "", "",
			"%s runs %s (%s), which Strata does not support: its variables are checked for secrets only", c.Describe(), k.old, c.Release.From)
	}
	l.scope = k.sel
	defer func() { l.scope = nil }()
	rd := sources.Reader{Release: k.sel.rel}
	for i := range c.Vars {
		l.checkVar(st, k, rd, &c.Vars[i])
	}
	if k.old == "" && (c.Role != deploy.Unknown || setsPrefect(c)) {
		k.result = l.resolveContainer(k)
		if k.result != nil {
			r := ofResult(k.result)
			l.keyAndAuth(r)
			l.keyNotCloud(r)
			l.databaseParts(r)
		}
	}
	return k
}

func setsPrefect(c *deploy.Container) bool {
	return slices.ContainsFunc(c.Vars, func(v deploy.Var) bool { return isPrefectName(v.Name) })
}

// containerRelease selects the release a container's settings are checked
// against: the one its image or install names, else its project's. old
// names a release that is no Prefect 3.
func (l *linter) containerRelease(c *deploy.Container) (sel *selected, own bool, old string) {
	h := c.Release
	switch {
	case l.opts.PrefectVersion != "" || strings.TrimSpace(l.env[settings.PrefectVersionEnv]) != "":
		return l.release, false, "" // given for every file, as the engine takes it
	case h.Major != 0 && h.Major != 3:
		old = fmt.Sprintf("Prefect %d", h.Major)
		if h.Version != "" {
			old = "Prefect " + h.Version
		}
		return l.releaseFor(c.Pos), false, old
	case h.Newest:
		return l.hintRelease(release.Default(), release.Default().Version.String(), h), true, ""
	case h.Version != "":
		want := h.Version
		if strings.Count(want, ".") == 1 {
			want = "~=" + want + ".0" // a minor's tag: its newest patch
		}
		rel, _, err := release.Select(want, l.opts.PydanticSettingsVersion)
		if err != nil {
			return l.releaseFor(c.Pos), false, "Prefect " + h.Version
		}
		return l.hintRelease(rel, h.Version, h), true, ""
	}
	return l.releaseFor(c.Pos), false, ""
}

// hintRelease is the selected release of a container whose file names
// it, as the engine names it: found in the manifest, where the image or
// the install says it.
func (l *linter) hintRelease(rel *release.Release, version string, h deploy.ReleaseHint) *selected {
	return &selected{rel: rel, versions: settings.Versions{Prefect: settings.Version{
		Version: version, Source: settings.FromManifest, Pos: h.Pos, From: h.From}}}
}

// varPos is where v's name is written, spanning it when the text there
// is the name.
func (l *linter) varPos(v *deploy.Var) sources.Position {
	pos := v.Pos
	if pos.Line <= 0 || pos.Column <= 0 {
		return pos
	}
	f, ok := l.texts[filepath.Clean(pos.File)]
	if !ok {
		return pos
	}
	end := pos
	end.EndLine, end.EndColumn = pos.Line, pos.Column+utf8.RuneCountInString(v.Name)
	if start, stop, ok := byteSpan(f.data, end); ok && string(f.data[start:stop]) == v.Name {
		return end
	}
	return pos
}

// unknownValue reports whether the value of v is known only where the
// container is deployed: a deferred value, or one substituted from
// variables not set here (when the environment is not linted), a
// required one included.
func (st *stack) unknownValue(v *deploy.Var) bool {
	switch {
	case v.Deferred != "":
		return true
	case v.Literal:
		return false // written out: what Prefect gets, references left as written included
	}
	return slices.ContainsFunc(v.Refs, func(r deploy.Ref) bool {
		// A reference left as written in a value that is not (to the
		// base image's environment, say) is set where the file is
		// deployed, if anywhere.
		return st.required[r.Name] || r.Unexpanded || !r.Set && !r.Default && !st.env
	})
}

// checkVar checks one variable of a container: its name and its value as
// a setting of the container's release, the references it is built from,
// and a credential written out.
func (l *linter) checkVar(st *stack, k *ctr, rd sources.Reader, v *deploy.Var) {
	pos := l.varPos(v)
	// A variable written in a settings file linted on its own (an
	// env_file) has had its checks there: only its release may differ.
	f, inSettings := l.texts[filepath.Clean(pos.File)]
	inSettings = inSettings && f.kind != kindDeploy
	one := rd.Vars([]sources.Var{{Name: v.Name, Value: v.Value, Pos: pos, Deferred: v.Deferred, Implicit: v.Implicit}})
	var s *schema.Setting
	for i := range one.Values {
		sv := one.Values[i]
		sv.Pos = pos // the file's place, without the variable's name the reader adds
		if v.Templated {
			sv.Alias = 0 // the chart's name for it, not the file's
		}
		s = sv.Setting
		switch {
		case k.old != "" || v.Implicit:
		case inSettings:
			if k.own {
				l.releaseValue(sv)
			}
		case k.st.unknownValue(v):
			l.valueName(sv)
		default:
			l.value(sources.Env, sv, false)
		}
	}
	if k.old == "" && !v.Implicit && !inSettings {
		if !k.st.unknownValue(v) {
			for i := range one.Groups {
				one.Groups[i].Pos = pos
			}
			l.groups(one)
		}
		for range one.Ignored {
			l.containerUnknown(st, v, pos)
		}
		l.references(s, v)
	}
	if !v.Implicit && !inSettings {
		l.secretWritten(s, v, pos)
	}
}

// containerUnknown checks a PREFECT_ name of a container that is no
// setting of its release. A deployment's own variables often start with
// PREFECT_ (PREFECT_WORK_POOL for a command, PREFECT_DB_PASSWORD for a
// URL built from it): one the file refers to is the project's, and only a
// near miss of a setting's name is a warning.
func (l *linter) containerUnknown(st *stack, v *deploy.Var, pos sources.Position) {
	name := v.Name
	upper := strings.ToUpper(name)
	switch {
	case notSetting(upper), l.loggingOverride(name):
		return // read by Prefect or its integrations, but no setting of Prefect's
	case l.oldName(pos, name), l.releaseUnknown(pos, name, ""):
		return // a name of another release
	}
	near := l.suggest(name, false)
	switch {
	case near != "" && nearMiss(upper, near):
		l.unknown(pos, name, "", near)
	case st.referenced(name) || v.Build:
		// the project's own, or a build argument
	default:
		l.reportAs(Info, RuleUnknownSetting, pos, "", "", "%s is no Prefect setting: Prefect ignores it", name)
	}
}

// nearMiss reports whether name, no setting, is the setting near
// misspelt: one of its words mistyped or cut short (PREFECT_LOGING_LEVEL,
// PREFECT_SERVER_DATABASE_PASS), rather than a name of other words that
// merely shares some (PREFECT_SERVER_URL and PREFECT_SERVER_DOCKET_URL).
func nearMiss(name, near string) bool {
	a, b := strings.Split(name, "_"), strings.Split(near, "_")
	if len(a) != len(b) {
		return false
	}
	differ := -1
	for i := range a {
		if a[i] != b[i] {
			if differ >= 0 {
				return false
			}
			differ = i
		}
	}
	if differ < 0 {
		return true
	}
	x, y := a[differ], b[differ]
	return len(x) >= 3 && strings.HasPrefix(y, x) || schema.Nearest(x, []string{y}) != ""
}

// references checks the references v's value is built from, s being its
// setting, if it is one.
func (l *linter) references(s *schema.Setting, v *deploy.Var) {
	if v.Deferred != "" {
		return // passed through, or taken from where the file is deployed
	}
	gets := func() string {
		return fmt.Sprintf("%s gets %q", v.Name, shownValue(s, v.Name, v.Value))
	}
	for _, r := range v.Refs {
		switch {
		case r.Unexpanded && !v.Literal:
			// Set where the file is deployed, if anywhere (the base
			// image's environment).
		case r.Unexpanded:
			if !r.Set && !envNameRE.MatchString(r.Name) {
				continue // a $ inside a value, such as a password's
			}
			msg := fmt.Sprintf("$%s is left as written: in an env value only $(NAME) is expanded (a shell would expand $%s, but none runs here), so %s", r.Name, r.Name, gets())
			sugg := ""
			if r.Set {
				sugg = "$(" + r.Name + ")"
				msg += "; write " + sugg
			}
			l.report(RuleShellVariable, r.Pos, settingPath(s), sugg, "%s", msg)
		case r.Set || r.Default:
		case v.Literal:
			l.report(RuleUndefinedVariable, r.Pos, settingPath(s), "",
				"%s names no variable set before it: the reference is left as written, so %s%s", r.Name, gets(), rejected(s, v.Value))
		case l.opts.Env:
			l.report(RuleUndefinedVariable, r.Pos, settingPath(s), "",
				"%s is set neither in the environment nor beside the file, and has no default: it is substituted by an empty string, so %s%s", r.Name, gets(), rejected(s, v.Value))
		default:
			l.reportAs(Info, RuleUndefinedVariable, r.Pos, settingPath(s), "",
				"%s is set nowhere here and has no default: unless the environment the file is deployed from sets it, it is substituted by an empty string, so %s%s", r.Name, gets(), rejected(s, v.Value))
		}
	}
}

var (
	// envNameRE matches the names a shell variable is usually given.
	envNameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)
	// commandRefRE matches a reference to a variable in a command:
	// ${NAME}, $(NAME) or $NAME.
	commandRefRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// rejected says, for a setting s, that Prefect rejects value.
func rejected(s *schema.Setting, value string) string {
	if s == nil {
		return ""
	}
	if err := settings.Validate(s, sources.Env, value); err != nil {
		return ", which Prefect rejects: " + err.Error()
	}
	return ""
}

// shownValue is value as a finding may show it: a secret's masked.
func shownValue(s *schema.Setting, name, value string) string {
	if v, ok := schema.Masked(s, name, value).(string); ok {
		return v
	}
	return schema.Mask
}

func settingPath(s *schema.Setting) string {
	if s == nil {
		return ""
	}
	return s.Path
}

// secretWritten reports a credential the file writes out where a
// reference would keep it out, or bakes into an image.
func (l *linter) secretWritten(s *schema.Setting, v *deploy.Var, pos sources.Position) {
	if !v.Literal && !v.Baked || v.Via == deploy.ViaDockerRun && (len(v.Refs) == 0 || v.Passed) {
		return // docker run -e NAME=VALUE: reported on the command line (secretPassed)
	}
	var what string
	switch {
	case s != nil:
		what = credential(s, v.Value)
	case isPrefectName(v.Name) && secretVarName(v.Name) && !standIn(v.Value):
		what = "holds a secret"
	}
	if what == "" && !(v.Baked && s != nil && s.Secret && v.Deferred != "") {
		return
	}
	name := v.Name
	if s != nil {
		name = s.Path
	}
	if v.Baked {
		if what == "" {
			what = "is a secret"
		}
		l.report(RuleSecretInImage, pos, settingPath(s), "",
			"%s %s, and %s writes it into the image: whoever pulls the image reads it; pass it when the container starts (a secret, a variable of its environment)", name, what, v.Via)
		return
	}
	var m more
	if v.LiteralPos.IsValid() {
		// K=pnu_...; export PREFECT_API_KEY=$K: where the value is
		// written, pointing at where the variable takes it.
		m.related = []diag.Related{{Pos: pos, Message: fmt.Sprintf("%s takes it here", v.Name)}}
		pos = v.LiteralPos
		if l.secretOnLine(pos) {
			return // handed on a command line too, and reported there
		}
	}
	switch l.gitState(pos.File) {
	case gitIgnored:
	case gitTracked:
		l.reportMore(m, RuleSecretInFile, pos, settingPath(s), "",
			"%s %s, written out in a file git tracks, so the secret is in the repository's history: rotate it, and take it from a reference (a Secret, a secret of the CI, ${VAR}) set where the file is deployed", name, what)
	default:
		l.reportMore(m, RuleSecretInFile, pos, settingPath(s), "",
			"%s %s, written out in a deployment file: whoever reads the file reads it; take it from a reference (a Secret, a secret of the CI, ${VAR}) set where the file is deployed", name, what)
	}
}

// secretVarName reports whether a variable's name ends in a word that
// says it holds a secret (PREFECT_DB_PASSWORD, PREFECT_API_TOKEN), not
// one that names where a secret is (..._SECRET_NAME, ..._SECRET_KEY).
func secretVarName(name string) bool {
	words := strings.Split(strings.ToLower(name), "_")
	last := words[len(words)-1]
	switch last {
	case "password", "passwd", "pwd", "passphrase", "token", "secret", "credentials", "dsn", "apikey":
		return true
	case "key":
		return len(words) > 1 && (words[len(words)-2] == "api" || words[len(words)-2] == "access" || words[len(words)-2] == "private")
	case "string":
		return len(words) > 1 && words[len(words)-2] == "auth"
	}
	return false
}

// deferredStandIn is what a variable a ${VAR:?} requires is given when
// the file is read without the environment it is deployed from: a value
// no check takes for one (they pass over what holds "${").
func deferredStandIn(name string) string { return "${" + name + "}" }

// resolveContainer asks the engine what is in force in a container, as
// the release it is checked against: its environment, the profile its
// image writes, the settings files mounted or copied into it
// (settings.Options.Container). A value known only where the container
// is deployed is resolved as unset, and the engine says so
// (Origin.Deferred). The positions of the result are the findings': a
// variable's name, a file as the run shows it.
func (l *linter) resolveContainer(k *ctr) *settings.Result {
	c := k.c
	sc := c.Settings(l.abs(filepath.Dir(c.Pos.File)))
	type at struct {
		name string
		pos  sources.Position
	}
	vars := map[at]*deploy.Var{}
	names := map[sources.Position]sources.Position{}
	for i := range c.Vars {
		v := &c.Vars[i]
		vars[at{v.Name, v.At()}] = v
		names[v.At()] = l.varPos(v)
	}
	for _, list := range [][]sources.Var{sc.Env, sc.Profile} {
		for i := range list {
			if v := vars[at{list[i].Name, list[i].Pos}]; v != nil && list[i].Deferred == "" && k.st.unknownValue(v) {
				list[i].Deferred = "the environment the file is deployed from"
			}
		}
	}
	opts := settings.Options{Container: sc, Environ: []string{}, Dir: l.abs(filepath.Dir(c.Pos.File)),
		PrefectVersion: k.sel.rel.Version.String()}
	if ps := k.sel.rel.PydanticSettings; !ps.IsZero() {
		opts.PydanticSettingsVersion = ps.String()
	}
	r, _ := settings.Load(opts) // invalid values are reported where they are written
	if r == nil {
		return nil
	}
	for i := range r.Origins() {
		o := &r.Origins()[i]
		for j := range o.Candidates {
			p := &o.Candidates[j].Pos
			written := *p
			written.Env = "" // the engine names the variable of a container's value
			if name, ok := names[written]; ok {
				*p = name
			} else if l.paths != nil {
				p.File = l.paths.show(p.File)
			}
		}
	}
	return r
}

// apiSet reports whether api.url is set in a container: in force, or set
// where the container is deployed.
func apiSet(r *settings.Result) bool {
	if inForce(r, schema.IAPIURL) != nil {
		return true
	}
	_, deferred := r.Origins()[schema.IAPIURL].Deferred()
	return deferred
}
