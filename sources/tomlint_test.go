package sources

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

func TestUnmarshalTOMLWideIntegers(t *testing.T) {
	tests := []struct {
		name, doc string
		want      any // the value of key a
	}{
		{"decimal", "a = 99999999999999999999", 1e20},
		{"negative", "a = -99999999999999999999", -1e20},
		{"underscores", "a = 99_999_999_999_999_999_999", 1e20},
		{"hexadecimal", "a = 0xFFFFFFFFFFFFFFFFFFFF", 1.2089258196146292e+24},
		{"hexadecimal, 64 bits unsigned", "a = 0xFFFFFFFFFFFFFFFF", 18446744073709551615.0},
		{"hexadecimal, the fewest digits beyond int64", "a = 0x8000000000000000", 9223372036854775808.0},
		{"decimal, the fewest digits beyond int64", "a = 9223372036854775808", 9223372036854775808.0},
		{"octal", "a = 0o7777777777777777777777777", 3.777893186295716e+22},
		{"binary", "a = 0b" + strings.Repeat("1", 70), 1180591620717411303423.0},
		{"in an array", "a = [1, 99999999999999999999]", []any{int64(1), 1e20}},
		{"in an inline table", "a = {b = 99999999999999999999, c = 3}", map[string]any{"b": 1e20, "c": int64(3)}},
		{"largest int64", "a = 9223372036854775807", int64(9223372036854775807)},
		{"smallest int64", "a = -9223372036854775808", int64(-9223372036854775808)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]any
			if err := UnmarshalTOML([]byte(tt.doc+"\n"), &got); err != nil {
				t.Fatal(err)
			}
			if g, w := fmt.Sprintf("%#v", got["a"]), fmt.Sprintf("%#v", tt.want); g != w {
				t.Errorf("a = %v (%T), want %v (%T)", got["a"], got["a"], tt.want, tt.want)
			}
		})
	}
}

// An error after a wide integer on its line is placed where it is written:
// the float takes the integer's place byte for byte.
func TestUnmarshalTOMLWideIntegerErrorPosition(t *testing.T) {
	doc := "[x]\na = [99999999999999999999, 1, ]] \n"
	var v map[string]any
	err := UnmarshalTOML([]byte(doc), &v)
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a decode error", err)
	}
	ref := "[x]\na = [1, 1, ]] \n" // the same error, with an ordinary integer
	var de2 *toml.DecodeError
	errors.As(toml.Unmarshal([]byte(ref), &v), &de2)
	line, col := de.Position()
	line2, col2 := de2.Position()
	if line != line2 || col != col2+len("99999999999999999999")-1 {
		t.Errorf("error at %d:%d, want %d:%d", line, col, line2, col2+len("99999999999999999999")-1)
	}
}

func TestFloatLiteralReadsBack(t *testing.T) {
	for _, lit := range []string{"99999999999999999999", "-99999999999999999999", "0xFFFFFFFFFFFFFFFF", "123456789012345678901234567890"} {
		f, ok := wideInteger(lit)
		if !ok {
			t.Fatalf("%s: not wide", lit)
		}
		s := floatLiteral(f, len(lit))
		var v struct{ A float64 }
		if err := toml.Unmarshal([]byte("A = "+s), &v); err != nil || v.A != f {
			t.Errorf("%s: %s reads %v, %v; want %v", lit, s, v.A, err, f)
		}
		if len(s) > len(lit) && !strings.HasPrefix(lit, "0x") {
			t.Errorf("%s: %s is longer than the integer", lit, s)
		}
	}
}
