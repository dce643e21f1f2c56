package lint

// The override names of Prefect's logging configuration, loggingOverrides,
// are generated from Prefect's logging.yml.

//go:generate go run ./internal/loggingkeys
