package secure_test

import (
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestGuardErrors lists the settings a guard cannot be built from.
func TestGuardErrors(t *testing.T) {
	_, err := secure.NewServerGuard(load(t, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
		"PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=PT0S"), secure.GuardOptions{})
	want := "server.api.csrf_token_expiration is 0s: CSRF protection needs a positive token lifetime"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
