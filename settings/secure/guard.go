package secure

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/strata-settings/strata/settings"
)

// GuardOptions adjust a guard. The zero value gives Prefect's behaviour.
type GuardOptions struct {
	// Prefix is the path the API is served under. Empty means
	// server.api.base_path when it is set, else "/api", where Prefect
	// mounts its API.
	Prefix string
	// Now is the clock for CSRF token expiry. Nil means time.Now.
	Now func() time.Time
	// Logger receives a debug record for each refused request. Nil means no
	// logging. Records never hold a secret.
	Logger *slog.Logger
}

// Guard protects an API handler as Prefect's server does. It is safe for
// concurrent use.
type Guard struct {
	prefix string
	auth   *[sha256.Size]byte // digest of server.api.auth_string; nil when unset
	csrf   bool
	ttl    time.Duration
	cors   corsPolicy
	now    func() time.Time
	log    *slog.Logger
	mu     sync.Mutex
	tokens map[string]issuedToken // by client
}

type issuedToken struct {
	token   string
	expires time.Time
}

// NewServerGuard builds a guard from resolved settings:
// server.api.auth_string, server.api.csrf_protection_enabled,
// server.api.csrf_token_expiration and server.api.cors_allowed_origins,
// _methods and _headers. It fails when CSRF protection is on with a token
// lifetime that is not positive, since no token could ever be used.
func NewServerGuard(r *settings.Result, opts GuardOptions) (*Guard, error) {
	api := &r.Settings.Server.API
	g := &Guard{
		prefix: opts.Prefix,
		csrf:   api.CSRFProtectionEnabled,
		ttl:    api.CSRFTokenExpiration.Duration(),
		cors:   newCORSPolicy(api.CORSAllowedOrigins, api.CORSAllowedMethods, api.CORSAllowedHeaders),
		now:    opts.Now,
		log:    opts.Logger,
		tokens: map[string]issuedToken{},
	}
	if g.prefix == "" {
		g.prefix = "/api"
		if api.BasePath != nil && *api.BasePath != "" {
			g.prefix = *api.BasePath
		}
	}
	g.prefix = "/" + strings.Trim(g.prefix, "/")
	if g.prefix == "/" {
		g.prefix = ""
	}
	if api.AuthString != nil {
		// "" is set too: Prefect then installs a check no request passes.
		sum := sha256.Sum256([]byte(api.AuthString.Reveal()))
		g.auth = &sum
	}
	if g.csrf && g.ttl <= 0 {
		return nil, fmt.Errorf("server.api.csrf_token_expiration is %v: CSRF protection needs a positive token lifetime", g.ttl)
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	return g, nil
}

// Wrap returns next behind the guard, its layers in Prefect's order: the
// CSRF check (outermost), CORS, then, for paths under the API prefix,
// Basic authentication and the CSRF token endpoint. Paths outside the
// prefix (Prefect's UI) need no authentication.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	api := g.authenticate(g.tokenEndpoint(next))
	routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.underPrefix(r.URL.Path) {
			api.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
	return g.checkCSRF(g.cors.wrap(routed))
}

func (g *Guard) underPrefix(path string) bool {
	return g.prefix == "" || path == g.prefix || strings.HasPrefix(path, g.prefix+"/")
}

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

func (g *Guard) refuse(w http.ResponseWriter, r *http.Request, detail string) {
	g.log.DebugContext(r.Context(), "refused: "+detail, "method", r.Method, "path", r.URL.Path)
	writeJSON(w, http.StatusForbidden, map[string]string{"detail": detail})
}

// writeJSON answers as Starlette's JSONResponse, which Prefect's server
// uses: compact JSON, no final newline.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
