package schema_test

import "fmt"

func fmtAll(v any) string {
	return fmt.Sprintf("%v %+v %#v %s %q %x %d", v, v, v, v, v, v, v)
}
