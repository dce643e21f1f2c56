package settings

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"

	"github.com/strata-settings/strata/schema"
)

// ProtectedHeaders returns the headers Prefect's client manages itself;
// custom headers with these names (in any case) are dropped. The slice is
// the caller's own.
func ProtectedHeaders() []string { return slices.Clone(protectedHeaders) }

// protectedHeaders are the names ProtectedHeaders returns.
var protectedHeaders = []string{"User-Agent", "Prefect-Csrf-Token", "Prefect-Csrf-Client"}

// Credentials are what a client sends to authenticate to the Prefect API.
type Credentials struct {
	Scheme string              // "Bearer" for an API key, "Basic" for an auth string, "" for none
	Token  schema.SecretString // the key, or base64 of the auth string
}

// Authorization returns the Authorization header value, or "" when there
// are no credentials.
func (c Credentials) Authorization() string {
	if c.Scheme == "" {
		return ""
	}
	return c.Scheme + " " + c.Token.Reveal()
}

// Credentials returns the client credentials under Strata's rule: the API
// key as a Bearer token when one is set, else the auth string as Basic
// authentication. Prefect's security documentation promises this order;
// Load warns when both are set, because Prefect's Python client sends the
// auth string instead.
func (r *Result) Credentials() Credentials {
	if k := r.Settings.API.Key; k != nil && k.Reveal() != "" {
		return Credentials{Scheme: "Bearer", Token: *k}
	}
	if a := r.Settings.API.AuthString; a != nil && a.Reveal() != "" {
		return Credentials{Scheme: "Basic", Token: schema.NewSecret(base64.StdEncoding.EncodeToString([]byte(a.Reveal())))}
	}
	return Credentials{}
}

// ClientHeaders returns the custom headers a client sends: the
// client.custom_headers setting without the protected headers.
func (r *Result) ClientHeaders() http.Header {
	h := http.Header{}
	for k, v := range r.Settings.Client.CustomHeaders {
		if !isProtected(k) {
			h[k] = []string{v} // the case the user wrote, as Prefect sends it
		}
	}
	return h
}

func isProtected(name string) bool {
	return slices.ContainsFunc(protectedHeaders, func(p string) bool { return strings.EqualFold(p, name) })
}

// droppedHeaders lists the protected names among custom headers, sorted.
func droppedHeaders(v any) []string {
	m, _ := v.(map[string]string)
	var out []string
	for k := range m {
		if isProtected(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
