package secure

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// csrfClient is the client's CSRF token state, shared by every request.
type csrfClient struct {
	mu       sync.Mutex
	enabled  bool
	clientID string
	token    string
	expires  time.Time // zero when the server gave no expiration
	margin   time.Duration
}

// csrfToken is the body of Prefect's token endpoint.
type csrfToken struct {
	Token      string `json:"token"`
	Client     string `json:"client"`
	Expiration string `json:"expiration"`
}

// maxRefreshMargin is how long before expiry a token is replaced, at most;
// a token that lives less than ten times this is replaced in its last
// tenth.
const maxRefreshMargin = 10 * time.Second

// addCSRF sets the CSRF headers on req, first fetching a token when there
// is none or it is about to expire. It returns the token sent, or "" when
// CSRF support is off.
func (t *Transport) addCSRF(req *http.Request) (string, error) {
	c := &t.csrf
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled {
		return "", nil
	}
	if c.token == "" || (!c.expires.IsZero() && !t.now().Before(c.expires.Add(-c.margin))) {
		if err := t.fetchCSRF(req); err != nil {
			return "", err
		}
		if !c.enabled {
			return "", nil
		}
	}
	req.Header.Set("Prefect-Csrf-Token", c.token)
	req.Header.Set("Prefect-Csrf-Client", c.clientID)
	return c.token, nil
}

// dropCSRF forgets the token the server refused, unless another request
// has already replaced it.
func (t *Transport) dropCSRF(sent string) {
	t.csrf.mu.Lock()
	defer t.csrf.mu.Unlock()
	if t.csrf.token == sent {
		t.csrf.token = ""
	}
}

// fetchCSRF asks the server for a token, as Prefect's client does: GET
// {api.url}/csrf-token?client=<id>. A 404 (a server without the endpoint)
// or a 422 saying CSRF protection is disabled turns CSRF support off for
// this client. The caller holds the lock.
func (t *Transport) fetchCSRF(orig *http.Request) error {
	c := &t.csrf
	req, err := http.NewRequestWithContext(orig.Context(), http.MethodGet,
		t.base+"/csrf-token?client="+url.QueryEscape(c.clientID), nil)
	if err != nil {
		return fmt.Errorf("fetching a CSRF token: %w", err)
	}
	for _, name := range []string{"Authorization", "User-Agent"} {
		if v := orig.Header.Get(name); v != "" {
			req.Header.Set(name, v) // a request's own credentials serve its token too
		}
	}
	resp, err := t.RoundTrip(req)
	if err != nil {
		return fmt.Errorf("fetching a CSRF token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return fmt.Errorf("fetching a CSRF token: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound,
		resp.StatusCode == http.StatusUnprocessableEntity && bytes.Contains(body, []byte("CSRF protection is disabled.")):
		c.enabled = false
		t.log.Debug("CSRF support turned off: the server does not issue tokens", "status", resp.StatusCode)
		return nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fmt.Errorf("fetching a CSRF token: the server answered %q", resp.Status)
	}
	var tok csrfToken
	if err := json.Unmarshal(body, &tok); err != nil {
		return fmt.Errorf("fetching a CSRF token: the answer is not a token: %w", err)
	}
	if tok.Token == "" {
		return errors.New("fetching a CSRF token: the answer holds no token")
	}
	now := t.now()
	c.token = tok.Token
	c.expires = parseExpiration(tok.Expiration)
	if !c.expires.After(now) {
		// Expired on arrival: the clocks disagree. Keep the token until the
		// server refuses it, rather than fetch one for every request, which
		// would replace the token other requests are using.
		c.expires = time.Time{}
	}
	c.margin = min(maxRefreshMargin, c.expires.Sub(now)/10)
	return nil
}

// parseExpiration reads Prefect's ISO 8601 datetime; one without a zone is
// UTC. An unreadable one is zero: the token is then kept until the server
// refuses it.
func parseExpiration(s string) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC); err == nil {
		return t
	}
	return time.Time{}
}

// invalidCSRF reports whether a 403 is Prefect's refusal of a CSRF token.
// It reads the start of the body and puts it back for the caller.
func invalidCSRF(resp *http.Response) bool {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body = unread(head, resp.Body)
	return strings.Contains(string(head), "Invalid CSRF token")
}

// newUUID returns a random (version 4) UUID, as Prefect's client id.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
