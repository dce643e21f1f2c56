// Package secure turns resolved Prefect settings into a working HTTP client
// and server guard, with Prefect's security rules.
//
// NewClient builds an *http.Client for the Prefect API at api.url. It
// authenticates by Strata's rule (the API key as a Bearer token, else the
// auth string as Basic authentication), sends client.custom_headers without
// the protected ones, retries as Prefect's client does (429, 502, 503, 408
// and client.retry_extra_codes, honouring Retry-After, with answers in
// Prefect-Maintenance not counted), fetches and sends CSRF tokens when
// client.csrf_support_enabled and the API is not Prefect Cloud's, follows
// redirects without taking the API's headers to another origin, and
// applies the TLS, HTTP/2 and timeout settings of the api group.
//
// NewServerGuard builds net/http middleware that protects an API handler as
// Prefect's server does: Basic authentication against
// server.api.auth_string, CSRF tokens when
// server.api.csrf_protection_enabled, and CORS from the
// server.api.cors_allowed_* settings, in Prefect's order.
//
// UIAPIURL returns the API URL a browser should use.
//
// The package never prints. Warnings are values, errors never hold a
// secret, and the optional logger is given nothing secret.
package secure
