package sources

// keyIndex maps the key paths of a TOML document, joined with sep, to
// where each was first written. Settings files hold a few keys, which are
// found in a slice at less cost than a map takes to build; past
// smallKeys keys the index is a map, so that a large document costs
// no more than with one.
type keyIndex struct {
	small []keyEntry       // the keys, while there are at most smallKeys
	big   map[string]keyAt // the keys, once there are more
}

type keyEntry struct {
	path string
	at   keyAt
}

// smallKeys is the most keys kept in a slice: searching it costs about
// what hashing the key does.
const smallKeys = 16

// newKeyIndex returns an index for about n keys: a map made to size when
// they are more than smallKeys, else an empty slice, which a scan fills
// in a buffer of its own and copies at its exact size (tomlScan.run).
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
	for i := range x.small {
		if x.small[i].path == string(path) {
			return x.small[i].at, true
		}
	}
	return keyAt{}, false
}

// add records a key path not yet in the index.
func (x *keyIndex) add(path string, at keyAt) {
	if x.big == nil && len(x.small) < smallKeys {
		x.small = append(x.small, keyEntry{path, at})
		return
	}
	if x.big == nil {
		x.big = make(map[string]keyAt, 2*smallKeys)
		for _, e := range x.small {
			x.big[e.path] = e.at
		}
		x.small = nil
	}
	x.big[path] = at
}
