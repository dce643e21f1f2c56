package sources

import "github.com/strata-settings/strata/internal/contentcache"

// docCache keeps parsed TOML documents by file and content, so that
// resolving the same files again (a server resolving settings per request,
// or for many environments) does not parse them again.
var docCache = contentcache.New[docKey, *tomlDoc](64)

type docKey struct {
	file      string
	pyproject bool
	pkg       bool // read by the toml package, as releases before 3.6.14 read
}

// parseTOMLCached is parseTOML with the cache, or, with pkg set,
// parseTOMLPkg: the toml package's reading, as Prefect before 3.6.14 reads
// (release.Release.TOMLLib off). The document it returns is shared and
// must not be modified.
func parseTOMLCached(file string, data []byte, pyproject, pkg bool) (*tomlDoc, error) {
	key := docKey{file, pyproject, pkg}
	if doc, ok := docCache.Get(key, data); ok {
		return doc, nil
	}
	parse := parseTOML
	if pkg {
		parse = parseTOMLPkg
	}
	doc, err := parse(file, data, pyproject)
	if err != nil {
		return nil, err
	}
	docCache.Put(key, doc.data, doc)
	return doc, nil
}

// parseTOML is parseTOMLCached, or, for a reader that keeps no documents
// (NoCache), the parse alone.
func (rd Reader) parseTOML(file string, data []byte, pyproject bool) (*tomlDoc, error) {
	pkg := !rd.rel().TOMLLib
	if !rd.NoCache {
		return parseTOMLCached(file, data, pyproject, pkg)
	}
	if pkg {
		return parseTOMLPkg(file, data, pyproject)
	}
	return parseTOML(file, data, pyproject)
}
