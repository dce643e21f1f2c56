package settings

import "testing"

// TestExpandUser pins Python's os.path.expanduser: ~ and ~/ are the home
// given, ~name is that user's home directory (its trailing slashes
// dropped), and an unknown user or no lookup leaves the path as written.
func TestExpandUser(t *testing.T) {
	users := func(name string) (string, bool) {
		switch name {
		case "alice":
			return "/home/alice/", true
		case "root":
			return "/", true
		}
		return "", false
	}
	tests := []struct {
		in    string
		users func(string) (string, bool)
		want  string
	}{
		{"~", users, "/h"},
		{"~/x", users, "/h/x"},
		{"~alice", users, "/home/alice"},
		{"~alice/x/y", users, "/home/alice/x/y"},
		{"~root/x", users, "/x"},
		{"~root", users, "/"},
		{"~bob/x", users, "~bob/x"},
		{"~alice/x", nil, "~alice/x"},
		{"a/~alice", users, "a/~alice"},
		{"", users, ""},
	}
	for _, tt := range tests {
		if got := expandUser(tt.in, "/h", tt.users); got != tt.want {
			t.Errorf("expandUser(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
