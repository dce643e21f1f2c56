package sources

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/joho/godotenv"
)

// render shows entries as KEY=value@line:col (KEY@line:col for no '=') and
// errors as !line:col.
func render(entries []DotEnvEntry, errs []*DotEnvError) string {
	var out []string
	for _, e := range entries {
		if e.Value == nil {
			out = append(out, fmt.Sprintf("%s@%d:%d", e.Key, e.Line, e.Column))
		} else {
			out = append(out, fmt.Sprintf("%s=%q@%d:%d", e.Key, *e.Value, e.Line, e.Column))
		}
	}
	for _, e := range errs {
		out = append(out, fmt.Sprintf("!%d:%d", e.Line, e.Column))
	}
	return strings.Join(out, " ")
}

func TestParseDotEnv(t *testing.T) {
	env := map[string]string{"USER": "ada", "BASE": "http://b"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct{ in, want string }{
		{"A=1\n", `A="1"@1:1`},
		{"# comment\n\n  A = 1 \n", `A="1"@3:3`},
		{"export A=1\n", `A="1"@1:8`},
		{"A=value # comment\n", `A="value"@1:1`},
		{"A=a#b\n", `A="a#b"@1:1`},
		{"A= #x\n", `A="#x"@1:1`},
		{`A="q # not a comment" # comment` + "\n", `A="q # not a comment"@1:1`},
		{`A='p#ss'` + "\n", `A="p#ss"@1:1`},
		{`A="a\nb\t\"c\""` + "\n", `A="a\nb\t\"c\""@1:1`},
		{`A='a\nb\'c'` + "\n", `A="a\\nb'c"@1:1`},
		{"A=\"multi\nline\"\nB=2\n", `A="multi\nline"@1:1 B="2"@3:1`},
		{`A="dq"inside"` + "\nB=2\n", `B="2"@2:1 !1:1`},
		{`A="{"X": "a"}"` + "\n", `!1:1`},
		{"A=\"unterminated\nB=2\n", `B="2"@2:1 !1:1`},
		{"'quoted key'=1\n", `quoted key="1"@1:1`},
		{"NOVALUE\n", `NOVALUE@1:1`},
		{"A=\nB=\"\"\n", `A=""@1:1 B=""@2:1`},
		{"A=${USER}-y\n", `A="ada-y"@1:1`},
		{"A='${USER}'\n", `A="ada"@1:1`},
		{"A=${MISSING}x\n", `A="x"@1:1`},
		{"A=${MISSING:-dflt}\n", `A="dflt"@1:1`},
		{"USER=bob\nA=${USER}\n", `USER="bob"@1:1 A="bob"@2:1`},
		{"A=$USER\n", `A="$USER"@1:1`},
		{"A=\"${BASE}/api\"\n", `A="http://b/api"@1:1`},
		{"A=1\r\nB=2\r\n", `A="1"@1:1 B="2"@2:1`},
		{"=1\nB=2\n", `B="2"@2:1 !1:1`},
	}
	for _, tt := range tests {
		if got := render(ParseDotEnv([]byte(tt.in), lookup)); got != tt.want {
			t.Errorf("ParseDotEnv(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// TestDotEnvDiffersFromGodotenv pins why .env files are not read with
// godotenv: on these inputs it gives what Prefect (python-dotenv) does not.
func TestDotEnvDiffersFromGodotenv(t *testing.T) {
	lookup := func(k string) (string, bool) { return map[string]string{"USER": "ada"}[k], k == "USER" }
	tests := []struct {
		name, in    string
		prefect     string // A's value as python-dotenv reads it; "<none>" when unset
		godotenvErr bool   // godotenv fails the whole file
	}{
		{"expansion inside single quotes", "A='${USER}'\n", "ada", false},
		{"a bad line is skipped, not fatal", "A=1\nB=\"x\"y\n", "1", true},
		{"$NAME without braces is not expanded", "A=$USER\n", "$USER", false},
		{"escaped single quote in single quotes", `A='it\'s'` + "\n", "it's", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _ := ParseDotEnv([]byte(tt.in), lookup)
			got := "<none>"
			for _, e := range entries {
				if e.Key == "A" && e.Value != nil {
					got = *e.Value
				}
			}
			if got != tt.prefect {
				t.Errorf("ParseDotEnv: A=%q; want %q", got, tt.prefect)
			}
			t.Setenv("USER", "ada")
			m, err := godotenv.Unmarshal(tt.in)
			if (err != nil) != tt.godotenvErr {
				t.Errorf("godotenv error %v; want error %v", err, tt.godotenvErr)
			}
			if err == nil && m["A"] == tt.prefect {
				t.Errorf("godotenv now agrees with Prefect on %q (A=%q); the difference is gone", tt.in, m["A"])
			}
		})
	}
}

// FuzzParseDotEnv parses arbitrary .env files: no panic, every entry and
// error has a position.
func FuzzParseDotEnv(f *testing.F) {
	for _, s := range []string{"A=1\n", "export A='x' # c\n", "A=\"a\\\"b\"\n", "A=${B:-c}\r\n", "'k'=v\nNOVAL\n", "A=\"open\n", "\n\n#c\n=x\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, errs := ParseDotEnv(data, func(string) (string, bool) { return "", false })
		for _, e := range entries {
			if e.Line < 1 || e.Column < 1 || e.Key == "" {
				t.Errorf("entry without key or position: %+v", e)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 {
				t.Errorf("error without position: %+v", e)
			}
		}
	})
}

// DotEnvEntries reads the bindings ParseDotEnv returns as DotEnvData reads
// the file.
func TestDotEnvEntries(t *testing.T) {
	data := []byte("PREFECT_API_URL=http://h/api\nPREFECT_LOGGING_LEVEL=${LEVEL}\nbroken line\nOTHER=1\n")
	lookup := func(name string) (string, bool) { return map[string]string{"LEVEL": "DEBUG"}[name], name == "LEVEL" }
	want, wantErr := Reader{}.DotEnvData("x/.env", data, lookup)
	entries, bad := ParseDotEnv(data, lookup)
	got, err := Reader{}.DotEnvEntries("x/.env", entries, bad)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		t.Errorf("DotEnvEntries = %+v, %v; DotEnvData = %+v, %v", got, err, want, wantErr)
	}
	if len(got.Values) != 2 || len(got.Warnings) != 1 {
		t.Errorf("values %+v, warnings %v", got.Values, got.Warnings)
	}
}
