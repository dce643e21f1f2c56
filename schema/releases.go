package schema

import "sync"

// variant is a form of a setting that differs from its newest one, in the
// schemas of mask.
type variant struct {
	mask    uint64
	setting Setting
}

// Every returns the setting with index i, 0 <= i < Total, in its newest
// form: the newest release's settings, then the ones only older releases
// have.
func Every(i int) *Setting {
	if i < Len {
		return &table[i]
	}
	return &older[i-Len]
}

var sets sync.Map // schema id → *Set

// published builds the settings of the schema id from the presence masks
// and the variants.
func published(id string) (*Set, bool) {
	if s, ok := sets.Load(id); ok {
		return s.(*Set), true
	}
	bit := -1
	for i, sid := range schemaIDs {
		if sid == id {
			bit = i
		}
	}
	if bit < 0 {
		return nil, false
	}
	m := uint64(1) << bit
	s := &Set{ID: id}
	for i := range Total {
		if presence[i]&m == 0 {
			continue
		}
		st := Every(i)
		for k := range variants {
			if v := &variants[k]; v.setting.Index == i && v.mask&m != 0 {
				st = &v.setting
			}
		}
		s.settings = append(s.settings, st)
	}
	got, _ := sets.LoadOrStore(id, s)
	return got.(*Set), true
}

// Ever returns the settings of every known release, for looking a name up
// whatever the release: each name finds the setting the newest release
// that has the name gives it (server.database.sqlalchemy_pool_size, which
// only older releases have, is found, and so is client.custom_headers,
// which the oldest lack). A setting whose form changed between releases is
// listed once a form.
func Ever() *Set { return ever() }

var ever = sync.OnceValue(func() *Set {
	s := &Set{ID: "every release"}
	seen := map[*Setting]bool{}
	for _, id := range schemaIDs { // oldest first: the index keeps the last
		set, _ := Published(id)
		for _, st := range set.settings {
			if !seen[st] {
				seen[st] = true
				s.settings = append(s.settings, st)
			}
		}
	}
	return s
})

// MaskedIn is Masked for the value of a key named name, read for a release
// of set: the set's setting of that name decides, else the setting another
// release gives the name (a setting the release lacks may still hold a
// credential), else the name itself.
func MaskedIn(set *Set, name string, v any) any {
	s, ok := set.Lookup(name)
	if !ok {
		s, ok = Ever().Lookup(name)
	}
	if !ok {
		s = nil
	}
	return Masked(s, name, v)
}
