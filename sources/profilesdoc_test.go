package sources

import (
	"strings"
	"testing"
)

func TestParseProfiles(t *testing.T) {
	data := "active = \"b\"\n\n[profiles.b]\nPREFECT_API_URL = \"x\"\nprefect_api_key = \"k\"\n\n[profiles.a]\nPREFECT_UI_API_URL = \"u\"\n"
	d, err := ParseProfiles("profiles.toml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if !d.HasActive || d.Active != "b" || d.ActivePos.String() != "profiles.toml:1:1" {
		t.Errorf("active %q %v at %s", d.Active, d.HasActive, d.ActivePos)
	}
	var got []string
	for _, p := range d.Profiles {
		for _, v := range p.Values {
			got = append(got, p.Profile+":"+v.Key+"@"+v.Pos.String())
		}
		for _, ig := range p.Ignored {
			got = append(got, p.Profile+":ignored "+ig.Key+": "+ig.Reason)
		}
	}
	want := "b:PREFECT_API_URL@profiles.toml:4:1\n" +
		"b:ignored prefect_api_key: profile keys must be upper-case environment names\n" +
		"a:PREFECT_UI_API_URL@profiles.toml:8:1"
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	if d.Profile("a") == nil || d.Profile("c") != nil {
		t.Error("Profile lookup")
	}
	if _, err := ParseProfiles("p.toml", []byte("[profiles\n")); err == nil {
		t.Error("invalid TOML: no error")
	}
}
