package coerce_test

import (
	"fmt"

	"github.com/strata-settings/strata/schema/coerce"
)

// Prefect reads "yes" as true, a clock string as a duration, and refuses a
// bare number string where a plain timedelta is expected.
func Example() {
	b, _ := coerce.Bool("yes")
	d, _ := coerce.Duration("1 day, 1:30:00")
	_, err := coerce.Duration("3600")
	s, _ := coerce.SecondsDuration("3600")
	fmt.Println(b, coerce.FormatDuration(d), err != nil, coerce.FormatDuration(s), coerce.FormatFloat(60))
	// Output: true P1DT1H30M true PT1H 60.0
}
