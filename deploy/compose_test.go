package deploy

import (
	"fmt"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/template"
)

// TestComposeRefs pins the references read in a value against what
// compose-go's interpolation does with it.
func TestComposeRefs(t *testing.T) {
	quietCompose()
	env := map[string]string{"SET": "s", "EMPTY": ""}
	tests := []struct {
		value string
		refs  []string // name@offset, then set/unset and default
	}{
		{"${SET}", []string{"SET@0 set"}},
		{"$SET-$UNSET", []string{"SET@0 set", "UNSET@5 unset"}},
		{"$$SET", nil},
		{"$${SET}${SET}", []string{"SET@7 set"}},
		{"${UNSET:-x}", []string{"UNSET@0 unset default"}},
		{"${EMPTY:-x}", []string{"EMPTY@0 set default"}},
		{"${EMPTY-x}", []string{"EMPTY@0 set"}},
		{"${UNSET-x}", []string{"UNSET@0 unset default"}},
		{"${SET:-${OTHER}}", []string{"SET@0 set"}},
		{"${UNSET:-${OTHER:-y}/z}", []string{"UNSET@0 unset default", "OTHER@9 unset default"}},
		{"${SET:+${OTHER}}", []string{"SET@0 set", "OTHER@7 unset"}},
		{"${UNSET:+${OTHER}}", []string{"UNSET@0 unset"}},
		{"${SET}${UNSET}", []string{"SET@0 set", "UNSET@6 unset"}},
		{"${SET:-a}:${UNSET:-b}", []string{"SET@0 set", "UNSET@10 unset default"}},
		{"a=${SET:?needed}", []string{"SET@2 set"}},
		{"$1 and $", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, r := range refs(env, tc.value, 0) {
			s := fmt.Sprintf("%s@%d unset", r.name, r.at)
			if r.set {
				s = fmt.Sprintf("%s@%d set", r.name, r.at)
			}
			if r.deflt {
				s += " default"
			}
			got = append(got, s)
		}
		if !slices.Equal(got, tc.refs) {
			t.Errorf("refs(%q) = %q, want %q", tc.value, got, tc.refs)
		}
		// Every reference read is one compose-go looks up.
		var looked []string
		template.SubstituteWithOptions(tc.value, func(k string) (string, bool) {
			looked = append(looked, k)
			v, ok := env[k]
			return v, ok
		}, template.WithoutLogging)
		for _, r := range refs(env, tc.value, 0) {
			if !slices.Contains(looked, r.name) {
				t.Errorf("refs(%q) has %s, which compose-go does not look up (%q)", tc.value, r.name, looked)
			}
		}
	}
}

// TestComposeLoaderPanic pins the error for a panic of compose-go on files
// the Compose schema accepts: at the top of the first file, naming types,
// never values.
func TestComposeLoaderPanic(t *testing.T) {
	in := &Input{Path: "compose.yaml", Data: []byte("services:\n  worker:\n    image: x\n    environment: {PREFECT_API_KEY: pnu_secret}\n"), Dir: ".", ReadFile: noFiles}
	r, err := newComposeReader([]*Input{in})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		panic any
		want  string
	}{
		{conversionPanic(), "compose.yaml:1: this Compose project cannot be read: interface conversion: interface {} is int, not string"},
		{"pnu_secret", "compose.yaml:1: this Compose project cannot be read"},
	}
	for _, tc := range tests {
		if got := r.positioned(r.loaderPanic(tc.panic)).Error(); got != tc.want {
			t.Errorf("loaderPanic(%v):\n got %s\nwant %s", tc.panic, got, tc.want)
		}
	}
}

// conversionPanic returns what a failed type assertion panics with.
func conversionPanic() (v any) {
	defer func() { v = recover() }()
	var x any = 1
	_ = x.(string)
	return nil
}
