package sources

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestVars: an environment written in a file reads as the process
// environment does, every value at its position, with the variables set
// only when deployed and those the platform sets told apart.
func TestVars(t *testing.T) {
	at := func(line int) Position { return Position{File: "compose.yaml", Line: line, Column: 7} }
	env := func(name string, line int) Position { p := at(line); p.Env = name; return p }
	type value struct {
		Key string
		Raw any
		Pos Position
	}
	tests := []struct {
		name    string
		vars    []Var
		values  []value
		groups  []value
		ignored []string
	}{
		{
			name: "names in any case, positioned",
			vars: []Var{{Name: "PREFECT_API_URL", Value: "http://a/api", Pos: at(3)}, {Name: "prefect_logging_level", Value: "DEBUG", Pos: at(4)}},
			values: []value{
				{"PREFECT_API_URL", "http://a/api", env("PREFECT_API_URL", 3)},
				{"prefect_logging_level", "DEBUG", env("prefect_logging_level", 4)},
			},
		},
		{
			name:   "a group JSON variable",
			vars:   []Var{{Name: "PREFECT_SERVER_API", Value: `{"port": 1}`, Pos: at(3)}},
			groups: []value{{"PREFECT_SERVER_API", `{"port": 1}`, env("PREFECT_SERVER_API", 3)}},
		},
		{
			name: "two values of one name: both, in order",
			vars: []Var{{Name: "PREFECT_API_URL", Value: "http://a/api", Pos: at(3)}, {Name: "PREFECT_API_URL", Value: "http://b/api", Pos: at(9)}},
			values: []value{
				{"PREFECT_API_URL", "http://a/api", env("PREFECT_API_URL", 3)},
				{"PREFECT_API_URL", "http://b/api", env("PREFECT_API_URL", 9)},
			},
		},
		{
			name: "a deferred last value hides the earlier ones",
			vars: []Var{
				{Name: "PREFECT_API_KEY", Value: "pnu_early", Pos: at(3)},
				{Name: "PREFECT_API_KEY", Pos: at(9), Deferred: "secretKeyRef api/key"},
				{Name: "PREFECT_SERVER_API", Pos: at(10), Deferred: "secretKeyRef api/group"},
			},
			values: []value{{"PREFECT_API_KEY", Deferred("secretKeyRef api/key"), env("PREFECT_API_KEY", 9)}},
			groups: []value{{"PREFECT_SERVER_API", Deferred("secretKeyRef api/group"), env("PREFECT_SERVER_API", 10)}},
		},
		{
			name: "a deferred value overridden later is no longer deferred",
			vars: []Var{
				{Name: "PREFECT_API_KEY", Pos: at(3), Deferred: "secretKeyRef api/key"},
				{Name: "PREFECT_API_KEY", Value: "pnu_late", Pos: at(9)},
			},
			values: []value{
				{"PREFECT_API_KEY", Deferred("secretKeyRef api/key"), env("PREFECT_API_KEY", 3)},
				{"PREFECT_API_KEY", "pnu_late", env("PREFECT_API_KEY", 9)},
			},
		},
		{
			name: "unknown names: listed, unless the platform set them",
			vars: []Var{
				{Name: "PREFECT_API_ULR", Value: "x", Pos: at(3)},
				{Name: "PREFECT_SERVER_SERVICE_HOST", Value: "10.0.0.1", Pos: at(4), Implicit: true},
				{Name: "HOME", Value: "/home/app", Pos: at(5)},
			},
			ignored: []string{"PREFECT_API_ULR"},
		},
		{
			name: "names no environment can hold are left out",
			vars: []Var{{Name: "", Value: "x"}, {Name: "PREFECT_API_URL=x", Value: "y"}, {Name: "PREFECT_API_URL\x00", Value: "y"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Reader{}.Vars(tt.vars)
			if l.Kind != Env {
				t.Errorf("kind %v, want env", l.Kind)
			}
			var values, groups []value
			for _, v := range l.Values {
				values = append(values, value{v.Key, v.Raw, v.Pos})
			}
			for _, v := range l.Groups {
				groups = append(groups, value{v.Key, v.Raw, v.Pos})
			}
			var ignored []string
			for _, ig := range l.Ignored {
				ignored = append(ignored, ig.Key)
			}
			if !reflect.DeepEqual(values, tt.values) {
				t.Errorf("values:\n got %v\nwant %v", values, tt.values)
			}
			if !reflect.DeepEqual(groups, tt.groups) {
				t.Errorf("groups:\n got %v\nwant %v", groups, tt.groups)
			}
			if !reflect.DeepEqual(ignored, tt.ignored) {
				t.Errorf("ignored: got %v, want %v", ignored, tt.ignored)
			}
		})
	}
}

// TestProfilesFiles: with ProfileInput.Files, the profiles file is looked
// for and read only where the mapping says a file is, and its values are
// positioned in the file read.
func TestProfilesFiles(t *testing.T) {
	dir := t.TempDir()
	mounted := filepath.Join(dir, "mounted.toml")
	if err := os.WriteFile(mounted, []byte("active = \"c\"\n[profiles.c]\nPREFECT_API_URL = \"http://c/api\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A profiles file at the real path the container's home names, which
	// the container does not see.
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(filepath.Join(home, ".prefect"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".prefect", "profiles.toml"), []byte("active = \"host\"\n[profiles.host]\nPREFECT_API_URL = \"http://host/api\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sees := func(files map[string]string) func(string) (string, bool) {
		return func(p string) (string, bool) { f, ok := files[p]; return f, ok }
	}
	tests := []struct {
		name    string
		environ map[string]string
		files   map[string]string
		profile string
		path    string
		file    string
	}{
		{"nothing mounted: the packaged profiles", nil, nil, "ephemeral", PackagedProfiles, PackagedProfiles},
		{"mounted at the default location", nil, map[string]string{filepath.Join(home, ".prefect", "profiles.toml"): mounted},
			"c", filepath.Join(home, ".prefect", "profiles.toml"), mounted},
		{"named by PREFECT_PROFILES_PATH, mounted", map[string]string{"PREFECT_PROFILES_PATH": "/etc/prefect/profiles.toml"},
			map[string]string{"/etc/prefect/profiles.toml": mounted}, "c", "/etc/prefect/profiles.toml", mounted},
		{"named by PREFECT_PROFILES_PATH, not mounted", map[string]string{"PREFECT_PROFILES_PATH": filepath.Join(home, ".prefect", "profiles.toml")},
			nil, "ephemeral", filepath.Join(home, ".prefect", "profiles.toml"), PackagedProfiles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, pf := ReadProfiles(&ProfileInput{Environ: tt.environ, Home: home, Dir: "/opt/prefect", Files: sees(tt.files)})
			if l.Profile != tt.profile || pf.Path != tt.path || l.File != tt.file {
				t.Errorf("profile %q from %q (file %q); want %q from %q (file %q)", l.Profile, pf.Path, l.File, tt.profile, tt.path, tt.file)
			}
			for _, v := range l.Values {
				if v.Pos.File != tt.file {
					t.Errorf("%s at %s; want it in %s", v.Key, v.Pos, tt.file)
				}
			}
		})
	}
}
