package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
)

// TestRunRelease checks the findings that depend on the Prefect release
// the project runs: settings of another release, and .env files the
// release ignores.
func TestRunRelease(t *testing.T) {
	const uv34 = "[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n"
	tests := []struct {
		name    string
		files   map[string]string
		environ []string
		prefect string // Options.PrefectVersion
		ps      string // Options.PydanticSettingsVersion
		want    string
	}{{
		name:  "a setting added after the project's release",
		files: map[string]string{"uv.lock": uv34, "prefect.toml": "[server.ui]\nshow_promotional_content = false\n", ".env": ""},
		want:  "prefect.toml:2:1: warning: server.ui.show_promotional_content was added in Prefect 3.5.0; this project uses 3.4.25 (uv.lock:3), which ignores it [not-in-release]\n",
	}, {
		name:  "the same setting on a release that has it",
		files: map[string]string{"requirements.txt": "prefect==3.5.0\n", "prefect.toml": "[server.ui]\nshow_promotional_content = false\n"},
		want:  "",
	}, {
		name:  "a renamed setting",
		files: map[string]string{"pyproject.toml": "[project]\ndependencies = [\"prefect==3.8.3\"]\n\n[tool.prefect.runner]\nheartbeat_frequency = 30\n"},
		want:  "pyproject.toml:5:1: warning: runner.heartbeat_frequency became flows.heartbeat_frequency in Prefect 3.6.13; this project uses 3.8.3 (pyproject.toml:2), which ignores tool.prefect.runner.heartbeat_frequency [not-in-release]\n",
	}, {
		name:    "the renamed setting on a release that has it",
		files:   map[string]string{"prefect.toml": "[runner]\nheartbeat_frequency = 30\n"},
		environ: []string{"STRATA_PREFECT_VERSION=3.4.25"},
		want:    "",
	}, {
		name:    "a removed table",
		files:   map[string]string{"prefect.toml": "[server.services.flow_run_notifications]\nenabled = false\n"},
		prefect: "3.8.3",
		want:    "prefect.toml:1:2: warning: server.services.flow_run_notifications was removed in Prefect 3.4.0; this project uses 3.8.3 (as selected), which ignores it [not-in-release]\n",
	}, {
		name:  "the newest by default",
		files: map[string]string{"profiles.toml": "active = \"x\"\n[profiles.x]\nPREFECT_EXPERIMENTS_LINEAGE_EVENTS_ENABLED = \"true\"\n"},
		want:  "profiles.toml:3:1: warning: experiments.lineage_events_enabled was removed in Prefect 3.4.21; this project uses " + release.Newest().String() + ", the newest Strata knows (no version given or found), which ignores it [not-in-release]\n",
	}, {
		name:  "a name no release has stays unknown",
		files: map[string]string{"uv.lock": uv34, "prefect.toml": "[server.api]\nprot = 1\n"},
		want:  "prefect.toml:2:1: warning: unknown setting \"server.api.prot\"; did you mean \"server.api.port\"? [unknown-setting]\n",
	}, {
		name:  "a .env the release ignores on the assumed pydantic-settings",
		files: map[string]string{"uv.lock": uv34, ".env": "# settings\nPREFECT_API_URL=http://127.0.0.1:4200/api\nPREFECT_LOGGING_LEVEL=DEBUG\n"},
		want:  ".env:2:1: warning: Prefect ignores this .env: this project uses 3.4.25 (uv.lock:3), on pydantic-settings ≥ 2.14, assumed as none is given or found, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later [dotenv-ignored]\n",
	}, {
		name:  "a .env the release ignores on the detected pydantic-settings",
		files: map[string]string{"uv.lock": uv34 + "[[package]]\nname = \"pydantic-settings\"\nversion = \"2.14.1\"\n", ".env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"},
		want:  ".env:1:1: warning: Prefect ignores this .env: this project uses 3.4.25 (uv.lock:3), on pydantic-settings 2.14.1, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later [dotenv-ignored]\n",
	}, {
		name:  "a .env the release reads on an older pydantic-settings",
		files: map[string]string{"uv.lock": uv34, ".env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"},
		ps:    "2.13.1",
		want:  "",
	}, {
		name:  "a .env the release reads once pydantic-settings<2.14 is pinned, as the rule advises",
		files: map[string]string{"requirements.txt": "prefect==3.4.25\npydantic-settings<2.14\n", ".env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"},
		want:  "",
	}, {
		name:  "a .env a fixed release reads",
		files: map[string]string{"requirements.txt": "prefect==3.6.28\n", ".env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"},
		want:  "",
	}, {
		name:  "each directory's own project",
		files: map[string]string{"a/uv.lock": uv34, "a/.env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n", "b/.env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"},
		want: "a/.env:1:1: warning: Prefect ignores this .env: this project uses 3.4.25 (a/uv.lock:3), on pydantic-settings ≥ 2.14, assumed as none is given or found, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later [dotenv-ignored]\n" +
			"a/.env:1:1: info: files in a/ are checked against Prefect 3.4.25 (a/uv.lock:3), the release of their own project; the working directory's is 3.8.3, the newest Strata knows (no version given or found) [project-release]\n",
	}, {
		name:  "a project's subdirectory",
		files: map[string]string{"a/uv.lock": uv34, "a/flows/etl/prefect.toml": "[server.ui]\nshow_promotional_content = false\n"},
		want: "a/flows/etl/prefect.toml:1:1: info: files in a/flows/etl/ are checked against Prefect 3.4.25 (a/uv.lock:3), the release of their own project; the working directory's is 3.8.3, the newest Strata knows (no version given or found) [project-release]\n" +
			"a/flows/etl/prefect.toml:2:1: warning: server.ui.show_promotional_content was added in Prefect 3.5.0; this project uses 3.4.25 (a/uv.lock:3), which ignores it [not-in-release]\n",
	}, {
		name:    "the active virtualenv is the working directory's",
		files:   map[string]string{"venv/lib/python3.11/site-packages/prefect-3.4.25.dist-info/METADATA": "Metadata-Version: 2.1\nName: prefect\nVersion: 3.4.25\n", "requirements.txt": "prefect==3.6.0\n", "prefect.toml": "[server.ui]\nshow_promotional_content = false\n", "b/requirements.txt": "prefect==3.6.0\n", "b/prefect.toml": "[server.ui]\nshow_promotional_content = false\n"},
		environ: []string{"VIRTUAL_ENV=venv"},
		want: "b/prefect.toml:1:1: info: files in b/ are checked against Prefect 3.6.0 (b/requirements.txt:1), the release of their own project; the working directory's is 3.4.25 (the active virtualenv: venv/lib/python3.11/site-packages/prefect-3.4.25.dist-info/METADATA:3) [project-release]\n" +
			"prefect.toml:2:1: warning: server.ui.show_promotional_content was added in Prefect 3.5.0; this project uses 3.4.25 (the active virtualenv: venv/lib/python3.11/site-packages/prefect-3.4.25.dist-info/METADATA:3), which ignores it [not-in-release]\n",
	}, {
		name:  "Prefect 2 in the working directory",
		files: map[string]string{"poetry.lock": "[[package]]\nname = \"prefect\"\nversion = \"2.20.3\"\n", "prefect.toml": "[server.ui]\nshow_promotional_content = false\n", ".env": "PREFECT_ORION_API_PORT=4200\n"},
		want: ".env:1:1: warning: PREFECT_ORION_API_PORT is a Prefect 2 setting, which Prefect 3 ignores; use PREFECT_SERVER_API_PORT [old-prefect-name]\n" +
			"poetry.lock:3:1: warning: prefect version 2.20.3 is not supported: Strata supports Prefect 3.0.11 … 3.8.3; this project's settings files are checked against Prefect 3.8.3, the newest, instead; select a release with --prefect-version or STRATA_PREFECT_VERSION [unsupported-release]\n",
	}, {
		name:  "Prefect 2 in a subdirectory, as in the working directory",
		files: map[string]string{"old/poetry.lock": "[[package]]\nname = \"prefect\"\nversion = \"2.20.3\"\n", "old/prefect.toml": "[server.ui]\nshow_promotional_content = false\n", "old/.env": "PREFECT_ORION_API_PORT=4200\n"},
		want: "old/.env:1:1: warning: PREFECT_ORION_API_PORT is a Prefect 2 setting, which Prefect 3 ignores; use PREFECT_SERVER_API_PORT [old-prefect-name]\n" +
			"old/poetry.lock:3:1: warning: prefect version 2.20.3 is not supported: Strata supports Prefect 3.0.11 … 3.8.3; this project's settings files are checked against Prefect 3.8.3, the newest, instead; select a release with --prefect-version or STRATA_PREFECT_VERSION [unsupported-release]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			environ := append([]string{"HOME=" + dir, "PREFECT_PROFILES_PATH=" + dir + "/profiles.toml"}, tt.environ...)
			fs, err := Run(Options{Dir: dir, Environ: environ, Home: dir, PrefectVersion: tt.prefect, PydanticSettingsVersion: tt.ps})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%swant:\n%s", got, tt.want)
			}
		})
	}
}

// TestRunReleaseRefused checks that a release given that cannot be
// selected is an error of the run.
func TestRunReleaseRefused(t *testing.T) {
	for _, opts := range []Options{
		{PrefectVersion: "2.20.3"},
		{Environ: []string{"STRATA_PREFECT_VERSION=3.x"}},
	} {
		opts.Dir = t.TempDir()
		_, err := Run(opts)
		if err == nil || !strings.Contains(err.Error(), "prefect version") {
			t.Errorf("%+v: error %v; want the version refused", opts, err)
		}
	}
}

// TestReleaseOfAbsolutePath lints a file named by its absolute path, in
// another project than the working directory's: it is checked against its
// own project's release.
func TestReleaseOfAbsolutePath(t *testing.T) {
	const uv34 = "[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n"
	work, other := t.TempDir(), t.TempDir()
	write(t, work, map[string]string{"requirements.txt": "prefect==3.8.3\n"})
	write(t, other, map[string]string{"uv.lock": uv34, "prefect.toml": "[server.ui]\nshow_promotional_content = false\n"})
	fs, err := Run(Options{Dir: work, Paths: []string{filepath.Join(other, "prefect.toml")}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	want := other + "/prefect.toml:1:1: info: files in " + other + "/ are checked against Prefect 3.4.25 (" + other + "/uv.lock:3), the release of their own project; the working directory's is 3.8.3 (requirements.txt:1) [project-release]\n" +
		other + "/prefect.toml:2:1: warning: server.ui.show_promotional_content was added in Prefect 3.5.0; this project uses 3.4.25 (" + other + "/uv.lock:3), which ignores it [not-in-release]\n"
	if got := lines(fs); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestReleaseOfWorkTree lints a subdirectory of a repository whose lock
// file is at its root: the files are checked against the root's release,
// found by going up to the work tree's root and no further.
func TestReleaseOfWorkTree(t *testing.T) {
	const uv34 = "[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n"
	outer := t.TempDir()
	write(t, outer, map[string]string{
		"requirements.txt":             "prefect==3.6.0\n", // above the work tree: not this project's
		"repo/.git/HEAD":               "ref: refs/heads/main\n",
		"repo/uv.lock":                 uv34,
		"repo/flows/etl/prefect.toml":  "[server.ui]\nshow_promotional_content = false\n",
		"other/flows/etl/prefect.toml": "[server.ui]\nshow_promotional_content = false\n",
		"other/flows/requirements.txt": "prefect==3.4.25\n",
	})
	for _, tt := range []struct {
		dir, want string
	}{
		{"repo/flows", "etl/prefect.toml:2:1: warning: server.ui.show_promotional_content was added in Prefect 3.5.0; this project uses 3.4.25 (" + outer + "/repo/uv.lock:3), which ignores it [not-in-release]\n"},
		// Outside a work tree the search stops at the working directory.
		{"other/flows/etl", ""},
	} {
		fs, err := Run(Options{Dir: filepath.Join(outer, tt.dir), Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(fs); got != tt.want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", tt.dir, got, tt.want)
		}
	}
}
