package deploy

import (
	"slices"
	"strings"
	"testing"
)

// TestHelmValuesAsRendered reads the values of the worker chart and what
// the chart renders from them (helm template): the chart's variables agree,
// name for name and value for value, those the values reader cannot know
// (set at install) aside.
func TestHelmValuesAsRendered(t *testing.T) {
	values, err := readTestFiles(t, []string{"helm/worker-values.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := readTestFiles(t, []string{"kubernetes/helm-template-worker.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := values.Select("prefect-worker", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := rendered.Select("deployment/prefect-worker", "prefect-worker")
	if err != nil {
		t.Fatal(err)
	}
	type setting struct{ name, value, deferred string }
	prefect := func(c *Container) []setting {
		var out []setting
		for _, v := range c.Vars {
			if strings.HasPrefix(v.Name, "PREFECT_") {
				out = append(out, setting{v.Name, v.Value, v.Deferred})
			}
		}
		return out
	}
	got, want := prefect(v), prefect(r)
	if !slices.Equal(got, want) {
		t.Errorf("the values reader yields\n%v\nthe chart renders\n%v", got, want)
	}
	if v.Role != r.Role || v.Image != r.Image || v.Release.Version != r.Release.Version {
		t.Errorf("values: %s %s %s; rendered: %s %s %s", v.Role, v.Image, v.Release.Version, r.Role, r.Image, r.Release.Version)
	}
}
