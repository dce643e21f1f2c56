package sources

import (
	"strings"
)

// TOMLHint explains the usual causes of a TOML syntax error at line:col
// (1-based) of data: True or False capitalised, None or null (TOML has no
// null), a <placeholder> left in, a string without quotes. It returns ""
// when the error is none of those. A value is shown only when it cannot be
// a secret.
func TOMLHint(data []byte, line, col int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	text := strings.TrimRight(lines[line-1], "\r")
	eq := strings.IndexByte(text, '=')
	if eq < 0 || strings.HasPrefix(strings.TrimSpace(text), "[") {
		return ""
	}
	key := strings.TrimSpace(text[:eq])
	value := strings.TrimSpace(text[eq+1:])
	if i := strings.Index(value, " #"); i >= 0 {
		value = strings.TrimSpace(value[:i])
	}
	if value == "" || col > 0 && col-1 < eq {
		return ""
	}
	word := value
	if i := strings.IndexAny(word, " \t,}]"); i >= 0 {
		word = word[:i]
	}
	switch {
	case word == "True" || word == "False" || word == "TRUE" || word == "FALSE":
		return "TOML booleans are lower-case: write " + strings.ToLower(word)
	case word == "None" || word == "null" || word == "NULL" || word == "nil" || word == "~":
		return "TOML has no null: leave " + key + " out to leave the setting unset"
	case strings.HasPrefix(value, "<"):
		return "a <placeholder> is not a value: put the real value there, in quotes"
	case value[0] == '"' || value[0] == '\'' || value[0] == '[' || value[0] == '{':
		return ""
	case word == "":
		return ""
	case word[0] >= '0' && word[0] <= '9' && strings.Count(word, ".") < 2 && !strings.ContainsAny(word, ":/"):
		return "" // a malformed number: the parser's message says more
	}
	if secretKey(key, value) || strings.ContainsAny(value, `"\`) {
		return "strings need quotes in TOML: write " + key + ` = "..."`
	}
	return "strings need quotes in TOML: write " + key + ` = "` + value + `"`
}

// secretKey reports whether a TOML key may hold a credential, so that its
// value is never shown: a key, password, token or header, or a URL with
// user information.
func secretKey(key, value string) bool {
	k := strings.ToLower(key)
	for _, w := range []string{"key", "auth", "password", "secret", "token", "header"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return strings.Contains(value, "@")
}
