package secure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
)

// ClientOptions adjust a client. The zero value gives a client that behaves
// as Prefect's: real sleeps, the system clock, random jitter, no logging.
type ClientOptions struct {
	// Base sends each attempt. Nil means an *http.Transport built from the
	// api settings (TLS, HTTP/2, timeouts).
	Base http.RoundTripper
	// Sleep waits between attempts; it returns early with the context's
	// error when the context ends. Nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used for CSRF token expiry and Retry-After dates.
	// Nil means time.Now.
	Now func() time.Time
	// Rand returns a number in [0, 1) for jitter. Nil means math/rand.
	Rand func() float64
	// UserAgent replaces the default "strata/<version>", the version read
	// from the build information ("strata/(devel)" in a development build).
	UserAgent string
	// MaxBufferedBody is how many bytes of a request body without GetBody
	// the client keeps so that it can send the body again, for a retry or a
	// refused CSRF token, as Prefect's client (which buffers every body)
	// does. A larger body is sent once. Zero means 16 MiB; negative means
	// no buffering.
	MaxBufferedBody int64
	// MaxMaintenance bounds how long, in all, one request waits out a
	// server that answers with Prefect-Maintenance: true. Such answers do
	// not count against client.max_retries (as in Prefect, which retries
	// them for ever); past this bound the last answer is returned. Zero
	// means an hour. Every maintenance wait lasts at least a second, and
	// the request's context ends the waits in any case.
	MaxMaintenance time.Duration
	// Logger receives a debug record for each retry. Nil means no logging.
	// Records never hold a secret.
	Logger *slog.Logger
}

// Client is an *http.Client for the Prefect API at api.url. Requests to
// that scheme and host carry the credentials, the custom headers, the
// User-Agent and, on state-changing methods, the CSRF headers; requests to
// any other host go out untouched.
//
// Redirects are followed as Prefect's client (httpx with follow_redirects)
// does, up to 20; a redirect to another scheme, host or port carries none
// of the API's headers.
type Client struct {
	*http.Client
	transport *Transport
}

// NewClient builds a client for the API at api.url from resolved settings.
// It fails when api.url is not set or is not an absolute http(s) URL, and
// when api.ssl_cert_file cannot be read.
func NewClient(r *settings.Result, opts ClientOptions) (*Client, error) {
	t, err := NewTransport(r, opts)
	if err != nil {
		return nil, err
	}
	return &Client{Client: &http.Client{Transport: t, CheckRedirect: checkRedirect}, transport: t}, nil
}

// maxRedirects is httpx's default limit, which Prefect's client keeps.
const maxRedirects = 20

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects { // httpx sends 21 requests before giving up
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	return nil
}

// Transport returns the round tripper the client sends through.
func (c *Client) Transport() *Transport { return c.transport }

// Warnings returns the warnings about the client's settings: an API key and
// an auth string both set, each custom header dropped because it is
// protected, and credentials bound for plain http to a host that is not
// this machine (setting "api.url"). They never hold a secret.
func (c *Client) Warnings() []settings.Warning { return c.transport.Warnings() }

// CSRFEnabled reports whether the client sends CSRF tokens on
// state-changing requests: client.csrf_support_enabled, off for Prefect
// Cloud (as in Prefect's client), and turned off when the server has no
// token endpoint or has CSRF protection off.
func (c *Client) CSRFEnabled() bool { return c.transport.CSRFEnabled() }

// ClientID returns the identifier the client sends as Prefect-Csrf-Client.
func (c *Client) ClientID() string { return c.transport.ClientID() }

// DroppedHeaders returns the names of the custom headers the client does
// not send because Prefect manages them (User-Agent, Prefect-Csrf-Token,
// Prefect-Csrf-Client), as written in client.custom_headers, sorted.
func (c *Client) DroppedHeaders() []string { return slices.Clone(c.transport.dropped) }

// BaseURL returns api.url without a trailing slash.
func (c *Client) BaseURL() string { return c.transport.base }

// NewRequest builds a request for path, relative to api.url: "/flows/filter"
// becomes "{api.url}/flows/filter".
func (c *Client) NewRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, method, c.transport.base+"/"+strings.TrimPrefix(path, "/"), body)
}

// Transport is the http.RoundTripper behind Client. It is safe for
// concurrent use.
type Transport struct {
	next     http.RoundTripper
	base     string // api.url without a trailing slash
	api      *url.URL
	defaults []header // Authorization, User-Agent and custom headers, in order
	warnings []settings.Warning
	dropped  []string // protected custom headers, not sent

	maxBody        int64
	maxMaintenance time.Duration

	maxRetries int
	jitter     float64
	retryCodes map[int]bool

	csrf csrfClient

	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	rand      func() float64
	log       *slog.Logger
	connected atomic.Bool // a response has arrived once; dial errors are then retried
}

type header struct{ name, value string }

// NewTransport builds the round tripper NewClient uses.
func NewTransport(r *settings.Result, opts ClientOptions) (*Transport, error) {
	s := &r.Settings
	if s.API.URL == nil || *s.API.URL == "" {
		return nil, errors.New("api.url is not set: the client needs the URL of a Prefect API")
	}
	api, err := url.Parse(*s.API.URL)
	if err != nil || (api.Scheme != "http" && api.Scheme != "https") || api.Host == "" {
		return nil, fmt.Errorf("api.url %q is not an absolute http or https URL", redact(*s.API.URL))
	}
	t := &Transport{
		next:           opts.Base,
		base:           strings.TrimRight(*s.API.URL, "/"),
		api:            api,
		maxRetries:     int(s.Client.MaxRetries),
		jitter:         s.Client.RetryJitterFactor,
		retryCodes:     retryCodes(s.Client.RetryExtraCodes),
		maxBody:        opts.MaxBufferedBody,
		maxMaintenance: opts.MaxMaintenance,
		sleep:          opts.Sleep,
		now:            opts.Now,
		rand:           opts.Rand,
		log:            opts.Logger,
	}
	if t.maxBody == 0 {
		t.maxBody = defaultMaxBufferedBody
	}
	if t.maxMaintenance <= 0 {
		t.maxMaintenance = defaultMaxMaintenance
	}
	if t.next == nil {
		if t.next, err = baseTransport(s); err != nil {
			return nil, err
		}
	}
	if t.sleep == nil {
		t.sleep = sleep
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.rand == nil {
		t.rand = rand.Float64
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	// Prefect's client never asks Prefect Cloud for a token: it compares
	// api.url with cloud.api_url as a plain prefix.
	t.csrf.enabled = s.Client.CSRFSupportEnabled && !strings.HasPrefix(*s.API.URL, s.Cloud.APIURL)
	t.csrf.clientID = newUUID()

	if a := r.Credentials().Authorization(); a != "" {
		t.setDefault("Authorization", a)
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "strata/" + version()
	}
	t.setDefault("User-Agent", ua)
	for name, values := range r.ClientHeaders() {
		t.setDefault(name, values[0]) // a custom Authorization replaces the credentials, as in Prefect
	}
	for name := range s.Client.CustomHeaders {
		if slices.ContainsFunc(settings.ProtectedHeaders(), func(p string) bool { return strings.EqualFold(p, name) }) {
			t.dropped = append(t.dropped, name)
		}
	}
	slices.Sort(t.dropped)
	for _, w := range r.Warnings {
		if w.Setting == "api.key" || w.Setting == "client.custom_headers" {
			t.warnings = append(t.warnings, w)
		}
	}
	if what := t.credentialName(r); what != "" && api.Scheme == "http" && !loopback(api.Hostname()) {
		w := settings.Warning{Setting: "api.url", Msg: fmt.Sprintf(
			"plain http to %s, which is not this machine: %s would cross the network unencrypted; use https",
			api.Hostname(), what)}
		if c := r.Origins()[schema.IAPIURL].Source(); c != nil {
			w.Pos = c.Pos
		}
		t.warnings = append(t.warnings, w)
	}
	return t, nil
}

// credentialName names what the Authorization header carries, or "" when
// the client sends none.
func (t *Transport) credentialName(r *settings.Result) string {
	for _, h := range t.defaults {
		if !strings.EqualFold(h.name, "Authorization") {
			continue
		}
		for name := range r.ClientHeaders() {
			if strings.EqualFold(name, "Authorization") {
				return "the custom Authorization header"
			}
		}
		if r.Credentials().Scheme == "Bearer" {
			return "the API key"
		}
		return "the auth string"
	}
	return ""
}

// loopback reports whether host names this machine: localhost or a
// loopback address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// setDefault records a header, replacing one of the same name in any case.
func (t *Transport) setDefault(name, value string) {
	for i, h := range t.defaults {
		if strings.EqualFold(h.name, name) {
			t.defaults[i] = header{name, value}
			return
		}
	}
	t.defaults = append(t.defaults, header{name, value})
}

// Warnings returns the warnings about the client's settings.
func (t *Transport) Warnings() []settings.Warning {
	return append([]settings.Warning(nil), t.warnings...)
}

// ClientID is the identifier this transport sends as Prefect-Csrf-Client.
func (t *Transport) ClientID() string { return t.csrf.clientID }

// CSRFEnabled reports whether the transport still sends CSRF tokens: it
// stops when the server has no token endpoint (404) or has CSRF protection
// off (422).
func (t *Transport) CSRFEnabled() bool {
	t.csrf.mu.Lock()
	defer t.csrf.mu.Unlock()
	return t.csrf.enabled
}

// ours reports whether u is on the API's scheme and host, the only place
// credentials are sent.
func (t *Transport) ours(u *url.URL) bool {
	return u.Scheme == t.api.Scheme && strings.EqualFold(u.Host, t.api.Host)
}

// RoundTrip sends the request with the API's headers, and retries it as
// Prefect's client does. A body without GetBody is buffered, up to
// ClientOptions.MaxBufferedBody, so that it can be sent again; a larger
// one is sent once.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.ours(req.URL) {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	for _, h := range t.defaults {
		if !hasHeader(req.Header, h.name) {
			req.Header[h.name] = []string{h.value}
		}
	}
	replayable, err := t.buffer(req)
	if err != nil {
		return nil, err
	}
	changes := stateChanging(req.Method)
	var sent string // the CSRF token sent, if any
	if changes {
		if sent, err = t.addCSRF(req); err != nil {
			closeBody(req)
			return nil, err
		}
	}
	return t.send(req, replayable, changes, sent)
}

// stateChanging reports whether a request by method changes state: the
// methods that carry CSRF tokens, on the client and on the guard.
func stateChanging(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// hasHeader reports whether h holds name, in any case.
func hasHeader(h http.Header, name string) bool {
	if _, ok := h[http.CanonicalHeaderKey(name)]; ok {
		return true
	}
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// baseTransport builds the transport for attempts from the api settings:
// TLS, HTTP/2 and the request timeout.
func baseTransport(s *schema.Settings) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	conf, err := tlsConfig(s)
	if err != nil {
		return nil, err
	}
	t.TLSClientConfig = conf
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetHTTP2(s.API.EnableHTTP2)
	t.Protocols = &p
	if d := time.Duration(s.API.RequestTimeout * float64(time.Second)); d > 0 {
		// httpx applies the timeout to connecting and to each wait for the
		// server; these are the net/http equivalents.
		t.DialContext = (&net.Dialer{Timeout: d, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = d
		t.ResponseHeaderTimeout = d
	}
	return t, nil
}

// redact hides the password of a URL with user information.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return schema.Mask
}

// version is Strata's version from the build information: the module's
// version when it is a dependency or a stamped build, else "(devel)", as
// the go command names a development build.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
			if m.Path == modulePath && m.Version != "" {
				return m.Version
			}
		}
	}
	return "(devel)"
}

const modulePath = "github.com/strata-settings/strata"
