package schema_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
)

func TestMaskURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://localhost:4200/api", "http://localhost:4200/api"},
		{"https://user:pw@example.com/api", "https://user:********@example.com/api"},
		{"postgresql+asyncpg://prefect:hunter2@db:5432/prefect", "postgresql+asyncpg://prefect:********@db:5432/prefect"},
		{"postgresql+asyncpg://prefect:p@ss@db/prefect", "postgresql+asyncpg://prefect:********@db/prefect"},
		{"postgresql+asyncpg://prefect:pa/ss@db/prefect", "postgresql+asyncpg://prefect:********@db/prefect"},
		{"postgresql+asyncpg://prefect:p#ss?x@db/prefect", "postgresql+asyncpg://prefect:********@db/prefect"},
		{"postgresql://u:$PW@db/p", "postgresql://u:********@db/p"},
		{"https://token@example.com/api", "https://token@example.com/api"},
		{"https://user:@example.com", "https://user:@example.com"},
		{"http://host:4200/api/@me", "http://host:********@me"}, // SQLAlchemy would read a password
		{"postgresql+asyncpg://0:0#@0", "postgresql+asyncpg://0:********@0"},
		{"token@host:4200/x@y", "token@host:4200/x@y"},
		{"https://u:pw@h/path?next=a@b", "https://u:********@h/path?next=a@b"},
		{"a http://a:one@h1 and http://b:two@h2/x", "a http://a:********@h1 and http://b:********@h2/x"},
		{`{"url": "http://a:one@h1"}`, `{"url": "http://a:********@h1"}`},
		{"user:pw@host", "user:pw@host"}, // no scheme: not a URL
		{"", ""},
	}
	for _, tt := range tests {
		if got := schema.MaskURL(tt.in); got != tt.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSecretName(t *testing.T) {
	secret := []string{"api_key", "PREFECT_API_KEY", "PREFECT_API_KEYS", "db_password", "PREFECT_SMTP_PASSWORD",
		"github_token", "PREFECT_CLOUD_TOKEN", "client_secret", "AUTH_STRING", "PREFECT_API_AUTH",
		"aws-secret-access-key", "credentials", "Authorization", "apikey", "sentry.dsn", "access_key", "PRIVATE_KEY"}
	plain := []string{"PREFECT_API_URL", "PREFECT_LOGGING_LEVEL", "key", "PREFECT_RESULTS_CACHE_KEY_FN",
		"keyboard", "author", "tokenizer_path", "PREFECT_HOME", "monkey"}
	for _, n := range secret {
		if !schema.SecretName(n) {
			t.Errorf("SecretName(%q) = false, want true", n)
		}
	}
	for _, n := range plain {
		if schema.SecretName(n) {
			t.Errorf("SecretName(%q) = true, want false", n)
		}
	}
}

func TestMasked(t *testing.T) {
	key, _ := schema.ByPath("api.key")
	headers, _ := schema.ByPath("client.custom_headers")
	apiURL, _ := schema.ByPath("api.url")
	port, _ := schema.ByPath("server.api.port")
	tests := []struct {
		name string
		s    *schema.Setting
		key  string
		in   any
		want any
	}{
		{"secret", key, "", schema.NewSecret("pnu_x"), schema.Mask},
		{"empty secret", key, "", schema.NewSecret(""), ""},
		{"unset secret", key, "", nil, nil},
		{"raw secret", key, "", "pnu_x", schema.Mask},
		{"secret of another type", key, "", int64(5), schema.Mask},
		{"headers map", headers, "", map[string]string{"Authorization": "Bearer x", "X-Empty": ""},
			map[string]string{"Authorization": schema.Mask, "X-Empty": ""}},
		{"headers table", headers, "", map[string]any{"X-Token": "t", "X-N": int64(1)},
			map[string]any{"X-Token": schema.Mask, "X-N": schema.Mask}},
		{"headers JSON", headers, "", `{"X-B": "b", "Authorization": "Bearer x"}`, `{"Authorization": "********", "X-B": "********"}`},
		{"headers not JSON", headers, "", `Bearer x`, schema.Mask},
		{"URL", apiURL, "", "http://u:p@h/api", "http://u:********@h/api"},
		{"number", port, "", int64(4200), int64(4200)},
		{"unknown secret key", nil, "PREFECT_SMTP_PASSWORD", "x", schema.Mask},
		{"unknown plain key", nil, "PREFECT_NOTE", "http://u:p@h", "http://u:********@h"},
		{"unknown table", nil, "extra", map[string]any{"token": "t", "list": []any{"http://u:p@h"}},
			map[string]any{"token": schema.Mask, "list": []any{"http://u:********@h"}}},
	}
	for _, tt := range tests {
		if got := schema.Masked(tt.s, tt.key, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Masked(%v) = %#v, want %#v", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestSecretStringForms: every way of printing a SecretString gives the
// one mask, or ” for an empty secret.
func TestSecretStringForms(t *testing.T) {
	for _, tt := range []struct{ value, want string }{{"pnu_x", schema.Mask}, {"", ""}} {
		s := schema.NewSecret(tt.value)
		j, _ := json.Marshal(s)
		txt, _ := s.MarshalText()
		for _, got := range []string{fmt.Sprint(s), fmt.Sprintf("%v", s), fmt.Sprintf("%s", s), fmt.Sprintf("%q", s),
			fmt.Sprintf("%#v", s), fmt.Sprintf("%d", s), s.String(), s.GoString(), string(txt), s.LogValue().String()} {
			if got != tt.want {
				t.Errorf("%q shows as %q, want %q", tt.value, got, tt.want)
			}
		}
		if string(j) != `"`+tt.want+`"` {
			t.Errorf("%q marshals as %s", tt.value, j)
		}
	}
}

// FuzzMaskURL: whatever the user, password and the rest of a URL hold,
// the password never shows, and MaskURL never panics.
func FuzzMaskURL(f *testing.F) {
	f.Add("user", "hunter2", "db:5432/prefect")
	f.Add("", "p@ss/w#rd?", "h/api?next=a@b")
	f.Add("u", "x", "h http://a:second@b")
	f.Add("admin", "${PASSWORD}", "[::1]:4200/api")
	f.Fuzz(func(t *testing.T, user, pw, rest string) {
		// A password starting with '@' is an empty one to every parser.
		if pw == "" || pw[0] == '@' || strings.ContainsAny(user, ":/?#@ \t\r\n\"'<>") || strings.ContainsAny(pw, " \t\r\n\"'<>") ||
			strings.Contains(pw, "://") || strings.Contains(rest, "://") || strings.ContainsAny(rest, " \t\r\n\"'<>") ||
			strings.Contains("postgresql+asyncpg://"+user+":@"+rest, pw) || strings.Contains(pw, "*") {
			return
		}
		in := "postgresql+asyncpg://" + user + ":" + pw + "@" + rest
		if strings.Count(in, "://") != 1 {
			return
		}
		if got := schema.MaskURL(in); strings.Contains(got, pw) {
			t.Errorf("MaskURL(%q) = %q shows the password", in, got)
		}
		schema.MaskURL(user + pw + rest)
	})
}
