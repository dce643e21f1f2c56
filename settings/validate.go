package settings

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Validate checks one raw value of setting s as Prefect would coerce it when
// it comes from the given layer, with the exact reason Load reports. A
// secret's value never appears in the error.
func Validate(s *schema.Setting, layer sources.Kind, raw any) error {
	v, err := decode(s, layer, raw)
	if err == nil {
		err = checkConstraint(s, v)
	}
	if err == nil {
		return nil
	}
	msg := err.Error()
	if r := fmt.Sprint(raw); s.Secret && r != "" {
		msg = strings.ReplaceAll(msg, r, schema.Mask)
	}
	return errors.New(msg)
}
