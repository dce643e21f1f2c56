package lint

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/strata-settings/strata/schema"
)

func TestURLPassword(t *testing.T) {
	tests := []struct {
		in, pw string
	}{
		{"postgresql+asyncpg://prefect:s3cret@db:5432/prefect", "s3cret"},
		{"postgresql+asyncpg://prefect:pa#ss@db/prefect", "pa#ss"},
		{"postgresql+asyncpg://prefect:pa$$w0rd@db/prefect", "pa$$w0rd"},
		{"postgresql+asyncpg://prefect:p@ss@db/prefect", "p"},
		{"postgresql+asyncpg://prefect:a/b?c@db/prefect", "a/b?c"},
		{"https://user:tok3n@prefect.example.com/api", "tok3n"},
		{"postgresql+asyncpg://prefect:${PREFECT_SERVER_DATABASE_PASSWORD}@db/prefect", "${PREFECT_SERVER_DATABASE_PASSWORD}"},
		{"postgresql+asyncpg://prefect@db/prefect", ""},
		{"postgresql+asyncpg://prefect:@db/prefect", ""},
		{"http://prefect.internal:4200/api", ""},
		{"http://prefect.internal:4200/api?owner=a@b", ""},
		{"http://prefect.internal/a:b@c", ""},
		{"sqlite+aiosqlite:///home/me/.prefect/prefect.db", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		pw, ok := urlPassword(tt.in)
		if pw != tt.pw || ok != (tt.pw != "") {
			t.Errorf("urlPassword(%q) = %q, %v; want %q", tt.in, pw, ok, tt.pw)
		}
	}
}

func TestCredential(t *testing.T) {
	setting := func(name string) *schema.Setting {
		s, ok := schema.Lookup(name)
		if !ok {
			t.Fatalf("no setting %s", name)
		}
		return s
	}
	tests := []struct {
		setting string
		raw     any
		want    string
	}{
		{"api.key", "pnu_1a2b3c4d5e6f", "holds a secret"},
		{"api.key", "pnu_#1$2@3", "holds a secret"},
		{"api.auth_string", "admin:pa#ss", "holds a secret"},
		{"server.api.auth_string", "admin:${unclosed", "holds a secret"},
		{"server.database.password", "pa$$word", "holds a secret"},
		{"server.database.connection_url", "postgresql+asyncpg://u:p#w@db/p", "holds a password in its URL"},
		{"server.database.connection_url", "postgresql+asyncpg://u:p@w@db/p", "holds a password in its URL"},
		{"api.url", "https://ci:tok3n@prefect.example.com/api", "holds a password in its URL"},
		{"client.custom_headers", map[string]any{"Authorization": "Bearer abc123", "X-Team": "data"}, `holds the credential header "Authorization"`},
		{"client.custom_headers", `{"CF-Access-Client-Secret": "s", "CF-Access-Client-Id": "id", "X-API-Key": "k"}`, `holds the credential header "CF-Access-Client-Secret", "X-API-Key"`},
		// No secret: empty, references, placeholders, local defaults.
		{"api.key", "", ""},
		{"api.key", "${PREFECT_API_KEY}", ""},
		{"api.key", "$PREFECT_API_KEY", ""},
		{"api.key", "<your-api-key>", ""},
		{"api.key", "your-api-key", ""},
		{"api.key", "changeme", ""},
		{"api.key", "xxxxxxxx", ""},
		{"api.key", "{{ prefect_api_key }}", ""},
		{"server.database.password", "postgres", ""},
		{"server.database.connection_url", "postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/p", ""},
		{"server.database.connection_url", "postgresql+asyncpg://u@db/p", ""},
		{"server.database.connection_url", "sqlite+aiosqlite:///prefect.db", ""},
		{"api.url", "http://prefect.internal:4200/api", ""},
		{"api.key", int64(12345678), ""},
		{"client.custom_headers", map[string]any{"Authorization": "Bearer <token>", "X-Team": "data"}, ""},
		{"client.custom_headers", `{"X-Request-Source": "ci"}`, ""},
	}
	for _, tt := range tests {
		if got := credential(setting(tt.setting), tt.raw); got != tt.want {
			t.Errorf("credential(%s, %#v) = %q; want %q", tt.setting, tt.raw, got, tt.want)
		}
	}
}

// project is a realistic project with a secret in every file that can
// hold one, correct settings beside them, and a .gitignore that keeps
// .env.local and the profiles of .prefect/ out of git.
var project = map[string]string{
	"prefect.toml":                "[api]\nurl = \"https://prefect.example.com/api\"\n\n[server.database]\nconnection_url = \"postgresql+asyncpg://prefect:pa#ss@db:5432/prefect\"\n",
	"pyproject.toml":              "[project]\nname = \"flows\"\n\n[tool.prefect.client]\nmax_retries = 5\ncustom_headers = { \"X-Team\" = \"data\" }\n",
	".env":                        "PREFECT_API_URL=https://prefect.example.com/api\nPREFECT_API_KEY=\"pnu_#abc$def@ghi\"\n",
	".env.local":                  "PREFECT_API_KEY=pnu_local\n",
	".env.example":                "PREFECT_API_URL=https://prefect.example.com/api\nPREFECT_API_KEY=<your-api-key>\n",
	"deploy/ci.env":               "PREFECT_API_KEY=${CI_PREFECT_API_KEY}\nPREFECT_API_AUTH_STRING='admin:p$ss'\n",
	".prefect/profiles.toml":      "active = \"dev\"\n[profiles.dev]\nPREFECT_API_KEY = \"pnu_ignored\"\n",
	"config/profiles.toml":        "active = \"ci\"\n[profiles.ci]\nPREFECT_API_URL = \"https://prefect.example.com/api\"\nPREFECT_API_KEY = \"pnu_shared_profile\"\n",
	".gitignore":                  ".env.local\n.prefect/\n",
	"home/.prefect/profiles.toml": "active = \"me\"\n[profiles.me]\nPREFECT_API_KEY = \"pnu_home\"\n",
}

// tracked are the files the project has committed.
var tracked = []string{".gitignore", "prefect.toml", "pyproject.toml", ".env"}

const (
	wantCommitted = "prefect.toml:5:1: warning: server.database.connection_url holds a password in its URL; prefect.toml is committed with the project: set PREFECT_SERVER_DATABASE_CONNECTION_URL in the environment or in a .env file git ignores [secret-in-committed-file]\n"
	wantTracked   = ".env:2:1: warning: api.key holds a secret; git tracks this file, so the secret is in the repository's history: rotate it, then git rm --cached .env and ignore the file [secret-in-committed-file]\n"
	wantShared    = "config/profiles.toml:4:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add profiles.toml to .gitignore [secret-in-committed-file]\n" +
		"deploy/ci.env:2:1: warning: api.auth_string holds a secret; git does not ignore this file, so the next commit can share it: add ci.env to .gitignore [secret-in-committed-file]\n"
)

// TestSecretsWhereTheyLeak lints the project in a git work tree, read from
// the repository (committed by git when it is installed, and built without
// it), and outside any work tree, where only the TOML files are shared.
func TestSecretsWhereTheyLeak(t *testing.T) {
	git, gitErr := exec.LookPath("git")
	tests := []struct {
		name   string
		repo   bool // git init, and commit the tracked files (needs git)
		index  bool // a repository whose index holds the tracked files, made without git
		dotGit bool // a bare .git directory: a work tree git never indexed
		want   string
	}{
		{name: "a repository git made", repo: true, want: wantTracked + wantShared + wantCommitted},
		{name: "a repository made without git", index: true, want: wantTracked + wantShared + wantCommitted},
		{name: "a work tree with no index", dotGit: true, want: ".env:2:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add .env to .gitignore [secret-in-committed-file]\n" + wantShared + wantCommitted},
		{name: "outside a work tree", want: wantCommitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.repo && gitErr != nil {
				t.Skip("git is not installed")
			}
			dir := t.TempDir()
			write(t, dir, project)
			home := filepath.Join(dir, "home")
			environ := []string{"HOME=" + home, "CI_PREFECT_API_KEY=pnu_from_ci", "GIT_CONFIG_NOSYSTEM=1"}
			switch {
			case tt.repo:
				for _, args := range [][]string{
					{"init", "-q"},
					append([]string{"add"}, tracked...),
					{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init"},
				} {
					cmd := exec.Command(git, args...)
					cmd.Dir, cmd.Env = dir, environ
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
					}
				}
			case tt.index:
				gitRepo(t, dir, "", tracked...)
			case tt.dotGit:
				if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			fs, err := Run(Options{Dir: dir, Home: home, Environ: environ,
				Paths: []string{".", "home/.prefect/profiles.toml"}, Disabled: []string{RuleUnknownSetting}})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range fs {
				if f.Rule == RuleSecretInFile {
					got = append(got, f)
				}
			}
			if g := lines(got); g != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s\nall findings:\n%s", g, tt.want, lines(fs))
			}
		})
	}
}

// gitRepo makes dir a git work tree without git: a .git directory with
// the configuration given and an index holding the files named, as git
// writes them.
func gitRepo(t *testing.T, dir, config string, files ...string) {
	t.Helper()
	write(t, dir, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".git/config": config,
		".git/objects/.keep": "", ".git/refs/heads/.keep": ""})
	idx := &index.Index{Version: 2}
	for _, name := range slices.Sorted(slices.Values(files)) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		idx.Entries = append(idx.Entries, &index.Entry{Name: name, Mode: filemode.Regular, Size: uint32(len(data)),
			Hash: plumbing.ComputeHash(plumbing.BlobObject, data)})
	}
	f, err := os.Create(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := index.NewEncoder(f).Encode(idx); err != nil {
		t.Fatal(err)
	}
}

// TestGitConfigRunsNothing lints a repository whose configuration would
// make git run a command at every hook it has: lint reads the repository
// and runs nothing, and still tells the tracked file from the others.
func TestGitConfigRunsNothing(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	run := "touch " + marker + "; false"
	config := "[core]\n\tfsmonitor = \"" + run + "\"\n\thooksPath = hooks\n\tsshCommand = \"" + run + "\"\n\tpager = \"" + run + "\"\n\taskPass = \"" + run + "\"\n\texcludesFile = .git/ignored\n" +
		"[diff]\n\texternal = \"" + run + "\"\n[filter \"x\"]\n\tclean = \"" + run + "\"\n\tsmudge = \"" + run + "\"\n\tprocess = \"" + run + "\"\n"
	write(t, dir, map[string]string{
		".env":                "PREFECT_API_KEY=pnu_tracked\n",
		"deploy/.env":         "PREFECT_API_KEY=pnu_untracked\n",
		"local.env":           "PREFECT_API_KEY=pnu_ignored\n",
		".gitattributes":      "* filter=x\n",
		".git/ignored":        "local.env\n",
		"hooks/post-checkout": "#!/bin/sh\n" + run + "\n",
	})
	gitRepo(t, dir, config, ".env", ".gitattributes")
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Environ: []string{"PATH=" + os.Getenv("PATH")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("linting the repository ran a command of its configuration")
	}
	want := ".env:1:1: warning: api.key holds a secret; git tracks this file, so the secret is in the repository's history: rotate it, then git rm --cached .env and ignore the file [secret-in-committed-file]\n" +
		"deploy/.env:1:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add .env to .gitignore [secret-in-committed-file]\n"
	if got := lines(fs); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestGitIgnoreFiles checks the ignore files git reads besides .gitignore
// (info/exclude, core.excludesFile of the repository and of the user), a
// .gitignore deeper in the tree that re-includes a file, and a directory
// ignored as a whole, under which nothing can be re-included. Where git is
// installed, it is asked the same questions.
func TestGitIgnoreFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".git/info/exclude":  "secrets.env\n",
		"home/.gitconfig":    "[core]\n\texcludesFile = ~/global-ignore\n",
		"home/global-ignore": "*.local.env\n",
		"app/.gitignore":     "*.env\n!keep.env\n",
		"app/sub/.gitignore": "# nothing here\n",
		".gitignore":         "build/\n!build/keep.env\nout\n",
	}
	tests := []struct {
		file string
		want gitState
	}{
		{"secrets.env", gitIgnored},
		{"dev.local.env", gitIgnored},
		{"app/x.env", gitIgnored},
		{"app/sub/y.env", gitIgnored},
		{"app/keep.env", gitUntracked},
		{".env", gitUntracked},
		{"tracked.env", gitTracked},
		{"build/keep.env", gitIgnored},
		{"out/deep/.env", gitIgnored},
		{"src/build.env", gitUntracked},
	}
	for _, tt := range tests {
		files[tt.file] = "A=1\n"
	}
	write(t, dir, files)
	gitRepo(t, dir, "", "tracked.env")
	home := filepath.Join(dir, "home")
	var g gitRepos
	for _, tt := range tests {
		path := filepath.Join(dir, filepath.FromSlash(tt.file))
		r := g.repoOf(filepath.Dir(path), home, nil)
		if r == nil {
			t.Fatalf("%s: no repository", tt.file)
		}
		if got := r.state(path); got != tt.want {
			t.Errorf("state(%s) = %d; want %d", tt.file, got, tt.want)
		}
	}
	if r := g.repoOf(t.TempDir(), home, nil); r != nil {
		t.Errorf("a repository outside any work tree: %+v", r)
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return
	}
	for _, tt := range tests {
		var got gitState
		for _, q := range []struct {
			args []string
			then gitState
		}{{[]string{"--cached"}, gitTracked}, {[]string{"--others", "--exclude-standard"}, gitUntracked}} {
			cmd := exec.Command(git, append(append([]string{"-c", "core.fsmonitor=false", "ls-files"}, q.args...), "--", tt.file)...)
			cmd.Dir, cmd.Env = dir, []string{"HOME=" + home, "GIT_CONFIG_NOSYSTEM=1"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git ls-files: %v", err)
			}
			if len(out) > 0 && got == 0 {
				got = q.then
			}
		}
		if got == 0 {
			got = gitIgnored
		}
		if got != tt.want {
			t.Errorf("git says %s is %d; the test wants %d", tt.file, got, tt.want)
		}
	}
}

// credentialNamed answers as the regular expression it stands in for,
// case folded as Unicode folds it.
func TestCredentialNamed(t *testing.T) {
	for _, name := range []string{"Authorization", "X-API-KEY", "x-token", "Cookie", "User-Agent", "X-Team", "",
		"\u212Aey", "\u017Fecret", "Pa\u017F\u017Fword", "X-Session-Id", "SIGNATURE", "credentials", "pass", "passwd", "k\u00e9y"} {
		if got, want := credentialNamed(name), credentialName.MatchString(name); got != want {
			t.Errorf("credentialNamed(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzPlaceholderWord: the checks before placeholderWord's regexp never
// turn away a word it matches.
func FuzzPlaceholderWord(f *testing.F) {
	for _, s := range []string{"your-api-key", "YOUR_ACCOUNT_ID", "Your key", "key_here", "KEY-HERE", "changeme", "Change_Me",
		"replaceme", "replace-me", "xxx", "XXXX", "todo", "TBD", "Placeholder", "...", "***", "****", "yourſ", "youK",
		"k", "pnu_abc", "http://x/api", "here", "-here", "xx", "**", "..", "ſ_here", "K_here", "todoo", "ünicode_here"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isPlaceholderWord(s), placeholderWord.MatchString(s); got != want {
			t.Errorf("isPlaceholderWord(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}

// FuzzURLPlaceholder: a URL whose parts hold a placeholder word is always
// parsed for them.
func FuzzURLPlaceholder(f *testing.F) {
	for _, s := range []string{"http://your-host:4200/api", "http://h/api/YOUR_ID", "https://u:changeme@h/x", "http://%79our-host/api",
		"http://h:4200/api", "postgresql://u:p@db/prefect", "http://h/xxx", "http://h/a/.../b", "http://TODO/api", "http://k_here/api"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil || mayHoldPlaceholder(s) {
			return
		}
		for _, p := range urlParts(u) {
			if placeholderWord.MatchString(p) {
				t.Errorf("%q has the placeholder %q, and mayHoldPlaceholder says no", s, p)
			}
		}
	})
}
