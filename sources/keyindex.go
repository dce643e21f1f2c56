package sources

import (
	"bytes"
	"slices"
)

// keyIndex maps the key paths of a TOML document, joined with sep, to
// where each was first written. Settings files hold a few keys, which are
// found in a slice at less cost than a map takes to build, their paths
// one after another in one buffer; past smallKeys keys the index is a map,
// so that a large document costs no more than with one.
type keyIndex struct {
	paths []byte           // the paths of the small index's keys
	small []keyEntry       // the keys, while there are at most smallKeys
	big   map[string]keyAt // the keys, once there are more
}

type keyEntry struct {
	off, end uint32 // the path is paths[off:end]
	at       keyAt
}

// smallKeys is the most keys kept in a slice: searching it costs about
// what hashing the key does.
const smallKeys = 16

// newKeyIndex returns an empty index for about n keys (a guess: the
// document's lines): a map made to size past smallKeys, else a slice,
// which a scan fills in buffers of its own and copies at its exact size
// (lend, keep).
func newKeyIndex(n int) keyIndex {
	if n > smallKeys {
		return keyIndex{big: make(map[string]keyAt, min(n, 1024))}
	}
	return keyIndex{}
}

// get returns where the key path was written.
func (x *keyIndex) get(path []byte) (keyAt, bool) {
	if x.big != nil {
		at, ok := x.big[string(path)]
		return at, ok
	}
	for _, e := range x.small {
		if bytes.Equal(x.paths[e.off:e.end], path) {
			return e.at, true
		}
	}
	return keyAt{}, false
}

// add records a key path not yet in the index.
func (x *keyIndex) add(path []byte, at keyAt) {
	if x.big == nil && len(x.small) < smallKeys {
		off := len(x.paths)
		x.paths = append(x.paths, path...)
		x.small = append(x.small, keyEntry{uint32(off), uint32(len(x.paths)), at})
		return
	}
	if x.big == nil {
		x.big = make(map[string]keyAt, 2*smallKeys)
		for _, e := range x.small {
			x.big[string(x.paths[e.off:e.end])] = e.at
		}
		x.paths, x.small = nil, nil
	}
	x.big[string(path)] = at
}

// lend has the index gather its keys in the buffers of b, if it has none
// yet, and reports whether it does; keep gives them back.
func (x *keyIndex) lend(b *scanBuffer) bool {
	if x.small != nil || x.big != nil {
		return false
	}
	x.paths, x.small = b.keyPaths[:0], b.keys[:0]
	return true
}

// keep copies the keys gathered in the buffers of b at their size, or drops
// them unless save is set (a scan for its limits only, whose document is
// dropped), and gives the buffers back, as grown. Past smallKeys keys the
// index moved to a map and left the buffers.
func (x *keyIndex) keep(b *scanBuffer, save bool) {
	if x.small == nil {
		return
	}
	paths, small := x.paths, x.small
	x.paths, x.small = nil, nil
	if save {
		x.paths, x.small = slices.Clone(paths), slices.Clone(small)
	}
	b.keyPaths, b.keys = paths[:0], small[:0]
}
