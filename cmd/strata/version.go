package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
)

// buildVersion is Strata's own version, from the build information the Go
// toolchain records in the binary.
type buildVersion struct {
	Version  string `json:"version"`            // the module version; "(devel)" for a build from a checkout
	Revision string `json:"revision,omitempty"` // the VCS revision built, when recorded
	Time     string `json:"time,omitempty"`     // the revision's commit time, when recorded
	Modified bool   `json:"modified,omitempty"` // the working tree had uncommitted changes
	Go       string `json:"go,omitempty"`       // the Go release that built it
}

// readBuild reads Strata's version from the binary's build information.
func readBuild(info *debug.BuildInfo, ok bool) buildVersion {
	b := buildVersion{Version: "(devel)"}
	if !ok || info == nil {
		return b
	}
	if v := info.Main.Version; v != "" {
		b.Version = v
	}
	b.Go = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String renders the version as "v1.2.3 (revision 0123456789ab, modified)".
func (b buildVersion) String() string {
	var extra []string
	if b.Revision != "" {
		rev := b.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		extra = append(extra, "revision "+rev)
	}
	if b.Modified {
		extra = append(extra, "modified")
	}
	if b.Go != "" {
		extra = append(extra, "built with "+b.Go)
	}
	if len(extra) == 0 {
		return b.Version
	}
	return fmt.Sprintf("%s (%s)", b.Version, strings.Join(extra, ", "))
}

// versionJS is one version that selects the release, as -o json prints it.
type versionJS struct {
	Version string `json:"version"`           // as given or found; for an assumed one, what is assumed
	From    string `json:"from"`              // "uv.lock:15", "env STRATA_PREFECT_VERSION", "flag --prefect-version", "option", "default"
	Kind    string `json:"kind,omitempty"`    // for a detected one: "virtualenv", "lock file" or "pin"
	Assumed bool   `json:"assumed,omitempty"` // nothing was given or found
}

// releaseJS is the Prefect release in force, as config view -o json and
// version -o json print it.
type releaseJS struct {
	Release          string    `json:"release"` // the release resolved as: "3.4.25"
	Prefect          versionJS `json:"prefect"`
	PydanticSettings versionJS `json:"pydantic_settings"`
}

// from says where a version came from, naming the global flag when it was
// given, and the file relative to the working directory.
func (c *cli) from(v settings.Version, flag string) string {
	switch v.Source {
	case settings.FromOption:
		return "flag --" + flag
	case settings.FromDetected:
		pos := v.Pos
		pos.File = relative(pos.File)
		return pos.String()
	case settings.FromManifest:
		return v.From + " at " + position(v.Pos)
	}
	return v.Where()
}

// releaseOf describes the release a resolution used and where its versions
// came from.
func (c *cli) releaseOf(rel *release.Release, v *settings.Versions) releaseJS {
	out := releaseJS{Release: rel.Version.String()}
	out.Prefect = versionJS{Version: v.Prefect.Version, From: c.from(v.Prefect, "prefect-version")}
	if v.Prefect.Source == settings.FromDefault {
		out.Prefect = versionJS{Version: rel.Version.String(), From: "default", Assumed: true}
	}
	out.PydanticSettings = versionJS{Version: v.PydanticSettings.Version, From: c.from(v.PydanticSettings, "pydantic-settings-version")}
	switch {
	case v.PydanticSettings.Source == settings.FromManifest && rel.Side == release.Older:
		// An image built before pydantic-settings 2.14: its version is
		// not known, its side is.
		out.PydanticSettings.Version = "<" + psChange()
	case v.PydanticSettingsAssumed():
		out.PydanticSettings = versionJS{Version: ">=" + psChange(), From: "default", Assumed: true}
	}
	if v.Prefect.Source == settings.FromDetected {
		out.Prefect.Kind = v.Prefect.Kind.String()
	}
	if v.PydanticSettings.Source == settings.FromDetected {
		out.PydanticSettings.Kind = v.PydanticSettings.Kind.String()
	}
	return out
}

// String renders the release in one line: "Prefect 3.4.25 (uv.lock:15),
// pydantic-settings 2.13.1 (uv.lock:28)".
func (r releaseJS) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Prefect %s", r.Release)
	switch {
	case r.Prefect.Assumed:
		b.WriteString(" (the newest known: none given or found)")
	case newestIn(r.Prefect.Version, r.Release):
		fmt.Fprintf(&b, " (the newest known in %s, from %s)", r.Prefect.Version, r.Prefect.From)
	case r.Prefect.Version != r.Release:
		fmt.Fprintf(&b, " (%s from %s)", r.Prefect.Version, r.Prefect.From)
	default:
		fmt.Fprintf(&b, " (%s)", r.Prefect.From)
	}
	if r.PydanticSettings.Assumed {
		fmt.Fprintf(&b, ", pydantic-settings %s (assumed: none given or found)", strings.Replace(r.PydanticSettings.Version, ">=", "≥ ", 1))
	} else {
		fmt.Fprintf(&b, ", pydantic-settings %s (%s)", strings.Replace(r.PydanticSettings.Version, "<", "< ", 1), r.PydanticSettings.From)
	}
	return b.String()
}

// version prints Strata's own version, then the Prefect and
// pydantic-settings versions in force and where each came from.
func (c *cli) version(asJSON bool) int {
	build := readBuild(debug.ReadBuildInfo())
	versions := c.options().Versions()
	rel, warnings, err := versions.Release()
	if err != nil {
		// Strata's own version stands whatever the project runs: print
		// it, then why the Prefect release cannot be told.
		if asJSON {
			c.writeJSON(struct {
				Strata buildVersion `json:"strata"`
				Error  string       `json:"error"`
			}{build, relativeMsg(err.Error())})
		} else {
			fmt.Fprintln(c.stdout, versionLine())
		}
		c.fatal("strata", err)
		return exitFail
	}
	for _, w := range warnings {
		d := diag.Diagnostic{Severity: diag.Warning, Message: w}
		if versions.Prefect.Source == settings.FromDetected {
			d.Pos = versions.Prefect.Pos
		}
		c.render(d)
	}
	for _, s := range versions.Skipped {
		c.render(diag.Diagnostic{Pos: s.Pos, Severity: diag.Info, Message: s.Reason})
	}
	info := c.releaseOf(rel, &versions)
	if asJSON {
		c.writeJSON(struct {
			Strata buildVersion `json:"strata"`
			releaseJS
		}{build, info})
		return exitOK
	}
	fmt.Fprintln(c.stdout, versionLine())
	fmt.Fprintf(c.stdout, "prefect %s (%s)\n", info.Release, describe(info.Prefect, info.Release))
	fmt.Fprintf(c.stdout, "pydantic-settings %s (%s)\n", strings.Replace(info.PydanticSettings.Version, ">=", "≥ ", 1), describe(info.PydanticSettings, ""))
	return exitOK
}

// writeJSON prints v as indented JSON on stdout.
func (c *cli) writeJSON(v any) {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// versionLine is the first line of strata version, and all of strata
// --version: "strata v1.2.3 (revision 0123456789ab, built with go1.26.8)".
func versionLine() string {
	return "strata " + readBuild(debug.ReadBuildInfo()).String()
}

// describe says where a version came from, for strata version.
func describe(v versionJS, release string) string {
	switch {
	case v.Assumed && release != "":
		return "the newest known: none given or found in the project"
	case v.Assumed:
		return "assumed, as a fresh install gets it: none given or found in the project"
	case newestIn(v.Version, release):
		return "the newest known in " + v.Version + ", " + strings.TrimSpace(v.Kind+" "+v.From)
	case release != "" && v.Version != release:
		return fmt.Sprintf("%s from %s", v.Version, v.From)
	case v.Kind != "":
		return v.Kind + " " + v.From
	}
	return v.From
}

// newestIn reports whether a version given or found is a range that the
// release selected is inside: the newest known release inside it. A range
// no known release is inside stands for its oldest release, as one
// version does.
func newestIn(v, rel string) bool {
	q, err := release.ParseRequirement(v)
	r, rerr := release.ParseVersion(rel)
	return err == nil && rerr == nil && q.IsRange() && q.Allows(r)
}

// psChange renders the pydantic-settings release that changed how Prefect
// reads its sources: "2.14".
func psChange() string {
	v := release.PydanticSettingsChange()
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}
