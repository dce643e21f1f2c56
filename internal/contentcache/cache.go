// Package contentcache keeps values computed from file contents, keyed by
// the bytes themselves, never by modification time, so that an edit is
// always seen and unchanged content is never parsed twice.
package contentcache

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// Cache holds at most a fixed number of values, one per key, each valid
// for the exact content it was computed from. When full, it evicts one
// entry at random. The zero value is not usable: make one with New. A
// Cache is safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	seed    maphash.Seed
	size    int
	entries map[K]*entry[V]
}

type entry[V any] struct {
	sum  uint64
	data []byte
	val  V
}

// New returns a Cache that holds at most size values.
func New[K comparable, V any](size int) *Cache[K, V] {
	return &Cache[K, V]{seed: maphash.MakeSeed(), size: size, entries: map[K]*entry[V]{}}
}

// Get returns the value stored for key if it was computed from data.
func (c *Cache[K, V]) Get(key K, data []byte) (V, bool) {
	sum := maphash.Bytes(c.seed, data)
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	if e == nil || e.sum != sum || !bytes.Equal(e.data, data) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Put stores val for key, computed from data, replacing what key held.
// The cache keeps data, which the caller must not modify afterwards.
func (c *Cache[K, V]) Put(key K, data []byte, val V) {
	e := &entry[V]{sum: maphash.Bytes(c.seed, data), data: data, val: val}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.size {
		for k := range c.entries { // evict one at random
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = e
}

// Clear empties the cache.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
