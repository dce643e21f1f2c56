// The checks of one container of a deployment file: its variables are an
// environment, checked as the environment is (env.go, values.go) against
// the release the container runs, and resolved by the engine with the
// files mounted into it.

package lint

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/deploy"
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
	// unsure says settings may come from where no file read tells (a
	// profiles file mounted, an envFrom applied apart): that a setting is
	// not set is then not known.
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
}

// checkFile checks the containers of a deployment file, alone and
// together.
func (l *linter) checkFile(f *deploy.File, required map[string]bool) {
	for _, n := range f.Notes {
		l.note(n)
	}
	st := &stack{f: f, env: l.opts.Env, required: required}
	for i := range f.Containers {
		st.cs = append(st.cs, l.checkContainer(st, &f.Containers[i]))
	}
	l.checkStack(st)
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
		l.note(n)
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
		k.result = l.resolveContainer(k, rd)
		if k.result != nil {
			l.keyAndAuth(k.result)
			l.keyNotCloud(k.result)
			l.databaseParts(k.result)
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
// it, read as a version found where the hint is written.
func (l *linter) hintRelease(rel *release.Release, version string, h deploy.ReleaseHint) *selected {
	return &selected{rel: rel, versions: settings.Versions{Prefect: settings.Version{
		Version: version, Source: settings.FromDetected, Pos: h.Pos}}}
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
	one := rd.Env([]string{v.Name + "=" + v.Value})
	var s *schema.Setting
	for i := range one.Values {
		sv := one.Values[i]
		sv.Pos = pos
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
	if !v.Literal && !v.Baked {
		return
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
	switch l.gitState(pos.File) {
	case gitIgnored:
	case gitTracked:
		l.report(RuleSecretInFile, pos, settingPath(s), "",
			"%s %s, written out in a file git tracks, so the secret is in the repository's history: rotate it, and take it from a reference (a Secret, a secret of the CI, ${VAR}) set where the file is deployed", name, what)
	default:
		l.report(RuleSecretInFile, pos, settingPath(s), "",
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

// containerHome is the home of Prefect's images, which run as root.
const containerHome = "/root"

// deferredStandIn is what the engine is given for a value known only
// where the container is deployed: set, but of no value a check reads
// (they pass over what holds "${").
func deferredStandIn(name string) string { return "${" + name + "}" }

// resolveContainer asks the engine what is in force in a container: its
// environment, the last value of each name in force, and the settings
// files mounted where Prefect reads them.
func (l *linter) resolveContainer(k *ctr, rd sources.Reader) *settings.Result {
	c := k.c
	last := map[string]int{}
	for i, v := range c.Vars {
		if !v.Build {
			last[v.Name] = i
		}
	}
	env := &sources.Layer{Kind: sources.Env}
	profile := &sources.Layer{Kind: sources.Profile}
	var environ []string
	for i := range c.Vars {
		v := &c.Vars[i]
		if last[v.Name] != i || v.Build {
			continue // overridden, or gone once the image is built
		}
		value := v.Value
		if k.st.unknownValue(v) {
			value = deferredStandIn(v.Name)
		} else if !v.InProfile {
			environ = append(environ, v.Name+"="+v.Value)
		}
		into := env
		if v.InProfile {
			into = profile // prefect config set: read below the environment and the files
		}
		one := rd.Env([]string{v.Name + "=" + value})
		pos := l.varPos(v)
		for _, x := range one.Values {
			x.Pos = pos
			into.Values = append(into.Values, x)
		}
		for _, g := range one.Groups {
			g.Pos = pos
			into.Groups = append(into.Groups, g)
		}
	}
	layers := []*sources.Layer{env, profile}
	lookup := func(name string) (string, bool) {
		i, ok := last[name]
		if !ok || k.st.unknownValue(&c.Vars[i]) {
			return "", false
		}
		return c.Vars[i].Value, true
	}
	for _, m := range c.Mounts {
		layers = append(layers, l.mounted(k, rd, m, lookup)...)
	}
	r, _ := settings.Resolve(settings.Input{Release: k.sel.rel, Layers: layers, Environ: environ, Home: containerHome})
	return r
}

// mounted reads the settings files a mount puts where Prefect reads them:
// a .env, prefect.toml or pyproject.toml, or a directory holding them.
func (l *linter) mounted(k *ctr, rd sources.Reader, m deploy.Mount, lookup func(string) (string, bool)) []*sources.Layer {
	dir := filepath.Dir(k.c.Pos.File)
	host := m.Host
	if !filepath.IsAbs(host) {
		host = filepath.Join(dir, filepath.FromSlash(host))
	}
	files := map[string]string{path.Base(m.Container): host}
	switch path.Base(m.Container) {
	case ".env", "prefect.toml", "pyproject.toml":
	case "profiles.toml":
		k.unsure = true // the profile it holds may set anything
		return nil
	default:
		files = map[string]string{}
		for _, name := range []string{".env", "prefect.toml", "pyproject.toml"} {
			files[name] = filepath.Join(host, name)
		}
	}
	var out []*sources.Layer
	for name, file := range files {
		var layer *sources.Layer
		var err error
		switch read := l.abs(file); name {
		case ".env":
			layer, err = rd.DotEnv(read, lookup)
		case "prefect.toml":
			layer, err = rd.PrefectTOML(read)
		case "pyproject.toml":
			layer, err = rd.Pyproject(read)
		}
		if layer == nil || err != nil && len(layer.Values) == 0 {
			continue // missing, or reported where the file is linted
		}
		relocate(layer, file)
		out = append(out, layer)
	}
	return out
}
