package koanfprovider_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/settings"
)

// A service keeps its own configuration in YAML and reads Prefect's
// settings beside it, under "prefect", from the same koanf instance. When
// prefect.toml changes, it reloads.
func Example() {
	dir, err := os.MkdirTemp("", "service")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	writeFile(filepath.Join(dir, "service.yaml"), "listen: :8080\nworkers: 4\n")
	writeFile(filepath.Join(dir, "prefect.toml"), "[api]\nurl = \"http://prefect:4200/api\"\n")

	// The service resolves Prefect's settings for its working directory
	// and environment; here, a fixed one.
	prefect := koanfprovider.New(settings.Options{Dir: dir, Home: dir, Environ: []string{}},
		koanfprovider.WithPrefix("prefect"))
	load := func() *koanf.Koanf {
		k := koanf.New(".")
		if err := k.Load(file.Provider(filepath.Join(dir, "service.yaml")), yaml.Parser()); err != nil {
			log.Fatal(err)
		}
		if err := k.Load(prefect, nil); err != nil {
			log.Fatal(err)
		}
		return k
	}

	var mu sync.Mutex
	k := load()
	fmt.Println(k.String("listen"), k.Int("workers"), k.String("prefect.api.url"))
	fmt.Println(k.Duration("prefect.server.api.csrf_token_expiration"), k.Exists("prefect.api.key"))

	reloaded := make(chan struct{}, 1)
	err = prefect.Watch(func(event any, err error) {
		if err != nil {
			log.Printf("prefect settings: %v (keeping the previous ones)", err)
			return
		}
		for _, c := range event.([]settings.Change) {
			fmt.Println("changed:", c)
		}
		mu.Lock()
		k = load()
		mu.Unlock()
		select {
		case reloaded <- struct{}{}:
		default:
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	defer prefect.Unwatch()

	writeFile(filepath.Join(dir, "prefect.toml"), "[api]\nurl = \"http://prefect-2:4200/api\"\n")
	<-reloaded
	mu.Lock()
	fmt.Println(k.String("prefect.api.url"))
	mu.Unlock()
	// Output:
	// :8080 4 http://prefect:4200/api
	// 1h0m0s false
	// changed: api.url: http://prefect:4200/api -> http://prefect-2:4200/api
	// changed: server.ui.api_url: http://prefect:4200/api -> http://prefect-2:4200/api
	// changed: ui_url: http://prefect:4200 -> http://prefect-2:4200
	// http://prefect-2:4200/api
}

func writeFile(path, data string) {
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		log.Fatal(err)
	}
}
