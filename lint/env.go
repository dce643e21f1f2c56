// The checks of the environment's PREFECT_* variables.

package lint

import (
	"encoding/json"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// lintEnv checks the PREFECT_* variables of the environment.
func (l *linter) lintEnv() {
	layer := sources.ReadEnv(l.opts.Environ)
	l.envLayer = layer
	for _, v := range layer.Values {
		l.value(sources.Env, v, false)
	}
	l.groups(layer)
	for _, ig := range layer.Ignored {
		l.envIgnored(ig)
	}
}

// envIgnored checks a PREFECT_ variable of an environment that names no
// setting.
func (l *linter) envIgnored(ig sources.Ignored) {
	if l.oldName(ig.Pos, ig.Key) {
		return
	}
	if notSetting(strings.ToUpper(ig.Key)) || l.interpolated[ig.Key] {
		return // read by Prefect or its integrations, or by the deployment files linted, but no setting of Prefect's
	}
	if l.loggingOverride(ig.Key) {
		return // overrides a key of Prefect's logging configuration
	}
	l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
}

// groups checks the variables that hold a whole group as JSON.
func (l *linter) groups(layer *sources.Layer) {
	for _, g := range layer.Groups {
		var v any
		str, _ := g.Raw.(string)
		if err := json.Unmarshal([]byte(str), &v); err != nil {
			l.report(RuleInvalidValue, g.Pos, g.Group, "", "%s holds the group %q and must be a JSON object", g.Key, g.Group)
			continue
		}
		if _, ok := v.(map[string]any); !ok {
			l.report(RuleInvalidValue, g.Pos, g.Group, "", "%s holds the group %q and must be a JSON object", g.Key, g.Group)
		}
	}
}

// loggingOverride reports whether the environment variable name overrides
// a key of Prefect's logging configuration: one of its default
// logging.yml, or, when logging.config_path names another configuration
// file, any PREFECT_LOGGING_ name, since that file's keys are unknown here.
func (l *linter) loggingOverride(name string) bool {
	upper := strings.ToUpper(name)
	return loggingOverrides[upper] ||
		strings.HasPrefix(upper, "PREFECT_LOGGING_") && l.pathsSet[schema.ILoggingConfigPath]
}
