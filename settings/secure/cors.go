package secure

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// allMethods are the methods "*" allows, as Starlette lists them.
var allMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// safelisted are the request headers Starlette always allows.
var safelisted = []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"}

// corsPolicy is Starlette's CORSMiddleware as Prefect configures it: lists
// split on "," without trimming, "*" for any, no credentials, no exposed
// headers, a max age of 600 seconds.
type corsPolicy struct {
	origins      []string
	methods      []string
	headers      []string // lower case, safelisted ones included
	anyOrigin    bool
	anyHeader    bool
	preflightHdr http.Header
}

func newCORSPolicy(origins, methods, headers string) corsPolicy {
	p := corsPolicy{origins: strings.Split(origins, ","), methods: strings.Split(methods, ",")}
	hs := strings.Split(headers, ",")
	if slices.Contains(p.methods, "*") {
		p.methods = allMethods
	}
	p.anyOrigin = slices.Contains(p.origins, "*")
	p.anyHeader = slices.Contains(hs, "*")

	pre := http.Header{}
	if p.anyOrigin {
		pre.Set("Access-Control-Allow-Origin", "*")
	} else {
		pre.Set("Vary", "Origin")
	}
	pre.Set("Access-Control-Allow-Methods", strings.Join(p.methods, ", "))
	pre.Set("Access-Control-Max-Age", "600")
	all := map[string]bool{}
	for _, h := range append(slices.Clone(safelisted), hs...) {
		all[h] = true
	}
	allowed := make([]string, 0, len(all))
	for h := range all {
		allowed = append(allowed, h)
	}
	sort.Strings(allowed)
	if !p.anyHeader {
		pre.Set("Access-Control-Allow-Headers", strings.Join(allowed, ", "))
	}
	for _, h := range allowed {
		p.headers = append(p.headers, strings.ToLower(h))
	}
	p.preflightHdr = pre
	return p
}

func (p *corsPolicy) allowedOrigin(origin string) bool {
	return p.anyOrigin || slices.Contains(p.origins, origin)
}

// wrap answers preflight requests and adds the CORS headers to the
// answers of simple ones. A request without an Origin passes untouched.
func (p *corsPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin, hasOrigin := r.Header["Origin"]
		if !hasOrigin {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions && len(r.Header.Values("Access-Control-Request-Method")) > 0 {
			p.preflight(w, r, origin[0])
			return
		}
		h := w.Header()
		if p.anyOrigin {
			h.Set("Access-Control-Allow-Origin", "*")
			if _, cookie := r.Header["Cookie"]; cookie {
				h.Set("Access-Control-Allow-Origin", origin[0])
				addVary(h, "Origin")
			}
		} else if p.allowedOrigin(origin[0]) {
			h.Set("Access-Control-Allow-Origin", origin[0])
			addVary(h, "Origin")
		}
		next.ServeHTTP(w, r)
	})
}

func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, origin string) {
	h := w.Header()
	for k, v := range p.preflightHdr {
		h[k] = slices.Clone(v)
	}
	var failures []string
	if p.allowedOrigin(origin) {
		if !p.anyOrigin {
			h.Set("Access-Control-Allow-Origin", origin)
		}
	} else {
		failures = append(failures, "origin")
	}
	if !slices.Contains(p.methods, r.Header.Get("Access-Control-Request-Method")) {
		failures = append(failures, "method")
	}
	requested, hasRequested := r.Header["Access-Control-Request-Headers"]
	switch {
	case p.anyHeader && hasRequested:
		h.Set("Access-Control-Allow-Headers", requested[0])
	case hasRequested:
		for _, name := range strings.Split(strings.ToLower(requested[0]), ",") {
			if !slices.Contains(p.headers, strings.TrimSpace(name)) {
				failures = append(failures, "headers")
				break
			}
		}
	}
	status, body := http.StatusOK, "OK"
	if len(failures) > 0 {
		status, body = http.StatusBadRequest, "Disallowed CORS "+strings.Join(failures, ", ")
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// addVary adds a name to Vary, once.
func addVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return
			}
		}
	}
	if v := h.Get("Vary"); v != "" {
		h.Set("Vary", v+", "+name)
		return
	}
	h.Set("Vary", name)
}
