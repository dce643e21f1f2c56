package settings

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/schema/coerce"
	"github.com/strata-settings/strata/sources"
)

var sprintf = fmt.Sprintf

// validate checks the numeric constraints of the schema (ge, gt, le).
var validate = validator.New()

// checkConstraint enforces a setting's numeric constraint and the duration
// constraints the schema cannot express.
func checkConstraint(s *schema.Setting, v any) error {
	if s.Index == schema.IServerServicesDBVacuumRetentionPeriod {
		if d, ok := v.(schema.Timedelta); ok && d.Compare(coerce.TimedeltaOf(time.Hour)) <= 0 {
			return fail("Input should be greater than 1:00:00")
		}
	}
	if s.Validate == "" || v == nil {
		return nil
	}
	if err := validate.Var(v, s.Validate); err != nil {
		if ves, ok := err.(validator.ValidationErrors); ok && len(ves) > 0 {
			words := map[string]string{"gte": "greater than or equal to", "gt": "greater than", "lte": "less than or equal to", "lt": "less than"}
			return fail("Input should be %s %s", words[ves[0].Tag()], ves[0].Param())
		}
		return fail("%v", err)
	}
	return nil
}

// resolution applies Prefect's derivations, the values one setting takes
// from others, to a Result.
type resolution struct {
	r    *Result
	rel  *release.Release
	env  map[string]string
	opts Options
	errs *ErrorList
	// users looks up the home directory of ~name; nil inside a container,
	// whose users are not this machine's.
	users func(name string) (string, bool)
}

func (x *resolution) str(i int) string {
	switch v := x.r.values[i].(type) {
	case string:
		return v
	case schema.SecretString:
		return v.Reveal()
	}
	return ""
}

func (x *resolution) isSet(i int) bool { return x.r.origins[i].Layer != sources.Default }

// given reports whether a layer set setting i to a value other than None
// (a null in a group JSON variable is None): Prefect computes a computed
// default whenever the value is None.
func (x *resolution) given(i int) bool { return x.isSet(i) && x.r.values[i] != nil }

// derive sets the value of setting i as the derivation how says, from the
// settings from.
func (x *resolution) derive(i int, v any, how string, from ...int) {
	x.r.values[i] = v
	x.r.origins[i].Derivation = how
	x.r.origins[i].From = x.r.origins[i].From[:0]
	for _, f := range from {
		x.r.origins[i].From = append(x.r.origins[i].From, schema.Every(f).Path)
	}
}

// apply runs the derivations in Prefect's order: paths, then the derived values,
// then the checks and warnings.
func (x *resolution) apply() {
	x.paths()
	x.cloudUIURL()
	x.uiURL()
	x.serverUIAPIURL()
	x.debugLevels()
	x.databaseURL()
	x.loggingSizes()
	x.apiURLWarnings()
	x.pluginWarnings()
	x.credentialWarnings()
}

// paths normalises path settings as Python's pathlib does, expands ~ in
// home, substitutes $PREFECT_HOME in profiles_path and computes the
// defaults that live under the home directories.
func (x *resolution) paths() {
	r := x.r
	home := "~/.prefect"
	if x.isSet(schema.IHome) {
		home = x.str(schema.IHome)
	}
	home = pypath.Clean(expandUser(home, x.opts.Home, x.users))
	r.values[schema.IHome] = home
	switch p := x.str(schema.IProfilesPath); {
	case x.given(schema.IProfilesPath) && x.rel.NestedHomePaths && strings.Contains(p, "PREFECT_HOME"):
		x.derive(schema.IProfilesPath, pypath.Clean(home+"/profiles.toml"), "a path naming PREFECT_HOME is profiles.toml in home", schema.IHome)
	case x.given(schema.IProfilesPath):
		if c := r.origins[schema.IProfilesPath].Source(); c != nil {
			if _, ok := c.Raw.(string); ok {
				p = strings.ReplaceAll(p, "$PREFECT_HOME", home)
			}
		}
		r.values[schema.IProfilesPath] = pypath.Clean(p)
	default:
		x.derive(schema.IProfilesPath, pypath.Clean(home+"/profiles.toml"), "profiles.toml in home", schema.IHome)
	}
	// From 3.4.8 Prefect computes these defaults from the real home
	// directory, not from PREFECT_HOME; before, from home.
	userPrefect, how, from := pypath.Clean(x.opts.Home+"/.prefect"), "under ~/.prefect (PREFECT_HOME does not move it)", []int(nil)
	if x.rel.NestedHomePaths {
		userPrefect, how, from = home, "under home", []int{schema.IHome}
	}
	for _, p := range []struct {
		i    int
		name string
	}{
		{schema.ILoggingConfigPath, "logging.yml"},
		{schema.IResultsLocalStoragePath, "storage"},
		{schema.IServerMemoStorePath, "memo_store.toml"},
	} {
		if x.given(p.i) {
			r.values[p.i] = pypath.Clean(x.str(p.i))
		} else {
			x.derive(p.i, pypath.Clean(userPrefect+"/"+p.name), how, from...)
		}
	}
	if !x.isSet(schema.IAPISSLCertFile) {
		if v, ok := x.env["SSL_CERT_FILE"]; ok {
			x.derive(schema.IAPISSLCertFile, v, "SSL_CERT_FILE in env")
		}
	}
}

// cloudPattern is Prefect's test for a Cloud API URL; its unescaped dots
// match any character, as Prefect's do.
var cloudPattern = regexp.MustCompile(`^https://api[.\w]*.prefect.[^.]+/`)

func (x *resolution) cloudUIURL() {
	if x.given(schema.ICloudUIURL) {
		return
	}
	u := x.str(schema.ICloudAPIURL)
	if cloudPattern.MatchString(u) {
		u = strings.Replace(u, "https://api", "https://app", 1)
	}
	x.derive(schema.ICloudUIURL, strings.TrimSuffix(u, "/api"), "from cloud.api_url", schema.ICloudAPIURL)
}

func (x *resolution) uiURL() {
	if x.given(schema.IUIURL) {
		return
	}
	api := x.r.values[schema.IAPIURL]
	u, _ := api.(string)
	if u == "" {
		return
	}
	cloudAPI, cloudUI := x.str(schema.ICloudAPIURL), x.str(schema.ICloudUIURL)
	if strings.HasPrefix(u, cloudAPI) && cloudUI != "" {
		u = strings.ReplaceAll(u, cloudAPI, cloudUI)
	}
	u = strings.TrimSuffix(u, "/api")
	u = strings.ReplaceAll(u, "/api/", "/")
	u = strings.ReplaceAll(u, "/accounts/", "/account/")
	u = strings.ReplaceAll(u, "/workspaces/", "/workspace/")
	x.derive(schema.IUIURL, u, "from api.url", schema.IAPIURL)
}

func (x *resolution) serverUIAPIURL() {
	if x.given(schema.IServerUIAPIURL) {
		return
	}
	if u := x.str(schema.IAPIURL); u != "" {
		x.derive(schema.IServerUIAPIURL, u, "from api.url", schema.IAPIURL)
		return
	}
	host := x.str(schema.IServerAPIHost)
	port, _ := x.r.values[schema.IServerAPIPort].(int64)
	x.derive(schema.IServerUIAPIURL, fmt.Sprintf("http://%s:%d/api", host, port), "from server.api.host and server.api.port", schema.IServerAPIHost, schema.IServerAPIPort)
}

func (x *resolution) debugLevels() {
	how, from := "", 0
	switch {
	case x.r.values[schema.IDebugMode] == true:
		how, from = "DEBUG forced by debug_mode", schema.IDebugMode
	case x.r.values[schema.ITestingTestMode] == true:
		how, from = "DEBUG forced by testing.test_mode", schema.ITestingTestMode
	default:
		return
	}
	for _, i := range []int{schema.ILoggingLevel, schema.IInternalLoggingLevel} {
		if x.r.values[i] != "DEBUG" || x.isSet(i) {
			x.derive(i, "DEBUG", how, from)
		}
	}
}

// databaseURL assembles server.database.connection_url when it is not set,
// and substitutes the password placeholders.
func (x *resolution) databaseURL() {
	r := x.r
	const ci = schema.IServerDatabaseConnectionURL
	pw, hasPW := r.values[schema.IServerDatabasePassword].(schema.SecretString)
	if x.given(ci) && !r.origins[ci].Invalid {
		u := x.str(ci)
		if hasPW && pw.Reveal() != "" && !strings.Contains(u, "PREFECT_API_DATABASE_PASSWORD") &&
			!strings.Contains(u, "PREFECT_SERVER_DATABASE_PASSWORD") && !strings.Contains(u, pw.Reveal()) &&
			!strings.Contains(u, url.QueryEscape(pw.Reveal())) {
			r.warn("server.database.password", x.pos(schema.IServerDatabasePassword),
				"PREFECT_SERVER_DATABASE_PASSWORD is set but not included in PREFECT_SERVER_DATABASE_CONNECTION_URL; the password is ignored")
		}
	} else if !x.given(ci) {
		driver, _ := r.values[schema.IServerDatabaseDriver].(string)
		name := x.str(schema.IServerDatabaseName)
		home := x.str(schema.IHome)
		u := "sqlite+aiosqlite:///" + home + "/prefect.db"
		switch driver {
		case "sqlite+aiosqlite":
			if name != "" {
				u = "sqlite+aiosqlite:///" + name
			}
		case "postgresql+asyncpg":
			var missing []string
			for _, f := range []struct {
				i    int
				name string
			}{{schema.IServerDatabaseHost, "host"}, {schema.IServerDatabaseUser, "user"}, {schema.IServerDatabaseName, "name"}} {
				if x.str(f.i) == "" {
					missing = append(missing, f.name)
				}
			}
			if !x.rel.PostgresNoPassword && (!hasPW || pw.Reveal() == "") {
				missing = append(missing, "password") // required before 3.6.7
			}
			if len(missing) > 0 {
				*x.errs = append(*x.errs, &Error{Setting: "server.database", Layer: sources.Default,
					Msg: "Missing required database connection settings: " + strings.Join(missing, ", ")})
				return
			}
			u = postgresURL(x.str(schema.IServerDatabaseUser), pw, hasPW, x.str(schema.IServerDatabaseHost),
				r.values[schema.IServerDatabasePort], name)
		}
		var from []int
		for _, f := range []int{schema.IServerDatabaseDriver, schema.IServerDatabaseHost, schema.IServerDatabasePort,
			schema.IServerDatabaseUser, schema.IServerDatabasePassword, schema.IServerDatabaseName} {
			if x.isSet(f) {
				from = append(from, f)
			}
		}
		if driver != "postgresql+asyncpg" && !x.isSet(schema.IServerDatabaseName) {
			from = append(from, schema.IHome) // the SQLite file is under home
		}
		x.derive(ci, schema.NewSecret(u), "assembled from server.database settings", from...)
	}
	u := x.str(ci)
	if strings.Contains(u, "PREFECT_API_DATABASE_PASSWORD") || strings.Contains(u, "PREFECT_SERVER_DATABASE_PASSWORD") {
		if !hasPW {
			*x.errs = append(*x.errs, &Error{Setting: "server.database.connection_url", Pos: x.pos(ci), Layer: r.origins[ci].Layer,
				Msg: "database password is None - please set PREFECT_SERVER_DATABASE_PASSWORD"})
			return
		}
		u = strings.ReplaceAll(u, "${PREFECT_API_DATABASE_PASSWORD}", pw.Reveal())
		u = strings.ReplaceAll(u, "${PREFECT_SERVER_DATABASE_PASSWORD}", pw.Reveal())
		r.values[ci] = schema.NewSecret(u)
		r.origins[ci].Derivation = "password placeholder substituted"
		r.origins[ci].From = append(r.origins[ci].From, "server.database.password")
	}
}

// postgresURL renders a PostgreSQL URL as SQLAlchemy does.
func postgresURL(user string, pw schema.SecretString, hasPW bool, host string, port any, name string) string {
	var b strings.Builder
	b.WriteString("postgresql+asyncpg://")
	b.WriteString(pyQuote(user))
	if hasPW {
		b.WriteString(":")
		b.WriteString(pyQuote(pw.Reveal()))
	}
	b.WriteString("@")
	if strings.Contains(host, ":") {
		b.WriteString("[" + host + "]")
	} else {
		b.WriteString(host)
	}
	p := int64(5432)
	if n, ok := port.(int64); ok {
		p = n
	}
	fmt.Fprintf(&b, ":%d/%s", p, name)
	return b.String()
}

// pyQuote is Python's urllib.parse.quote(s, safe=" +").
func pyQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-~ +", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// loggingSizes checks that a log fits in a batch, and caps the log size at
// Prefect Cloud's limit when the API is Prefect Cloud.
func (x *resolution) loggingSizes() {
	r := x.r
	batch, _ := r.values[schema.ILoggingToAPIBatchSize].(int64)
	size, _ := r.values[schema.ILoggingToAPIMaxLogSize].(int64)
	if batch < size {
		*x.errs = append(*x.errs, &Error{Setting: "logging.to_api.max_log_size", Pos: x.pos(schema.ILoggingToAPIMaxLogSize),
			Layer: r.origins[schema.ILoggingToAPIMaxLogSize].Layer,
			Msg:   "(model logging.to_api) PREFECT_LOGGING_TO_API_MAX_LOG_SIZE cannot be larger than PREFECT_LOGGING_TO_API_BATCH_SIZE"})
	}
	if x.rel.CloudLogCap && x.connectedToCloud() {
		limit, ok := r.values[schema.ICloudMaxLogSize].(int64)
		if !ok {
			limit = 25000 // 3.6.4 capped before the setting was published
		}
		if size > limit {
			x.derive(schema.ILoggingToAPIMaxLogSize, limit, "capped at cloud.max_log_size for Prefect Cloud", schema.ICloudMaxLogSize)
		}
	}
}

func (x *resolution) connectedToCloud() bool {
	api, cloud := x.str(schema.IAPIURL), x.str(schema.ICloudAPIURL)
	return api != "" && cloud != "" && strings.HasPrefix(api, cloud)
}

func (x *resolution) pos(i int) sources.Position {
	if c := x.r.origins[i].Source(); c != nil {
		return c.Pos
	}
	return sources.Position{}
}

// apiURLWarnings gives Prefect's warnings about a mistyped Prefect Cloud URL.
func (x *resolution) apiURLWarnings() {
	if x.r.values[schema.ISilenceAPIURLMisconfiguration] == true {
		return
	}
	u, ok := x.r.values[schema.IAPIURL].(string)
	if !ok {
		return
	}
	var msgs []string
	if strings.Contains(u, "app.prefect.cloud") {
		msgs = append(msgs, "PREFECT_API_URL points to app.prefect.cloud; did you mean api.prefect.cloud?")
	}
	if strings.Contains(u, "account/") {
		msgs = append(msgs, "PREFECT_API_URL uses /account/ but should use /accounts/")
	}
	if strings.Contains(u, "workspace/") {
		msgs = append(msgs, "PREFECT_API_URL uses /workspace/ but should use /workspaces/")
	}
	if p, err := url.Parse(u); err == nil && p.Path != "" && strings.Contains(u, "api.prefect.cloud") && !strings.HasPrefix(p.Path, "/api") {
		msgs = append(msgs, "PREFECT_API_URL should have /api after the base URL")
	}
	if len(msgs) > 0 {
		msgs = append(msgs, `e.g. PREFECT_API_URL="https://api.prefect.cloud/api/accounts/[ACCOUNT-ID]/workspaces/[WORKSPACE-ID]"`)
		x.r.warn("api.url", x.pos(schema.IAPIURL), "%s", strings.Join(msgs, "\n"))
	}
}

// pluginWarnings names the deprecated PREFECT_EXPERIMENTS_PLUGINS_*
// variables of the environment.
func (x *resolution) pluginWarnings() {
	if !x.rel.PluginsMove {
		return // before 3.7 they are the plugins settings' own names
	}
	var renames []string
	for name := range x.env {
		if rest, ok := strings.CutPrefix(name, "PREFECT_EXPERIMENTS_PLUGINS_"); ok {
			renames = append(renames, name+" -> PREFECT_PLUGINS_"+rest)
		}
	}
	if len(renames) == 0 {
		return
	}
	sort.Strings(renames)
	x.r.warn("plugins", sources.Position{Env: strings.Fields(renames[0])[0]},
		"the PREFECT_EXPERIMENTS_PLUGINS_* environment variables are deprecated; rename them to PREFECT_PLUGINS_* (%s)",
		strings.Join(renames, ", "))
}

// credentialWarnings warns when an API key and an auth string are both set
// (the key wins, Prefect's own client would send the auth string), and for
// each protected custom header that will be dropped. An empty credential
// is none: no client sends it (Result.Credentials).
func (x *resolution) credentialWarnings() {
	if x.str(schema.IAPIKey) != "" && x.str(schema.IAPIAuthString) != "" {
		x.r.warn("api.key", x.pos(schema.IAPIKey),
			"both api.key and api.auth_string are set: Strata sends the API key as a Bearer token, but Prefect's Python client sends the auth string, and a server that expects the auth string answers 401")
	}
	for _, name := range droppedHeaders(x.r.values[schema.IClientCustomHeaders]) {
		x.r.warn("client.custom_headers", x.pos(schema.IClientCustomHeaders),
			"custom header %q is ignored because it conflicts with a header Prefect manages (User-Agent, Prefect-Csrf-Token, Prefect-Csrf-Client)", name)
	}
}
