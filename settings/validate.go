package settings

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Validate checks one raw value of setting s as Prefect would coerce it when
// it comes from the given layer, with the exact reason Load reports. A
// secret's value never appears in the error.
func Validate(s *schema.Setting, layer sources.Kind, raw any) error {
	_, err := Decode(s, layer, raw)
	return err
}

// Decode coerces raw, as a source of the layer holds it, to the setting's
// Go value and checks the setting's constraints, as Load does for the
// newest release. A secret's value never appears in the error.
func Decode(s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	v, err := decode(release.Default(), s, layer, raw)
	if err == nil {
		err = checkConstraint(s, v)
	}
	if err == nil {
		return v, nil
	}
	return nil, fail("%s", hideValue(s, raw, err.Error()))
}

// hideValue keeps a secret out of an error message about raw, a value of
// s: a secret's or a headers setting's value is replaced by the mask, and
// URL passwords are masked.
func hideValue(s *schema.Setting, raw any, msg string) string {
	if r := fmt.Sprint(raw); (s.Secret || s.Kind == schema.Headers) && r != "" {
		msg = strings.ReplaceAll(msg, r, schema.Mask)
	}
	return schema.MaskURL(msg)
}
