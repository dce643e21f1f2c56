package profiles

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzEdit applies every edit to arbitrary files: no panic, the result is
// valid TOML (Doc never writes anything else), the edit does what it says,
// and the profiles it does not concern keep their values.
func FuzzEdit(f *testing.F) {
	f.Add([]byte(handWritten), "dev", "PREFECT_API_URL", "x")
	f.Add([]byte("active = \"a\"\n[profiles.a]\nK = [1,\n 2]\n[profiles.b]\n"), "a", "K", "new")
	f.Add([]byte("[profiles]\na.K = 1\n"), "a", "K", "b")
	f.Add([]byte(""), "", "", "")
	f.Fuzz(func(t *testing.T, data []byte, name, key, value string) {
		d, err := Parse("p.toml", data)
		if err != nil {
			return
		}
		others := func(d *Doc, skip ...string) map[string]any {
			m := map[string]any{}
			for k, v := range d.profileTables() {
				if !contains(skip, k) {
					m[k] = v
				}
			}
			return m
		}
		skip := []string{name, value}
		before := others(d, skip...)
		check := func(op string, err error) {
			if err != nil {
				return
			}
			if after := others(d, skip...); !reflect.DeepEqual(before, after) {
				t.Fatalf("%s changed other profiles:\n%v\n%v\n%q", op, before, after, d.Bytes())
			}
		}
		if name == "" || key == "" || !utf8.ValidString(value) {
			return // the caller checks values before quoting them
		}
		err = d.Set(name, key, Quote(value))
		check("set", err)
		if err == nil {
			if m, _ := d.profileTables()[name].(map[string]any); m[key] != value {
				t.Fatalf("set %s.%s = %q: got %v in %q", name, key, value, m[key], d.Bytes())
			}
		}
		_, err = d.Unset(name, key)
		check("unset", err)
		if err == nil {
			if m, _ := d.profileTables()[name].(map[string]any); m != nil {
				if _, ok := m[key]; ok {
					t.Fatalf("unset %s.%s left it in %q", name, key, d.Bytes())
				}
			}
		}
		check("active", d.SetActive(name))
		if value != "" && value != name {
			err = d.Rename(name, value)
			check("rename", err)
			if err == nil && d.Has(name) {
				t.Fatalf("rename %s left it in %q", name, d.Bytes())
			}
			name = value
		}
		err = d.Delete(name)
		check("delete", err)
		if err == nil && d.Has(name) {
			t.Fatalf("delete %s left it in %q", name, d.Bytes())
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
