package detect

import (
	"github.com/strata-settings/strata/internal/contentcache"
)

// cache keeps what each lock file or pyproject.toml said, by file and
// content, so that resolving settings again (a server resolving them per
// request) does not parse a large lock file again.
var cache = contentcache.New[string, *record](32)

// record is what one file said: the first version of each package it
// names, the first range, and why it or some of its entries were passed
// over.
type record struct {
	found   []Found
	names   []string // the package of each found
	ranged  []Found
	rnames  []string // the package of each range
	skipped []Skipped
}

// cached reads file and files what parse finds in it, parsing it only when
// its content is new.
//
// A detection of the versions alone (Options.VersionsOnly) parses a file
// into what it found so far, as a record would be filed, and keeps no
// record: one would lack the notes on what was passed over, and the
// caller, a linter detecting the release of each of its projects, reads
// each file once, so would only push out what a process resolving
// settings again reuses.
func (d *detector) cached(file string, parse func(r *detector, file string, data []byte)) {
	data, ok := d.readFile(file)
	if !ok {
		return
	}
	rec, ok := cache.Get(file, data)
	if !ok && d.opts.VersionsOnly {
		parse(d, file, data)
		return
	}
	if !ok {
		rec = parseRecord(file, data, parse)
		cache.Put(file, data, rec)
	}
	for i, f := range rec.found {
		d.found(rec.names[i], f.Version, f.Kind, f.Pos, f.where)
	}
	for i, f := range rec.ranged {
		d.foundRange(rec.rnames[i], f.Version, f.Pos)
	}
	for _, s := range rec.skipped {
		if s.pkg != "" && d.wants(s.pkg).Pos.File != file {
			continue // a later entry for a package this file did not give
		}
		d.note(s)
	}
}

// parseRecord runs parse with nothing found yet, and records what it found.
func parseRecord(file string, data []byte, parse func(r *detector, file string, data []byte)) *record {
	var p Project
	r := newDetector(Options{}, &p)
	parse(r, file, data)
	rec := &record{skipped: r.skipped}
	for i, name := range wanted {
		if f := r.want[i]; f.OK() {
			rec.found = append(rec.found, *f)
			rec.names = append(rec.names, name)
		}
		if f := r.ranged[i]; f.Version != "" {
			rec.ranged = append(rec.ranged, f)
			rec.rnames = append(rec.rnames, name)
		}
	}
	return rec
}
