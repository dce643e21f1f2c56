package deploy

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/distribution/reference"
	"github.com/strata-settings/strata/sources"
)

// prefectImages are the repositories of Prefect's own images, whose tags
// name the release they run: the full image and the client-only one.
var prefectImages = []string{"prefecthq/prefect", "prefecthq/prefect-client"}

// The tags of Prefect's images: a release, optionally followed by the
// Python version and a flavour (3.4.22-python3.11-kubernetes); a major or
// minor version followed by -latest, -pythonX.Y or nothing (3-latest,
// 3.4-python3.12, 3); latest.
var (
	releaseTagRE = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)((?:a|b|rc|\.dev|\.post)\d+)?(?:-.*)?$`)
	floatTagRE   = regexp.MustCompile(`^(\d+)(?:\.(\d+))?(?:-(?:latest|python\d+(?:\.\d+)?)(?:-.*)?)?$`)
)

// ReleaseFromImage returns what an image reference says of the Prefect
// release it runs, pos being where the reference is written:
//
//	prefecthq/prefect:3.4.22-python3.11  Version "3.4.22"
//	prefecthq/prefect:3.4-python3.12     Version "3.4" (the newest 3.4 patch)
//	prefecthq/prefect:3-latest, 3-python3.12, latest, no tag  Newest
//	prefecthq/prefect:2-latest                              Major 2
//	prefecthq/prefect:2.19.3-python3.11                     Major 2, Version "2.19.3"
//
// prefecthq/prefect-client images say the same. Any other image (a
// project's own, built FROM one of these or not), a reference pinned by
// digest alone, or a tag of another form says nothing: the zero hint.
func ReleaseFromImage(ref string, pos sources.Position) ReleaseHint {
	named, err := reference.ParseNormalizedNamed(strings.TrimSpace(ref))
	if err != nil {
		return ReleaseHint{}
	}
	if !isPrefectImage(reference.Path(named)) {
		return ReleaseHint{}
	}
	h := ReleaseHint{Pos: pos, From: "image " + ref}
	tagged, ok := named.(reference.Tagged)
	if !ok {
		if _, digest := named.(reference.Digested); digest {
			return ReleaseHint{}
		}
		h.Newest = true
		return h
	}
	tag := tagged.Tag()
	if tag == "latest" {
		h.Newest = true
		return h
	}
	if m := releaseTagRE.FindStringSubmatch(tag); m != nil {
		h.Version = m[1] + "." + m[2] + "." + m[3] + m[4]
		if major, _ := strconv.Atoi(m[1]); major != 3 {
			h.Major = major
		}
		return h
	}
	if m := floatTagRE.FindStringSubmatch(tag); m != nil {
		if m[2] != "" {
			h.Version = m[1] + "." + m[2]
		}
		switch major, _ := strconv.Atoi(m[1]); {
		case major != 3:
			h.Major = major
		case m[2] == "":
			h.Newest = true
		}
		return h
	}
	return ReleaseHint{}
}

// isPrefectImage reports whether a repository path (prefecthq/prefect,
// or a mirror's path ending so) is one of Prefect's images.
func isPrefectImage(p string) bool {
	for _, img := range prefectImages {
		if p == img || strings.HasSuffix(p, "/"+img) {
			return true
		}
	}
	return false
}
