package deploy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/settings"
)

// BenchmarkLoadService is a pair: the settings of the worker of the
// self-hosted Compose stack of testdata (an anchor, an env_file, a mounted
// prefect.toml), resolved from the Compose file as config view --compose
// does it ("compose": read the file, select the service, resolve), and from
// the same variables in the environment with the same prefect.toml in the
// working directory ("env"). "compose-uncached" parses the Compose file
// every time; "compose" reads it through Cached, as the CLI and a watch
// do, which checks that its files are unchanged; "container" resolves the
// container read once, as a service holding it does.
func BenchmarkLoadService(b *testing.B) {
	in := benchInput(b, "compose/stack/docker-compose.yml")
	in.Environ = []string{"QUERY_SECONDS=20"}
	f, err := ReadCompose([]*Input{in})
	if err != nil {
		b.Fatal(err)
	}
	worker, err := f.Select("worker", "")
	if err != nil {
		b.Fatal(err)
	}
	project := b.TempDir() // no project files: no release detected there
	for _, cached := range []bool{false, true} {
		name := "compose-uncached"
		if cached {
			name = "compose"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				read := ReadCompose
				if cached {
					read = func(ins []*Input) (*File, error) { return Cached("compose", ReadCompose, ins) }
				}
				f, err := read([]*Input{in})
				if err != nil {
					b.Fatal(err)
				}
				c, err := f.Select("worker", "")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := settings.Load(settings.Options{Container: c.Settings(in.Dir), Dir: project, Environ: []string{}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("container", func(b *testing.B) { // the file read once, resolved again
		opts := settings.Options{Container: worker.Settings(in.Dir), Dir: project, Environ: []string{}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := settings.Load(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("env", func(b *testing.B) {
		work, home := b.TempDir(), b.TempDir()
		data, err := os.ReadFile(filepath.Join(in.Dir, "prefect.toml"))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "prefect.toml"), data, 0o644); err != nil {
			b.Fatal(err)
		}
		opts := settings.Options{Environ: append(worker.Environ(), "HOME="+home), Dir: work, Home: home, PrefectVersion: "3.8.3"}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := settings.Load(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
