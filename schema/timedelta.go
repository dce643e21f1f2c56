package schema

import "github.com/strata-settings/strata/schema/coerce"

// Timedelta is the type of Prefect's duration settings: a Python
// timedelta, up to 999,999,999 days either way with microseconds. Its
// Duration method gives a time.Duration (saturated at 292 years), String
// the ISO 8601 form pydantic writes ("PT1H", "P547Y345D").
type Timedelta = coerce.Timedelta

// secondsTimedelta is the default of a duration setting.
func secondsTimedelta(seconds int64) Timedelta {
	t, _ := coerce.NewTimedelta(0, seconds, 0)
	return t
}
