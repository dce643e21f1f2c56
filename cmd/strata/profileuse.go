package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/profiles"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/settings/secure"
)

func (c *cli) profileUse(name string, noCheck bool) int {
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	var copied bool
	ok := c.edit(f, func(doc *profiles.Doc) error {
		if !doc.Has(name) {
			pkg := packagedDoc()
			if !pkg.Has(name) {
				return refuse("profile %s not found", pyQuote(name))
			}
			// The settings loader reads packaged profiles only when there
			// is no file: copy it in, so that choosing it takes effect.
			if err := doc.Create(name, pkg.Lines(name)...); err != nil {
				return err
			}
			copied = true
		}
		return doc.SetActive(name)
	})
	if !ok {
		return exitFail
	}
	if copied {
		c.diag("note", "copied Prefect's packaged profile %s into %s, so that its values apply", pyQuote(name), f.shown)
	}
	if env := os.Getenv("PREFECT_PROFILE"); env != "" && env != name {
		c.diag("warning", "PREFECT_PROFILE selects %s, which overrides the active profile while it is set", pyQuote(env))
	}
	if noCheck {
		fmt.Fprintf(c.stdout, "Now using profile %s.\n", pyQuote(name))
		return exitOK
	}
	r, err := settings.Load(settings.Options{Profile: name, PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion})
	if r != nil {
		for _, w := range r.Warnings {
			c.render(w.Diagnostic())
		}
	}
	if err != nil {
		fmt.Fprintf(c.stdout, "Now using profile %s, whose settings are invalid:\n", pyQuote(name))
		c.printErrors(err)
		return exitFail
	}
	msg, code := checkAPI(r, name, func(w settings.Warning) { c.render(w.Diagnostic()) })
	fmt.Fprintln(c.stdout, msg)
	return code
}

// printErrors prints a load error, one invalid setting a line.
func (c *cli) printErrors(err error) {
	var list settings.ErrorList
	if !errors.As(err, &list) {
		d, _ := diag.Of(err)
		c.render(d)
		return
	}
	for _, e := range list {
		c.render(e.Diagnostic())
	}
}

// checkAPI checks the API of the resolved settings as Prefect's profile use
// does, with the credentials under Strata's rule, the custom headers and the
// TLS settings: Prefect Cloud's /me/ endpoint, or a server's /health. It
// follows redirects as Prefect's client does, never taking the API's
// headers to another origin, and warns, before sending them, about
// credentials that would travel over plain HTTP. It returns the message
// and the exit status.
func checkAPI(r *settings.Result, name string, warn func(settings.Warning)) (string, int) {
	s := &r.Settings
	url := ""
	if s.API.URL != nil {
		url = strings.TrimRight(*s.API.URL, "/")
	}
	if url == "" {
		if s.Server.Ephemeral.Enabled {
			return fmt.Sprintf("No Prefect server specified using profile %s - the API will run in ephemeral mode.", pyQuote(name)), exitOK
		}
		return fmt.Sprintf("Prefect server URL not configured using profile %s - please configure the server URL or enable ephemeral mode.", pyQuote(name)), exitFail
	}
	// Prefect's connected_to_cloud: an empty cloud.api_url is no Cloud.
	cloud := s.Cloud.APIURL != "" && strings.HasPrefix(url, strings.TrimRight(s.Cloud.APIURL, "/"))
	endpoint := url + "/health"
	if cloud {
		endpoint = strings.TrimRight(s.Cloud.APIURL, "/") + "/me/"
	}
	// One attempt: a check answers now, it does not wait out retries.
	once := *r
	once.Settings.Client.MaxRetries = 0
	client, err := secure.NewClient(&once, secure.ClientOptions{})
	if err != nil {
		return fmt.Sprintf("Error connecting to Prefect API URL: %v", err), exitFail
	}
	for _, w := range client.Warnings() {
		if w.Setting == "api.url" {
			warn(w)
		}
	}
	client.Timeout = 10 * time.Second
	if t := time.Duration(s.API.RequestTimeout * float64(time.Second)); t > 0 && t < client.Timeout {
		client.Timeout = t
	}
	resp, err := client.Get(endpoint)
	if err != nil {
		if cloud {
			return fmt.Sprintf("Error connecting to Prefect Cloud using profile %s: %v", pyQuote(name), errors.Unwrap(err)), exitFail
		}
		return fmt.Sprintf("Error connecting to Prefect server using profile %s: %v", pyQuote(name), errors.Unwrap(err)), exitFail
	}
	resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	switch {
	case cloud && ok:
		return fmt.Sprintf("Connected to Prefect Cloud using profile %s", pyQuote(name)), exitOK
	case cloud && resp.StatusCode == http.StatusUnauthorized:
		return fmt.Sprintf("Error authenticating with Prefect Cloud using profile %s", pyQuote(name)), exitFail
	case cloud:
		return fmt.Sprintf("Error connecting to Prefect Cloud using profile %s (HTTP %s)", pyQuote(name), resp.Status), exitFail
	case ok:
		return fmt.Sprintf("Connected to Prefect server using profile %s", pyQuote(name)), exitOK
	}
	return fmt.Sprintf("Error connecting to Prefect server using profile %s (HTTP %s)", pyQuote(name), resp.Status), exitFail
}
