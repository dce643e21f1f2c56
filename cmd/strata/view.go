package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// dump prints every effective setting as one JSON object.
func (c *cli) dump(showSecrets bool) int {
	r := c.load()
	if r == nil {
		return exitFail
	}
	out, err := r.JSON(showSecrets)
	if err != nil {
		fmt.Fprintf(c.stderr, "strata: %v\n", err)
		return exitFail
	}
	c.stdout.Write(out)
	return exitOK
}

// viewEntry is one line of config view.
type viewEntry struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
	// Deferred says where a value known only when the container is
	// deployed comes from; Value is then what is resolved without it.
	Deferred string `json:"deferred,omitempty"`
}

// view prints the settings in force and where they come from, once or,
// with watch, after every change.
func (c *cli) view(vo viewOptions, watch bool) int {
	if watch {
		return c.watchView(vo)
	}
	r := c.load()
	if r == nil {
		return exitFail
	}
	c.printView(r, vo)
	return exitOK
}

// viewOptions are config view's choices of what to print.
type viewOptions struct {
	json, defaults, sources, secrets bool
}

// watchView prints the settings, then again after every change to a
// settings file that changes a value, each time preceded by the changes.
// An invalid change prints its errors, and the settings in force stay. It
// returns when interrupted.
func (c *cli) watchView(vo viewOptions) int {
	ctx := c.ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	var last *settings.Result
	err := settings.Watch(ctx, c.options(), func(r *settings.Result, err error) {
		if err != nil {
			c.reportFailure(r, err)
			if last != nil {
				fmt.Fprintln(c.stderr, "strata: the settings printed last stay in force")
			}
			return
		}
		c.printWarnings(r)
		if last != nil {
			changes := r.Diff(last)
			if len(changes) == 0 {
				return // delivered for its warnings (a directory that cannot be watched)
			}
			fmt.Fprintln(c.stdout)
			for _, ch := range changes {
				if s := ch.Schema(); s != nil && vo.secrets {
					fmt.Fprintf(c.stdout, "changed: %s: %s -> %s\n", ch.Setting,
						diag.Escape(render.Display(s, ch.Old, true)), diag.Escape(render.Display(s, ch.New, true)))
					continue
				}
				fmt.Fprintf(c.stdout, "changed: %s\n", diag.Escape(ch.String()))
			}
		}
		last = r
		c.printView(r, vo)
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "strata: %v\n", err)
		return exitFail
	}
	return exitOK
}

// printView prints config view's report of r.
func (c *cli) printView(r *settings.Result, vo viewOptions) {
	showDefaults, showSources, showSecrets := &vo.defaults, &vo.sources, &vo.secrets
	output := "text"
	if vo.json {
		output = "json"
	}
	var entries []viewEntry
	for _, st := range r.Schema().All() {
		i := st.Index
		o := &r.Origins()[i]
		src := sourceName(o)
		d, deferred := o.Deferred()
		if deferred {
			src = position(d.Pos)
		}
		if src == "defaults" && !*showDefaults {
			continue
		}
		e := viewEntry{Name: o.Setting.Canonical(), Value: viewValue(o, r.Values()[i], *showSecrets)}
		if deferred {
			e.Deferred = fmt.Sprint(d.Raw)
		}
		if *showSources {
			e.Source = src
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	uiURL, _ := r.Values()[schema.IUIURL].(string)
	if !*showSecrets {
		uiURL = schema.MaskURL(uiURL) // derived from api.url, with its password
	}
	if output == "json" {
		doc := struct {
			Release  releaseJS   `json:"release"`
			Profile  string      `json:"profile"`
			Settings []viewEntry `json:"settings"`
			UIURL    string      `json:"ui_url,omitempty"`
		}{c.releaseOf(r.Release, &r.Prefect), r.Profile, entries, uiURL}
		if doc.Settings == nil {
			doc.Settings = []viewEntry{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(doc)
		return
	}
	// Values are printed as Prefect prints them, control characters
	// escaped: a value must not forge or hide a line.
	if uiURL != "" {
		fmt.Fprintf(c.stdout, "🚀 you are connected to:\n%s\n", diag.Escape(uiURL))
	}
	fmt.Fprintf(c.stdout, "PREFECT_PROFILE=%s\n", pyQuote(r.Profile))
	for _, e := range entries {
		if e.Deferred != "" {
			// Not a value: where the value will come from.
			fmt.Fprintf(c.stdout, "%s=<set when deployed: %s>", e.Name, diag.Escape(e.Deferred))
			if e.Source != "" {
				fmt.Fprintf(c.stdout, " (from %s)", e.Source)
			}
			fmt.Fprintln(c.stdout)
			continue
		}
		if e.Source != "" {
			fmt.Fprintf(c.stdout, "%s='%s' (from %s)\n", e.Name, diag.Escape(e.Value), e.Source)
		} else {
			fmt.Fprintf(c.stdout, "%s='%s'\n", e.Name, diag.Escape(e.Value))
		}
	}
}

// sourceName names the winning layer as Prefect's config view does.
func sourceName(o *settings.Origin) string {
	c := o.Source()
	if c == nil {
		return "defaults"
	}
	if c.Pos.File != "" && c.Pos.Env != "" {
		return position(c.Pos) // a variable written in a file: a container's
	}
	switch c.Layer {
	case sources.Env:
		return "env"
	case sources.DotEnv:
		return ".env file"
	case sources.GroupJSON:
		if c.Pos.File != "" {
			return ".env file"
		}
		return "env"
	case sources.PrefectTOML:
		return "prefect.toml"
	case sources.PyprojectTOML:
		return "pyproject.toml"
	case sources.Profile:
		return "profile"
	case sources.LegacyPlugins:
		if strings.HasSuffix(c.File, "pyproject.toml") {
			return "pyproject.toml"
		}
		return "prefect.toml"
	}
	return "defaults"
}

// position renders where a value is written, its file relative to the
// working directory.
func position(p sources.Position) string {
	p.File = relative(p.File)
	return diag.Escape(p.String())
}

// viewValue renders a value as config view shows it: a string as the
// source wrote it, anything else as Python prints the effective value.
func viewValue(o *settings.Origin, v any, showSecrets bool) string {
	if c := o.Source(); c != nil && o.Derivation == "" {
		if s, ok := c.Raw.(string); ok {
			if !showSecrets {
				s, _ = schema.Masked(o.Setting, "", s).(string)
			}
			return s
		}
	}
	return render.Display(o.Setting, v, showSecrets)
}

// pyQuote quotes s as Python's repr does.
func pyQuote(s string) string { return render.PyRepr(s) }
