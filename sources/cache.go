package sources

import "github.com/strata-settings/strata/internal/contentcache"

// docCache keeps parsed TOML documents by file and content, so that
// resolving the same files again (a server resolving settings per request,
// or for many environments) does not parse them again.
var docCache = contentcache.New[docKey, *tomlDoc](64)

type docKey struct {
	file      string
	pyproject bool
}

// parseTOMLCached is parseTOML with the cache. The document it returns is
// shared and must not be modified.
func parseTOMLCached(file string, data []byte, pyproject bool) (*tomlDoc, error) {
	key := docKey{file, pyproject}
	if doc, ok := docCache.Get(key, data); ok {
		return doc, nil
	}
	doc, err := parseTOML(file, data, pyproject)
	if err != nil {
		return nil, err
	}
	docCache.Put(key, doc.data, doc)
	return doc, nil
}
