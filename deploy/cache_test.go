package deploy

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCached: unchanged files give the File read before; an edit of the
// file, of a file it reads (an env_file, the project's .env), or of the
// environment is read again.
func TestCached(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	envFile := filepath.Join(dir, "worker.env")
	dotenv := filepath.Join(dir, ".env")
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(compose, "services:\n  worker:\n    image: prefecthq/prefect:3.8.3-python3.12\n    env_file: worker.env\n    environment:\n      PREFECT_API_URL: ${URL:-http://a/api}\n")
	write(envFile, "PREFECT_LOGGING_LEVEL=INFO\n")
	read := func(environ ...string) *File {
		t.Helper()
		data, err := os.ReadFile(compose)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Cached("compose", ReadCompose, []*Input{{Path: compose, Data: data, Dir: dir, Environ: environ}})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	value := func(f *File, name string) string {
		for _, v := range f.Containers[0].Vars {
			if v.Name == name {
				return v.Value
			}
		}
		return ""
	}
	first := read()
	if read() != first {
		t.Error("unchanged files read again")
	}
	write(envFile, "PREFECT_LOGGING_LEVEL=DEBUG\n")
	if f := read(); f == first || value(f, "PREFECT_LOGGING_LEVEL") != "DEBUG" {
		t.Error("an edit of the env_file is not seen")
	}
	write(dotenv, "URL=http://b/api\n")
	if f := read(); value(f, "PREFECT_API_URL") != "http://b/api" {
		t.Errorf("the project's .env, created, is not seen: %q", value(f, "PREFECT_API_URL"))
	}
	if f := read("URL=http://c/api"); value(f, "PREFECT_API_URL") != "http://c/api" {
		t.Error("another environment is not seen")
	}
	write(compose, "services:\n  worker:\n    image: prefecthq/prefect:3.8.3-python3.12\n    environment:\n      PREFECT_API_URL: http://d/api\n")
	if f := read(); value(f, "PREFECT_API_URL") != "http://d/api" {
		t.Error("an edit of the Compose file is not seen")
	}
	write(compose, "services:\n  worker:\n    image: prefecthq/prefect:3.8.3-python3.12\n    environment:\n      PREFECT_API_URL: ${URL:-http://a/api}\n")
	if f := read(); value(f, "PREFECT_API_URL") != "http://b/api" {
		t.Errorf("the project's .env is not read: %q", value(f, "PREFECT_API_URL"))
	}
	if err := os.Remove(dotenv); err != nil {
		t.Fatal(err)
	}
	if f := read(); value(f, "PREFECT_API_URL") != "http://a/api" {
		t.Error("a removed .env is not seen")
	}
}
