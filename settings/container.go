package settings

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/sources"
)

// Container is an environment other than the process's whose settings Load
// resolves when Options.Container names it: a container as a deployment
// file describes it (package deploy makes one of each container it reads).
// Prefect in it sees its environment, its home directory and the files
// mounted or copied into it, and nothing else of this machine:
//
//   - its variables replace the process environment, each value
//     positioned where the file writes it;
//   - its home is HOME of its environment, else Home, else /root (Prefect's
//     images run as root), so that PREFECT_HOME defaults to /root/.prefect;
//   - .env, prefect.toml and pyproject.toml are read from its working
//     directory, and the profiles file from where Prefect looks for it,
//     only through Files: no other file of this machine is read; a file
//     the deployment file holds (a ConfigMap) is read from it, and one
//     whose content is known only when deployed is resolved as absent;
//   - the release is Release when the file names it (an image tag, a
//     pinned install), else the project's, as for the process.
//
// A variable whose value exists only when the container is deployed (a
// Secret the files do not hold: sources.Var.Deferred) is resolved as unset,
// and every setting it would set says so (Origin.Deferred and a warning):
// its value is never taken for known.
type Container struct {
	// Name says which container it is, for messages: `service "worker"`.
	Name string
	// Env is its environment, the variables in the order they take effect
	// (of two values of one name the later wins), each with where it is
	// written.
	Env []sources.Var
	// Dir is its working directory; empty means /opt/prefect, the working
	// directory of Prefect's images.
	Dir string
	// Home is its home directory when Env has no HOME; empty means /root.
	Home string
	// Files are the files and directories of this machine it sees, by the
	// path it sees them at: the settings files a deployment file mounts
	// or copies into it. A later entry wins over an earlier one.
	Files []Mount
	// Release is what the deployment file says of the Prefect release it
	// runs.
	Release ContainerRelease
	// Profile are settings written into the active profile of its
	// profiles file when its image was built (prefect config set in a
	// Dockerfile), each where it is written: they apply as that profile's,
	// unless a profiles file mounted over the image's hides them.
	Profile []sources.Var
	// ProfileFiles are, for each of Profile, the profiles file it was
	// written to, as the command's environment chose it
	// (PREFECT_PROFILES_PATH, $PREFECT_HOME/profiles.toml, or
	// ~/.prefect/profiles.toml, ~ being the container's home); "" or no
	// entry when not known, taken as the file Prefect reads. A setting
	// written to another file than the one Prefect in the container reads
	// does not apply.
	ProfileFiles []string
	// Warnings are the reader's warnings about its environment (a
	// ${VAR} left unset, which Compose makes an empty string), added to
	// every Result.
	Warnings []Warning
	// Sources are the files it was read from (a Compose file and its
	// env_file files, manifests), which Watch watches beside its Files;
	// Reload, when set, reads it again from them after a change.
	Sources []string
	Reload  func() (*Container, error)
}

// Mount is a file or directory of this machine that a container sees, or
// a file whose content the deployment file holds (a Kubernetes ConfigMap
// or Secret mounted as a volume), or one known only when it is deployed.
type Mount struct {
	Path string           // where the container sees it: "/opt/prefect/prefect.toml", or a directory
	File string           // the file or directory on this machine; for Data, the deployment file
	Pos  sources.Position // where the deployment file mounts or copies it
	// Data, when not nil, is the file's content, as the deployment file
	// File holds it, at DataPos: a position at line l, column c of the
	// content is at line DataPos.Line+l-1, column DataPos.Column+c-1 of
	// File when InPlace (a YAML literal block), else at DataPos (a value
	// base64-encoded, or escaped). From says what holds it: `ConfigMap
	// "prefect" key "prefect.toml"`.
	Data    []byte
	DataPos sources.Position
	InPlace bool
	From    string
	// Deferred, when set, says why the content of the file at Path is
	// known only when the container is deployed (`ConfigMap "prefect",
	// which no file read defines`): it is resolved as absent, with a
	// warning.
	Deferred string
}

// locate returns where p, a position in the content of m, is written in
// the deployment file.
func (m *Mount) locate(p sources.Position) sources.Position {
	if p.File != m.File || p.Env != "" {
		return p
	}
	if !m.InPlace || p.Line <= 0 {
		return m.DataPos
	}
	shift := func(line, col int) (int, int) {
		if line <= 0 {
			return 0, 0
		}
		if col > 0 {
			col += m.DataPos.Column - 1
		}
		return line + m.DataPos.Line - 1, col
	}
	p.Line, p.Column = shift(p.Line, p.Column)
	p.EndLine, p.EndColumn = shift(p.EndLine, p.EndColumn)
	return p
}

// ContainerRelease is what a deployment file says of the Prefect release a
// container runs.
type ContainerRelease struct {
	// Version is the release as named: "3.4.22"; "3.4" for the newest
	// 3.4 release; "2.19.3" or "2" for Prefect 2, which is not supported.
	// Empty when the file names no version, or only "the newest".
	Version string
	// Newest is set for a tag that follows the newest release
	// (3-latest, latest): the newest release Strata knows is resolved.
	Newest bool
	// PydanticSettings is the pydantic-settings version the container
	// runs, when the file tells: "2.13" stands for any version before
	// 2.14. Empty means the newest, as a fresh install gets.
	PydanticSettings string
	Pos              sources.Position // where it is written
	From             string           // what it is read from: "image prefecthq/prefect:3.4.22-python3.11"
}

// IsZero reports whether the file says nothing of the release.
func (r ContainerRelease) IsZero() bool { return r.Version == "" && !r.Newest }

// The home and working directory of Prefect's images.
const (
	containerHome = "/root"
	containerDir  = "/opt/prefect"
)

// dir returns the container's working directory.
func (c *Container) dir() string {
	if c.Dir == "" {
		return containerDir
	}
	return path.Clean(c.Dir)
}

// file returns the file of this machine the container sees at p (a
// slash-separated path, relative ones from its working directory); ok is
// false when it sees none there, or one whose content is known only when
// deployed. For a file the deployment file holds (Mount.Data), it is the
// deployment file.
func (c *Container) file(p string) (string, bool) {
	m, f, ok := c.mount(p)
	if !ok || m.Deferred != "" {
		return "", false
	}
	return f, true
}

// mount returns the mount through which the container sees p, and the
// file of this machine at p.
func (c *Container) mount(p string) (*Mount, string, bool) {
	if !path.IsAbs(p) {
		p = path.Join(c.dir(), p)
	}
	p = path.Clean(p)
	for i := len(c.Files) - 1; i >= 0; i-- {
		m := &c.Files[i]
		at := path.Clean(m.Path)
		if !path.IsAbs(at) {
			at = path.Join(c.dir(), at)
		}
		if p == at {
			return m, m.File, true
		}
		if m.Data != nil {
			continue // a file, not a directory
		}
		if rest, ok := strings.CutPrefix(p, strings.TrimSuffix(at, "/")+"/"); ok {
			return m, filepath.Join(m.File, filepath.FromSlash(rest)), true
		}
	}
	return nil, "", false
}

// content returns the content of the file the container sees at p, when
// the deployment file holds it, with its mount.
func (c *Container) content(p string) (*Mount, bool) {
	m, _, ok := c.mount(p)
	if !ok || m.Data == nil || m.Deferred != "" {
		return nil, false
	}
	return m, true
}

// environ returns the container's environment as a process started in it
// sees it: the last value of each name, those known only when it is
// deployed left out.
func (c *Container) environ() map[string]string {
	env := make(map[string]string, len(c.Env))
	for _, v := range c.Env {
		if v.Deferred != "" {
			delete(env, v.Name)
			continue
		}
		env[v.Name] = v.Value
	}
	return env
}

// inside returns the options and the environment Prefect sees: for a
// container, its own environment, working directory and home. Environ,
// Dir and Home of the result then belong to the container.
func (o Options) inside(env map[string]string) (Options, map[string]string) {
	c := o.Container
	if c == nil {
		return o, env
	}
	env = c.environ()
	o.Environ = make([]string, 0, len(env))
	for k, v := range env {
		o.Environ = append(o.Environ, k+"="+v)
	}
	o.Dir, o.Home = c.dir(), c.home(env)
	return o, env
}

// home returns the container's home directory, env being its environment.
func (c *Container) home(env map[string]string) string {
	switch {
	case env["HOME"] != "":
		return env["HOME"]
	case c.Home != "":
		return c.Home
	}
	return containerHome
}

// envLayer reads the environment: the container's variables, positioned in
// their file, or the process's.
func (o Options) envLayer(rd sources.Reader) *sources.Layer {
	if o.Container != nil {
		return rd.Vars(o.Container.Env)
	}
	return rd.Env(o.Environ)
}

// workFile returns the file Prefect reads as name in its working
// directory: for a container, the file of this machine mounted there, or
// "" (no file) when none is.
func (o Options) workFile(name string) string {
	if o.Container == nil {
		return pypath.Join(o.Dir, name) // a ".." after a link leads out of its target
	}
	f, _ := o.Container.file(name)
	return f
}

// readWork reads the file Prefect reads as name in its working directory:
// with read, the file of this machine (none, for a container that mounts
// none there); with parse, the content a container's deployment file
// holds, every position then where the deployment file writes it.
func (o Options) readWork(name string, read func(string) (*sources.Layer, error), parse func(string, []byte) (*sources.Layer, error)) (*sources.Layer, error) {
	if o.Container != nil {
		if m, ok := o.Container.content(name); ok {
			l, err := parse(m.File, m.Data)
			return m.relocate(l), m.relocateErr(err)
		}
	}
	return read(o.workFile(name))
}

// content returns, for a container, the content of the files its
// deployment file holds, by the path the container sees them at.
func (o Options) content() func(string) ([]byte, bool) {
	if o.Container == nil {
		return nil
	}
	return func(p string) ([]byte, bool) {
		m, ok := o.Container.content(filepath.ToSlash(p))
		if !ok {
			return nil, false
		}
		return m.Data, true
	}
}

// located returns the layer read from the file at p, which a container's
// deployment file may hold: its positions then where that file writes
// them.
func (o Options) located(l *sources.Layer, p string) *sources.Layer {
	if o.Container == nil || p == "" {
		return l
	}
	m, ok := o.Container.content(filepath.ToSlash(p))
	if !ok || l.File != m.File {
		return l
	}
	return m.relocate(l)
}

// relocate returns a copy of l, read from the content of m, with every
// position where the deployment file writes it.
func (m *Mount) relocate(l *sources.Layer) *sources.Layer {
	if l == nil {
		return nil
	}
	out := *l
	values := func(vs []sources.Value) []sources.Value {
		vs = slices.Clone(vs)
		for i := range vs {
			vs[i].Pos = m.locate(vs[i].Pos)
		}
		return vs
	}
	var ignored func([]sources.Ignored) []sources.Ignored
	ignored = func(igs []sources.Ignored) []sources.Ignored {
		igs = slices.Clone(igs)
		for i := range igs {
			igs[i].Pos = m.locate(igs[i].Pos)
			igs[i].Keys = ignored(igs[i].Keys)
		}
		return igs
	}
	out.Values, out.Groups, out.Plugins, out.Shifted = values(l.Values), values(l.Groups), values(l.Plugins), values(l.Shifted)
	out.Ignored = ignored(l.Ignored)
	out.Warnings = nil
	for _, w := range l.Warnings {
		out.Warnings = append(out.Warnings, m.relocateErr(w))
	}
	return &out
}

// relocateErr returns err, read from the content of m, with its positions
// where the deployment file writes them.
func (m *Mount) relocateErr(err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range unjoin(err) {
		switch t := e.(type) {
		case *sources.SyntaxError:
			c := *t
			c.Pos = m.locate(c.Pos)
			if c.First.IsValid() {
				c.First = m.locate(c.First)
			}
			e = &c
		case *sources.FileError:
			c := *t
			c.Pos = m.locate(c.Pos)
			e = &c
		case *sources.ValueError:
			c := *t
			c.Pos = m.locate(c.Pos)
			e = &c
		}
		out = append(out, e)
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// files maps the paths Prefect looks for the profiles file at to this
// machine's files: nil for the process, the mounts for a container.
func (o Options) files() func(string) (string, bool) {
	if o.Container == nil {
		return nil
	}
	return func(p string) (string, bool) { return o.Container.file(filepath.ToSlash(p)) }
}

// versions fills in, from the container's release, the versions the
// options leave to the default, and reports whether the container names
// its release: the project on this machine says nothing of it then.
func (c *Container) versions(v *Versions) bool {
	rel := c.Release
	if rel.IsZero() {
		return false
	}
	from := func(version string) Version {
		return Version{Version: version, Source: FromManifest, Pos: rel.Pos, From: rel.From}
	}
	if v.Prefect.Source == FromDefault {
		v.Prefect = from(rel.version())
	}
	if v.PydanticSettings.Source == FromDefault {
		v.PydanticSettings = from(rel.PydanticSettings)
	}
	return true
}

// releaseRE reads the release segment of a version: "3.4.22" of
// "3.4.22rc1", "3.4" of "3.4".
var releaseRE = regexp.MustCompile(`^(\d+)(?:\.(\d+))?(?:\.(\d+))?`)

// version returns the release to resolve as: the version named, the
// newest known release of a minor version, or the newest known release.
func (r ContainerRelease) version() string {
	m := releaseRE.FindStringSubmatch(r.Version)
	switch {
	case m == nil:
		return release.Newest().String()
	case m[1] != "3":
		return r.Version // refused by unsupported
	case m[3] != "":
		return m[1] + "." + m[2] + "." + m[3]
	}
	newest := release.Newest().String()
	for _, k := range release.Known() {
		if m[2] != "" && fmt.Sprint(k.Minor) == m[2] {
			newest = k.String()
		}
	}
	return newest
}

// unsupported is the error of a container's release Strata does not
// resolve: Prefect 2, said once, where the file names it.
func (v Version) unsupported() error {
	if v.Source != FromManifest {
		return nil
	}
	major, _, _ := strings.Cut(v.Version, ".")
	if major == "" || major == "3" || strings.Trim(major, "0123456789") != "" {
		return nil // Prefect 3, or a version release.Select refuses by itself
	}
	return &Error{Pos: v.Pos, Layer: sources.Default,
		Msg: fmt.Sprintf("%s runs Prefect %s, which is not supported: Strata supports Prefect %s … %s", v.From, major, release.Oldest(), release.Newest())}
}

// Deferred returns the variable that sets the setting when the container
// is deployed, from where the files do not tell (sources.Deferred), when
// one would win over the value shown: the value in force then is not
// known. For a dict setting, to which every layer contributes, any such
// variable counts.
func (o *Origin) Deferred() (*Candidate, bool) {
	for k := range o.Candidates {
		c := &o.Candidates[k]
		if _, ok := c.Raw.(sources.Deferred); ok {
			return c, true
		}
		if o.Setting == nil || !o.Setting.Kind.IsJSON() {
			break
		}
	}
	return nil, false
}

// known returns the index of the first candidate whose value is known,
// len(cands) when none is.
func known(cands []Candidate) int {
	for k, c := range cands {
		if _, ok := c.Raw.(sources.Deferred); !ok {
			return k
		}
	}
	return len(cands)
}

// containerReport adds to r what a container's resolution should tell:
// the settings known only when it is deployed, the files it sees, and the
// files of the project here it does not see. host is the working
// directory on this machine.
func (o Options) containerReport(r *Result, host string) {
	c := o.Container
	if c == nil {
		return
	}
	r.Warnings = append(r.Warnings, c.Warnings...)
	for i := range r.origins {
		or := &r.origins[i]
		if or.Setting == nil {
			continue
		}
		if d, ok := or.Deferred(); ok {
			r.warn(or.Setting.Path, d.Pos, "%s is set only when the container is deployed (%s): its value is not known here, and the settings are resolved without it", d.Key, d.Raw)
		}
	}
	for _, l := range r.Layers {
		for _, g := range l.Groups {
			if d, ok := g.Raw.(sources.Deferred); ok {
				r.warn(g.Group, g.Pos, "%s is set only when the container is deployed (%s): the settings of its group are not known here, and are resolved without it", g.Key, d)
			}
		}
	}
	// Every file read is one the container sees: a mount's, named as the
	// mount names it.
	var read []string
	for _, l := range r.Layers {
		switch l.Kind {
		case sources.DotEnv, sources.PrefectTOML, sources.PyprojectTOML, sources.Profile:
		default:
			continue
		}
		if l.File == "" || l.File == sources.PackagedProfiles {
			continue
		}
		read = append(read, filepath.Clean(l.File))
		inside := o.insidePath(r, l)
		m, _, ok := c.mount(inside)
		if !ok {
			continue
		}
		msg, at := "read as "+inside+" in the container", sources.Position{File: l.File}
		if m.Data != nil {
			msg, at = fmt.Sprintf("%s: %s", msg, m.From), m.DataPos
			at.EndLine, at.EndColumn = 0, 0
		}
		if m.Pos.IsValid() {
			msg += ", put there at " + m.Pos.String()
		}
		r.Notes = append(r.Notes, Warning{Pos: at, Msg: msg})
	}
	// A file Prefect reads whose content is known only when deployed.
	paths := []string{path.Join(o.Dir, ".env"), path.Join(o.Dir, "prefect.toml"), path.Join(o.Dir, "pyproject.toml")}
	if pf := r.ProfilesFile; !pf.Packaged && pf.Path != "" {
		paths = append(paths, filepath.ToSlash(pf.Path))
	} else if !r.TestMode {
		paths = append(paths, path.Join(o.Home, ".prefect", "profiles.toml"))
	}
	for _, p := range paths {
		if m, _, ok := c.mount(p); ok && m.Deferred != "" {
			r.warn("", m.Pos, "%s in the container is mounted from %s: the settings it holds are not known here, and are resolved without it", p, m.Deferred)
		}
	}
	if host == "" {
		return
	}
	for _, name := range []string{".env", "prefect.toml", "pyproject.toml"} {
		p := filepath.Join(host, name)
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() || slices.ContainsFunc(read, func(f string) bool { return sameFile(f, p) }) {
			continue
		}
		r.Notes = append(r.Notes, Warning{Pos: sources.Position{File: p},
			Msg: fmt.Sprintf("not read: the container does not see it, as nothing puts it in its working directory %s", o.Dir)})
	}
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// insidePath names where the container sees the file of layer l.
func (o Options) insidePath(r *Result, l *sources.Layer) string {
	switch l.Kind {
	case sources.DotEnv:
		return path.Join(o.Dir, ".env")
	case sources.PrefectTOML:
		return path.Join(o.Dir, "prefect.toml")
	case sources.PyprojectTOML:
		return path.Join(o.Dir, "pyproject.toml")
	}
	return r.ProfilesFile.Path
}

// reloaded returns the options with the container read again from its
// sources, when it can be.
func (o Options) reloaded() (Options, error) {
	if o.Container == nil || o.Container.Reload == nil {
		return o, nil
	}
	c, err := o.Container.Reload()
	if err != nil {
		return o, err
	}
	if c.Reload == nil {
		c.Reload = o.Container.Reload
	}
	o.Container = c
	return o, nil
}

// watched lists the files of this machine a resolution of the container
// read or could read: those it was read from, and the settings files it
// sees.
func (c *Container) watched(r *Result) []string {
	files := append([]string(nil), c.Sources...)
	for _, name := range []string{".env", "prefect.toml", "pyproject.toml"} {
		if f, ok := c.file(name); ok {
			files = append(files, f)
		}
	}
	if r == nil {
		return files
	}
	p := r.ProfilesFile.Path
	if r.ProfilesFile.Packaged {
		p = path.Join(c.home(c.environ()), ".prefect", "profiles.toml")
	}
	if f, ok := c.file(filepath.ToSlash(p)); ok {
		files = append(files, f)
	}
	return files
}

// imageProfile adds to the profile layer l the settings the container's
// image wrote into its profiles file (Container.Profile): when no profiles
// file of this machine is mounted, the image's is the one Prefect reads,
// Prefect's profiles with those values in the active one.
func (o Options) imageProfile(r *Result, rel *release.Release, l *sources.Layer, pf sources.ProfilesFile) (*sources.Layer, sources.ProfilesFile) {
	c := o.Container
	if c == nil || len(c.Profile) == 0 || l.File != sources.PackagedProfiles {
		return l, pf // a mounted file, test mode, or no profile applies
	}
	read := pf.Path
	if pf.Packaged {
		read = path.Join(filepath.ToSlash(o.Home), ".prefect", "profiles.toml")
	}
	abs := func(p string) string {
		if rest, ok := strings.CutPrefix(p, "~/"); ok {
			p = path.Join(filepath.ToSlash(o.Home), rest)
		}
		if !path.IsAbs(p) {
			p = path.Join(filepath.ToSlash(o.Dir), p)
		}
		return path.Clean(p)
	}
	out := *l
	out.Values, out.Ignored = slices.Clone(l.Values), slices.Clone(l.Ignored)
	applied := false
	for i, v := range c.Profile {
		written := read
		if i < len(c.ProfileFiles) && c.ProfileFiles[i] != "" {
			written = c.ProfileFiles[i]
		}
		if abs(written) != abs(read) {
			setting := ""
			if s, _, ok := rel.Schema().ByEnvExact(v.Name); ok {
				setting = s.Path
			}
			r.warn(setting, v.Pos, "%s is written into the profiles file %s, and Prefect %s in the container reads %s: it does not apply", v.Name, written, rel.Version, read)
			continue
		}
		applied = true
		var raw any = v.Value
		if v.Deferred != "" {
			raw = sources.Deferred(v.Deferred) // a build argument given when it is built
		}
		if s, alias, ok := rel.Schema().ByEnvExact(v.Name); ok {
			out.Values = append(out.Values, sources.Value{Setting: s, Key: v.Name, Alias: alias, Raw: raw, Pos: v.Pos})
		} else {
			out.Ignored = append(out.Ignored, sources.Ignored{Key: v.Name, Pos: v.Pos, Reason: "unknown setting"})
		}
	}
	if !applied {
		return l, pf
	}
	p := pf.Path
	if pf.Packaged {
		p = filepath.Join(o.Home, ".prefect", "profiles.toml")
	}
	out.File = p
	return &out, sources.ProfilesFile{Path: p, Why: "written into the image (prefect config set)"}
}
