// The checks of values that Prefect accepts but that cannot be what the
// user meant, whatever file or variable holds them.

package lint

import (
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// meaning checks one value Prefect's coercion accepts for what it means:
// a placeholder left in, the text "None", an address only a server can
// listen on, an API URL without /api.
func (l *linter) meaning(kind sources.Kind, v sources.Value) {
	s := v.Setting
	str, ok := v.Raw.(string)
	if !ok || str == "" {
		return
	}
	if ph := placeholder(s, kind, str); ph != "" && !exampleFile(v.Pos.File) {
		l.report(RulePlaceholder, v.Pos, s.Path, "",
			"%s holds the placeholder %q: Prefect uses it as written; put the real value there, or leave the setting out", s.Path, ph)
		return
	}
	if s.Optional && (strings.EqualFold(str, "None") || strings.EqualFold(str, "null")) &&
		settings.Validate(s, kind, v.Raw) == nil {
		l.report(RuleNoneString, v.Pos, s.Path, "",
			"%s is the text %q, not an empty setting: Prefect has no null here and takes the string; leave the setting out to unset it", s.Path, str)
		return
	}
	if s.Index == schema.IServerDatabaseConnectionURL {
		l.databaseDriver(v, str)
		return
	}
	if !clientURL(s) {
		return
	}
	u, err := url.Parse(str)
	if err != nil || u.Host == "" || strings.Contains(str, "${") {
		return
	}
	if (s.Index == schema.IUIURL || s.Index == schema.ICloudUIURL) && hasAPISegment(u.Path) {
		l.uiURLAPI(kind, v, u)
	}
	if host := u.Hostname(); host == "0.0.0.0" || host == "::" {
		l.report(RuleClientWildcard, v.Pos, s.Path, "",
			"%s calls %s, an address a server listens on, not one a client can reach everywhere; use the server's host name or 127.0.0.1", s.Path, host)
	}
	if s.Index == schema.IAPIURL && strings.EqualFold(u.Hostname(), "app.prefect.cloud") {
		// The address of a workspace in Prefect Cloud's UI, copied from
		// the browser: its API is at another host and path.
		want := "https://api.prefect.cloud/api/accounts/ACCOUNT_ID/workspaces/WORKSPACE_ID"
		if m := cloudWorkspace.FindStringSubmatch(u.Path); m != nil {
			want = "https://api.prefect.cloud/api/accounts/" + m[1] + "/workspaces/" + m[2]
		}
		l.reportAs(Warning, RuleAPIURLPath, v.Pos, s.Path, want,
			"%s is the address of Prefect Cloud's UI, not of its API: the API of a workspace is %s", s.Path, want)
		return
	}
	if (s.Index == schema.IAPIURL || s.Index == schema.IServerUIAPIURL) && !hasAPISegment(u.Path) {
		l.report(RuleAPIURLPath, v.Pos, s.Path, "",
			"%s has no /api in its path: a Prefect server serves its API under /api (http://host:4200/api), unless a proxy rewrites paths", s.Path)
	}
}

// cloudWorkspace matches the path of a workspace in Prefect Cloud's UI:
// /account/ACCOUNT_ID/workspace/WORKSPACE_ID.
var cloudWorkspace = regexp.MustCompile(`^/account/([0-9a-fA-F-]{36})/workspaces?/([0-9a-fA-F-]{36})`)

// cloudUI is cloud.ui_url's default, Prefect Cloud's UI.
const cloudUI = "https://app.prefect.cloud"

// uiURLAPI reports ui_url (or cloud.ui_url) set to an API address: the UI's
// own address is what Prefect links runs to, and a link under /api leads
// nowhere; the address the UI calls the API at is server.ui.api_url.
func (l *linter) uiURLAPI(kind sources.Kind, v sources.Value, u *url.URL) {
	s := v.Setting
	ui := *u
	segs := strings.Split(ui.Path, "/")
	ui.Path = strings.Join(segs[:slices.Index(segs, "api")], "/")
	ui.RawQuery, ui.Fragment = "", ""
	name, apiName := s.Path, "server.ui.api_url"
	if kind == sources.Env || kind == sources.DotEnv || kind == sources.Profile {
		name, apiName = v.Key, "PREFECT_SERVER_UI_API_URL"
	}
	if s.Index == schema.ICloudUIURL {
		sugg := ""
		if h := strings.ToLower(u.Hostname()); h == "prefect.cloud" || strings.HasSuffix(h, ".prefect.cloud") {
			sugg = cloudUI
		}
		l.report(RuleUIURLAPI, v.Pos, s.Path, sugg,
			"%s is an API address (%s): cloud.ui_url is the address of Prefect Cloud's UI, which Prefect links runs to (%s unless set); the API's is cloud.api_url",
			name, u.Redacted(), cloudUI)
		return
	}
	l.report(RuleUIURLAPI, v.Pos, s.Path, ui.String(),
		"%s is an API address (%s): ui_url is the UI's own address, which Prefect links runs to (%s); the address the UI calls the API at is %s",
		name, u.Redacted(), ui.String(), apiName)
}

// clientURL reports whether s is a URL a client or browser calls.
func clientURL(s *schema.Setting) bool {
	switch s.Index {
	case schema.IAPIURL, schema.IServerUIAPIURL, schema.IUIURL, schema.ICloudUIURL:
		return true
	}
	return false
}

func hasAPISegment(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == "api" {
			return true
		}
	}
	return false
}

// placeholderWord matches a value or a part of one that only stands in for
// the real thing: your-api-key, YOUR_ACCOUNT_ID, changeme, xxx, TODO.
var placeholderWord = regexp.MustCompile(`(?i)^(your[-_ ]?[a-z0-9_-]*|[a-z0-9_-]*[-_]here|change[-_]?me|replace[-_]?me|x{3,}|todo|tbd|placeholder|\.{3}|\*{3,})$`)

// isPlaceholderWord tells whether placeholderWord matches s. Most
// values are no such word: what every one of them needs to be, a prefix
// or suffix or the whole of it, is checked first, and the regexp run only
// on the few that pass. None of those words holds a letter (k, s) that
// (?i) folds to a letter outside ASCII.
func isPlaceholderWord(s string) bool {
	switch {
	case hasPrefixFold(s, "your"), hasPrefixFold(s, "change"), hasPrefixFold(s, "replace"),
		hasPrefixFold(s, "xxx"), strings.HasPrefix(s, "***"), s == "...",
		len(s) >= 4 && strings.EqualFold(s[len(s)-4:], "here"),
		strings.EqualFold(s, "todo"), strings.EqualFold(s, "tbd"), strings.EqualFold(s, "placeholder"):
		return placeholderWord.MatchString(s)
	}
	return false
}

// placeholderWords are what each word placeholderWord matches holds, in
// some case (isPlaceholderWord).
var placeholderWords = []string{"your", "change", "replace", "xxx", "***", "...", "here", "todo", "tbd", "placeholder"}

// mayHoldPlaceholder reports whether a part of str, a URL, may be a word
// placeholderWord matches: without escapes, each part is a piece of str,
// so one of placeholderWords is in it. Most URLs are not parsed for their
// parts then.
func mayHoldPlaceholder(str string) bool {
	if strings.IndexByte(str, '%') >= 0 {
		return true
	}
	for _, w := range placeholderWords {
		for i := 0; i+len(w) <= len(str); i++ {
			if strings.EqualFold(str[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold is strings.HasPrefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// placeholderAngle matches <your-prefect-url/api>, <account-id>.
var placeholderAngle = regexp.MustCompile(`<[^<>]*[A-Za-z][^<>]*>`)

// angled reports whether placeholderAngle matches in s, which needs a '<'
// to.
func angled(s string) bool {
	return strings.IndexByte(s, '<') >= 0 && placeholderAngle.MatchString(s)
}

// placeholder returns the placeholder in str, the value of setting s, or
// "" when there is none. Only URLs and credentials are checked: elsewhere
// such words can be real values.
func placeholder(s *schema.Setting, kind sources.Kind, str string) string {
	urlish := strings.HasSuffix(s.Path, "url")
	switch s.Index {
	case schema.IServerDatabaseHost, schema.IServerDatabaseUser, schema.IServerDatabaseName:
	default:
		if !s.Secret && !urlish {
			return ""
		}
	}
	if angled(str) {
		return placeholderAngle.FindString(str)
	}
	if kind != sources.DotEnv && kind != sources.Env && s.Index != schema.IServerDatabaseConnectionURL {
		if i := strings.Index(str, "${"); i >= 0 && strings.Contains(str[i:], "}") {
			return str[i : i+strings.IndexByte(str[i:], '}')+1] // not expanded outside .env
		}
	}
	if isPlaceholderWord(str) {
		return str
	}
	if !urlish || !strings.Contains(str, "://") || !mayHoldPlaceholder(str) {
		return ""
	}
	u, err := url.Parse(str)
	if err != nil {
		return ""
	}
	for _, p := range urlParts(u) {
		if p != "" && isPlaceholderWord(p) && net.ParseIP(p) == nil {
			return p
		}
	}
	return ""
}

// urlParts lists the parts of u that may be placeholders: the host's first
// label, the user and password, the path's segments.
func urlParts(u *url.URL) []string {
	parts := []string{strings.Split(u.Hostname(), ".")[0]}
	if u.User != nil {
		parts = append(parts, u.User.Username())
		if pw, ok := u.User.Password(); ok {
			parts = append(parts, pw)
		}
	}
	return append(parts, strings.Split(u.Path, "/")...)
}

// exampleFile reports whether file is a template of settings, where
// placeholders are expected: .env.example, .env.sample, example.env...
func exampleFile(file string) bool {
	name := strings.ToLower(filepath.Base(file))
	for _, w := range []string{"example", "sample", "template", "dist", "tmpl"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// syncDrivers are the SQLAlchemy dialects and drivers of the databases
// Prefect supports that are not async, by the scheme of a URL that names
// them, with the scheme Prefect's server wants instead: it opens its
// database with create_async_engine, which refuses them (and Prefect's
// images have none of them installed).
var syncDrivers = map[string]string{
	"postgresql":              "postgresql+asyncpg",
	"postgres":                "postgresql+asyncpg", // not even a dialect SQLAlchemy 1.4 and later know
	"postgresql+psycopg2":     "postgresql+asyncpg",
	"postgresql+psycopg2cffi": "postgresql+asyncpg",
	"postgresql+pg8000":       "postgresql+asyncpg",
	"postgresql+pygresql":     "postgresql+asyncpg",
	"sqlite":                  "sqlite+aiosqlite",
	"sqlite+pysqlite":         "sqlite+aiosqlite",
	"sqlite+pysqlcipher":      "sqlite+aiosqlite",
}

// databaseDriver checks the driver of a database connection URL. Only the
// scheme is named: the rest of the URL may hold a password.
func (l *linter) databaseDriver(v sources.Value, str string) {
	scheme, _, ok := strings.Cut(str, "://")
	if !ok {
		return
	}
	want, bad := syncDrivers[strings.ToLower(scheme)]
	if !bad {
		return
	}
	l.report(RuleDatabaseSyncDriver, v.Pos, v.Setting.Path, "",
		"%s names the driver %s://, which is not async: Prefect's server opens its database with an async engine and does not start with it; use %s://",
		v.Setting.Path, scheme, want)
}
