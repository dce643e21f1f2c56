// Secrets where they leak: a credential in a file that is, or will be,
// shared through version control.

package lint

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// secretInFile reports a credential that v, from a file of the kind, holds
// when the file is shared: prefect.toml and pyproject.toml always, a .env
// or profiles file when git tracks it or does not ignore it.
func (l *linter) secretInFile(kind sources.Kind, v sources.Value) {
	raw := v.Raw
	if kind == sources.DotEnv {
		raw = l.literalDotEnv(v) // the file's own text, not the environment's
	}
	what := credential(v.Setting, raw)
	if what == "" {
		return
	}
	s := v.Setting
	switch kind {
	case sources.PrefectTOML, sources.PyprojectTOML:
		l.report(RuleSecretInFile, v.Pos, s.Path, "",
			"%s %s; %s is committed with the project: set %s in the environment or in a .env file git ignores",
			s.Path, what, filepath.Base(v.Pos.File), s.Canonical())
	case sources.DotEnv, sources.Profile:
		if kind == sources.Profile && l.homeProfiles(v.Pos.File) {
			return // the user's own profiles, never committed
		}
		switch l.gitState(v.Pos.File) {
		case gitTracked:
			l.report(RuleSecretInFile, v.Pos, s.Path, "",
				"%s %s; git tracks this file, so the secret is in the repository's history: rotate it, then git rm --cached %s and ignore the file",
				s.Path, what, filepath.Base(v.Pos.File))
		case gitUntracked:
			l.report(RuleSecretInFile, v.Pos, s.Path, "",
				"%s %s; git does not ignore this file, so the next commit can share it: add %s to .gitignore",
				s.Path, what, filepath.Base(v.Pos.File))
		}
	}
}

// leakState is what one run learnt about the files it checks for secrets.
type leakState struct {
	literals map[string][]sources.DotEnvEntry // .env bindings without the environment, by file
}

// homeProfiles reports whether file is the user's own profiles file:
// ~/.prefect/profiles.toml, or profiles.toml under the environment's
// PREFECT_HOME.
func (l *linter) homeProfiles(file string) bool {
	var homes []string
	if l.opts.Home != "" {
		homes = append(homes, filepath.Join(l.opts.Home, ".prefect", "profiles.toml"))
	}
	if h := l.env["PREFECT_HOME"]; h != "" {
		if strings.HasPrefix(h, "~/") && l.opts.Home != "" {
			h = filepath.Join(l.opts.Home, h[2:])
		}
		homes = append(homes, filepath.Join(h, "profiles.toml"))
	}
	abs := l.absPath(file)
	for _, h := range homes {
		if absPath(h) == abs {
			return true
		}
	}
	return false
}

// literalDotEnv returns the value of v as its .env file writes it: ${NAME}
// expanded from the file's own bindings only, for a reference to the
// environment holds no secret.
func (l *linter) literalDotEnv(v sources.Value) any {
	l.mu.Lock()
	entries := l.leaks.literals[v.Pos.File] // recorded as the file was read
	l.mu.Unlock()
	for _, e := range entries {
		if e.Line == v.Pos.Line && e.Column == v.Pos.Column && e.Value != nil {
			if raw, ok := v.Raw.(string); ok && raw == *e.Value {
				return v.Raw // the same text, already held as an any
			}
			return *e.Value
		}
	}
	return v.Raw
}

// credential says what credential raw, a value of setting s, holds ("holds
// a secret", "holds a password in its URL"...), or "" when it holds none:
// an empty value, a reference to a variable or an evident placeholder.
func credential(s *schema.Setting, raw any) string {
	if s.Index == schema.IClientCustomHeaders {
		if names := credentialHeaders(raw); len(names) > 0 {
			return fmt.Sprintf("holds the credential header %s", strings.Join(names, ", "))
		}
		return ""
	}
	str, ok := raw.(string)
	if !ok {
		return ""
	}
	if pw, ok := urlPassword(str); ok && !standIn(pw) {
		return "holds a password in its URL"
	}
	if s.Secret && s.Index != schema.IServerDatabaseConnectionURL && !standIn(str) {
		return "holds a secret"
	}
	return ""
}

// urlPassword returns the password of a URL written scheme://user:password@host,
// read as SQLAlchemy reads database URLs: the user name runs to the first
// ':' and the password to the next '@', so '#', '$', '/' and '?' are part of
// it. A port followed by a path (host:4200/api?to=a@b) is no password.
func urlPassword(s string) (string, bool) {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "", false
	}
	user, rest, ok := strings.Cut(rest, ":")
	if !ok || strings.ContainsAny(user, "/?#@") {
		return "", false
	}
	pw, _, ok := strings.Cut(rest, "@")
	if !ok || pw == "" || portThenPath.MatchString(pw) {
		return "", false
	}
	return pw, true
}

var portThenPath = regexp.MustCompile(`^[0-9]*[/?#]`)

// credentialHeaders lists, sorted, the custom headers of raw (a table or a
// JSON object string) whose name says they carry a credential and whose
// value is set.
func credentialHeaders(raw any) []string {
	m, ok := headerTable(raw)
	if !ok {
		return nil
	}
	var out []string
	for name, v := range m {
		str, _ := v.(string)
		if str == "" || !credentialNamed(name) || standIn(str) {
			continue
		}
		if b, ok := strings.CutPrefix(str, "Bearer "); ok && standIn(b) {
			continue
		}
		out = append(out, fmt.Sprintf("%q", name))
	}
	slices.Sort(out)
	return out
}

var credentialName = regexp.MustCompile(`(?i)auth|token|key|secret|passw|cookie|session|credential|signature`)

// credentialWords are the words of credentialName.
var credentialWords = []string{"auth", "token", "key", "secret", "passw", "cookie", "session", "credential", "signature"}

// credentialNamed reports whether credentialName matches name: for a
// name in ASCII, whose case folds as ASCII's, by searching its lower case
// for the words, without the regular expression.
func credentialNamed(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return credentialName.MatchString(name) // the Kelvin sign is a K, ſ an s
		}
	}
	lower := strings.ToLower(name)
	for _, w := range credentialWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// standIn reports whether s is evidently no real secret: a reference to a
// variable ($NAME, ${NAME}, $%7BNAME%7D), a placeholder (<your-api-key>,
// {{ api_key }}, changeme, xxx), or a word or local development default
// that stands for a value.
func standIn(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	switch {
	case t == "", t[0] == '$' && reference.MatchString(t), isPlaceholderWord(t), angled(t),
		strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}"),
		strings.Trim(t, "x*.-_#") == "":
		return true
	}
	return slices.Contains(standInValues, t)
}

var reference = regexp.MustCompile(`^(\$\{[a-z_][a-z0-9_]*\}|\$[a-z_][a-z0-9_]*|\$%7b[a-z_][a-z0-9_]*%7d)$`)

// standInValues are whole values that are no secret: the defaults of local
// development databases and words that stand for a value.
var standInValues = []string{"password", "passwd", "pass", "secret", "postgres", "prefect", "admin", "test",
	"none", "null", "dummy", "example", "redacted"}
