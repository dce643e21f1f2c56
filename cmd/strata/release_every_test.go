package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/strata-settings/strata/internal/everyrelease"
	"github.com/strata-settings/strata/release"
)

// TestEveryRelease runs the commands that walk a release's settings (view,
// dump, get, explain, view --watch) as one release of every published
// schema, with every setting given a value.
func TestEveryRelease(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "PREFECT_") || strings.HasPrefix(k, "STRATA_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for _, v := range everyrelease.Versions() {
		rel, _, err := release.Select(v, "")
		if err != nil {
			t.Fatal(err)
		}
		set := rel.Schema()
		env := everyrelease.Environ(set)
		for _, kv := range env {
			k, val, _ := strings.Cut(kv, "=")
			t.Setenv(k, val)
		}
		var names []string
		for _, s := range set.All() {
			names = append(names, s.Path)
		}
		for _, args := range [][]string{
			{"config", "view", "--show-defaults", "--show-secrets"},
			{"config", "view", "-o", "json", "--show-defaults"},
			{"config", "dump"},
			append([]string{"config", "get"}, names...),
			append([]string{"config", "explain"}, names...),
			append([]string{"config", "explain", "-o", "json"}, names...),
		} {
			var stdout, stderr bytes.Buffer
			c := &cli{stdout: &stdout, stderr: &stderr}
			if code := c.main(append([]string{"--prefect-version", v}, args...)); code != exitOK {
				t.Errorf("%s: strata %s: exit %d\n%s", v, strings.Join(args[:2], " "), code, stderr.String())
			}
		}
		for _, kv := range env {
			k, _, _ := strings.Cut(kv, "=")
			os.Unsetenv(k)
		}
	}
}
