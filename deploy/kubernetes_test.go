package deploy

import (
	"slices"
	"strings"
	"testing"
)

// TestExpandK8s pins kubelet's expansion of $(VAR)
// (k8s.io/kubernetes/third_party/forked/golang/expansion).
func TestExpandK8s(t *testing.T) {
	vars := map[string]string{"VAR_A": "A", "VAR_B": "B", "EMPTY": "", "NESTED": "$(VAR_A)"}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	has := func(n string) bool { _, ok := vars[n]; return ok }
	tests := []struct {
		in, want string
		refs     []string // name, set or unset, shell
	}{
		{"$(VAR_A)", "A", []string{"VAR_A set"}},
		{"___$(VAR_B)___", "___B___", []string{"VAR_B set"}},
		{"$(VAR_A)-$(VAR_B)", "A-B", []string{"VAR_A set", "VAR_B set"}},
		{"$(EMPTY)x", "x", []string{"EMPTY set"}},
		{"$(NESTED)", "$(VAR_A)", []string{"NESTED set"}},
		{"$(UNKNOWN)", "$(UNKNOWN)", []string{"UNKNOWN unset"}},
		{"$$(VAR_A)", "$(VAR_A)", nil},
		{"$$$(VAR_A)", "$A", []string{"VAR_A set"}},
		{"$$$$(VAR_A)", "$$(VAR_A)", nil},
		{"$(VAR_A", "$(VAR_A", nil},
		{"$()", "$()", []string{" unset"}},
		{"$", "$", nil},
		{"x$", "x$", nil},
		{"$x", "$x", []string{"x unset shell"}},
		{"${VAR_A}/$VAR_B", "${VAR_A}/$VAR_B", []string{"VAR_A set shell", "VAR_B set shell"}},
		{"$é$(VAR_A)", "$éA", []string{"VAR_A set"}},
		{"$(VAR_A))", "A)", []string{"VAR_A set"}},
		{"$($(VAR_A))", "$($(VAR_A))", []string{"$(VAR_A unset"}},
	}
	for _, tc := range tests {
		got, refs, _ := expandK8s(tc.in, &expansion{}, lookup, has)
		if got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var names []string
		for _, r := range refs {
			s := r.name + " unset"
			if r.set {
				s = r.name + " set"
			}
			if r.shell {
				s += " shell"
			}
			names = append(names, s)
		}
		if !slices.Equal(names, tc.refs) {
			t.Errorf("expand(%q) refs %q, want %q", tc.in, names, tc.refs)
		}
	}
}

func TestSelect(t *testing.T) {
	f := &File{Path: "k8s.yaml", Kind: "kubernetes", Containers: []Container{
		{Name: "prefect-server", What: "Deployment", Sub: "server", Vars: []Var{{Name: "PREFECT_UI_API_URL"}}},
		{Name: "prefect-worker", What: "Deployment", Sub: "wait", Vars: []Var{{Name: "PREFECT_SERVER_SERVICE_HOST", Implicit: true}}},
		{Name: "prefect-worker", What: "Deployment", Sub: "worker", Vars: []Var{{Name: "PREFECT_API_URL"}}},
		{Name: "prefect-worker", What: "Deployment", Sub: "metrics"},
		{Name: "flows", What: "CronJob", Sub: "a", Vars: []Var{{Name: "PREFECT_API_URL"}}},
		{Name: "flows", What: "CronJob", Sub: "b", Vars: []Var{{Name: "PREFECT_API_URL"}}},
		{Name: "flows", What: "Deployment", Sub: "c"},
	}}
	tests := []struct {
		name, sub string
		want      string // the Sub chosen, or the error
	}{
		{"prefect-server", "", "server"},
		{"deployment/prefect-server", "", "server"},
		{"Deployments/prefect-server", "", "server"},
		{"prefect-worker", "", "worker"},
		{"prefect-worker", "metrics", "metrics"},
		{"prefect-worker", "metric", `k8s.yaml: Deployment "prefect-worker" has no container "metric"; did you mean "metrics"?`},
		{"prefect-worker", "sidecar", `k8s.yaml: Deployment "prefect-worker" has no container "sidecar"; it has "wait", "worker", "metrics"`},
		{"prefect-wroker", "", `k8s.yaml: no workload named "prefect-wroker"; did you mean "prefect-worker"?`},
		{"cronjob/prefect-server", "", `k8s.yaml: no cronjob named "prefect-server": it is a Deployment (deployment/prefect-server)`},
		{"job/nightly", "", `k8s.yaml: no workload named "job/nightly"; it has "prefect-server", "prefect-worker", "flows"`},
		{"cronjob/flows", "", `k8s.yaml: CronJob "cronjob/flows" has 2 containers; name one with --container: "a", "b"`},
		{"deployment/flows", "", "c"},
	}
	for _, tc := range tests {
		c, err := f.Select(tc.name, tc.sub)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = c.Sub
		}
		if got != tc.want {
			t.Errorf("Select(%q, %q) = %s, want %s", tc.name, tc.sub, got, tc.want)
		}
	}
	compose := &File{Path: "compose.yaml", Kind: "compose", Containers: []Container{{Name: "server", What: "service"}}}
	if _, err := compose.Select("sever", ""); err == nil || !strings.Contains(err.Error(), `no service named "sever"; did you mean "server"?`) {
		t.Errorf("Select in a Compose file: %v", err)
	}
}
