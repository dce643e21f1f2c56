package sources

import (
	"slices"
	"sync"
)

// valueBuffers lend the slices a layer's values are gathered in, to be
// copied out at their number (keepValues): one allocation a layer, where
// appending to a new slice grows it two or three times for a few values.
var valueBuffers = sync.Pool{New: func() any { return new([]Value) }}

// borrowValues returns an empty buffer to gather values in.
func borrowValues() *[]Value {
	return valueBuffers.Get().(*[]Value)
}

// keepValues returns a copy of vs, gathered in buf, and gives the buffer,
// as vs grew it, back; nil when there are no values, as a layer holds when
// it appends none.
func keepValues(buf *[]Value, vs []Value) []Value {
	var out []Value
	if len(vs) > 0 {
		out = slices.Clone(vs)
	}
	clear(vs) // the pool keeps no layer's values
	*buf = vs[:0]
	valueBuffers.Put(buf)
	return out
}
