// The names of Prefect 1 and Prefect 2 settings, which deployments written
// for those releases keep: Prefect 3 ignores them.

package lint

import (
	"strings"

	"github.com/strata-settings/strata/sources"
)

// prefect1Names are the Prefect 1 configuration keys deployments set most,
// as PREFECT__SECTION__KEY (PREFECT__CLOUD__API) or, for Prefect Server's
// own configuration, PREFECT_SERVER__SECTION__KEY, lower-cased and dotted,
// with the Prefect 3 variable that does their work; "" where none does.
var prefect1Names = map[string]string{
	"backend":                        "", // Prefect 3 talks to the API PREFECT_API_URL names
	"home_dir":                       "PREFECT_HOME",
	"debug":                          "PREFECT_DEBUG_MODE",
	"cloud.api":                      "PREFECT_API_URL",
	"cloud.api_key":                  "PREFECT_API_KEY",
	"cloud.auth_token":               "PREFECT_API_KEY",
	"cloud.agent.auth_token":         "PREFECT_API_KEY",
	"cloud.request_timeout":          "PREFECT_API_REQUEST_TIMEOUT",
	"cloud.use_local_secrets":        "",
	"cloud.agent.labels":             "",
	"cloud.agent.level":              "PREFECT_LOGGING_LEVEL",
	"server.endpoint":                "PREFECT_API_URL",
	"server.host":                    "PREFECT_API_URL",
	"server.port":                    "PREFECT_API_URL",
	"server.ui.apollo_url":           "PREFECT_SERVER_UI_API_URL",
	"server.ui.graphql_url":          "PREFECT_SERVER_UI_API_URL",
	"server.database.connection_url": "PREFECT_SERVER_DATABASE_CONNECTION_URL",
	"server.database.host":           "PREFECT_SERVER_DATABASE_HOST",
	"server.database.port":           "PREFECT_SERVER_DATABASE_PORT",
	"server.database.username":       "PREFECT_SERVER_DATABASE_USER",
	"server.database.password":       "PREFECT_SERVER_DATABASE_PASSWORD",
	"server.database.name":           "PREFECT_SERVER_DATABASE_NAME",
	"server.telemetry.enabled":       "PREFECT_SERVER_ANALYTICS_ENABLED",
	"logging.level":                  "PREFECT_LOGGING_LEVEL",
	"logging.extra_loggers":          "PREFECT_LOGGING_EXTRA_LOGGERS",
	"logging.log_to_cloud":           "PREFECT_LOGGING_TO_API_ENABLED",
	"flows.checkpointing":            "PREFECT_RESULTS_PERSIST_BY_DEFAULT",
	"tasks.defaults.max_retries":     "PREFECT_TASK_DEFAULT_RETRIES",
}

// prefect1Server are the keys of Prefect Server's own configuration
// (PREFECT_SERVER__DATABASE__CONNECTION_URL), under server. in prefect1Names.
const prefect1Server = "PREFECT_SERVER__"

// integrationPrefixes begin the names of the settings of Prefect's
// integrations (prefect-kubernetes, prefect-aws, prefect-redis), which
// those packages read and Prefect's own schema does not hold.
var integrationPrefixes = []string{"PREFECT_INTEGRATIONS_", "PREFECT_KUBERNETES_", "PREFECT_REDIS_"}

// notSetting reports whether name, upper-cased, is a variable Prefect or
// one of its integrations reads that is no setting of Prefect's own:
// PREFECT_PROFILE, what a worker hands a flow run, the settings of an
// integration.
func notSetting(name string) bool {
	if name == "PREFECT_PROFILE" || prefectInternal(name) {
		return true
	}
	for _, p := range integrationPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// prefectInternal reports whether name, upper-cased, is a variable
// Prefect 3 reads but that is no setting: what a worker hands a flow run
// (PREFECT__FLOW_RUN_ID), the values prefect.runtime takes
// (PREFECT__RUNTIME__FLOW_RUN__ID).
func prefectInternal(name string) bool {
	return strings.HasPrefix(strings.ToUpper(name), "PREFECT__") && prefect1Key(name) == ""
}

// isPrefect1Single reports whether rest, what follows PREFECT__, is a
// Prefect 1 key of one word (PREFECT__BACKEND).
func isPrefect1Single(rest string) bool {
	_, ok := prefect1Names[strings.ToLower(rest)]
	return ok
}

// prefect1Key returns the Prefect 1 configuration key a variable name
// sets (cloud.api for PREFECT__CLOUD__API), or "" when it is none.
func prefect1Key(name string) string {
	upper := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(upper, prefect1Server):
		return "server." + strings.ToLower(strings.ReplaceAll(upper[len(prefect1Server):], "__", "."))
	case strings.HasPrefix(upper, "PREFECT__"):
		rest := upper[len("PREFECT__"):]
		if strings.HasPrefix(rest, "RUNTIME__") || !strings.Contains(rest, "__") && !isPrefect1Single(rest) {
			return ""
		}
		return strings.ToLower(strings.ReplaceAll(rest, "__", "."))
	}
	return ""
}

// oldName reports a Prefect 1 or Prefect 2 name written at pos, with the
// Prefect 3 name that does its work where there is one; it reports
// whether the name is one.
func (l *linter) oldName(pos sources.Position, name string) bool {
	upper := strings.ToUpper(name)
	if key := prefect1Key(name); key != "" {
		to, known := prefect1Names[key]
		switch {
		case to != "":
			l.reportRename([]string{name}, []string{to}, RuleOldName, pos, settingOfEnv(to), to,
				"%s is a Prefect 1 setting, which Prefect 3 ignores; use %s", name, to)
		case known:
			l.report(RuleOldName, pos, "", "",
				"%s is a Prefect 1 setting, which Prefect 3 ignores: Prefect 3 has no setting for it", name)
		default:
			l.report(RuleOldName, pos, "", "",
				"%s is a Prefect 1 setting, which Prefect 3 ignores", name)
		}
		return true
	}
	if !strings.HasPrefix(upper, "PREFECT_") || !strings.Contains(upper, "_ORION_") {
		return false
	}
	if to := l.suggest(name, false); to != "" {
		l.reportRename([]string{name}, []string{to}, RuleOldName, pos, settingOfEnv(to), to,
			"%s is a Prefect 2 setting, which Prefect 3 ignores; use %s", name, to)
	} else {
		l.report(RuleOldName, pos, "", "",
			"%s is a Prefect 2 setting, which Prefect 3 ignores: Prefect 3 has no setting for it", name)
	}
	return true
}
