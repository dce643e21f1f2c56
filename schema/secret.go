package schema

import (
	"fmt"
	"log/slog"
)

// Mask is what a secret shows instead of its value.
const Mask = "**********"

// SecretString holds a secret value. Its String, fmt and JSON forms are
// masked; Reveal returns the value.
type SecretString struct{ value string }

// NewSecret wraps s as a secret.
func NewSecret(s string) SecretString { return SecretString{s} }

// Reveal returns the secret's value.
func (s SecretString) Reveal() string { return s.value }

// String returns the mask.
func (s SecretString) String() string { return Mask }

// GoString returns the mask.
func (s SecretString) GoString() string { return Mask }

// Format prints the mask for every verb.
func (s SecretString) Format(f fmt.State, verb rune) { f.Write([]byte(Mask)) }

// MarshalJSON returns the mask as a JSON string.
func (s SecretString) MarshalJSON() ([]byte, error) { return []byte(`"` + Mask + `"`), nil }

// MarshalText returns the mask.
func (s SecretString) MarshalText() ([]byte, error) { return []byte(Mask), nil }

// LogValue returns the mask, so structured logs never hold the secret.
func (s SecretString) LogValue() slog.Value { return slog.StringValue(Mask) }
