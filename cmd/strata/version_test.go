package main

import (
	"runtime/debug"
	"testing"
)

func TestReadBuild(t *testing.T) {
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build information", nil, false, "(devel)"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true, "(devel) (built with go1.26.8)"},
		{"go install module@version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, true, "v1.4.0 (built with go1.26.8)"},
		{"a checkout with changes", &debug.BuildInfo{
			Main: debug.Module{Version: "v1.4.1-0.20261201150000-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.time", Value: "2026-12-01T15:00:00Z"},
				{Key: "vcs.modified", Value: "true"},
			},
		}, true, "v1.4.1-0.20261201150000-0123456789ab+dirty (revision 0123456789ab, modified)"},
		{"empty main version", &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}}, true, "(devel) (revision abc)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readBuild(tt.info, tt.ok).String(); got != tt.want {
				t.Errorf("readBuild = %q, want %q", got, tt.want)
			}
		})
	}
}
