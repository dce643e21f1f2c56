package release

// Having returns every known release, from the oldest supported one, whose
// settings include the setting at path ("server.api.base_path"), oldest
// first. It is empty for a name no release has.
func Having(path string) []Version {
	var vs []Version
	for i, p := range published {
		if schemaOf(i).Has(path) {
			vs = append(vs, p.v)
		}
	}
	return vs
}

// Lifetime returns the first release that has the setting at path and,
// when a later release no longer has it, the first such release (zero
// when the newest still has it): "server.api.base_path was added in Prefect
// 3.2.0". ok is false when no release has the setting.
func Lifetime(path string) (added, removed Version, ok bool) {
	had := false
	for i, p := range published {
		has := schemaOf(i).Has(path)
		switch {
		case has && !had && !ok:
			added, ok = p.v, true
		case !has && had:
			removed = p.v
		case has && !had:
			removed = Version{} // back again
		}
		had = has
	}
	return added, removed, ok
}
