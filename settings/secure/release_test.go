package secure_test

import (
	"testing"

	"github.com/strata-settings/strata/internal/everyrelease"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/settings/secure"
)

// TestEveryRelease builds the client and the server guard from the
// settings of one release of every published schema, with every setting
// given a value.
func TestEveryRelease(t *testing.T) {
	for _, v := range everyrelease.Versions() {
		t.Run(v, func(t *testing.T) {
			dir := t.TempDir()
			for _, env := range everyrelease.Environs(v, "PREFECT_API_URL=http://127.0.0.1:4200/api") {
				r, err := settings.Load(settings.Options{Environ: env, Dir: dir, Home: dir, PrefectVersion: v})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := secure.NewClient(r, secure.ClientOptions{}); err != nil {
					t.Errorf("NewClient: %v", err)
				}
				if _, err := secure.NewServerGuard(r, secure.GuardOptions{}); err != nil {
					t.Errorf("NewServerGuard: %v", err)
				}
			}
		})
	}
}
