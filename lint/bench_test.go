package lint

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"
)

// BenchmarkLintTree lints a tree of 1,000 settings files: 250 projects,
// each with prefect.toml, pyproject.toml, .env and profiles.toml, some
// correct and some not.
func BenchmarkLintTree(b *testing.B) {
	dir := b.TempDir()
	files := map[string]string{}
	for i := range 250 {
		p := fmt.Sprintf("team%d/project%d/", i%10, i)
		files[p+"prefect.toml"] = fmt.Sprintf("[server.api]\nport = %d\nprot = 1\ncsrf_token_expiration = \"3600\"\n[api]\nurl = \"http://h%d:4200/api\"\n[client.custom_headers]\nX-Team = \"t\"\nUser-Agent = \"u\"\n", 4200+i, i)
		files[p+"pyproject.toml"] = "[project]\nname = \"flows\"\ndependencies = [\"prefect\"]\n[tool.prefect]\nlogging.level = \"loud\"\nPREFECT_API_URL = \"x\"\n"
		files[p+".env"] = "PREFECT_API_KEY=k\nPREFECT_UI_API_URL=http://x\nPREFECT_LOGGING_LEVL=INFO\nOTHER=1\n"
		files[p+"profiles.toml"] = "active = \"dev\"\n[profiles.dev]\nPREFECT_API_AUTH_STRING = \"a:b\"\nprefect_api_url = \"x\"\n[profiles.prod]\nPREFECT_CLIENT_CUSTOM_HEADERS = { A = \"b\" }\n"
	}
	write(b, dir, files)
	opts := Options{Dir: dir, Home: filepath.Join(dir, "home")}
	var n int
	for b.Loop() {
		fs, err := Run(opts)
		if err != nil {
			b.Fatal(err)
		}
		n = len(fs)
	}
	if n < 1000 {
		b.Fatalf("only %d findings", n)
	}
}

// deployKinds are one project's deployment files, one of each kind, with
// the usual mistakes: 8 files.
func deployKinds(i int) map[string]string {
	return map[string]string{
		"docker-compose.yml": fmt.Sprintf("x-env: &env\n  PREFECT_API_DATABASE_CONNECTION_URL: postgresql+asyncpg://prefect:pw%d@db/prefect\n"+
			"services:\n  server:\n    image: prefecthq/prefect:3.4.%d-python3.11\n    command: prefect server start --host 0.0.0.0\n    environment:\n      <<: *env\n"+
			"  worker:\n    image: prefecthq/prefect:3-latest\n    command: prefect worker start --pool p%d\n    env_file: worker.env\n    environment:\n      <<: *env\n"+
			"      PREFECT_API_URL: http://localhost:4200/api\n      PREFECT_LOGING_LEVEL: DEBUG\n      PREFECT_WORKER_QUERY_SECONDS: ${QUERY}\n", i, i%20+1, i),
		"worker.env": "PREFECT_WORKER_HEARTBEAT_SECONDS=30\n",
		"k8s/worker.yaml": fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  key: pnu_%d\n---\n"+
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n"+
			"          image: prefecthq/prefect:3.4.22-python3.11\n          args: [prefect, worker, start, --pool, k8s]\n          env:\n"+
			"            - name: PREFECT_API_KEY\n              valueFrom:\n                secretKeyRef: {name: api, key: key}\n"+
			"            - name: PREFECT_API_URL\n              value: http://$PREFECT_SERVER_SERVICE_HOST:4200/api\n            - name: PREFECT_WORKER_PREFETCH_SECONDS\n              value: 10\n", i),
		"helm/values.yaml":             "worker:\n  apiConfig: selfHostedServer\n  selfHostedServerApiConfig:\n    apiUrl: http://prefect-server:4200/api\n  config:\n    workPool: k8s\n  image:\n    tag: 3-latest\n",
		"Dockerfile":                   fmt.Sprintf("FROM python:3.12-slim\nRUN pip install prefect==3.1.%d\nENV PREFECT_API_URL=http://prefect-server:4200/api PREFECT_API_AUTH_STRING=admin:pw\nCMD [\"prefect\", \"worker\", \"start\", \"--pool\", \"p\"]\n", i%10),
		"scripts/start.sh":             "#!/bin/sh\nexport PREFECT_API_URL=http://prefect-server:4200/api\nPREFECT_LOGGING_LEVEL=INFO\nexec prefect worker start --pool p\n",
		".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PREFECT_API_KEY: pnu_literal\n    steps:\n      - run: pip install prefect==3.4.22 && prefect deploy --all\n",
		"prefect.yaml":                 "deployments:\n  - name: etl\n    entrypoint: flows/etl.py:etl\n    work_pool:\n      name: k8s\n      job_variables:\n        env:\n          PREFECT_LOGGING_LEVL: DEBUG\n",
	}
}

// BenchmarkLintDeployTree lints trees of deployment files of every kind,
// 100, 200 and 400 files (8 a project), and reports the time per file:
// linear, it stays the same.
func BenchmarkLintDeployTree(b *testing.B) {
	for _, n := range []int{100, 200, 400} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			files := map[string]string{}
			count := 0
			for i := 0; count < n; i++ {
				kinds := deployKinds(i)
				for _, name := range slices.Sorted(maps.Keys(kinds)) {
					if count < n {
						files[fmt.Sprintf("team%d/project%d/%s", i%10, i, name)] = kinds[name]
						count++
					}
				}
			}
			write(b, dir, files)
			opts := Options{Dir: dir, Home: filepath.Join(dir, "home")}
			var found int
			for b.Loop() {
				fs, err := Run(opts)
				if err != nil {
					b.Fatal(err)
				}
				found = len(fs)
			}
			if found < n {
				b.Fatalf("only %d findings", found)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(n), "ms/file")
		})
	}
}

// BenchmarkWalkNames tells, from names alone, which files of a source
// tree a directory search reads: what every file the search passes costs
// before any is read.
func BenchmarkWalkNames(b *testing.B) {
	names := []string{"/src/app/flows/etl.py", "/src/app/README.md", "/src/app/docs/index.md", "/src/app/package.json",
		"/src/app/tests/test_etl.py", "/src/app/.gitignore", "/src/app/LICENSE", "/src/app/setup.cfg",
		"/src/app/docker-compose.yml", "/src/app/k8s/worker.yaml", "/src/app/Dockerfile", "/src/app/scripts/run-worker"}
	for b.Loop() {
		for _, p := range names {
			if _, ok := classify(filepath.Base(p), false); !ok {
				deployCandidate(p)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(names)), "ns/name")
}
