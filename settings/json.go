package settings

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/strata-settings/strata/internal/render"
)

// JSON returns every effective setting as one nested JSON object keyed like
// prefect.toml, in the form Prefect serialises them: durations in ISO 8601
// (PT1H), sets as sorted lists, None as null. Secrets are masked unless
// showSecrets.
func (r *Result) JSON(showSecrets bool) ([]byte, error) {
	root := map[string]any{}
	for _, s := range r.Schema().All() {
		i := s.Index
		t := root
		path := strings.Split(s.Path, ".")
		for _, k := range path[:len(path)-1] {
			next, ok := t[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				t[k] = next
			}
			t = next
		}
		t[path[len(path)-1]] = render.JSONValue(s, r.values[i], showSecrets)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
