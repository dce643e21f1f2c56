package deploy

import (
	"cmp"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// Settings returns the container as the engine resolves it, for
// settings.Options.Container: its variables, each positioned where its
// value is written; the files it mounts or copies in, found from dir (the
// directory the file's relative paths start from, as Input.Dir); the
// release it runs. Resolving it reads no file of this machine the
// container does not see:
//
//	f, _ := deploy.Read(in)
//	c, _ := f.Select("worker", "")
//	r, err := settings.Load(settings.Options{Container: c.Settings(in.Dir)})
func (c *Container) Settings(dir string) *settings.Container {
	sc := &settings.Container{Name: c.describe(), Release: c.release()}
	for _, v := range c.Vars {
		sv := sources.Var{Name: v.Name, Value: v.Value, Pos: v.At(), Deferred: deferredShown(v), Implicit: v.Implicit}
		switch {
		case v.Build:
			continue // gone once the image is built
		case v.InProfile && v.Profile != "":
			sc.Warnings = append(sc.Warnings, settings.Warning{Pos: v.Pos,
				Msg: fmt.Sprintf("%s is written into profile %q of the image, which is not resolved here: only the active profile's settings are", v.Name, v.Profile)})
			continue
		case v.InProfile:
			sc.Profile = append(sc.Profile, sv)
			sc.ProfileFiles = append(sc.ProfileFiles, cmp.Or(v.ProfilesFile, "~/.prefect/profiles.toml"))
			continue
		}
		sc.Env = append(sc.Env, sv)
		if s, _, ok := schema.ByEnv(v.Name); ok {
			sc.Warnings = append(sc.Warnings, unsetRefs(v, s.Path)...)
		} else {
			sc.Warnings = append(sc.Warnings, unsetRefs(v, "")...)
		}
	}
	sc.Dir = c.Dir
	for _, m := range c.Mounts {
		target := m.Container
		if m.Data != nil || m.Deferred != "" {
			// Held by the deployment file, or known only when deployed.
			sc.Files = append(sc.Files, settings.Mount{Path: target, File: m.DataPos.File, Pos: m.Pos,
				Data: m.Data, DataPos: m.DataPos, InPlace: m.InPlace, From: m.From, Deferred: m.Deferred})
		} else {
			file := m.Host
			if !filepath.IsAbs(file) {
				file = filepath.Join(dir, filepath.FromSlash(file))
			}
			if strings.HasSuffix(target, "/") || path.Base(target) == "." {
				target = path.Join(target, path.Base(filepath.ToSlash(m.Host))) // copied into a directory
			}
			sc.Files = append(sc.Files, settings.Mount{Path: target, File: file, Pos: m.Pos})
		}
		if sc.Dir != "" || !path.IsAbs(target) {
			continue // a relative one is in the working directory, whatever it is
		}
		switch base := path.Base(target); {
		case slices.Contains(workdirFiles, base):
			sc.Dir = path.Dir(target) // where Prefect reads it: the working directory
		case base != "profiles.toml":
			sc.Dir = target // a directory mounted as the working directory
		}
	}
	for _, n := range c.Notes {
		if n.Code != NoteDeferredEnv { // said of each setting it concerns
			sc.Warnings = append(sc.Warnings, settings.Warning{Setting: n.Setting, Pos: n.Pos, Msg: n.Message})
		}
	}
	for _, p := range append([]sources.Position{c.Pos}, positions(c)...) {
		if p.File != "" && !slices.Contains(sc.Sources, p.File) {
			sc.Sources = append(sc.Sources, p.File)
		}
	}
	return sc
}

// deferredShown is what the engine is told of where v's value comes
// from when it is known only when deployed, which its reports show: a
// value as written (pnu_$(cat key)) shows only its references when the
// variable holds a secret, and no URL shows its password.
func deferredShown(v Var) string {
	d := v.Deferred
	if d == "" {
		return ""
	}
	if v.written {
		s, _, known := schema.ByEnv(v.Name)
		if known && (s.Kind == schema.Secret || s.Kind == schema.Headers) || !known && schema.SecretName(v.Name) {
			d = maskWritten(d)
		}
	}
	return schema.MaskURL(d)
}

// writtenRefRE matches the references a value written may hold: ${{ }}
// and {{ }} templates, ${VAR}, $(VAR) and $VAR.
var writtenRefRE = regexp.MustCompile(`\$\{\{.*?\}\}|\{\{.*?\}\}|\$\{[^{}]*\}|\$\([^()]*\)|\$[A-Za-z_][A-Za-z0-9_]*`)

// maskWritten returns a value as written with everything but its
// references masked.
func maskWritten(s string) string {
	var b strings.Builder
	at := 0
	for _, loc := range writtenRefRE.FindAllStringIndex(s, -1) {
		if loc[0] > at {
			b.WriteString(schema.Mask)
		}
		b.WriteString(s[loc[0]:loc[1]])
		at = loc[1]
	}
	if at < len(s) {
		b.WriteString(schema.Mask)
	}
	return b.String()
}

// describe names the container for messages: `service "worker"`,
// `Deployment "prefect-worker", container "worker"`.
func (c *Container) describe() string {
	s := fmt.Sprintf("%s %q", c.What, c.Name)
	if c.Sub != "" {
		s += fmt.Sprintf(", container %q", c.Sub)
	}
	return s
}

// positions lists where the container's variables and mounts are written.
func positions(c *Container) []sources.Position {
	var out []sources.Position
	for _, v := range c.Vars {
		out = append(out, v.Pos, v.ValuePos)
	}
	for _, m := range c.Mounts {
		out = append(out, m.Pos)
	}
	return out
}

// unsetRefs warns of the references of v to variables that were not set
// where the file was read: the tool reading it either replaces them with
// an empty string (docker compose) or leaves them as written (kubelet).
func unsetRefs(v Var, setting string) []settings.Warning {
	var out []settings.Warning
	for _, r := range v.Refs {
		if r.Set || r.Default || r.Unexpanded || v.Deferred != "" {
			continue
		}
		became := "is replaced by an empty string"
		if strings.Contains(v.Value, r.Name) {
			became = "stays in the value as written"
		}
		out = append(out, settings.Warning{Setting: setting, Pos: r.Pos,
			Msg: fmt.Sprintf("%s: %s is not set here, and its reference %s", v.Name, r.Name, became)})
	}
	return out
}

// imagesOnNewPydanticSettings is the first Prefect release whose images
// were built with pydantic-settings 2.14 or later: an image installs the
// newest dependencies when its release is built, and 2.14.0 came out on
// 2026-04-20, between 3.6.27 and 3.6.28. The images of older releases run
// an older pydantic-settings, which some releases read their sources with
// differently (release.Release.AliasOrder, DotenvPositional).
var imagesOnNewPydanticSettings = release.Version{Major: 3, Minor: 6, Patch: 28}

// exactRE reads the release of an exact version: 3.4.22 of 3.4.22rc1.
var exactRE = regexp.MustCompile(`^\d+\.\d+\.\d+`)

// minorRE reads a minor version: 3.4.
var minorRE = regexp.MustCompile(`^(\d+)\.(\d+)$`)

// release returns what the container's file says of its release.
func (c *Container) release() settings.ContainerRelease {
	h := c.Release
	r := settings.ContainerRelease{Version: h.Version, Newest: h.Newest, Pos: h.Pos, From: h.From}
	if h.Major != 0 && h.Major != 3 && r.Version == "" {
		r.Version = strconv.Itoa(h.Major)
	}
	if h.IsZero() || h.Major != 0 || !strings.HasPrefix(h.From, "image ") {
		return r // not one of Prefect's images, which alone name a release (ReleaseFromImage)
	}
	// A Prefect image: its pydantic-settings is the newest when the
	// release it runs was built, a floating minor tag's being its newest
	// patch's.
	v, err := release.ParseVersion(exactRE.FindString(h.Version))
	if h.Newest || err != nil {
		v = release.Newest()
		if m := minorRE.FindStringSubmatch(h.Version); m != nil {
			major, _ := strconv.Atoi(m[1])
			minor, _ := strconv.Atoi(m[2])
			for _, k := range release.Known() {
				if k.Major == major && k.Minor == minor {
					v = k // the newest patch: Known is oldest first
				}
			}
		}
	}
	if v.Less(imagesOnNewPydanticSettings) {
		r.PydanticSettings = "2.13"
	}
	return r
}
