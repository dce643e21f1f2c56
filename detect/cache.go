package detect

import (
	"github.com/strata-settings/strata/internal/contentcache"
)

// cache keeps what each lock file or pyproject.toml said, by file and
// content, so that resolving settings again (a server resolving them per
// request) does not parse a large lock file again.
var cache = contentcache.New[string, *record](32)

// record is what one file said: the first version of each package it
// names, and why it was passed over, if it was.
type record struct {
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
	rec, ok := cache.Get(file, data)
	if !ok {
		rec = parseRecord(file, data, parse)
		cache.Put(file, data, rec)
	}
	for i, f := range rec.found {
		d.found(rec.names[i], f.Version, f.Kind, f.Pos)
	}
	d.skipped = append(d.skipped, rec.skipped...)
}

// parseRecord runs parse with nothing found yet, and records what it found.
func parseRecord(file string, data []byte, parse func(r *detector, file string, data []byte)) *record {
	var p Project
	r := newDetector(Options{}, &p)
	parse(r, file, data)
	rec := &record{skipped: r.skipped}
	for name, f := range map[string]Found{Prefect: p.Prefect, PydanticSettings: p.PydanticSettings} {
		if f.OK() {
			rec.found = append(rec.found, f)
			rec.names = append(rec.names, name)
		}
	}
	return rec
}
