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
