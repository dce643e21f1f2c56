// Package coerce converts raw setting values the way Prefect's settings
// models (pydantic 2, lax mode) do: booleans from yes/no words, integers
// and floats from strings, durations from ISO 8601 or clock forms, and the
// JSON forms Prefect serialises them back to.
package coerce
