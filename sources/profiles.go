package sources

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
)

//go:embed profiles.toml
var packagedProfiles []byte

// PackagedProfiles is the name the profiles Prefect ships with are reported
// under.
const PackagedProfiles = "<packaged profiles>"

// PackagedProfilesTOML returns the profiles Prefect ships with, as TOML.
func PackagedProfilesTOML() []byte { return slices.Clone(packagedProfiles) }

// TestModeVariables returns the environment variables whose presence, with
// any non-empty value, turns profiles off. The slice is the caller's own.
func TestModeVariables() []string { return slices.Clone(testModeVariables) }

// testModeVariables are the names TestModeVariables returns.
var testModeVariables = []string{"PREFECT_TEST_MODE", "PREFECT_UNIT_TEST_MODE", "PREFECT_TESTING_UNIT_TEST_MODE", "PREFECT_TESTING_TEST_MODE"}

// ProfileInput is what the profile source needs to find its file and choose
// a profile. Lookups in Environ are exact, as Prefect's are.
type ProfileInput struct {
	Environ   map[string]string // the process environment
	DotEnv    *Layer            // the .env layer (its exact PREFECT_PROFILES_PATH is honoured)
	Prefect   *Layer            // the prefect.toml layer (its root profiles_path is honoured)
	Pyproject *Layer            // the pyproject.toml layer ([tool.prefect] profiles_path)
	Dir       string            // the working directory, for relative paths
	Home      string            // the user's home directory
	Name      string            // a profile chosen explicitly; beats PREFECT_PROFILE and active
	Release   *release.Release  // the release whose rules apply; nil: release.Default()
	// Files, when set, maps a path of the environment resolved (a
	// container's) to the file on this machine that holds it, or says
	// there is none: only those files are looked for and read, and
	// positions name them. Nil: paths are this machine's.
	Files func(path string) (file string, ok bool)
	// Content, when set, returns the content of the file at path of the
	// environment resolved when it is held in memory rather than in the
	// file of this machine Files names (a container's ConfigMap, whose
	// manifest Files names): that content is read, and positions are in
	// it.
	Content func(path string) ([]byte, bool)
	// Exists, when set, says whether the file on this machine at path
	// exists (a directory too), in place of asking the system: a caller
	// locating the profiles file of many directories in one run asks the
	// system once for the same default file.
	Exists func(path string) bool
}

func stat(p string) bool { _, err := os.Stat(p); return err == nil }

// exists reports whether the file at path exists, as Exists says when set.
func (in *ProfileInput) exists(path string) bool {
	if in.Exists != nil {
		return in.Exists(path)
	}
	return stat(path)
}

// file returns the file on this machine that holds the file at path of
// the environment resolved; ok is false when it has none.
func (in *ProfileInput) file(path string) (string, bool) {
	if in.Files == nil {
		return path, true
	}
	return in.Files(path)
}

// content returns the content of the file at path when it is held in
// memory (Content).
func (in *ProfileInput) content(path string) ([]byte, bool) {
	if in.Content == nil {
		return nil, false
	}
	return in.Content(path)
}

func (in *ProfileInput) rel() *release.Release { return Reader{Release: in.Release}.rel() }

// ProfilesFile says which profiles file the settings are read from, and why.
type ProfilesFile struct {
	Path     string // as located (relative paths are relative to the working directory)
	Packaged bool   // the packaged profiles apply instead of a file
	Why      string // the rule that chose it: "PREFECT_PROFILES_PATH in env", ...
}

// TestMode reports whether a test-mode variable turns profiles off.
func (in *ProfileInput) TestMode() bool {
	for _, name := range testModeVariables {
		if in.Environ[name] != "" {
			return true
		}
	}
	return false
}

// LocateProfiles finds the profiles file the way Prefect's settings loader
// does, stopping at the first rule that applies: test mode, the environment's
// PREFECT_PROFILES_PATH, the .env file's (exact case), prefect.toml's root
// profiles_path, pyproject.toml's, the environment's PREFECT_HOME (taken
// literally: no ~ expansion), ~/.prefect/profiles.toml if it exists, and last
// the packaged profiles. Releases before 3.1.1 read only the environment's
// PREFECT_PROFILES_PATH, and before 3.2.1 PREFECT_HOME does not count.
func LocateProfiles(in *ProfileInput) ProfilesFile {
	rel := in.rel()
	if in.TestMode() {
		return ProfilesFile{Path: PackagedProfiles, Packaged: true, Why: "test mode"}
	}
	if p := in.Environ["PREFECT_PROFILES_PATH"]; p != "" {
		return ProfilesFile{Path: p, Why: "PREFECT_PROFILES_PATH in env"}
	}
	if in.DotEnv != nil && rel.ProfilesPathSources {
		if p, ok := in.DotEnv.DotEnvValue("PREFECT_PROFILES_PATH"); ok && p != "" {
			return ProfilesFile{Path: p, Why: "PREFECT_PROFILES_PATH in " + in.DotEnv.File}
		}
	}
	for _, l := range []*Layer{in.Prefect, in.Pyproject} {
		if l == nil || !rel.ProfilesPathSources {
			continue
		}
		for _, v := range l.Values {
			if p, ok := v.Raw.(string); ok && v.Setting.Index == schema.IProfilesPath {
				return ProfilesFile{Path: p, Why: "profiles_path in " + l.File}
			}
		}
	}
	if h := in.Environ["PREFECT_HOME"]; h != "" && rel.HomeMovesProfiles {
		return ProfilesFile{Path: pypath.Join(h, "profiles.toml"), Why: "PREFECT_HOME in env"}
	}
	if in.Home != "" {
		p := pypath.Join(in.Home, ".prefect/profiles.toml") // as expanduser: a ".." after a link leads out of its target
		if f, ok := in.file(p); ok && in.exists(f) {        // as Path.exists(): a directory too, which then cannot be read
			return ProfilesFile{Path: p, Why: "the default location"}
		}
	}
	return ProfilesFile{Path: PackagedProfiles, Packaged: true, Why: "no profiles file"}
}

// ReadProfiles reads the active profile's settings: the profile named by
// in.Name, else by PREFECT_PROFILE, else by the file's active key. When that
// profile is not in the file (or there is no file) the packaged default
// profile applies. A file that is not valid TOML 1.0 applies no profile at
// all (Prefect only warns); the problem is in Layer.Warnings. A file that
// exists but cannot be read (Prefect stops on it) applies no profile either;
// Layer.Warnings holds a *ReadError. A file Strata refuses to read (a FIFO
// or device, or beyond its limits) is a *FileError there; settings.Load
// treats both as errors, not warnings. Keys must be
// upper-case environment names; others are listed in Layer.Ignored.
func ReadProfiles(in *ProfileInput) (*Layer, ProfilesFile) {
	l := &Layer{Kind: Profile}
	rel := in.rel()
	set := rel.Schema()
	loc := LocateProfiles(in)
	if loc.Packaged && loc.Why == "test mode" {
		return l, loc
	}
	var doc *tomlDoc
	missing := false
	if loc.Packaged {
		doc = packaged()
	} else {
		path := pypath.Join(in.Dir, loc.Path)
		name := loc.Path // what positions name: the file read
		var data []byte
		err := error(fs.ErrNotExist)
		if f, ok := in.file(path); ok {
			if held, ok := in.content(path); ok {
				data, err = held, nil
			} else {
				data, err = ReadFile(f)
			}
			if in.Files != nil {
				name = f
			}
		}
		var fe *FileError
		var re *ReadError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = true
		case errors.As(err, &fe):
			fe.Pos.File = name
			l.File = name
			l.Warnings = append(l.Warnings, fe)
			return l, loc
		case errors.As(err, &re):
			re.File = name
			l.File = name
			l.Warnings = append(l.Warnings, re)
			return l, loc
		case err != nil:
			l.Warnings = append(l.Warnings, &ReadError{File: name, Err: err})
			return l, loc
		default:
			doc, err = parseTOMLCached(name, data, false, !rel.TOMLLib)
			if err == nil && len(doc.toml11) > 0 {
				err = doc.toml11[0] // Prefect's TOML 1.0 parser rejects the file
			}
			if err != nil {
				l.Warnings = append(l.Warnings, err)
				l.File = name
				return l, loc
			}
		}
	}
	name := in.Name
	if name == "" {
		name = in.Environ["PREFECT_PROFILE"]
	}
	if doc != nil {
		l.File = doc.file
		if name == "" {
			name, _ = doc.root["active"].(string)
		}
		if t, ok := doc.table("profiles")[name].(map[string]any); ok && name != "" {
			l.Profile = name
			l.readProfile(set, doc, name, t)
			return l, loc
		}
	}
	_ = missing
	pkg := packaged()
	active, _ := pkg.root["active"].(string)
	l.Profile = active
	if !rel.DefaultProfileFallback {
		return l, loc // 3.0 applies no profile, though it reports the default's name
	}
	l.File = PackagedProfiles
	l.readProfile(set, pkg, active, pkg.table("profiles", active))
	return l, loc
}

func (l *Layer) readProfile(set *schema.Set, doc *tomlDoc, name string, t map[string]any) {
	buf := borrowValues()
	l.Values = *buf
	for k, v := range t {
		kp := []string{"profiles", name, k}
		pos := doc.position(kp)
		s, alias, ok := set.ByEnvExact(k)
		switch {
		case !ok && groupEnv(set)[k] != "":
			// A group's variable (PREFECT_SERVER_API), exactly as written,
			// holds the group as a JSON object, as in the environment.
			l.Groups = append(l.Groups, Value{Key: k, Raw: v, Pos: pos, Group: groupEnv(set)[k]})
		case !ok:
			reason := "unknown setting"
			if _, _, anyCase := set.ByEnv(k); anyCase {
				reason = "profile keys must be upper-case environment names"
			} else if s, isPath := set.ByPath(k); isPath {
				reason = fmt.Sprintf("profile keys must be environment names, such as %q", s.Canonical())
			}
			var keys []Ignored
			if m, isTable := v.(map[string]any); isTable {
				keys = doc.leaves(m, kp, 2) // api.url = "..." is a table api
			}
			l.Ignored = append(l.Ignored, Ignored{Key: k, Pos: pos, Reason: reason, Keys: keys})
		default:
			if _, isTable := v.(map[string]any); isTable && !s.Kind.IsJSON() {
				l.Ignored = append(l.Ignored, Ignored{Key: k, Pos: pos, Reason: fmt.Sprintf("a table where setting %q takes a value", s.Path)})
				continue
			}
			l.Values = append(l.Values, Value{Setting: s, Key: k, Alias: alias, Raw: v, Pos: pos})
		}
	}
	sortValues(l.Values)
	l.Values = keepValues(buf, l.Values)
	sortValues(l.Groups)
	slices.SortFunc(l.Ignored, func(a, b Ignored) int { return comparePos(a.Pos, b.Pos) })
}

// packaged parses the packaged profiles once.
var packaged = sync.OnceValue(func() *tomlDoc {
	doc, err := parseTOML(PackagedProfiles, packagedProfiles, false)
	if err != nil {
		panic("packaged profiles: " + err.Error()) // the embedded file is ours and valid
	}
	return doc
})

// ProfilesDoc is every profile of a profiles file, for tools that check the
// whole file rather than apply one profile.
type ProfilesDoc struct {
	File      string
	Active    string   // the active key's value; "" when absent or not a string
	HasActive bool     // the file has an active key
	ActivePos Position // where the active key is written
	Profiles  []*Layer // one layer a profile, Layer.Profile its name, in file order
}

// Profile returns the layer of the named profile, or nil.
func (d *ProfilesDoc) Profile(name string) *Layer {
	for _, l := range d.Profiles {
		if l.Profile == name {
			return l
		}
	}
	return nil
}

// ParseProfiles reads every profile of data, the contents of the profiles
// file at path, as ReadProfiles reads the active one: keys Prefect does not
// read are in each layer's Ignored. The error is a *SyntaxError for invalid
// TOML; for TOML 1.1 syntax, which Prefect's TOML 1.0 parser rejects, it
// lists a *SyntaxError wrapping ErrTOML11 for each place, and the document
// is complete.
func ParseProfiles(path string, data []byte) (*ProfilesDoc, error) {
	return Reader{}.ParseProfiles(path, data)
}

// ParseProfiles is ParseProfiles with the reader's release's TOML parser:
// before 3.6.14 (release.Release.TOMLLib off) the toml package's, whose
// failures are *SyntaxErrors wrapping ErrTOMLPackage. The keys are checked
// against the settings of the reader's release, as ReadProfiles checks
// them.
func (rd Reader) ParseProfiles(path string, data []byte) (*ProfilesDoc, error) {
	doc, err := rd.parseTOML(path, data, false)
	if err != nil {
		return nil, err
	}
	d := &ProfilesDoc{File: path}
	if v, ok := doc.root["active"]; ok {
		d.HasActive = true
		d.Active, _ = v.(string)
		d.ActivePos = doc.position([]string{"active"})
	}
	profiles := doc.table("profiles")
	var layers []Layer // the profiles' layers, made at once
	for name, v := range profiles {
		t, ok := v.(map[string]any)
		if !ok {
			continue
		}
		if layers == nil {
			layers = make([]Layer, 0, len(profiles))
			d.Profiles = make([]*Layer, 0, len(profiles))
		}
		layers = append(layers, Layer{Kind: Profile, File: path, Profile: name})
		l := &layers[len(layers)-1]
		l.readProfile(rd.set(), doc, name, t)
		d.Profiles = append(d.Profiles, l)
	}
	pos := func(l *Layer) Position { return doc.position([]string{"profiles", l.Profile}) }
	slices.SortFunc(d.Profiles, func(a, b *Layer) int { return comparePos(pos(a), pos(b)) })
	return d, errors.Join(doc.toml11...)
}
