package settings_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestOptionsReadNothingElse: with Environ set, Load reads nothing from
// the process (not its home, its profiles and credentials, nor its working
// directory); a working directory that does not exist is an error.
func TestOptionsReadNothingElse(t *testing.T) {
	own := t.TempDir() // the process's home and working directory
	write(t, filepath.Join(own, ".prefect/profiles.toml"), "active = \"mine\"\n[profiles.mine]\nPREFECT_API_KEY = \"pnu_process_key\"\nPREFECT_API_URL = \"http://mine/api\"\n")
	write(t, filepath.Join(own, "uv.lock"), "[[package]]\nname = \"prefect\"\nversion = \"3.4.2\"\n")
	t.Setenv("HOME", own)
	t.Chdir(own)
	other, otherHome := t.TempDir(), t.TempDir()
	file := filepath.Join(other, "a-file")
	write(t, file, "")
	for _, tc := range []struct {
		name    string
		opts    settings.Options
		errMsg  string
		wantURL string
	}{
		{name: "the zero value is the process", opts: settings.Options{}, wantURL: "http://mine/api"},
		{name: "no HOME in Environ", opts: settings.Options{Environ: []string{}, Dir: other},
			errMsg: "no home directory: Options.Environ has no HOME and Options.Home is empty"},
		{name: "HOME in Environ", opts: settings.Options{Environ: []string{"HOME=" + otherHome}, Dir: other}},
		{name: "Home", opts: settings.Options{Environ: []string{}, Dir: other, Home: otherHome}},
		{name: "no Dir", opts: settings.Options{Environ: []string{}, Home: otherHome},
			errMsg: "no working directory: Options.Environ is set and Options.Dir is empty"},
		{name: "a Dir that does not exist", opts: settings.Options{Environ: []string{}, Home: otherHome, Dir: filepath.Join(other, "gone")},
			errMsg: `working directory "` + filepath.Join(other, "gone") + `": no such file or directory`},
		{name: "a Dir that is a file", opts: settings.Options{Environ: []string{}, Home: otherHome, Dir: file},
			errMsg: `working directory "` + file + `" is not a directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := settings.Load(tc.opts)
			if tc.errMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("error %v; want %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ptr(r.Settings.API.URL); got != tc.wantURL {
				t.Errorf("api.url = %q; want %q", got, tc.wantURL)
			}
			if tc.wantURL == "" && (r.Settings.API.Key != nil || r.Prefect.Prefect.Version != "") {
				t.Errorf("the process's profile or project is read: key %v, version %q", r.Settings.API.Key, r.Prefect.Prefect.Version)
			}
		})
	}
	if v := (settings.Options{Environ: []string{}}).Versions(); v.Prefect.Version != "" {
		t.Errorf("Versions with Environ and no Dir detected %s in the process's working directory", v.Prefect.Version)
	}
	if v := (settings.Options{}).Versions(); v.Prefect.Version != "3.4.2" {
		t.Errorf("Versions of the zero Options: %q; want the working directory's 3.4.2", v.Prefect.Version)
	}
}

func ptr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestOptionsDetect: the project's files are read by Options.Detect when
// it is set, given the directory and the active virtualenv, and what it
// finds is the project's release.
func TestOptionsDetect(t *testing.T) {
	dir := t.TempDir()
	var got detect.Options
	v := settings.Options{Environ: []string{"VIRTUAL_ENV=venv"}, Dir: dir, Detect: func(o detect.Options) *detect.Project {
		got = o
		return &detect.Project{Prefect: detect.Found{Version: "3.4.2", Kind: detect.Pin, Pos: sources.Position{File: "reqs.txt", Line: 1}}}
	}}.Versions()
	if got.Dir != dir || got.VirtualEnv != "venv" {
		t.Errorf("Detect given %+v; want Dir %q and VirtualEnv \"venv\"", got, dir)
	}
	if v.Prefect.Version != "3.4.2" || v.Prefect.Source != settings.FromDetected || v.Prefect.Pos.File != "reqs.txt" {
		t.Errorf("Prefect = %+v; want 3.4.2 detected in reqs.txt", v.Prefect)
	}
}
