package settings

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Check reports whether raw, as a source of the layer holds it, is a valid
// value for the setting: Prefect's coercion and the setting's constraints,
// with the message Load gives. A secret's value never appears in the error.
func Check(s *schema.Setting, layer sources.Kind, raw any) error {
	_, err := Decode(s, layer, raw)
	return err
}

// Decode coerces raw, as a source of the layer holds it, to the setting's
// Go value, and checks the setting's constraints, as Load does. A secret's
// value never appears in the error.
func Decode(s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	v, err := decode(s, layer, raw)
	if err == nil {
		err = checkConstraint(s, v)
	}
	if err != nil && s.Secret {
		if text := fmt.Sprint(raw); text != "" {
			return nil, fail("%s", strings.ReplaceAll(err.Error(), text, schema.Mask))
		}
	}
	return v, err
}
