package koanfprovider_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knadh/koanf/v2"
	"github.com/strata-settings/strata/internal/everyrelease"
	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/schema/coerce"
	"github.com/strata-settings/strata/settings"
)

func load(t *testing.T, p *koanfprovider.Provider) *koanf.Koanf {
	t.Helper()
	k := koanf.New(".")
	if err := k.Load(p, nil); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestGetters(t *testing.T) {
	dir := t.TempDir()
	toml := "[server.api]\nport = 4201\ncsrf_protection_enabled = true\n\n[client]\ncustom_headers = { \"X-Team\" = \"tm-x7\", \"X.Dotted\" = \"d\" }\n"
	if err := os.WriteFile(filepath.Join(dir, "prefect.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := settings.Options{Dir: dir, Home: dir, Environ: []string{
		"PREFECT_API_URL=http://user:pw@prefect:4200/api", "PREFECT_API_KEY=pnu_secret",
		"PREFECT_CLIENT_RETRY_EXTRA_CODES=502,503",
	}}
	k := load(t, koanfprovider.New(opts))
	checks := []struct {
		name      string
		got, want any
	}{
		{"String api.url", k.String("api.url"), "http://user:pw@prefect:4200/api"},
		{"String api.key", k.String("api.key"), "pnu_secret"},
		{"Int server.api.port", k.Int("server.api.port"), 4201},
		{"Bool server.api.csrf_protection_enabled", k.Bool("server.api.csrf_protection_enabled"), true},
		{"Duration server.api.csrf_token_expiration", k.Duration("server.api.csrf_token_expiration"), time.Hour},
		{"Int client.metrics.port", k.Int("client.metrics.port"), 4201},
		{"StringMap client.custom_headers", k.StringMap("client.custom_headers"), map[string]string{"X-Team": "tm-x7", "X.Dotted": "d"}},
		{"Ints client.retry_extra_codes", k.Ints("client.retry_extra_codes"), []int{502, 503}},
		{"Exists api.auth_string", k.Exists("api.auth_string"), false},
		{"Exists server.api.port", k.Exists("server.api.port"), true},
	}
	for _, c := range checks {
		if !equalJSON(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}

	k = load(t, koanfprovider.New(opts, koanfprovider.WithoutSecrets(), koanfprovider.WithPrefix("prefect")))
	if k.Exists("prefect.api.key") || k.Exists("api.url") {
		t.Errorf("secret or unprefixed key present: %v", k.Keys())
	}
	if got, want := k.String("prefect.api.url"), "http://user:"+schema.Mask+"@prefect:4200/api"; got != want {
		t.Errorf("api.url without secrets = %q, want %q", got, want)
	}
	if got := k.StringMap("prefect.client.custom_headers")["X-Team"]; got != schema.Mask {
		t.Errorf("header value without secrets = %q", got)
	}
	if out := k.Sprint(); strings.Contains(out, "pnu_secret") || strings.Contains(out, ":pw@") || strings.Contains(out, "tm-x7") {
		t.Errorf("a secret is printed:\n%s", out)
	}
}

func TestReadBytes(t *testing.T) {
	_, err := koanfprovider.New(settings.Options{}).ReadBytes()
	if err == nil || !strings.Contains(err.Error(), "Read") {
		t.Errorf("ReadBytes: %v; want an error pointing to Read", err)
	}
}

func TestInvalid(t *testing.T) {
	opts := settings.Options{Dir: t.TempDir(), Home: t.TempDir(), Environ: []string{"PREFECT_SERVER_API_PORT=many"}}
	err := koanf.New(".").Load(koanfprovider.New(opts), nil)
	if err == nil || !strings.Contains(err.Error(), "server.api.port") {
		t.Errorf("Load: %v; want an error naming server.api.port", err)
	}
}

// TestGolden: for every scenario of the corpus recorded from Prefect, the
// provider's values are config dump's, and the settings dump shows as None
// are absent.
func TestGolden(t *testing.T) {
	golden.Run(t, "../testdata/golden", func(t *testing.T, sc *golden.Scenario, root string, env []string) {
		opts := settings.Options{Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home")}
		r, err := settings.Load(opts)
		if err != nil {
			if lerr := koanf.New(".").Load(koanfprovider.New(opts), nil); lerr == nil {
				t.Fatalf("settings.Load fails (%v) but the provider loads", err)
			}
			return
		}
		matchesDump(t, opts, r)
	})
}

// matchesDump checks that the provider of opts holds what config dump
// prints of r, their resolution: every setting of r's release, and no
// other key.
func matchesDump(t *testing.T, opts settings.Options, r *settings.Result) {
	t.Helper()
	dump, err := r.JSON(true)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(dump, &want); err != nil {
		t.Fatal(err)
	}
	k := load(t, koanfprovider.New(opts))
	got := map[string]any{}
	for _, s := range r.Schema().All() {
		v := k.Get(s.Path)
		if !k.Exists(s.Path) {
			v = nil
		} else if v == nil {
			t.Errorf("%s: present with a nil value", s.Path)
		}
		set(got, s.Path, jsonForm(t, v))
	}
	for _, d := range golden.Diff(want, got) {
		t.Error(d)
	}
	if extra := len(k.Keys()) - len(r.Schema().All()); extra > 0 {
		t.Errorf("%d keys more than the release's settings", extra)
	}
}

// jsonForm turns a provider value into its form in config dump's JSON.
func jsonForm(t *testing.T, v any) any {
	switch x := v.(type) {
	case time.Duration:
		v = coerce.FormatDuration(coerce.TimedeltaOf(x))
	case map[string]time.Duration:
		m := map[string]string{}
		for k, d := range x {
			m[k] = coerce.FormatDuration(coerce.TimedeltaOf(d))
		}
		v = m
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func set(root map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := root[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			root[k] = next
		}
		root = next
	}
	root[keys[len(keys)-1]] = v
}

func equalJSON(a, b any) bool {
	if ma, ok := a.(map[string]string); ok {
		mb, ok := b.(map[string]string)
		return ok && maps.Equal(ma, mb)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestWatch: Watch reports a change as []settings.Change and an invalid
// edit as an error, refuses a second watch, and Unwatch stops it.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	toml := filepath.Join(dir, "prefect.toml")
	write := func(data string) {
		t.Helper()
		if err := os.WriteFile(toml, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("[server.api]\nport = 4201\n")
	p := koanfprovider.New(settings.Options{Dir: dir, Home: dir, Environ: []string{}})
	type event struct {
		changes []settings.Change
		err     error
	}
	events := make(chan event, 8)
	err := p.Watch(func(ev any, err error) {
		changes, _ := ev.([]settings.Change)
		events <- event{changes, err}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Unwatch()
	if err := p.Watch(func(any, error) {}); err == nil {
		t.Error("a second Watch succeeded")
	}
	next := func() event {
		t.Helper()
		select {
		case ev := <-events:
			return ev
		case <-time.After(10 * time.Second):
			t.Fatal("no event within 10s")
		}
		return event{}
	}

	write("[server.api]\nport = 4202\n")
	ev := next()
	if ev.err != nil || len(ev.changes) == 0 || ev.changes[0].String() != "server.api.port: 4201 -> 4202" {
		t.Fatalf("event %v, %v; want the port's change", ev.changes, ev.err)
	}
	write("[server.api]\nport = \"many\"\n")
	if ev := next(); ev.err == nil || !strings.Contains(ev.err.Error(), "server.api.port") {
		t.Fatalf("event %v, %v; want an error naming server.api.port", ev.changes, ev.err)
	}
	if err := p.Unwatch(); err != nil {
		t.Fatal(err)
	}
	write("[server.api]\nport = 4203\n")
	select {
	case ev := <-events:
		t.Fatalf("event after Unwatch: %v, %v", ev.changes, ev.err)
	case <-time.After(8 * settings.WatchDebounce):
	}
}

// TestWatchEditBeforeWatch: an edit made after the provider was read and
// before the watch began is the watch's first event, an invalid one as an
// error; without one, the watch begins quietly.
func TestWatchEditBeforeWatch(t *testing.T) {
	tests := []struct {
		name string
		edit string // "": no edit
		want string // the first event: a change, or an error containing it
	}{
		{"a change", "[server.api]\nport = 4202\n", "server.api.port: 4201 -> 4202"},
		{"an invalid file", "[server.api]\nport = \"many\"\n", "server.api.port"},
		{"no change", "# the port\n[server.api]\nport = 4201\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			toml := filepath.Join(dir, "prefect.toml")
			if err := os.WriteFile(toml, []byte("[server.api]\nport = 4201\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			p := koanfprovider.New(settings.Options{Dir: dir, Home: dir, Environ: []string{}})
			if k := load(t, p); k.Int64("server.api.port") != 4201 {
				t.Fatalf("server.api.port = %v", k.Get("server.api.port"))
			}
			if err := os.WriteFile(toml, []byte(tt.edit), 0o644); err != nil {
				t.Fatal(err)
			}
			events := make(chan string, 8)
			if err := p.Watch(func(ev any, err error) {
				if err != nil {
					events <- err.Error()
					return
				}
				var s []string
				for _, c := range ev.([]settings.Change) {
					s = append(s, c.String())
				}
				events <- strings.Join(s, "; ")
			}); err != nil {
				t.Fatal(err)
			}
			defer p.Unwatch()
			wait := 10 * time.Second
			if tt.want == "" {
				wait = 8 * settings.WatchDebounce // the first event comes at once, if it does
			}
			select {
			case got := <-events:
				if tt.want == "" || !strings.Contains(got, tt.want) {
					t.Fatalf("first event %q; want %q", got, tt.want)
				}
			case <-time.After(wait):
				if tt.want != "" {
					t.Fatalf("no event within %v; want %q", wait, tt.want)
				}
			}
		})
	}
}

// TestEveryRelease: for one release of every published settings schema,
// with every setting given a value, the provider's map is config dump's,
// keyed as that release lays out its settings.
func TestEveryRelease(t *testing.T) {
	for _, v := range everyrelease.Versions() {
		t.Run(v, func(t *testing.T) {
			for _, env := range everyrelease.Environs(v) {
				opts := settings.Options{Environ: env, Dir: t.TempDir(), Home: t.TempDir(), PrefectVersion: v}
				r, err := settings.Load(opts)
				if err != nil {
					t.Fatal(err)
				}
				matchesDump(t, opts, r)
			}
		})
	}
}

// TestWatchOlderRelease: the provider of a project on an older release
// reads and watches its settings, those only that release has included.
func TestWatchOlderRelease(t *testing.T) {
	dir := t.TempDir()
	p := koanfprovider.New(settings.Options{Dir: dir, Home: dir, Environ: []string{}, PrefectVersion: "3.0.11"})
	k := load(t, p)
	if !k.Exists("async_fetch_state_result") || k.Bool("async_fetch_state_result") {
		t.Fatalf("async_fetch_state_result = %v; want false", k.Get("async_fetch_state_result"))
	}
	events := make(chan []settings.Change, 8)
	if err := p.Watch(func(ev any, err error) {
		if err != nil {
			t.Errorf("Watch: %v", err)
		}
		changes, _ := ev.([]settings.Change)
		events <- changes
	}); err != nil {
		t.Fatal(err)
	}
	defer p.Unwatch()
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("PREFECT_ASYNC_FETCH_STATE_RESULT=true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case changes := <-events:
		if len(changes) != 1 || changes[0].String() != "async_fetch_state_result: False -> True" {
			t.Errorf("changes %v; want async_fetch_state_result's", changes)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
	}
	if k := load(t, p); !k.Bool("async_fetch_state_result") {
		t.Errorf("async_fetch_state_result = %v after the change; want true", k.Get("async_fetch_state_result"))
	}
}
