package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// handWritten is a profiles file as people write them: comments, blank
// lines, a value that is not a string, unknown keys and a nested table.
const handWritten = `# Team profiles. Ask #platform before changing.
active = "dev"   # the one we use

# Local development.
[profiles.dev]
PREFECT_API_URL = "http://127.0.0.1:4200/api"  # local server
PREFECT_CLIENT_RETRY_EXTRA_CODES = [429, 500]
NOT_A_SETTING = "kept"

    # Staging, behind the proxy.
[profiles."staging.eu"]
	PREFECT_API_URL = "https://staging.example.com/api"
	PREFECT_CLIENT_CUSTOM_HEADERS = '''
{"X-Team": "data"}'''

[profiles.staging.extra]
note = "nested tables are kept"
`

func TestEdits(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Doc) error
		want string // the file after the edit, as a replacement of handWritten's lines
	}{
		{
			name: "set replaces one value in place",
			edit: func(d *Doc) error { return d.Set("dev", "PREFECT_API_URL", Quote("http://localhost:4200/api")) },
			want: strings.Replace(handWritten, `PREFECT_API_URL = "http://127.0.0.1:4200/api"  # local server`, `PREFECT_API_URL = "http://localhost:4200/api"  # local server`, 1),
		},
		{
			name: "set adds a key after the last one, with its indentation",
			edit: func(d *Doc) error { return d.Set("staging.eu", "PREFECT_API_KEY", Quote("pnu_x")) },
			want: strings.Replace(handWritten, "{\"X-Team\": \"data\"}'''\n", "{\"X-Team\": \"data\"}'''\n\tPREFECT_API_KEY = \"pnu_x\"\n", 1),
		},
		{
			name: "set replaces an alias with the canonical name",
			edit: func(d *Doc) error {
				return d.Set("dev", "PREFECT_CLIENT_RETRY_EXTRA_CODES", Quote("502"), "PREFECT_API_URL")
			},
			want: strings.Replace(strings.Replace(handWritten, "PREFECT_API_URL = \"http://127.0.0.1:4200/api\"  # local server\n", "", 1),
				"PREFECT_CLIENT_RETRY_EXTRA_CODES = [429, 500]", "PREFECT_CLIENT_RETRY_EXTRA_CODES = \"502\"", 1),
		},
		{
			name: "set in a new profile appends it",
			edit: func(d *Doc) error { return d.Set("prod", "PREFECT_API_URL", Quote("https://prod/api")) },
			want: handWritten + "\n[profiles.prod]\nPREFECT_API_URL = \"https://prod/api\"\n",
		},
		{
			name: "unset removes the line and its comment",
			edit: func(d *Doc) error { _, err := d.Unset("dev", "PREFECT_API_URL"); return err },
			want: strings.Replace(handWritten, "PREFECT_API_URL = \"http://127.0.0.1:4200/api\"  # local server\n", "", 1),
		},
		{
			name: "unset removes a multi-line value",
			edit: func(d *Doc) error { _, err := d.Unset("staging.eu", "PREFECT_CLIENT_CUSTOM_HEADERS"); return err },
			want: strings.Replace(handWritten, "\tPREFECT_CLIENT_CUSTOM_HEADERS = '''\n{\"X-Team\": \"data\"}'''\n", "", 1),
		},
		{
			name: "set active keeps the comment",
			edit: func(d *Doc) error { return d.SetActive("staging.eu") },
			want: strings.Replace(handWritten, `active = "dev"   #`, `active = "staging.eu"   #`, 1),
		},
		{
			name: "create copies values as written",
			edit: func(d *Doc) error { return d.Create("copy", d.Lines("dev")...) },
			want: handWritten + "\n[profiles.copy]\nPREFECT_API_URL = \"http://127.0.0.1:4200/api\"\nPREFECT_CLIENT_RETRY_EXTRA_CODES = [429, 500]\nNOT_A_SETTING = \"kept\"\n",
		},
		{
			name: "rename keeps the place and follows active",
			edit: func(d *Doc) error { return d.Rename("dev", "local-dev") },
			want: strings.Replace(strings.Replace(handWritten, "[profiles.dev]", "[profiles.local-dev]", 1), `active = "dev"`, `active = "local-dev"`, 1),
		},
		{
			name: "rename a quoted name with nested tables",
			edit: func(d *Doc) error { return d.Rename("staging", "stage") },
			want: strings.Replace(handWritten, "[profiles.staging.extra]", "[profiles.stage.extra]", 1),
		},
		{
			name: "delete removes the table and its keys only",
			edit: func(d *Doc) error { return d.Delete("staging.eu") },
			want: strings.Replace(handWritten, "[profiles.\"staging.eu\"]\n\tPREFECT_API_URL = \"https://staging.example.com/api\"\n\tPREFECT_CLIENT_CUSTOM_HEADERS = '''\n{\"X-Team\": \"data\"}'''\n", "", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("profiles.toml", []byte(handWritten))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(d); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestEditsOnEmptyFiles(t *testing.T) {
	tests := []struct {
		name, in string
		edit     func(*Doc) error
		want     string
	}{
		{"set active in a new file", "", func(d *Doc) error { return d.SetActive("ephemeral") }, "active = \"ephemeral\"\n"},
		{"set in a new file", "", func(d *Doc) error { return d.Set("ephemeral", "PREFECT_API_URL", Quote("u")) }, "[profiles.ephemeral]\nPREFECT_API_URL = \"u\"\n"},
		{"active goes before the comments of the first table", "# first\n[profiles.a]\n", func(d *Doc) error { return d.SetActive("a") }, "active = \"a\"\n\n# first\n[profiles.a]\n"},
		{"active after other root keys", "x = 1\n\n[profiles.a]\n", func(d *Doc) error { return d.SetActive("a") }, "x = 1\nactive = \"a\"\n\n[profiles.a]\n"},
		{"file without final newline", "[profiles.a]\nK = \"v\"", func(d *Doc) error { return d.Set("a", "L", Quote("w")) }, "[profiles.a]\nK = \"v\"\nL = \"w\"\n"},
		{"delete the only profile", "active = \"a\"\n\n[profiles.a]\nK = 1\n", func(d *Doc) error { return d.Delete("a") }, "active = \"a\"\n\n"},
		{"delete the first of two", "[profiles.a]\nK = 1\n\n[profiles.b]\n", func(d *Doc) error { return d.Delete("a") }, "[profiles.b]\n"},
		{"CRLF kept on a new key", "active = \"a\"\r\n[profiles.a]\r\nK = 1\r\n", func(d *Doc) error { return d.Set("a", "L", "2") }, "active = \"a\"\r\n[profiles.a]\r\nK = 1\r\nL = 2\r\n"},
		{"CRLF kept on a new profile", "[profiles.a]\r\n", func(d *Doc) error { return d.Create("b", "K = 1") }, "[profiles.a]\r\n\r\n[profiles.b]\r\nK = 1\r\n"},
		{"CRLF delete", "[profiles.a]\r\nK = 1\r\n\r\n[profiles.b]\r\n", func(d *Doc) error { return d.Delete("a") }, "[profiles.b]\r\n"},
		{"escapes", "", func(d *Doc) error { return d.Set("a", "K", Quote("a\"b\\c\nd\x01")) }, "[profiles.a]\nK = \"a\\\"b\\\\c\\nd\\u0001\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("profiles.toml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(d); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	d, err := Parse("profiles.toml", []byte(handWritten))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Names(), ","); got != "dev,staging.eu,staging" {
		t.Errorf("names = %s", got)
	}
	if a, _ := d.Active(); a != "dev" {
		t.Errorf("active = %q", a)
	}
	var keys []string
	for _, e := range d.Entries("dev") {
		keys = append(keys, e.Key+"@"+e.Pos.String())
	}
	want := "PREFECT_API_URL@profiles.toml:6:1,PREFECT_CLIENT_RETRY_EXTRA_CODES@profiles.toml:7:1,NOT_A_SETTING@profiles.toml:8:1"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("entries = %s, want %s", got, want)
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name, in string
		edit     func(*Doc) error
		want     string
	}{
		{"create existing", "[profiles.a]\n", func(d *Doc) error { return d.Create("a") }, `profile "a" already exists`},
		{"rename onto existing", "[profiles.a]\n[profiles.b]\n", func(d *Doc) error { return d.Rename("a", "b") }, `profile "b" already exists`},
		{"dotted keys", "[profiles]\na.K = 1\n", func(d *Doc) error { return d.Set("a", "K", "2") }, `p.toml: profile "a" is not written as a [profiles.a] table of plain keys; edit it by hand`},
		{"inline table", "profiles = {a = {K = 1}}\n", func(d *Doc) error { return d.Delete("a") }, `p.toml: profile "a" is not written as a [profiles.a] table of plain keys; edit it by hand`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("p.toml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			before := string(d.Bytes())
			err = tt.edit(d)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
			if string(d.Bytes()) != before {
				t.Error("a refused edit changed the document")
			}
		})
	}
}

func TestParseError(t *testing.T) {
	_, err := Parse("p.toml", []byte("[profiles.a]\nK = \n"))
	if err == nil || !strings.HasPrefix(err.Error(), "p.toml:2:5: invalid TOML") {
		t.Fatalf("err = %v", err)
	}
}

func TestEditFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "profiles.toml")
	wrote, err := Edit(path, func(d *Doc) error { return d.Set("a", "K", Quote("v")) })
	if err != nil || !wrote {
		t.Fatalf("Edit = %v, %v", wrote, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode = %v, want 0600", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Edit(path, func(d *Doc) error { return d.Set("a", "L", Quote("w")) }); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode after edit = %v, want 0640 kept", st.Mode().Perm())
	}
	wrote, err = Edit(path, func(d *Doc) error { return nil })
	if err != nil || wrote {
		t.Errorf("an edit that changes nothing wrote: %v, %v", wrote, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestEditFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.toml")
	link := filepath.Join(dir, "profiles.toml")
	os.WriteFile(real, []byte("[profiles.a]\n"), 0o600)
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if _, err := Edit(link, func(d *Doc) error { return d.Set("a", "K", "1") }); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(real); string(b) != "[profiles.a]\nK = 1\n" {
		t.Errorf("target = %q", b)
	}
}

func TestConcurrentEdits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "K" + string(rune('A'+i%26)) + string(rune('a'+i/26))
			if _, err := Edit(path, func(d *Doc) error { return d.Set("a", key, "1") }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	d, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Entries("a")); n != 32 {
		t.Errorf("%d keys landed, want 32", n)
	}
}

// TestEditLeavingInvalidTOML: a change the document cannot hold is refused
// naming the file, never a line of the edited text, which was not written.
func TestEditLeavingInvalidTOML(t *testing.T) {
	d, err := Parse("p.toml", []byte("[profiles.dev]\nA = 1\n\n[profiles.dev.PREFECT_API_URL]\nx = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	before := string(d.Bytes())
	err = d.Set("dev", "PREFECT_API_URL", Quote("http://x/api"))
	want := "p.toml: the change would leave the file invalid TOML, so nothing was written: key PREFECT_API_URL should be a table, not a value"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if string(d.Bytes()) != before {
		t.Error("the document changed")
	}
}
