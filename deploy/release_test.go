package deploy

import (
	"testing"

	"github.com/strata-settings/strata/sources"
)

func TestReleaseFromImage(t *testing.T) {
	at := sources.Position{File: "compose.yaml", Line: 3, Column: 12}
	tests := []struct {
		image   string
		version string
		newest  bool
		major   int
	}{
		{image: "prefecthq/prefect:3.4.22-python3.11", version: "3.4.22"},
		{image: "prefecthq/prefect:3.4.22", version: "3.4.22"},
		{image: "prefecthq/prefect:3.4.22-python3.11-kubernetes", version: "3.4.22"},
		{image: "docker.io/prefecthq/prefect:3.0.0rc1-python3.12", version: "3.0.0rc1"},
		{image: "prefecthq/prefect-client:3.4.1-python3.12", version: "3.4.1"},
		{image: "mirror.example.com/prefecthq/prefect:3.2.7", version: "3.2.7"},
		{image: "prefecthq/prefect:3.4-python3.12", version: "3.4"},
		{image: "prefecthq/prefect:3-latest", newest: true},
		{image: "prefecthq/prefect:3-python3.12", newest: true},
		{image: "prefecthq/prefect:3", newest: true},
		{image: "prefecthq/prefect:latest", newest: true},
		{image: "prefecthq/prefect", newest: true},
		{image: "prefecthq/prefect-client", newest: true},
		{image: "prefecthq/prefect:2-latest", major: 2},
		{image: "prefecthq/prefect:2.19.3-python3.11", version: "2.19.3", major: 2},
		{image: "prefecthq/prefect:2-python3.10", major: 2},
		{image: "prefecthq/prefect:2.x", major: 0},
		{image: "prefecthq/prefect@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{image: "prefecthq/prefect:sha-4f2b1c9"},
		{image: "registry.example.com/flows:3.4.22"},
		{image: "python:3.12-slim"},
		{image: "prefecthq/prometheus-prefect-exporter:3.0.0"},
		{image: "not a reference"},
		{image: ""},
	}
	for _, tc := range tests {
		h := ReleaseFromImage(tc.image, at)
		if h.Version != tc.version || h.Newest != tc.newest || h.Major != tc.major {
			t.Errorf("ReleaseFromImage(%q) = version %q newest %v major %d, want %q %v %d", tc.image, h.Version, h.Newest, h.Major, tc.version, tc.newest, tc.major)
		}
		if !h.IsZero() && (h.Pos != at || h.From != "image "+tc.image) {
			t.Errorf("ReleaseFromImage(%q) at %v from %q", tc.image, h.Pos, h.From)
		}
	}
}

func TestRoleOf(t *testing.T) {
	tests := []struct {
		image   string
		command []string
		prefect bool
		want    Role
	}{
		{"prefecthq/prefect:3-latest", []string{"prefect", "server", "start"}, false, Server},
		{"", []string{"/usr/bin/tini", "-g", "--", "/opt/prefect/entrypoint.sh", "prefect", "server", "start", "--port", "4200"}, false, Server},
		{"", []string{"sh", "-c", "prefect server database upgrade -y && prefect server start"}, false, Server},
		{"", []string{"prefect", "server", "services", "start"}, false, Server},
		{"", []string{"uv", "run", "prefect", "worker", "start", "--pool", "p"}, false, Worker},
		{"", []string{"python", "-m", "prefect", "worker", "start"}, false, Worker},
		{"", []string{"/bin/sh", "-c", "pip install prefect-docker; prefect worker start -p docker"}, false, Worker},
		{"", []string{"/venv/bin/prefect", "worker", "start"}, false, Worker},
		{"", []string{"prefect", "deploy", "--all"}, false, Client},
		{"", []string{"prefect", "agent", "start", "-q", "default"}, false, Client},
		{"prefecthq/prefect:3-latest", []string{"python", "flow.py"}, false, Client},
		{"registry.example.com/flows", []string{"python", "flow.py"}, true, Client},
		{"registry.example.com/flows", nil, true, Client},
		{"registry.example.com/prefect-server:1.0", nil, false, Server},
		{"registry.example.com/prefect-worker", nil, true, Worker},
		{"registry.example.com/prefect-worker", []string{"python", "-m", "flows"}, true, Client},
		{"postgres:16", nil, false, Unknown},
		{"redis:7", []string{"redis-server"}, false, Unknown},
		{"busybox", []string{"sh", "-c", "echo prefectserver start"}, false, Unknown},
	}
	for _, tc := range tests {
		if got := RoleOf(tc.image, tc.command, tc.prefect); got != tc.want {
			t.Errorf("RoleOf(%q, %q, %v) = %s, want %s", tc.image, tc.command, tc.prefect, got, tc.want)
		}
	}
}
