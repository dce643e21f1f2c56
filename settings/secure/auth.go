package secure

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
)

// open reports whether a request may skip authentication: GET on the exact
// health and readiness paths, for probes that cannot hold a secret.
func (g *Guard) open(r *http.Request) bool {
	return r.Method == http.MethodGet && (r.URL.Path == g.prefix+"/health" || r.URL.Path == g.prefix+"/ready")
}

// authenticate checks Basic authentication against server.api.auth_string
// as Prefect does: "Basic <base64>" whose decoded text is the whole auth
// string, compared in constant time.
func (g *Guard) authenticate(next http.Handler) http.Handler {
	if g.auth == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.open(r) || g.authorized(r.Header.Get("Authorization")) {
			next.ServeHTTP(w, r)
			return
		}
		g.log.DebugContext(r.Context(), "refused: unauthorized", "method", r.Method, "path", r.URL.Path)
		// Prefect's answer, and no WWW-Authenticate: a browser would show
		// its own login box instead of the UI's.
		writeJSON(w, http.StatusUnauthorized, map[string]string{"exception_message": "Unauthorized"})
	})
}

// authorized reports whether an Authorization header carries the auth string.
func (g *Guard) authorized(h string) bool {
	fields := strings.Fields(h)
	if len(fields) != 2 || fields[0] != "Basic" {
		return false
	}
	decoded, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil || !utf8.Valid(decoded) {
		return false
	}
	sum := sha256.Sum256(decoded)
	return subtle.ConstantTimeCompare(sum[:], g.auth[:]) == 1
}
