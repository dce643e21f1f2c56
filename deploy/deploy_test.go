package deploy

import (
	"slices"
	"testing"
)

func TestEnviron(t *testing.T) {
	c := Container{Vars: []Var{
		{Name: "PREFECT_API_URL", Value: "http://a/api"},
		{Name: "PREFECT_API_KEY", Deferred: "secretKeyRef prefect/key"},
		{Name: "PREFECT_LOGGING_LEVEL", Value: "INFO"},
		{Name: "PREFECT_API_URL", Value: "http://b/api"},
	}}
	got := c.Environ()
	want := []string{"PREFECT_LOGGING_LEVEL=INFO", "PREFECT_API_URL=http://b/api"}
	if !slices.Equal(got, want) {
		t.Errorf("Environ() = %q, want %q", got, want)
	}
}

// TestEnvironDeferredLast: a name whose last assignment exists only at
// deploy time is not in the environment, even if an earlier one has a
// value (a Kubernetes env entry from a Secret after a literal one).
func TestEnvironDeferredLast(t *testing.T) {
	c := Container{Vars: []Var{
		{Name: "PREFECT_API_KEY", Value: "pnu_literal"},
		{Name: "PREFECT_API_KEY", Deferred: "secretKeyRef prefect/key"},
		{Name: "PREFECT_API_URL", Deferred: "fieldRef x"},
		{Name: "PREFECT_API_URL", Value: "http://a/api"},
	}}
	got := c.Environ()
	want := []string{"PREFECT_API_URL=http://a/api"}
	if !slices.Equal(got, want) {
		t.Errorf("Environ() = %q, want %q", got, want)
	}
}
