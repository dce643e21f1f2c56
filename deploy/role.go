package deploy

import (
	"path"
	"strings"

	"github.com/distribution/reference"
)

// RoleOf tells what Prefect runs in a container from its image, its
// command (entrypoint and arguments, each element as written, a shell
// string such as `sh -c "prefect worker start --pool p"` included) and
// whether it sets PREFECT_ variables:
//
//   - Server for `prefect server start` (also as `python -m prefect`, `uv
//     run prefect`...) and the other server processes (`prefect server
//     services start`, `prefect server database upgrade`), or without a
//     command an image named …/prefect-server;
//   - Worker for `prefect worker start`, or an image named …/prefect-worker;
//   - Client for any other prefect command (prefect deploy, an agent, a
//     flow run), or a container that runs Prefect's image or sets PREFECT_
//     variables: it runs Prefect code;
//   - Unknown otherwise (a database, a proxy).
func RoleOf(image string, command []string, setsPrefect bool) Role {
	words := commandWords(command)
	for i, w := range words {
		if path.Base(w) != "prefect" {
			continue
		}
		rest := words[i+1:]
		switch {
		case hasPrefix(rest, "server"):
			return Server // start, services start, database upgrade
		case hasPrefix(rest, "worker", "start"):
			return Worker
		}
	}
	if len(words) == 0 {
		switch repo := imageRepo(image); {
		case strings.HasSuffix(repo, "prefect-server"):
			return Server
		case strings.HasSuffix(repo, "prefect-worker"):
			return Worker
		}
	}
	for _, w := range words {
		if path.Base(w) == "prefect" {
			return Client
		}
	}
	if setsPrefect || isPrefectImage(imageRepo(image)) {
		return Client
	}
	return Unknown
}

// commandWords splits a command into words at blanks and the shell's
// operators, so that a command written as one shell string reads as the
// words it runs. It is for telling roles, not for running anything.
func commandWords(command []string) []string {
	var words []string
	for _, c := range command {
		words = append(words, strings.FieldsFunc(c, func(r rune) bool {
			return strings.ContainsRune(" \t\r\n;&|()`'\"", r)
		})...)
	}
	return words
}

func hasPrefix(words []string, prefix ...string) bool {
	if len(words) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if words[i] != p {
			return false
		}
	}
	return true
}

// imageRepo returns an image reference's repository path (prefecthq/prefect),
// or the reference as written when it is none.
func imageRepo(image string) string {
	if named, err := reference.ParseNormalizedNamed(strings.TrimSpace(image)); err == nil {
		return reference.Path(named)
	}
	return image
}
