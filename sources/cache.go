package sources

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// docCache keeps parsed TOML documents by content, so that resolving the
// same files again (a server resolving settings per request, or for many
// environments) does not parse them again. It is keyed by the bytes
// themselves, never by modification time, so an edit is always seen.
var docCache = struct {
	sync.Mutex
	seed    maphash.Seed
	entries map[docKey]*cachedDoc
}{seed: maphash.MakeSeed(), entries: map[docKey]*cachedDoc{}}

const docCacheSize = 64

type docKey struct {
	file      string
	pyproject bool
	sum       uint64
}

type cachedDoc struct {
	data []byte
	doc  *tomlDoc
}

// parseTOMLCached is parseTOML with the cache. The document it returns is
// shared and must not be modified.
func parseTOMLCached(file string, data []byte, pyproject bool) (*tomlDoc, error) {
	key := docKey{file, pyproject, maphash.Bytes(docCache.seed, data)}
	docCache.Lock()
	c, ok := docCache.entries[key]
	docCache.Unlock()
	if ok && bytes.Equal(c.data, data) {
		return c.doc, nil
	}
	doc, err := parseTOML(file, data, pyproject)
	if err != nil {
		return nil, err
	}
	docCache.Lock()
	if len(docCache.entries) >= docCacheSize {
		for k := range docCache.entries { // evict one at random
			delete(docCache.entries, k)
			break
		}
	}
	docCache.entries[key] = &cachedDoc{data: doc.data, doc: doc}
	docCache.Unlock()
	return doc, nil
}
