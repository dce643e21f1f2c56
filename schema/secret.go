package schema

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
)

// This file is the one place that knows what is secret and how a secret is
// shown. Secret settings (Kind Secret), every value of a headers setting
// (client.custom_headers: an Authorization or proxy token is the usual
// content), the password of any URL's user information, and keys the
// schema does not know whose names say they hold a secret are all masked
// by Masked, which every command and format uses.

// Mask is what a set secret shows instead of its value: the form of
// Prefect's config view, the same length everywhere. An empty secret shows
// as empty.
const Mask = "********"

// SecretString holds a secret value. Its String, fmt and JSON forms are
// masked; Reveal returns the value.
type SecretString struct{ value string }

// NewSecret wraps s as a secret.
func NewSecret(s string) SecretString { return SecretString{s} }

// Reveal returns the secret's value.
func (s SecretString) Reveal() string { return s.value }

// String returns the masked form.
func (s SecretString) String() string { return MaskString(s.value) }

// GoString returns the masked form.
func (s SecretString) GoString() string { return MaskString(s.value) }

// Format prints the masked form for every verb.
func (s SecretString) Format(f fmt.State, verb rune) { f.Write([]byte(MaskString(s.value))) }

// MarshalJSON returns the masked form as a JSON string.
func (s SecretString) MarshalJSON() ([]byte, error) {
	return []byte(`"` + MaskString(s.value) + `"`), nil
}

// MarshalText returns the masked form.
func (s SecretString) MarshalText() ([]byte, error) { return []byte(MaskString(s.value)), nil }

// LogValue returns the masked form, so structured logs never hold the
// secret.
func (s SecretString) LogValue() slog.Value { return slog.StringValue(MaskString(s.value)) }

// MaskString returns how a secret string shows: "" stays "", anything else
// is Mask, whatever its length.
func MaskString(s string) string {
	if s == "" {
		return ""
	}
	return Mask
}

// Masked returns v, a value of setting s, as it may be shown: a secret
// masked whole, each value of a headers setting masked (the names stay),
// and the password of every URL in a string masked. With s nil, v belongs
// to a key the schema does not know, and name decides: a name that says
// it holds a secret (SecretName) masks it whole. v may be a Go value of
// the setting or a raw value of a source: strings (a JSON object for
// headers), numbers, booleans, lists and tables. Masked never changes v.
func Masked(s *Setting, name string, v any) any {
	switch {
	case s == nil && SecretName(name), s != nil && s.Kind == Secret:
		return maskWhole(v)
	case s != nil && s.Kind == Headers:
		return maskHeaders(v)
	}
	return maskURLs(v)
}

// maskWhole masks a secret: a string or SecretString by MaskString, nil
// stays nil (unset is not a secret), anything else is Mask.
func maskWhole(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return MaskString(t)
	case SecretString:
		return MaskString(t.value)
	}
	return Mask
}

// maskHeaders masks each value of a headers setting, given as a map or as
// the JSON object a string holds. A string that is not a JSON object is
// masked whole: it may still be a credential.
func maskHeaders(v any) any {
	switch t := v.(type) {
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, x := range t {
			out[k] = MaskString(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = maskWhole(x)
		}
		return out
	case string:
		var m map[string]any
		if err := json.Unmarshal([]byte(t), &m); err != nil || m == nil {
			return MaskString(t)
		}
		return headersJSON(maskHeaders(m).(map[string]any))
	case nil:
		return nil
	}
	return Mask
}

// headersJSON writes a masked headers object as Prefect's json.dumps
// would: keys in their order of appearance is lost, so sorted.
func headersJSON(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		kq, _ := json.Marshal(k)
		vq, _ := json.Marshal(m[k])
		b.Write(kq)
		b.WriteString(": ")
		b.Write(vq)
	}
	b.WriteByte('}')
	return b.String()
}

// maskURLs masks URL passwords in every string of v.
func maskURLs(v any) any {
	switch t := v.(type) {
	case string:
		return MaskURL(t)
	case []string:
		out := make([]string, len(t))
		for i, x := range t {
			out[i] = MaskURL(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = maskURLs(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = Masked(nil, k, x)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, x := range t {
			if SecretName(k) {
				out[k] = MaskString(x)
			} else {
				out[k] = MaskURL(x)
			}
		}
		return out
	case SecretString:
		return MaskString(t.value)
	}
	return v
}

// MaskURL masks the password of every URL with user information in s
// ("scheme://user:password@host"), keeping the rest: the user, the host,
// the path. A password holding '@', '/', '#' or '?', which some parsers
// (SQLAlchemy) accept unescaped, is masked whole.
func MaskURL(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		// This URL runs to the next one, or to whitespace or a quote.
		end := len(s)
		if j := strings.Index(s, "://"); j >= 0 {
			end = j
		}
		if j := strings.IndexAny(s[:end], " \t\r\n\"'<>"); j >= 0 {
			end = j
		}
		// A URL Go's parser reads with a password has its user information
		// before the first '/', '?' or '#'. Otherwise read it as SQLAlchemy
		// does, up to the last '@' ("user:p#ss@host"), even where httpx
		// would see a port and a path ("host:4200/api/@me" shows as
		// "host:********@me"): rather mask too much than too little.
		at := -1
		u, err := url.Parse("x://" + s[:end])
		if err == nil && u.User != nil {
			if _, ok := u.User.Password(); ok {
				auth := s[:end]
				if j := strings.IndexAny(auth, "/?#"); j >= 0 {
					auth = auth[:j]
				}
				at = strings.LastIndexByte(auth, '@')
			}
		}
		if at < 0 {
			at = strings.LastIndexByte(s[:end], '@')
		}
		if at < 0 {
			continue
		}
		colon := strings.IndexByte(s[:at], ':')
		if colon < 0 || strings.ContainsAny(s[:colon], "/?#@") {
			continue
		}
		b.WriteString(s[:colon+1])
		if colon+1 < at {
			b.WriteString(Mask)
		}
		s = s[at:]
	}
}

// SecretName reports whether a key the schema does not know says by its
// name that it holds a secret: api_key, *_password, *_token, *_secret,
// auth strings, credentials, Authorization. Case and separators (_ - .)
// do not matter.
func SecretName(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	for i, w := range words {
		switch w {
		case "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "tokens",
			"credential", "credentials", "authorization", "apikey", "auth", "authstring", "dsn":
			return true
		case "key", "keys":
			if i > 0 && (words[i-1] == "api" || words[i-1] == "access" || words[i-1] == "private" ||
				words[i-1] == "secret" || words[i-1] == "client" || words[i-1] == "signing") {
				return true
			}
		}
	}
	return false
}
