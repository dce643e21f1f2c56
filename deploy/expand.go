package deploy

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// The bound of expansion. The readers expand the references of values as
// the tool reading the file does (Compose's ${VAR} in the files, .env and
// env_file, Kubernetes' $(VAR), a Dockerfile's ENV and ARG, GitLab's
// variables, a script's words). Expanded naively, a few lines take all
// the memory of the machine: A=$A$A repeated doubles a value each line,
// one reference repeated brings a large value many times, and
// ${A//?/$B} makes a copy of B for each character of A. So what one file's
// references produce is counted against maxExpandWork, and a value whose
// expansion would go beyond it is refused (a *sources.FileError at the
// reference), or, in a script, left as written (Deferred).

// expansion counts the bytes the references of one file's values have
// produced.
type expansion struct {
	used int
	over bool // a reference went beyond the bound
	long bool // and made a value longer than sources.MaxValueLen
}

// take reports whether n more bytes may be produced, and counts them;
// once one expansion is refused, every later one is.
func (e *expansion) take(n int) bool {
	if e.over || n < 0 || n > maxExpandWork-e.used {
		e.over = true
		return false
	}
	e.used += n
	return true
}

// takeValue is take for n more bytes of a value that has value bytes
// with them: a value may not be longer than sources.MaxValueLen.
func (e *expansion) takeValue(n, value int) bool {
	if value > sources.MaxValueLen {
		e.over, e.long = true, true
		return false
	}
	return e.take(n)
}

// left returns the bytes the file's expansions may still produce.
func (e *expansion) left() int {
	if e.over {
		return 0
	}
	return maxExpandWork - e.used
}

// error refuses the value whose references to name went beyond the
// bound, at pos.
func (e *expansion) error(pos sources.Position, name string) error {
	msg := fmt.Sprintf("the references to %s expand to a value longer than %d KiB: no setting needs that much", name, sources.MaxValueLen>>10)
	if !e.long {
		msg = fmt.Sprintf("the references to %s and those before it expand to more than %d MiB: no deployment file needs that much", name, maxExpandWork>>20)
	}
	return &sources.FileError{Pos: pos, Msg: msg}
}

// expansionBound returns an upper bound of the length of raw once its
// references ($NAME, ${NAME...}, $(NAME)) are expanded, size giving the
// length of a variable's value (0 for one without a value), before
// anything expands it. An indirect reference (${!NAME}) may bring the
// largest value; a replacement (${NAME/pattern/string}) may put the
// whole expansion in place of each character, and counts as its square.
// The bound is at most limit+1: what is beyond limit is refused anyway.
func expansionBound(raw string, size func(name string) int, largest, limit int) int {
	total := len(raw)
	for i := strings.IndexByte(raw, '$'); i >= 0 && i+1 < len(raw) && total <= limit; i = nextDollar(raw, i+1) {
		j := i + 1
		if raw[j] == '{' || raw[j] == '(' {
			j++
			if j < len(raw) && raw[j] == '!' {
				total += largest
				continue
			}
		}
		k := j
		for k < len(raw) && isVarByte(raw[k]) {
			k++
		}
		if k > j {
			total += size(raw[j:k])
		}
	}
	if total > limit {
		return limit + 1
	}
	if strings.Contains(raw, "${") && strings.Contains(raw, "/") {
		if total > limit/(total+1) {
			return limit + 1
		}
		total *= total + 1
	}
	return min(total, limit+1)
}

func nextDollar(s string, from int) int {
	if from >= len(s) {
		return -1
	}
	i := strings.IndexByte(s[from:], '$')
	if i < 0 {
		return -1
	}
	return from + i
}

// isVarByte reports whether c may be in a variable's name.
func isVarByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
