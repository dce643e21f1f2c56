package schema

import "testing"

// TestHasIndex checks HasIndex against every schema's list of settings,
// which it searches by index.
func TestHasIndex(t *testing.T) {
	for _, id := range schemaIDs {
		set, ok := Published(id)
		if !ok {
			t.Fatalf("schema %s not published", id)
		}
		in := map[int]bool{}
		for _, s := range set.All() {
			in[s.Index] = true
		}
		for i := -1; i <= Total; i++ {
			if got := set.HasIndex(i); got != in[i] {
				t.Errorf("schema %s: HasIndex(%d) = %v; want %v", id, i, got, in[i])
			}
		}
	}
}
