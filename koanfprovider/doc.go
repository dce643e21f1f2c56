// Package koanfprovider loads Prefect's effective settings into koanf
// (github.com/knadh/koanf/v2), beside a Go service's own configuration.
//
//	k := koanf.New(".")
//	k.Load(koanfprovider.New(settings.Options{}), nil)
//	k.String("api.url")
//	k.Duration("server.api.csrf_token_expiration") // time.Hour
//
// The settings are resolved by settings.Load, exactly as Prefect resolves
// them; koanf only receives the result. Keys are nested as in
// prefect.toml; settings whose value is None are absent. Watch reports
// changes to the files the settings come from, built on settings.Watch.
package koanfprovider
