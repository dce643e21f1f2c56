package main

import (
	"bytes"
	"testing"

	"github.com/strata-settings/strata/deploy"
)

// TestReadLimited: standard input larger than the largest manifest is
// refused once the limit is passed, naming standard input.
func TestReadLimited(t *testing.T) {
	data, err := readLimited(bytes.NewReader(make([]byte, deploy.MaxManifestSize)))
	if err != nil || len(data) != deploy.MaxManifestSize {
		t.Errorf("a manifest of the largest size: %d bytes, %v", len(data), err)
	}
	_, err = readLimited(bytes.NewReader(make([]byte, deploy.MaxManifestSize+1)))
	if want := "<stdin>: larger than 8 MiB: no deployment needs that much"; err == nil || err.Error() != want {
		t.Errorf("a manifest one byte larger: %v, want %s", err, want)
	}
}
