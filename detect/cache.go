package detect

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// cache keeps what each lock file or pyproject.toml said, by file and
// content, so that resolving settings again (a server resolving them per
// request) does not parse a large lock file again. It is keyed by the
// bytes themselves, never by modification time, so an edit is always seen.
var cache = struct {
	sync.Mutex
	seed    maphash.Seed
	entries map[string]*record
}{seed: maphash.MakeSeed(), entries: map[string]*record{}}

const cacheSize = 32

// record is what one file said: the first version of each package it
// names, and why it was passed over, if it was.
type record struct {
	sum     uint64
	data    []byte
	found   []Found
	names   []string // the package of each found
	skipped []Skipped
}

// cached reads file and files what parse finds in it, parsing it only when
// its content is new.
func (d *detector) cached(file string, parse func(r *detector, file string, data []byte)) {
	data, ok := d.readFile(file)
	if !ok {
		return
	}
	sum := maphash.Bytes(cache.seed, data)
	cache.Lock()
	rec := cache.entries[file]
	cache.Unlock()
	if rec == nil || rec.sum != sum || !bytes.Equal(rec.data, data) {
		rec = parseRecord(file, data, sum, parse)
		cache.Lock()
		if len(cache.entries) >= cacheSize {
			for k := range cache.entries { // evict one at random
				delete(cache.entries, k)
				break
			}
		}
		cache.entries[file] = rec
		cache.Unlock()
	}
	for i, f := range rec.found {
		d.found(rec.names[i], f.Version, f.Kind, f.Pos)
	}
	d.skipped = append(d.skipped, rec.skipped...)
}

// parseRecord runs parse with nothing found yet, and records what it found.
func parseRecord(file string, data []byte, sum uint64, parse func(r *detector, file string, data []byte)) *record {
	var p Project
	r := newDetector(Options{}, &p)
	parse(r, file, data)
	rec := &record{sum: sum, data: data, skipped: r.skipped}
	for name, f := range map[string]Found{Prefect: p.Prefect, PydanticSettings: p.PydanticSettings} {
		if f.OK() {
			rec.found = append(rec.found, f)
			rec.names = append(rec.names, name)
		}
	}
	return rec
}
