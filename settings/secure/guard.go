package secure

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

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

// underPrefix reports whether path is the API's, under the guard's prefix.
func (g *Guard) underPrefix(path string) bool {
	return g.prefix == "" || path == g.prefix || strings.HasPrefix(path, g.prefix+"/")
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
