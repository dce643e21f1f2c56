// The checks of the containers of one deployment file together: a client
// or worker and the server it is deployed beside.

package lint

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// checkStack checks what the containers of one file get wrong together:
// a client that calls the server of the file at an address it cannot
// reach there, or at no address at all; server settings handed to
// containers that do not run the server.
func (l *linter) checkStack(st *stack) {
	var servers []*ctr
	for _, k := range st.cs {
		if k.c.Role == deploy.Server && k.c.Host != "" {
			servers = append(servers, k)
		}
	}
	written := map[sources.Position]*serverSetting{}
	var order []sources.Position
	callers := map[*ctr][]*ctr{} // the containers that call each server by its host name
	for _, k := range st.cs {
		if k.result == nil || (k.c.Role != deploy.Worker && k.c.Role != deploy.Client) {
			continue
		}
		api := inForce(k.result, schema.IAPIURL)
		if server := peerServer(k, servers); server != nil && k.c.Host != "" {
			l.reachServer(k, server, api)
			if api != nil && !sharesNetwork(k.c, server.c) {
				raw, _ := api.Raw.(string)
				if u, err := url.Parse(raw); err == nil && strings.EqualFold(u.Hostname(), server.c.Host) {
					callers[server] = append(callers[server], k)
				}
			}
		}
		if !apiSet(k.result) {
			continue // with no API, Prefect runs a server in the container, which reads them
		}
		for i := range k.c.Vars {
			v := &k.c.Vars[i]
			s, _, ok := k.sel.rel.Schema().ByEnv(v.Name)
			if !ok || v.Implicit || !serverOnly(s) {
				continue
			}
			pos := l.varPos(v)
			w, ok := written[pos]
			if !ok {
				w = &serverSetting{setting: s, value: v.Value, key: v.Name}
				written[pos] = w
				order = append(order, pos)
			}
			if !slices.Contains(w.in, k) {
				w.in = append(w.in, k)
			}
		}
	}
	for _, pos := range order {
		l.serverSettingInClient(written[pos], pos)
	}
	for _, server := range servers {
		if len(callers[server]) > 0 {
			l.listensLocally(server, callers[server])
		}
	}
}

// listensLocally reports a server that listens on the loopback address
// (Prefect's default server.api.host, 127.0.0.1) while containers of the
// file call it by its host name: they cannot reach it. Only a server whose
// command the file writes is checked: an image's own may pass --host.
func (l *linter) listensLocally(server *ctr, callers []*ctr) {
	words := strings.Fields(strings.Join(server.c.Command, " "))
	if !slices.Contains(words, "server") || !slices.Contains(words, "start") {
		return
	}
	host, pos := "", server.c.Pos
	for i, w := range words {
		if h, ok := strings.CutPrefix(w, "--host="); ok {
			host = h
		} else if w == "--host" && i+1 < len(words) {
			host = words[i+1]
		}
	}
	if host == "" && server.result != nil {
		if c := inForce(server.result, schema.IServerAPIHost); c != nil {
			host, _ = c.Raw.(string)
			pos = c.Pos
		}
	}
	if host == "" {
		host = "127.0.0.1" // server.api.host's default
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return
	}
	related := make([]diag.Related, len(callers))
	for i, k := range callers {
		related[i] = diag.Related{Pos: k.c.Pos, Message: k.c.Describe() + " calls it here"}
	}
	l.reportMore(more{related: related}, RuleServerListensLocally, pos, "server.api.host", "--host 0.0.0.0",
		"%s listens on %s, which only the container itself reaches, while %s calls it at %s; start it with --host 0.0.0.0 (or set PREFECT_SERVER_API_HOST=0.0.0.0)",
		server.c.Describe(), host, callers[0].c.Describe(), server.c.Host)
}

// peerServer returns the server of the file that k, a client or worker,
// calls over the network: another container, reached by its host name.
func peerServer(k *ctr, servers []*ctr) *ctr {
	for _, s := range servers {
		if s.c.Name != k.c.Name {
			return s
		}
	}
	return nil
}

// sharesNetwork reports whether containers a and b reach each other at
// localhost: both on the machine's network, or one on the other's.
func sharesNetwork(a, b *deploy.Container) bool {
	return a.Network == "host" && b.Network == "host" ||
		a.Network == "service:"+b.Name || b.Network == "service:"+a.Name ||
		a.Network != "" && a.Network == b.Network
}

// reachServer checks the API URL in force in k against the server of its
// file: at localhost it reaches k itself, at a container's address only
// until that container is recreated, and without one Prefect in k runs a
// temporary server of its own.
func (l *linter) reachServer(k, server *ctr, api *settings.Candidate) {
	want := serverURL(server, "")
	if api == nil {
		if k.unsure || apiSet(k.result) {
			return
		}
		l.reportMore(more{related: []diag.Related{{Pos: server.c.Pos, Message: "the server runs here"}}},
			RuleNoAPIURL, k.c.Pos, "api.url", "PREFECT_API_URL="+want,
			"%s sets no PREFECT_API_URL: Prefect in it starts a temporary server of its own (the ephemeral mode of the profile Prefect ships) instead of calling %s; set PREFECT_API_URL=%s",
			k.c.Describe(), server.c.Describe(), want)
		return
	}
	raw, _ := api.Raw.(string)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || strings.Contains(raw, "${") {
		return
	}
	want = serverURL(server, u.Path)
	if u.Scheme != "" && u.Scheme != "http" {
		want = u.Scheme + strings.TrimPrefix(want, "http")
	}
	related := []diag.Related{{Pos: server.c.Pos, Message: "the server runs here"}}
	host := u.Hostname()
	switch ip := net.ParseIP(host); {
	case strings.EqualFold(host, "localhost") || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()):
		if sharesNetwork(k.c, server.c) || strings.HasPrefix(k.c.Network, "container:") {
			return // the server's loopback, or that of a container the file does not describe
		}
		l.supersede(api.Pos)
		l.reportMore(more{related: related}, RuleAPIURLLocalhost, api.Pos, "api.url", want,
			"api.url calls %s, which is %s itself, not the server: the server runs in %s, which it reaches at %s",
			host, k.c.Describe(), server.c.Describe(), want)
	case ip != nil && ip.IsPrivate():
		l.reportMore(more{related: related}, RuleAPIURLContainerIP, api.Pos, "api.url", want,
			"api.url calls %s, an address of a container: it changes when the container is recreated; the server runs in %s, which it reaches at %s",
			host, server.c.Describe(), want)
	}
}

// supersede drops the client-wildcard finding at pos: a finding that
// names the server's address says more.
func (l *linter) supersede(pos sources.Position) {
	l.flush()
	l.findings = slices.DeleteFunc(l.findings, func(f Finding) bool {
		return f.Rule == RuleClientWildcard && f.Pos.Start() == pos.Start()
	})
}

// serverURL is the API URL at which clients of its file reach server,
// with the path written (when it has /api) or /api.
func serverURL(server *ctr, path string) string {
	if !hasAPISegment(path) {
		path = "/api"
	}
	return "http://" + server.c.Host + ":" + strconv.Itoa(serverPort(server)) + path
}

// serverPort is the port a server listens on: the command's --port, else
// server.api.port in force in it, else Prefect's 4200.
func serverPort(server *ctr) int {
	words := strings.Fields(strings.Join(server.c.Command, " "))
	for i, w := range words {
		p, ok := strings.CutPrefix(w, "--port=")
		if !ok && w == "--port" && i+1 < len(words) {
			p, ok = words[i+1], true
		}
		if n, err := strconv.Atoi(p); ok && err == nil && n > 0 {
			return n
		}
	}
	if server.result != nil {
		if c := inForce(server.result, schema.IServerAPIPort); c != nil {
			if n, err := strconv.Atoi(fmt.Sprint(c.Raw)); err == nil && n > 0 {
				return n
			}
		}
	}
	return 4200
}

// serverOnly reports whether a setting concerns only the server: those of
// server., but for the ephemeral server a client starts when it has no API.
func serverOnly(s *schema.Setting) bool {
	return strings.HasPrefix(s.Path, "server.") && !strings.HasPrefix(s.Path, "server.ephemeral.")
}

// serverSetting is a server setting written once for containers that do
// not run the server (an anchor, an env_file shared by every service).
type serverSetting struct {
	setting    *schema.Setting
	key, value string
	in         []*ctr
}

// serverSettingInClient reports a server setting written for containers
// that do not run the server.
func (l *linter) serverSettingInClient(w *serverSetting, pos sources.Position) {
	s := w.setting
	var names []string
	var related []diag.Related
	for _, k := range w.in {
		names = append(names, k.c.Describe())
		if k.c.Pos != pos {
			related = append(related, diag.Related{Pos: k.c.Pos, Message: "it is set for " + k.c.Describe()})
		}
	}
	who, does := strings.Join(names, ", "), "do"
	if len(names) == 1 {
		does = "does"
	}
	if s.Index == schema.IServerAPIAuthString {
		for _, k := range w.in {
			if set(ofResult(k.result), schema.IAPIAuthString) == nil {
				l.reportWith(more{related: related}, Warning, RuleServerSetting, pos, s.Path, "PREFECT_API_AUTH_STRING",
					"%s is the auth string a server requires, and %s does not run the server: a client sends api.auth_string (PREFECT_API_AUTH_STRING), which it does not set, so the server answers 401", w.key, k.c.Describe())
				return
			}
		}
	}
	also := ""
	if what := credential(s, w.value); what != "" {
		also = ", and hands over a credential not needed there"
	}
	l.reportMore(more{related: related}, RuleServerSetting, pos, s.Path, "",
		"%s is a setting of the server, and it is set for %s, which %s not run the server: it has no effect there%s; set it for the server alone",
		w.key, who, does, also)
}
