//go:build unix

package settings_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/settings"
)

// dotDotProject makes a project whose working directory and home are
// given with ".." after a symbolic link: work/cfg is a link to real/x and
// homes/cur one to h/x, so that work/cfg/.. is real and homes/cur/.. is
// h, where the system, and Prefect in that directory, find them. The
// directories the paths name on paper hold other values.
func dotDotProject(t *testing.T) (root string, opts settings.Options) {
	t.Helper()
	root = t.TempDir()
	for name, data := range map[string]string{
		"real/.env":                    "PREFECT_LOGGING_LEVEL=DEBUG\n",
		"real/prefect.toml":            "[server.api]\nport = 4301\n",
		"real/pyproject.toml":          "[tool.prefect.server.api]\nhost = \"10.0.0.1\"\n",
		"real/requirements.txt":        "prefect==3.4.2\n",
		"real/x/.keep":                 "",
		"work/.env":                    "PREFECT_LOGGING_LEVEL=ERROR\n",
		"work/prefect.toml":            "[server.api]\nport = 4401\n",
		"work/pyproject.toml":          "[tool.prefect.server.api]\nhost = \"10.0.0.2\"\n",
		"work/requirements.txt":        "prefect==3.6.0\n",
		"h/.prefect/profiles.toml":     "active = \"p\"\n[profiles.p]\nPREFECT_API_URL = \"http://h/api\"\n",
		"h/x/.keep":                    "",
		"homes/.prefect/profiles.toml": "active = \"p\"\n[profiles.p]\nPREFECT_API_URL = \"http://homes/api\"\n",
	} {
		write(t, filepath.Join(root, name), data)
	}
	for link, target := range map[string]string{"work/cfg": "../real/x", "homes/cur": "../h/x"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	home := root + "/homes/cur/.."
	return root, settings.Options{Environ: []string{"HOME=" + home}, Dir: root + "/work/cfg/..", Home: home,
		PydanticSettingsVersion: "2.13.1"} // on which 3.4.2 reads .env's usual names
}

// TestLoadDotDotAfterLink reads .env, prefect.toml, pyproject.toml, the
// release's files and the profiles file where the system finds them.
func TestLoadDotDotAfterLink(t *testing.T) {
	_, opts := dotDotProject(t)
	r := mustLoad(t, opts)
	for name, want := range map[string]string{
		"logging.level":   "DEBUG",
		"server.api.port": "4301",
		"server.api.host": "10.0.0.1",
		"api.url":         "http://h/api",
	} {
		if got := value(t, r, name); got != want {
			t.Errorf("%s = %s; want %s", name, got, want)
		}
	}
	if got := r.Release.Version.String(); got != "3.4.2" {
		t.Errorf("release %s; want 3.4.2, from the real directory's requirements.txt", got)
	}
}

// TestWatchDotDotAfterLink watches the files where the system finds them.
func TestWatchDotDotAfterLink(t *testing.T) {
	root, opts := dotDotProject(t)
	ch := watchWith(t, opts)
	writeWhole(t, filepath.Join(root, "real/prefect.toml"), "[server.api]\nport = 4302\n")
	if got := port(t, next(t, ch)); got != 4302 {
		t.Fatalf("server.api.port = %d; want 4302", got)
	}
}
