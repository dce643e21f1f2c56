package schema_test

import (
	"testing"

	"github.com/strata-settings/strata/schema"
)

// TestSuggestMisspellings holds names people really write for Prefect
// settings, with the suggestion each must get: a canonical name (never a
// legacy alias), the setting of the same group, the Prefect 3 name of a
// Prefect 2 one, and nothing when nothing is close.
func TestSuggestMisspellings(t *testing.T) {
	tests := []struct{ name, want string }{
		// Environment names.
		{"PREFECT_API_ULR", "PREFECT_API_URL"},
		{"PREFECT_APIURL", "PREFECT_API_URL"},
		{"PREFECT_API_URI", "PREFECT_API_URL"},
		{"prefect_api_ulr", "PREFECT_API_URL"},
		{"PREFECT_URL", ""},
		{"PREFECT_API_KEYS", "PREFECT_API_KEY"},
		{"PREFECT_APIKEY", "PREFECT_API_KEY"},
		{"PREFECT_API_AUTH", "PREFECT_API_AUTH_STRING"},
		{"PREFECT_AUTH_STRING", "PREFECT_API_AUTH_STRING"},
		{"PREFECT_ORION_API_PORT", "PREFECT_SERVER_API_PORT"},
		{"PREFECT_ORION_API_HOST", "PREFECT_SERVER_API_HOST"},
		{"PREFECT_ORION_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"},
		{"PREFECT_ORION_DATABASE_PASSWORD", "PREFECT_SERVER_DATABASE_PASSWORD"},
		{"PREFECT_ORION_UI_API_URL", "PREFECT_SERVER_UI_API_URL"},
		{"PREFECT_ORION_UI_ENABLED", "PREFECT_SERVER_UI_ENABLED"},
		{"PREFECT_ORION_ANALYTICS_ENABLED", "PREFECT_SERVER_ANALYTICS_ENABLED"},
		{"PREFECT_ORION_SERVICES_SCHEDULER_ENABLED", "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"},
		{"PREFECT_ORION_SERVICES_LATE_RUNS_ENABLED", "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED"},
		{"PREFECT_ORION_BLOCKS_REGISTER_ON_START", "PREFECT_SERVER_REGISTER_BLOCKS_ON_START"},
		{"PREFECT_ORION_API_DEFAULT_LIMIT", "PREFECT_SERVER_API_DEFAULT_LIMIT"},
		{"PREFECT_LOGGING_ORION_ENABLED", "PREFECT_LOGGING_TO_API_ENABLED"},
		{"PREFECT_LOGGING_ORION_BATCH_SIZE", "PREFECT_LOGGING_TO_API_BATCH_SIZE"},
		{"PREFECT_ORION_DATABASE_CONECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"},
		{"PREFECT_SERVER_PORT", "PREFECT_SERVER_API_PORT"},
		{"PREFECT_SERVER_HOST", "PREFECT_SERVER_API_HOST"},
		{"PREFECT_API_HOST", "PREFECT_SERVER_API_HOST"},
		{"PREFECT_LOGGING_LEVELS", "PREFECT_LOGGING_LEVEL"},
		{"PREFECT_LOG_LEVEL", "PREFECT_LOGGING_LEVEL"},
		{"PREFECT_LOGGING_LOG_PRINT", "PREFECT_LOGGING_LOG_PRINTS"},
		{"PREFECT_LOG_PRINTS", "PREFECT_LOGGING_LOG_PRINTS"},
		{"PREFECT_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"},
		{"PREFECT_API_DATABASE_CONECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"},
		{"PREFECT_SERVER_DATABASE_CONNECTION_URI", "PREFECT_SERVER_DATABASE_CONNECTION_URL"},
		{"PREFECT_SERVER_DATABASE_USERNAME", "PREFECT_SERVER_DATABASE_USER"},
		{"PREFECT_SERVER_DATABASE_PASS", "PREFECT_SERVER_DATABASE_PASSWORD"},
		{"PREFECT_SERVER_API_CORS_ORIGINS", "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS"},
		{"PREFECT_SERVER_CORS_ALLOWED_ORIGIN", "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS"},
		{"PREFECT_UI_API_ULR", "PREFECT_SERVER_UI_API_URL"},
		{"PREFECT_SERVER_UI_APIURL", "PREFECT_SERVER_UI_API_URL"},
		{"PREFECT_SERVER_API_KEEP_ALIVE_TIMEOUT", "PREFECT_SERVER_API_KEEPALIVE_TIMEOUT"},
		{"PREFECT_SERVER_CSRF_PROTECTION", "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED"},
		{"PREFECT_CLIENT_MAX_RETRY", "PREFECT_CLIENT_MAX_RETRIES"},
		{"PREFECT_CLIENT_CUSTOM_HEADER", "PREFECT_CLIENT_CUSTOM_HEADERS"},
		{"PREFECT_API_REQUEST_TIMEOUT_SECONDS", "PREFECT_API_REQUEST_TIMEOUT"},
		{"PREFECT_API_SSL_INSECURE_SKIP_VERIFY", "PREFECT_API_TLS_INSECURE_SKIP_VERIFY"},
		{"PREFECT_API_SSL_CERT", "PREFECT_API_SSL_CERT_FILE"},
		{"PREFECT_HOME_DIR", "PREFECT_HOME"},
		{"PREFECT_PROFILE_PATH", "PREFECT_PROFILES_PATH"},
		{"PREFECT_PROFILES_FILE", "PREFECT_PROFILES_PATH"},
		{"PREFECT_WORKER_HEARTBEAT", "PREFECT_WORKER_HEARTBEAT_SECONDS"},
		{"PREFECT_RESULTS_PERSIST_BY_DEFAULTS", "PREFECT_RESULTS_PERSIST_BY_DEFAULT"},
		{"PREFECT_RESULT_PERSIST_BY_DEFAULT", "PREFECT_RESULTS_PERSIST_BY_DEFAULT"},
		{"PREFECT_TASKS_DEFAULT_RETRY", "PREFECT_TASKS_DEFAULT_RETRIES"},
		{"PREFECT_FLOW_DEFAULT_RETRY", "PREFECT_FLOWS_DEFAULT_RETRIES"},
		{"PREFECT_EXPERIMENTAL_WARNINGS", "PREFECT_EXPERIMENTS_WARN"},
		{"PREFECT_DEBUG", "PREFECT_DEBUG_MODE"},
		{"PREFECT_TEST_MOD", "PREFECT_TESTING_TEST_MODE"},
		{"PREFECT_SILENCE_API_URL_MISCONFIG", "PREFECT_SILENCE_API_URL_MISCONFIGURATION"},
		{"PREFECT_DEPLOYMENT_DEFAULT_WORK_POOL_NAME", "PREFECT_DEPLOYMENTS_DEFAULT_WORK_POOL_NAME"},
		{"PREFECT_DEFAULT_WORKPOOL_NAME", "PREFECT_DEPLOYMENTS_DEFAULT_WORK_POOL_NAME"},
		{"PREFECT_SERVER_EPHEMERAL_ENABLE", "PREFECT_SERVER_EPHEMERAL_ENABLED"},
		{"PREFECT_SERVER_ALLOW_EPHEMERAL", "PREFECT_SERVER_EPHEMERAL_ENABLED"},
		{"PREFECT_RUNNER_SERVER_ENABLED", "PREFECT_RUNNER_SERVER_ENABLE"},
		{"PREFECT_NOTHING_LIKE_IT_AT_ALL_XYZ", ""},
		{"PREFECT_FOO", ""},
		{"PREFECT_API_TOKEN", "PREFECT_API_KEY"},
		// TOML keys.
		{"server.host", "server.api.host"},
		{"server.port", "server.api.port"},
		{"server.api.prot", "server.api.port"},
		{"ui.api_url", "server.ui.api_url"},
		{"api.ulr", "api.url"},
		{"api.keys", "api.key"},
		{"api.auth", "api.auth_string"},
		{"server.api.keep_alive_timeout", "server.api.keepalive_timeout"},
		{"server.database.connection_uri", "server.database.connection_url"},
		{"server.database.url", "server.database.connection_url"},
		{"server.database.username", "server.database.user"},
		{"server.database.pool_size", "server.database.sqlalchemy.pool_size"},
		{"logging.levels", "logging.level"},
		{"logging.log_level", "logging.level"},
		{"server.ui.api_ulr", "server.ui.api_url"},
		{"server.ui.enable", "server.ui.enabled"},
		{"server.api.cors_origins", "server.api.cors_allowed_origins"},
		{"server.cors_allowed_origins", "server.api.cors_allowed_origins"},
		{"client.max_retry", "client.max_retries"},
		{"client.custom_header", "client.custom_headers"},
		{"results.persist_by_defaults", "results.persist_by_default"},
		{"result.persist_by_default", "results.persist_by_default"},
		{"logging.to_api.enable", "logging.to_api.enabled"},
		{"api.request_timeout_seconds", "api.request_timeout"},
		{"tasks.default_retry", "tasks.default_retries"},
		{"deployment.default_work_pool_name", "deployments.default_work_pool_name"},
		{"server.services.scheduler.enable", "server.services.scheduler.enabled"},
		{"server.service.scheduler.enabled", "server.services.scheduler.enabled"},
		{"server.ephemeral.enable", "server.ephemeral.enabled"},
		{"server.api.csrf_protection", "server.api.csrf_protection_enabled"},
		{"home_dir", "home"},
		{"profile_path", "profiles_path"},
		{"worker.heartbeat", "worker.heartbeat_seconds"},
		{"cloud.api_ulr", "cloud.api_url"},
		{"server.logging_levels", "server.logging_level"},
		{"foo.bar", ""},
		{"storage", ""},
	}
	if len(tests) < 60 {
		t.Fatalf("only %d misspellings", len(tests))
	}
	for _, tt := range tests {
		if got := schema.Suggest(tt.name); got != tt.want {
			t.Errorf("Suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestSuggestKeyNamesGroups(t *testing.T) {
	for name, want := range map[string]string{"servr": "server", "server.apii": "server.api", "loging": "logging"} {
		if got := schema.SuggestKey(name); got != want {
			t.Errorf("SuggestKey(%q) = %q; want %q", name, got, want)
		}
	}
}
