package contentcache

import (
	"fmt"
	"testing"
)

func TestCache(t *testing.T) {
	c := New[string, int](2)
	if _, ok := c.Get("a", []byte("x")); ok {
		t.Fatal("empty cache returned a value")
	}
	c.Put("a", []byte("x"), 1)
	tests := []struct {
		key  string
		data string
		want int
		ok   bool
	}{
		{"a", "x", 1, true},
		{"a", "y", 0, false}, // edited content is never served stale
		{"b", "x", 0, false}, // same content, other key
	}
	for _, tt := range tests {
		got, ok := c.Get(tt.key, []byte(tt.data))
		if got != tt.want || ok != tt.ok {
			t.Errorf("Get(%q, %q) = %d, %v; want %d, %v", tt.key, tt.data, got, ok, tt.want, tt.ok)
		}
	}
	c.Put("a", []byte("y"), 2)
	if got, ok := c.Get("a", []byte("y")); !ok || got != 2 {
		t.Errorf("after replacing: Get = %d, %v; want 2, true", got, ok)
	}
	for i := range 10 {
		c.Put(fmt.Sprint(i), []byte("z"), i)
	}
	if n := len(c.entries); n != 2 {
		t.Errorf("cache holds %d entries; want at most 2", n)
	}
}
