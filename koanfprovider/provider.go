package koanfprovider

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/knadh/koanf/v2"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
)

// Provider is a koanf.Provider of Prefect's effective settings.
type Provider struct {
	opts    settings.Options
	prefix  []string
	secrets bool

	mu     sync.Mutex
	cancel context.CancelFunc // set while watching
	read   *settings.Result   // the settings Read returned last, which Watch's first event compares with
}

var _ koanf.Provider = (*Provider)(nil)

// Option configures a Provider.
type Option func(*Provider)

// WithPrefix mounts the settings under a key path, so that they sit beside
// the service's own keys: with WithPrefix("prefect"), "api.url" is read as
// "prefect.api.url". A dotted prefix nests further.
func WithPrefix(prefix string) Option {
	return func(p *Provider) {
		p.prefix = nil
		for _, k := range strings.Split(prefix, ".") {
			if k != "" {
				p.prefix = append(p.prefix, k)
			}
		}
	}
}

// WithoutSecrets leaves secret settings (API key, auth string, database
// password and connection URL...) out of the map, and masks the values
// that can carry a credential: custom header values and URL passwords. Use
// it when the configuration may be printed or logged.
func WithoutSecrets() Option {
	return func(p *Provider) { p.secrets = false }
}

// New returns a provider of the settings opts resolve. The zero Options
// resolve the settings of the running process.
func New(opts settings.Options, o ...Option) *Provider {
	p := &Provider{opts: opts, secrets: true}
	for _, f := range o {
		f(p)
	}
	return p
}

// ReadBytes is not supported: the settings are already decoded. Load the
// provider with a nil parser, so koanf calls Read.
func (p *Provider) ReadBytes() ([]byte, error) {
	return nil, errors.New("koanfprovider: ReadBytes is not supported; load with a nil parser so that koanf calls Read")
}

// Read resolves the settings and returns them as a nested map keyed as in
// prefect.toml. When a value is invalid it returns the settings.ErrorList
// naming every invalid setting, and no map.
func (p *Provider) Read() (map[string]any, error) {
	r, err := settings.Load(p.opts)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.read = r
	p.mu.Unlock()
	return p.tree(r), nil
}

// tree nests the effective values of r under the prefix, keyed as the
// release resolved lays out its settings.
func (p *Provider) tree(r *settings.Result) map[string]any {
	root := map[string]any{}
	top := root
	for _, k := range p.prefix {
		next := map[string]any{}
		top[k] = next
		top = next
	}
	lay := treeLayout(r.Schema())
	maps := make([]map[string]any, len(lay.groups))
	maps[0] = top
	var group func(g int) map[string]any
	group = func(g int) map[string]any {
		if maps[g] == nil {
			gr := &lay.groups[g]
			maps[g] = make(map[string]any, gr.size)
			group(gr.parent)[gr.name] = maps[g]
		}
		return maps[g]
	}
	values := r.Values()
	for _, s := range r.Schema().All() {
		if v, ok := p.value(values[s.Index]); ok {
			group(lay.leafGroup[s.Index])[lay.leafName[s.Index]] = v
		}
	}
	return root
}

// layout is the shape of one release's settings tree: its groups (0 is
// the root), and for each of its settings, indexed by
// schema.Setting.Index, its group and key.
type layout struct {
	groups    []treeGroup
	leafGroup [schema.Total]int
	leafName  [schema.Total]string
}

// treeGroup is a group of settings: a nested map of the tree.
type treeGroup struct {
	parent int
	name   string
	size   int // keys in the group
}

var layouts sync.Map // schema.Set ID → *layout

// treeLayout returns the layout of the settings of set, built once per set.
func treeLayout(set *schema.Set) *layout {
	if lay, ok := layouts.Load(set.ID); ok {
		return lay.(*layout)
	}
	lay := &layout{groups: []treeGroup{{}}}
	ids := map[string]int{"": 0}
	var id func(path string) int
	id = func(path string) int {
		if g, ok := ids[path]; ok {
			return g
		}
		parent, name := "", path
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			parent, name = path[:i], path[i+1:]
		}
		pg := id(parent)
		lay.groups[pg].size++
		g := len(lay.groups)
		lay.groups = append(lay.groups, treeGroup{parent: pg, name: name})
		ids[path] = g
		return g
	}
	for _, s := range set.All() {
		g := id(s.Group())
		lay.groups[g].size++
		lay.leafGroup[s.Index], lay.leafName[s.Index] = g, s.Field()
	}
	got, _ := layouts.LoadOrStore(set.ID, lay)
	return got.(*layout)
}

// value converts an effective value to the form koanf's getters read:
// strings, int64, float64, bool, time.Duration (a duration beyond 292
// years saturates), slices, and maps of string or time.Duration kept whole
// (their keys may hold dots). ok is
// false for None and for a secret left out.
func (p *Provider) value(v any) (any, bool) {
	switch t := v.(type) {
	case nil:
		return nil, false
	case schema.SecretString:
		if !p.secrets {
			return nil, false
		}
		return t.Reveal(), true
	case string:
		if !p.secrets {
			return settings.RedactURL(t), true
		}
		return v, true // the interface as it is: no new allocation
	case schema.RetryDelay:
		if !t.List && len(t.Seconds) == 1 {
			return t.Seconds[0], true
		}
		return slices.Clone(t.Seconds), true
	case schema.VacuumTypes:
		if t.Bool != nil {
			return *t.Bool, true
		}
		return slices.Sorted(slices.Values(t.Names)), true
	case map[string]string:
		m := maps.Clone(t)
		if !p.secrets {
			for k, v := range m {
				m[k] = schema.MaskString(v) // header values: a set one masked, an empty one ""
			}
		}
		return m, true
	case schema.Timedelta:
		return t.Duration(), true
	case map[string]schema.Timedelta:
		m := make(map[string]time.Duration, len(t))
		for k, d := range t {
			m[k] = d.Duration()
		}
		return m, true
	case []string:
		return slices.Clone(t), true
	case []int64:
		return slices.Clone(t), true
	}
	return v, true
}

// Watch calls cb whenever the effective settings change: with the
// []settings.Change as the event, or with the error of an invalid
// resolution (the settings last read stay in force). Reload the provider
// in cb. A change made after the provider was last read and before the
// watch began is an event too, as soon as the watch begins, and so is an
// invalid resolution then. Watch returns at once; it fails when the
// provider is already watched or the files cannot be watched.
func (p *Provider) Watch(cb func(event any, err error)) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		return errors.New("koanfprovider: the settings are already being watched")
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan error, 1)
	last := p.read // what the caller holds, if it read the provider
	go func() {
		first, failed := true, false
		err := settings.Watch(ctx, p.opts, func(r *settings.Result, err error) {
			if first {
				first = false
				started <- nil
				if err == nil && (last == nil || len(r.Diff(last)) == 0) {
					last = r // as read, or nothing read: nothing to tell
					return
				}
			}
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				failed = true
				cb(nil, err)
				return
			}
			changes := r.Diff(last)
			if len(changes) == 0 && last != nil && !failed {
				return // delivered for a warning, which koanf's events have no place for
			}
			last, failed = r, false
			cb(changes, nil)
		})
		if first {
			started <- err
			return
		}
		if err != nil && ctx.Err() == nil {
			cb(nil, err)
		}
	}()
	if err := <-started; err != nil {
		cancel()
		return err
	}
	p.cancel = cancel
	return nil
}

// Unwatch stops watching: cb is not called for changes after it returns,
// though a call already under way finishes. It may be called from cb.
func (p *Provider) Unwatch() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	return nil
}
