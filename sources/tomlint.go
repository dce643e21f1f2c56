package sources

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// UnmarshalTOML is toml.Unmarshal for a TOML file Prefect reads. Python's
// TOML readers (tomllib, and the toml package before it) read an integer of
// any size; go-toml refuses one beyond 64 bits, which would lose the whole
// file. Such an integer is read as the float64 nearest to it, the value
// pydantic makes of it for a number setting, and one that the engine
// refuses for an integer setting (Go's settings hold 64 bits) and for a
// string setting (as Prefect does), naming the setting.
//
// go-toml is asked first; only a document it refuses is looked at again.
func UnmarshalTOML(data []byte, v any) error {
	err := toml.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	if wide := widenIntegers(data); wide != nil {
		return toml.Unmarshal(wide, v)
	}
	return err
}

// widenIntegers returns a copy of data with every integer beyond 64 bits
// written as a float of the same value, or nil when data has none. The
// float takes the integer's place byte for byte, its exponent padded with
// zeros, so that an error further along the line is placed where it is
// written; only a hexadecimal literal of 64 bits can be shorter than its
// float, which then moves what follows on its line by a column or two.
func widenIntegers(data []byte) []byte {
	if !longDigitRun(data) {
		return nil // no integer beyond 64 bits: no need to parse
	}
	type edit struct {
		off, end int
		text     string
	}
	var edits []edit
	var p unstable.Parser
	p.Reset(data)
	var visit func(n *unstable.Node)
	visit = func(n *unstable.Node) {
		switch n.Kind {
		case unstable.Integer:
			if f, ok := wideInteger(string(n.Data)); ok {
				r := p.Range(n.Data)
				off, end := int(r.Offset), int(r.Offset+r.Length)
				edits = append(edits, edit{off, end, floatLiteral(f, end-off)})
			}
		case unstable.Array, unstable.InlineTable:
			kids := n.Children()
			for kids.Next() {
				visit(kids.Node())
			}
		case unstable.KeyValue:
			visit(n.Value())
		}
	}
	for p.NextExpression() {
		visit(p.Expression())
	}
	if len(edits) == 0 {
		return nil
	}
	out := make([]byte, 0, len(data))
	at := 0
	for _, e := range edits {
		out = append(append(out, data[at:e.off]...), e.text...)
		at = e.end
	}
	return append(out, data[at:]...)
}

// longDigitRun reports whether data holds 16 or more hexadecimal digits and
// underscores in a row, as every integer literal beyond 64 bits does: 19
// decimal digits, 16 hexadecimal ones after 0x, more octal or binary ones.
func longDigitRun(data []byte) bool {
	run := 0
	for _, c := range data {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '_' {
			if run++; run >= 16 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// wideInteger is the value of a TOML integer literal beyond 64 bits, as the
// nearest float64; ok is false for an integer go-toml reads itself.
func wideInteger(lit string) (float64, bool) {
	s := strings.ReplaceAll(lit, "_", "")
	if _, err := strconv.ParseInt(s, 0, 64); err == nil || err.(*strconv.NumError).Err != strconv.ErrRange {
		return 0, false
	}
	n, ok := new(big.Int).SetString(s, 0)
	if !ok {
		return 0, false
	}
	f, _ := new(big.Float).SetInt(n).Float64()
	return f, true
}

// floatLiteral writes f as a TOML float in at least width bytes when it
// can: the digits Go needs to read f back, then an exponent padded with
// zeros.
func floatLiteral(f float64, width int) string {
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde+XX
	mant, exp, _ := strings.Cut(s, "e")
	sign := ""
	if mant[0] == '-' {
		sign, mant = "-", mant[1:]
	}
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	e -= len(digits) - 1 // digits as an integer, times 10^e
	es := strconv.Itoa(e)
	if pad := width - len(sign) - len(digits) - 1 - len(es); pad > 0 {
		es = strings.Repeat("0", pad) + es
	}
	return sign + digits + "e" + es
}
