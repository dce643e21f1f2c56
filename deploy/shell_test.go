package deploy

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

func TestReadScript(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		env     []Var
		vars    []string // varText of each variable, positions in s.sh
		role    Role
		release string
		notes   []string // code@line:col
		later   []string
	}{
		{
			name: "export",
			src:  "export PREFECT_API_URL=http://prefect:4200/api",
			vars: []string{`PREFECT_API_URL at s.sh:1:8 = "http://prefect:4200/api" at s.sh:1:24 via "export" literal`},
		},
		{
			name: "assignment then export",
			src:  "PREFECT_API_URL='http://a/api'\nexport PREFECT_API_URL",
			vars: []string{`PREFECT_API_URL at s.sh:1:1 = "http://a/api" at s.sh:1:17 via "export" literal`},
		},
		{
			name:  "assignment never exported",
			src:   "PREFECT_API_URL=http://a/api\nprefect deploy",
			role:  Client,
			notes: []string{"not-exported@1:1"},
		},
		{
			name: "assignment used by an export",
			src:  "PREFECT_URL=http://a/api\nexport PREFECT_API_URL=$PREFECT_URL",
			vars: []string{`PREFECT_API_URL at s.sh:2:8 = "http://a/api" at s.sh:2:24 via "export" literal ref PREFECT_URL@s.sh:2:24(set)`},
		},
		{
			name: "assignment to an exported name",
			src:  "export PREFECT_HOME=/a\nPREFECT_HOME=/b",
			vars: []string{
				`PREFECT_HOME at s.sh:1:8 = "/a" at s.sh:1:21 via "export" literal`,
				`PREFECT_HOME at s.sh:2:1 = "/b" at s.sh:2:14 via "assignment" literal`,
			},
		},
		{
			name:  "set -a",
			src:   "set -a\nPREFECT_HOME=/a\nset +a\nPREFECT_DEBUG_MODE=1",
			vars:  []string{`PREFECT_HOME at s.sh:2:1 = "/a" at s.sh:2:14 via "assignment" literal`},
			notes: []string{"not-exported@4:1"},
		},
		{
			name: "declare -x",
			src:  "declare -x PREFECT_HOME=/a\nlocal PREFECT_X=1; readonly PREFECT_Y=2; export PREFECT_Y",
			vars: []string{
				`PREFECT_HOME at s.sh:1:12 = "/a" at s.sh:1:25 via "export" literal`,
				`PREFECT_Y at s.sh:2:29 = "2" at s.sh:2:39 via "export" literal`,
			},
			notes: []string{"not-exported@2:7"},
		},
		{
			name: "empty value",
			src:  "export PREFECT_API_KEY=",
			vars: []string{`PREFECT_API_KEY at s.sh:1:8 = "" at s.sh:1:24 via "export" literal`},
		},
		{
			name: "append",
			src:  "export PREFECT_LOGGING_EXTRA_LOGGERS=a\nPREFECT_LOGGING_EXTRA_LOGGERS+=,b",
			vars: []string{
				`PREFECT_LOGGING_EXTRA_LOGGERS at s.sh:1:8 = "a" at s.sh:1:38 via "export" literal`,
				`PREFECT_LOGGING_EXTRA_LOGGERS at s.sh:2:1 = "a,b" at s.sh:2:32 via "assignment" literal`,
			},
		},
		{
			name: "command prefix",
			src:  "PREFECT_API_URL=http://a/api PREFECT_LOGGING_LEVEL=DEBUG prefect deploy --all",
			vars: []string{
				`PREFECT_API_URL at s.sh:1:1 = "http://a/api" at s.sh:1:17 via "command prefix" literal`,
				`PREFECT_LOGGING_LEVEL at s.sh:1:30 = "DEBUG" at s.sh:1:52 via "command prefix" literal`,
			},
			role: Client,
		},
		{
			name: "env command",
			src:  "env -u HOME PREFECT_API_URL=http://a/api prefect worker start --pool p",
			vars: []string{`PREFECT_API_URL at s.sh:1:13 = "http://a/api" at s.sh:1:29 via "env" literal`},
			role: Worker,
		},
		{
			name: "reference to the environment",
			src:  `export PREFECT_API_KEY="$KEY"`,
			vars: []string{`PREFECT_API_KEY at s.sh:1:8 deferred "$KEY" at s.sh:1:24 via "export" ref KEY@s.sh:1:25(unexpanded)`},
		},
		{
			name: "reference with a default",
			src:  `export PREFECT_API_URL=${URL:-http://localhost:4200/api}`,
			vars: []string{`PREFECT_API_URL at s.sh:1:8 deferred "${URL:-http://localhost:4200/api}" at s.sh:1:24 via "export" ref URL@s.sh:1:24(unexpanded)`},
		},
		{
			name: "reference to a deferred variable",
			src:  `prefect config set PREFECT_API_KEY=$PREFECT_API_KEY`,
			env:  []Var{{Name: "PREFECT_API_KEY", Deferred: "${{ secrets.KEY }}"}},
			vars: []string{`PREFECT_API_KEY at s.sh:1:20 deferred "${{ secrets.KEY }}" at s.sh:1:36 via "prefect config set" profile ref PREFECT_API_KEY@s.sh:1:36(set)`},
			role: Client,
		},
		{
			name: "reference to a given value",
			src:  `export PREFECT_API_URL="http://$HOST:4200/api"`,
			env:  []Var{{Name: "HOST", Value: "server", Literal: true}},
			vars: []string{`PREFECT_API_URL at s.sh:1:8 = "http://server:4200/api" at s.sh:1:24 via "export" literal ref HOST@s.sh:1:32(set)`},
		},
		{
			name: "command substitution",
			src:  `export PREFECT_API_KEY=$(cat /run/secrets/prefect)`,
			vars: []string{`PREFECT_API_KEY at s.sh:1:8 deferred "$(cat /run/secrets/prefect)" at s.sh:1:24 via "export"`},
		},
		{
			name: "home directory",
			src:  `export PREFECT_HOME=~/.prefect`,
			vars: []string{`PREFECT_HOME at s.sh:1:8 deferred "~/.prefect" at s.sh:1:21 via "export"`},
		},
		{
			name: "single quotes keep a dollar",
			src:  `export PREFECT_API_KEY='pnu_$abc'`,
			vars: []string{`PREFECT_API_KEY at s.sh:1:8 = "pnu_$abc" at s.sh:1:24 via "export" literal`},
		},
		{
			name: "config set, several, quoted",
			src:  `prefect config set PREFECT_A=1 "PREFECT_B=two words" 'PREFECT_C=$x'`,
			vars: []string{
				`PREFECT_A at s.sh:1:20 = "1" at s.sh:1:30 via "prefect config set" literal profile`,
				`PREFECT_B at s.sh:1:33 = "two words" at s.sh:1:43 via "prefect config set" literal profile`,
				`PREFECT_C at s.sh:1:55 = "$x" at s.sh:1:65 via "prefect config set" literal profile`,
			},
			role: Client,
		},
		{
			name: "config set in a profile",
			src:  "prefect profile use prod\nprefect --profile dev config set PREFECT_A=1\nprefect config set PREFECT_B=2",
			vars: []string{
				`PREFECT_A at s.sh:2:34 = "1" at s.sh:2:44 via "prefect config set" literal profile "dev"`,
				`PREFECT_B at s.sh:3:20 = "2" at s.sh:3:30 via "prefect config set" literal profile "prod"`,
			},
			role:  Client,
			notes: []string{"profile@1:9", "profile@2:9"},
		},
		{
			name: "cloud login",
			src:  "prefect cloud login -k pnu_abc --workspace a/b",
			vars: []string{`PREFECT_API_KEY at s.sh:1:21 = "pnu_abc" at s.sh:1:24 via "prefect cloud login" literal profile`},
			role: Client,
		},
		{
			name: "server outranks worker outranks client",
			src:  "prefect deploy --all\nprefect worker start -p x &\nprefect server start",
			role: Server,
		},
		{
			name: "python module and wrappers",
			src:  "exec tini -- uv run --with 'prefect==3.4.1' python -m prefect worker start --pool p",
			role: Worker, release: "3.4.1",
		},
		{
			name: "uv run --with=",
			src:  "uv run --with=prefect==3.4.3 --python 3.12 prefect server start",
			role: Server, release: "3.4.3",
		},
		{
			name: "python script",
			src:  "python3.12 -u flows/etl.py",
			role: Client,
		},
		{
			name: "sh -c",
			src:  `bash -lc 'export PREFECT_HOME=/data && prefect server start'`,
			vars: []string{`PREFECT_HOME at s.sh:1:18 = "/data" at s.sh:1:31 via "export" literal`},
			role: Server,
		},
		{
			name:    "pip install",
			src:     `pip install -U pip && pip3 install --no-cache-dir -i https://pypi.org/simple "prefect[aws]>=3.1,<4"`,
			release: "newest",
		},
		{
			name:    "pip install a Prefect 2 pin",
			src:     `python -m pip install prefect==2.20.3`,
			release: "2.20.3 (Prefect 2)",
		},
		{
			name:  "pip install requirements",
			src:   `uv pip install --system -r requirements.txt`,
			notes: []string{"release-file@1:25"},
		},
		{
			name:    "agent",
			src:     `prefect agent start -q default`,
			role:    Worker,
			release: "Prefect 2",
		},
		{
			name:  "GITHUB_ENV",
			src:   `echo "PREFECT_API_URL=http://a/api" >> "$GITHUB_ENV"`,
			later: []string{`PREFECT_API_URL at s.sh:1:7 = "http://a/api" at s.sh:1:23 via "$GITHUB_ENV" literal`},
		},
		{
			name:  "a syntax error keeps what comes before",
			src:   "export PREFECT_A=1\nif then fi\nexport PREFECT_B=2",
			vars:  []string{`PREFECT_A at s.sh:1:8 = "1" at s.sh:1:18 via "export" literal`},
			notes: []string{"syntax@2:1"},
		},
		{
			name: "line continuation and unicode columns",
			src:  "export PREFECT_UI_URL=\"http://é/\" \\\n  PREFECT_X=1",
			vars: []string{
				`PREFECT_UI_URL at s.sh:1:8 = "http://é/" at s.sh:1:23 via "export" literal`,
				`PREFECT_X at s.sh:2:3 = "1" at s.sh:2:13 via "export" literal`,
			},
		},
		{
			name: "branches all read",
			src:  "if [ -n \"$PROD\" ]; then\n  export PREFECT_API_URL=https://p/api\nelse\n  export PREFECT_API_URL=http://localhost:4200/api\nfi",
			vars: []string{
				`PREFECT_API_URL at s.sh:2:10 = "https://p/api" at s.sh:2:26 via "export" literal`,
				`PREFECT_API_URL at s.sh:4:10 = "http://localhost:4200/api" at s.sh:4:26 via "export" literal`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := ReadScript(&Script{Text: tt.src, File: "s.sh", Env: tt.env})
			var vars, notes, later []string
			for _, v := range sh.Vars {
				vars = append(vars, varText(v))
			}
			for _, n := range sh.Notes {
				notes = append(notes, n.Code+"@"+strings.TrimPrefix(n.Pos.String(), "s.sh:"))
			}
			for _, v := range sh.Later {
				later = append(later, varText(v))
			}
			check(t, "vars", vars, tt.vars)
			check(t, "notes", notes, tt.notes)
			check(t, "later", later, tt.later)
			if sh.Role != tt.role {
				t.Errorf("role = %s, want %s", sh.Role, tt.role)
			}
			if got := releaseText(sh.Release); got != tt.release {
				t.Errorf("release = %q, want %q", got, tt.release)
			}
		})
	}
}

func check(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestReadScriptDockerRun(t *testing.T) {
	src := "export PREFECT_API_KEY=pnu_x\n" +
		"docker run -d --name w -e PREFECT_API_URL=http://s:4200/api --env PREFECT_API_KEY -v ./profiles.toml:/root/.prefect/profiles.toml prefecthq/prefect:3.4.2-python3.12 prefect worker start --pool p\n"
	sh := ReadScript(&Script{Text: src, File: "s.sh"})
	if len(sh.Containers) != 1 {
		t.Fatalf("containers = %d, want 1", len(sh.Containers))
	}
	c := sh.Containers[0]
	var vars []string
	for _, v := range c.Vars {
		vars = append(vars, varText(v))
	}
	check(t, "vars", vars, []string{
		`PREFECT_API_URL at s.sh:2:27 = "http://s:4200/api" at s.sh:2:43 via "docker run -e" literal`,
		`PREFECT_API_KEY at s.sh:2:67 = "pnu_x" via "docker run -e" literal ref PREFECT_API_KEY@s.sh:2:67(set)`,
	})
	if c.Name != "w" || c.Image != "prefecthq/prefect:3.4.2-python3.12" || c.Role != Worker || c.Release.Version != "3.4.2" {
		t.Errorf("container = %q %q %s %q", c.Name, c.Image, c.Role, c.Release.Version)
	}
	if len(c.Mounts) != 1 || c.Mounts[0].Host != "./profiles.toml" || c.Mounts[0].Pos.String() != "s.sh:2:86" {
		t.Errorf("mounts = %+v", c.Mounts)
	}
}

// TestReadScriptEmbedded reads scripts written inside other files: the
// positions are those of the outer file.
func TestReadScriptEmbedded(t *testing.T) {
	spans := []Span{
		{Off: 0, Len: 6, Pos: sources.Position{File: "compose.yaml", Line: 7, Column: 9}},
		{Off: 7, Len: 45, Pos: sources.Position{File: "compose.yaml", Line: 8, Column: 9}},
	}
	text := "set -e\nexport PREFECT_API_URL=http://server:4200/api"
	sh := ReadScript(&Script{Text: text, File: "compose.yaml", Spans: spans})
	var vars []string
	for _, v := range sh.Vars {
		vars = append(vars, varText(v))
	}
	check(t, "vars", vars, []string{`PREFECT_API_URL at compose.yaml:8:16 = "http://server:4200/api" at compose.yaml:8:32 via "export" literal`})
}

func TestRequirementHint(t *testing.T) {
	tests := []struct{ req, want string }{
		{"prefect==3.4.2", "3.4.2"},
		{"prefect===3.4.2", "3.4.2"},
		{"Prefect[aws,docker] == 3.4.2 ; python_version>'3.9'", "3.4.2"},
		{"prefect_client==3.1.0", "3.1.0"},
		{"prefect", "newest"},
		{"prefect>=3.1", "newest"},
		{"prefect>=3.1,!=3.2.0", "newest"},
		{"prefect<3", "Prefect 2"},
		{"prefect>=2.14,<3.0", "Prefect 2"},
		{"prefect==2.*", "Prefect 2"},
		{"prefect~=2.19", "Prefect 2"},
		{"prefect==2.20.3", "2.20.3 (Prefect 2)"},
		{"prefect~=3.4.0", ""},
		{"prefect>=3,<4", "newest"},
		{"prefect>=3.1,<3.5", ""},
		{"prefect @ git+https://github.com/PrefectHQ/prefect", ""},
		{"prefect-aws==0.5.0", ""},
		{"prefecthq==1", ""},
	}
	for _, tt := range tests {
		h, ok := requirementHint(tt.req, sources.Position{}, "")
		if got := releaseText(h); got != tt.want || ok != (tt.want != "") {
			t.Errorf("requirementHint(%q) = %q, %v; want %q", tt.req, got, ok, tt.want)
		}
	}
}

func TestIsDotEnvTemplate(t *testing.T) {
	for name, want := range map[string]bool{
		"env.example": true, ".env-example": true, ".env_template": true, "prod.env.example": true,
		".env.sample": true, "env.template": true, ".env.example": true, "example.env": true,
		"config/.env.dist": true, "docker.env.tmpl": true, ".ENV.EXAMPLE": true,
		".env": false, ".env.local": false, "prod.env": false, "environment.example": false,
		"env.example.py": false, "example.env.yaml": false, "README.example": false, "venv.example": false,
	} {
		if got := IsDotEnvTemplate(name); got != want {
			t.Errorf("IsDotEnvTemplate(%q) = %v, want %v", name, got, want)
		}
	}
}
