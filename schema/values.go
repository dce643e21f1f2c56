package schema

import (
	"slices"
	"strconv"
	"strings"
)

// RetryDelay is a retry delay in seconds: one number, or a list of numbers
// (one per retry).
type RetryDelay struct {
	Seconds []float64 // one value unless List
	List    bool      // the delay was given as a list
}

// MarshalJSON writes a number, or an array when the delay is a list.
func (d RetryDelay) MarshalJSON() ([]byte, error) {
	if !d.List && len(d.Seconds) == 1 {
		return strconv.AppendFloat(nil, d.Seconds[0], 'g', -1, 64), nil
	}
	b := []byte{'['}
	for i, f := range d.Seconds {
		if i > 0 {
			b = append(b, ',', ' ')
		}
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
	}
	return append(b, ']'), nil
}

// VacuumTypes is server.services.db_vacuum.enabled: a set of vacuum type
// names, or a bool.
type VacuumTypes struct {
	Names []string // sorted; nil when Bool is set
	Bool  *bool    // true or false when given as a bool
}

// Enabled returns the vacuum types in force, as Prefect maps them: true means
// events and flow_runs, false means events alone.
func (v VacuumTypes) Enabled() []string {
	switch {
	case v.Bool != nil && *v.Bool:
		return []string{"events", "flow_runs"}
	case v.Bool != nil:
		return []string{"events"}
	}
	return v.Names
}

// Unknown returns the names that are not vacuum types.
func (v VacuumTypes) Unknown() []string {
	var bad []string
	for _, n := range v.Names {
		if n != "events" && n != "flow_runs" {
			bad = append(bad, n)
		}
	}
	return bad
}

// String renders the value as Prefect shows it in `config view`.
func (v VacuumTypes) String() string {
	if v.Bool != nil {
		if *v.Bool {
			return "True"
		}
		return "False"
	}
	if len(v.Names) == 0 {
		return "set()"
	}
	q := make([]string, len(v.Names))
	for i, n := range slices.Sorted(slices.Values(v.Names)) {
		q[i] = "'" + n + "'"
	}
	return "{" + strings.Join(q, ", ") + "}"
}
