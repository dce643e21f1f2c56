package secure

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"
)

// issuedToken is the token the guard last gave a client, and its expiry.
type issuedToken struct {
	token   string
	expires time.Time
}

// tokenEndpoint answers GET {prefix}/csrf-token?client=ID with a new token
// for the client, replacing its previous one, as Prefect's server does; 422
// "CSRF protection is disabled." when protection is off.
func (g *Guard) tokenEndpoint(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != g.prefix+"/csrf-token" {
			next.ServeHTTP(w, r)
			return
		}
		client := r.URL.Query().Get("client")
		if !r.URL.Query().Has("client") {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
				"exception_message": "Invalid request received.",
				"exception_detail":  []map[string]any{{"type": "missing", "loc": []string{"query", "client"}, "msg": "Field required", "input": nil}},
				"request_body":      nil,
			})
			return
		}
		if !g.csrf {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"detail": "CSRF protection is disabled."})
			return
		}
		tok, err := g.issue(client)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"exception_message": "Internal Server Error"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{
			"token":      tok.token,
			"client":     client,
			"expiration": tok.expires.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		})
	})
}

// issue creates or replaces the client's token and forgets expired ones.
func (g *Guard) issue(client string) (issuedToken, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return issuedToken{}, err
	}
	now := g.now()
	tok := issuedToken{token: hex.EncodeToString(b[:]), expires: now.Add(g.ttl)}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tokens[client] = tok
	for c, t := range g.tokens {
		if t.expires.Before(now) {
			delete(g.tokens, c)
		}
	}
	return tok, nil
}

// valid reports whether token is the client's current, unexpired token.
func (g *Guard) valid(client, token string) bool {
	now := g.now()
	g.mu.Lock()
	t, ok := g.tokens[client]
	g.mu.Unlock()
	return ok && t.expires.After(now) && subtle.ConstantTimeCompare([]byte(t.token), []byte(token)) == 1
}

// checkCSRF refuses state-changing requests without a valid token and
// client pair, with Prefect's messages.
func (g *Guard) checkCSRF(next http.Handler) http.Handler {
	if !g.csrf {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !stateChanging(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		token, hasToken := r.Header["Prefect-Csrf-Token"]
		client, hasClient := r.Header["Prefect-Csrf-Client"]
		switch {
		case !hasToken:
			g.refuse(w, r, "Missing CSRF token.")
		case !hasClient:
			g.refuse(w, r, "Missing client identifier.")
		case !g.valid(client[0], token[0]):
			// Prefect's only CSRF answer that a browser may read cross-origin.
			w.Header().Set("Access-Control-Allow-Origin", "*")
			g.refuse(w, r, "Invalid CSRF token or client identifier.")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// refuse answers a request that fails the CSRF check with 403 and detail.
func (g *Guard) refuse(w http.ResponseWriter, r *http.Request, detail string) {
	g.log.DebugContext(r.Context(), "refused: "+detail, "method", r.Method, "path", r.URL.Path)
	writeJSON(w, http.StatusForbidden, map[string]string{"detail": detail})
}
