package sources

import "strings"

// TOMLError is the message of an error of go-toml, the TOML parser: its
// own text without the "toml: " go-toml starts it with, which tells a user
// nothing ("expected ']' to close table name", not "toml: expected ...").
func TOMLError(err error) string {
	return strings.TrimPrefix(err.Error(), "toml: ")
}
