package sources

import (
	"reflect"
	"testing"

	"github.com/strata-settings/strata/release"
)

// TestReaderNoCache checks that a reader keeping no documents reads every
// file exactly as the caching reader does, and leaves the cache alone.
func TestReaderNoCache(t *testing.T) {
	old, _, err := release.Select("3.4.25", "") // reads with the toml package
	if err != nil {
		t.Fatal(err)
	}
	files := []struct{ name, data string }{
		{"prefect.toml", "[server.api]\nport = 4200\nprot = 1\n[api]\nurl = \"http://h:4200/api\"\n[client.custom_headers]\nX-Team = \"t\"\n[logging]\nlevel = {a = 1}\n"},
		{"prefect.toml", "\"a.b\" = 1\n[experiments.plugins]\nenabled = true\nnope = 1\n[ui]\napi_url = \"x\"\n"},
		{"prefect.toml", "logging.level = 1\nlogging.level = 2\n"},
		{"prefect.toml", "api.url = \"x\" # é\nt = 10:00\n"},
		{"pyproject.toml", "[project]\nname = \"flows\"\n[tool.prefect]\nlogging.level = \"loud\"\nPREFECT_API_URL = \"x\"\n[tool.other]\nx = 1\n"},
		{"pyproject.toml", "[tool]\nprefect = 1\n"},
		{"profiles.toml", "active = \"dev\"\n[profiles.dev]\nPREFECT_API_AUTH_STRING = \"a:b\"\nprefect_api_url = \"x\"\n[profiles.prod]\nPREFECT_CLIENT_CUSTOM_HEADERS = { A = \"b\" }\n"},
		{"profiles.toml", "active = 1\n[profiles.dev\n"},
	}
	for _, rel := range []*release.Release{nil, old} {
		for _, f := range files {
			cached, uncached := Reader{Release: rel}, Reader{Release: rel, NoCache: true}
			docCache.Clear()
			var want, got any
			var wantErr, gotErr error
			switch f.name {
			case "prefect.toml":
				want, wantErr = cached.ParsePrefectTOML(f.name, []byte(f.data))
				docCache.Clear()
				got, gotErr = uncached.ParsePrefectTOML(f.name, []byte(f.data))
			case "pyproject.toml":
				want, wantErr = cached.ParsePyproject(f.name, []byte(f.data))
				docCache.Clear()
				got, gotErr = uncached.ParsePyproject(f.name, []byte(f.data))
			default:
				want, wantErr = cached.ParseProfiles(f.name, []byte(f.data))
				docCache.Clear()
				got, gotErr = uncached.ParseProfiles(f.name, []byte(f.data))
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
				t.Errorf("%s %q, release %v: without the cache\n%#v, %v\nwith it\n%#v, %v", f.name, f.data, rel, got, gotErr, want, wantErr)
			}
			if _, ok := docCache.Get(docKey{f.name, f.name == "pyproject.toml", rel != nil}, []byte(f.data)); ok {
				t.Errorf("%s %q, release %v: a reader without the cache kept the document", f.name, f.data, rel)
			}
		}
	}
}
