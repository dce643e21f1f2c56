package coerce_test

import (
	"fmt"
	"math"

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

// A duration longer than a time.Duration holds is kept whole, and written
// back as pydantic writes it.
func ExampleTimedelta() {
	d, _ := coerce.Duration("P200000D")
	fmt.Println(d, d.Days(), d.PyString(), d.Duration() == math.MaxInt64)
	_, err := coerce.Duration("P1000000000D")
	fmt.Println(err)
	// Output:
	// P547Y345D 200000 200000 days, 0:00:00 true
	// Input should be a valid timedelta, durations may not exceed 999,999,999 days
}
