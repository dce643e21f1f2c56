package lint

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/deploy"
)

// The credentials the cases write, each found in the text to tell where
// the finding must be.
const (
	cmdKey  = "pnu_0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r"
	cmdAuth = "admin:Tr0ub4dor"
	cmdURL  = "postgresql+asyncpg://prefect:Tr0ub4dor@db:5432/prefect"
)

func TestSecretOnCommandLine(t *testing.T) {
	workflow := func(run string) string {
		return "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: " + run + "\n"
	}
	gitlab := func(cmd string) string {
		return "deploy:\n  image: alpine/k8s:1.30.0\n  script:\n    - " + cmd + "\n"
	}
	makefile := func(cmd string) string { return "deploy:\n\t" + cmd + "\n" }
	compose := func(cmd string) string {
		return "services:\n  setup:\n    image: alpine/k8s:1.30.0\n    command: " + cmd + "\n"
	}
	job := func(args string) string {
		return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: setup\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: setup\n          image: alpine/k8s:1.30.0\n          command: [\"kubectl\"]\n          args: " + args + "\n"
	}
	prefectYAML := func(script string) string {
		return "deployments:\n  - name: etl\n    entrypoint: flows/etl.py:etl\n    pull:\n      - prefect.deployments.steps.run_shell_script:\n          script: " + script + "\n"
	}
	tests := []struct {
		name, file, text string
		want             []string // the credentials reported, in order: each at its place in text
		says             string   // what the first finding's message says
	}{
		// kubectl create secret, in every kind of file whose commands lint reads.
		{"kubectl key", "deploy.sh", "kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey + "\n", []string{cmdKey}, "--from-literal=key=******** on the command line of kubectl create secret is a Prefect API key written out"},
		{"kubectl key from env", "deploy.sh", "kubectl create secret generic prefect-api-key --from-literal=key=\"$PREFECT_API_KEY\"\n", nil, ""},
		{"kubectl key from a file", "deploy.sh", "kubectl create secret generic prefect-api-key --from-literal=key=$(cat key.txt) --from-file=key=key.txt\n", nil, ""},
		{"kubectl setting name", "deploy.sh", "kubectl -n prefect create secret generic prefect --from-literal PREFECT_API_KEY=" + cmdKey + "\n", []string{cmdKey}, "Prefect API key"},
		{"kubectl auth string", "deploy.sh", "kubectl create secret generic basic-auth --from-literal=auth-string=" + cmdAuth + "\n", []string{cmdAuth}, "is an auth string written out"},
		{"kubectl auth string quoted", "deploy.sh", "kubectl create secret generic basic-auth '--from-literal=auth-string=" + cmdAuth + "'\n", []string{cmdAuth}, "auth string"},
		{"kubectl chart default auth string", "deploy.sh", "kubectl create secret generic basic-auth --from-literal=auth-string=admin:pass\n", nil, ""},
		{"kubectl connection string", "deploy.sh", "kubectl create secret generic db --from-literal=connection-string=" + cmdURL + "\n", []string{cmdURL}, "connection-string=postgresql+asyncpg://prefect:********@db:5432/prefect"},
		{"kubectl connection string from env", "deploy.sh", "kubectl create secret generic db --from-literal=connection-string=postgresql+asyncpg://prefect:${DB_PASSWORD}@db/prefect\n", nil, ""},
		{"kubectl not a credential", "deploy.sh", "kubectl create secret generic prefect --from-literal=region=us --from-literal=api-key-name=prefect-api-key --from-literal=keyring=none\n", nil, ""},
		{"kubectl configmap", "deploy.sh", "kubectl create configmap prefect --from-literal=PREFECT_API_KEY=" + cmdKey + "\n", []string{cmdKey}, "a ConfigMap is no place for a credential"},
		{"kubectl set env", "deploy.sh", "kubectl set env deployment/worker PREFECT_API_AUTH_STRING=" + cmdAuth + "\n", []string{cmdAuth}, "the secret api.auth_string"},
		{"kubectl set env from a secret", "deploy.sh", "kubectl set env deployment/worker --from=secret/prefect-auth\n", nil, ""},
		{"kubectl create in a workflow", ".github/workflows/deploy.yml", workflow("kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a workflow's block", ".github/workflows/deploy.yml", workflow("|\n          kubectl create secret generic prefect-api-key \\\n            --from-literal=key=" + cmdKey + " \\\n            --dry-run=client -o yaml | kubectl apply -f -"), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a workflow from a secret", ".github/workflows/deploy.yml", workflow("kubectl create secret generic prefect-api-key --from-literal=key=${{ secrets.PREFECT_API_KEY }}"), nil, ""},
		{"kubectl create in GitLab CI", ".gitlab-ci.yml", gitlab("kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in GitLab CI from a variable", ".gitlab-ci.yml", gitlab("kubectl create secret generic prefect-api-key --from-literal=key=$PREFECT_API_KEY"), nil, ""},
		{"kubectl create in a Makefile", "Makefile", makefile("kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a Makefile from a variable", "Makefile", makefile("kubectl create secret generic prefect-api-key --from-literal=key=$(PREFECT_API_KEY)"), nil, ""},
		{"kubectl create in a Compose command", "compose.yaml", compose("kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a Compose command from a variable", "compose.yaml", compose("kubectl create secret generic prefect-api-key --from-literal=key=${PREFECT_API_KEY}"), nil, ""},
		{"kubectl create in a Compose sh -c", "compose.yaml", compose("[\"sh\", \"-c\", \"kubectl create secret generic basic-auth --from-literal=auth-string=" + cmdAuth + "\"]"), []string{cmdAuth}, "auth string"},
		{"kubectl create in Kubernetes args", "job.yaml", job("[\"create\", \"secret\", \"generic\", \"prefect-api-key\", \"--from-literal=key=" + cmdKey + "\"]"), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in Kubernetes args from a variable", "job.yaml", job("[\"create\", \"secret\", \"generic\", \"prefect-api-key\", \"--from-literal=key=$(PREFECT_API_KEY)\"]"), nil, ""},
		{"kubectl create in a Dockerfile", "Dockerfile", "FROM alpine/k8s:1.30.0\nRUN kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey + "\n", []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a Dockerfile from an argument", "Dockerfile", "FROM alpine/k8s:1.30.0\nARG PREFECT_API_KEY\nRUN kubectl create secret generic prefect-api-key --from-literal=key=$PREFECT_API_KEY\n", nil, ""},
		{"kubectl create in prefect.yaml", "prefect.yaml", prefectYAML("kubectl create secret generic prefect-api-key --from-literal=key=" + cmdKey), []string{cmdKey}, "kubectl create secret"},
		{"kubectl create in a prefect.yaml build step", "prefect.yaml", "build:\n  - prefect.deployments.steps.run_shell_script:\n      script: kubectl create secret generic db --from-literal=password=Tr0ub4dor\n" + prefectYAML("echo pulled"), []string{"Tr0ub4dor"}, "is a password written out"},
		{"kubectl create in a prefect.yaml build step from a block", "prefect.yaml", "build:\n  - prefect.deployments.steps.run_shell_script:\n      script: kubectl create secret generic db --from-literal=password={{ prefect.blocks.secret.db-password }}\n" + prefectYAML("echo pulled"), nil, ""},
		{"kubectl create in prefect.yaml from a variable", "prefect.yaml", prefectYAML("kubectl create secret generic prefect-api-key --from-literal=key=$PREFECT_API_KEY"), nil, ""},

		// docker and podman.
		{"docker run -e", "deploy.sh", "docker run -e PREFECT_API_KEY=" + cmdKey + " prefecthq/prefect:3-latest prefect worker start --pool k8s\n", []string{cmdKey}, "pass the variable from the environment instead, without a value (-e PREFECT_API_KEY)"},
		{"docker run -e of a variable the script sets", "deploy.sh", "KEY=" + cmdKey + "\ndocker run -e PREFECT_API_KEY=$KEY prefecthq/prefect:3-latest prefect worker start --pool k8s\n", []string{cmdKey}, "KEY is assigned a Prefect API key written out, which -e PREFECT_API_KEY=$KEY hands to docker run"},
		{"docker run -e passed through", "deploy.sh", "docker run -e PREFECT_API_KEY prefecthq/prefect:3-latest prefect worker start --pool k8s\n", nil, ""},
		{"docker run --env=", "deploy.sh", "docker run --env=PREFECT_API_AUTH_STRING=" + cmdAuth + " prefecthq/prefect:3-latest prefect worker start --pool k8s\n", []string{cmdAuth}, "the secret api.auth_string"},
		{"docker run --env auth string", "deploy.sh", "docker run --env PREFECT_SERVER_API_AUTH_STRING=" + cmdAuth + " prefecthq/prefect:3-latest prefect server start\n", []string{cmdAuth}, "the secret server.api.auth_string"},
		{"docker run database URL", "deploy.sh", "docker run -e PREFECT_SERVER_DATABASE_CONNECTION_URL=" + cmdURL + " prefecthq/prefect:3-latest prefect server start\n", []string{cmdURL}, "with a password in its URL"},
		{"docker run a URL's reference", "deploy.sh", "docker run -e PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:$DB_PASSWORD@db/prefect prefecthq/prefect:3-latest prefect server start\n", nil, ""},
		{"docker run another program's password", "deploy.sh", "docker run -d -e POSTGRES_USER=prefect -e POSTGRES_PASSWORD=Tr0ub4dor -e POSTGRES_DB=prefect postgres:16\n", nil, ""},
		{"docker run not a credential", "deploy.sh", "docker run -e PREFECT_API_URL=http://server:4200/api -e PREFECT_LOGGING_LEVEL=DEBUG prefecthq/prefect:3-latest prefect worker start --pool k8s\n", nil, ""},
		{"docker compose run -e", "deploy.sh", "docker compose -f compose.prod.yaml run --rm -e PREFECT_API_KEY=" + cmdKey + " worker\n", []string{cmdKey}, "docker compose run"},
		{"docker compose run -e passed through", "deploy.sh", "docker compose -f compose.prod.yaml run --rm -e PREFECT_API_KEY worker\n", nil, ""},
		{"docker-compose exec -e", "deploy.sh", "docker-compose exec -e PREFECT_API_KEY=" + cmdKey + " worker prefect deployment ls\n", []string{cmdKey}, "docker-compose exec"},
		{"podman run -e", "deploy.sh", "podman run -e PREFECT_API_KEY=" + cmdKey + " prefecthq/prefect:3-latest prefect worker start --pool k8s\n", []string{cmdKey}, "podman run"},
		{"podman run -e from a variable", "deploy.sh", "podman run -e PREFECT_API_KEY=\"$PREFECT_API_KEY\" prefecthq/prefect:3-latest prefect worker start --pool k8s\n", nil, ""},
		{"docker run -e glued to the name", "deploy.sh", "docker run -ePREFECT_API_AUTH_STRING=" + cmdAuth + " prefecthq/prefect:3-latest prefect worker start --pool k8s\n", []string{cmdAuth}, "-ePREFECT_API_AUTH_STRING=******** on the command line of docker run"},
		{"docker exec -e", "deploy.sh", "docker exec -e PREFECT_API_KEY=" + cmdKey + " worker prefect deployment ls\n", []string{cmdKey}, "docker exec"},
		{"docker run in a workflow", ".github/workflows/deploy.yml", workflow("docker run -e PREFECT_API_KEY=" + cmdKey + " prefecthq/prefect:3-latest prefect deploy --all"), []string{cmdKey}, "docker run"},
		{"docker run in a workflow from a secret", ".github/workflows/deploy.yml", workflow("docker run -e PREFECT_API_KEY=${{ secrets.PREFECT_API_KEY }} prefecthq/prefect:3-latest prefect deploy --all"), nil, ""},
		{"docker run in a Makefile", "Makefile", makefile("docker run -e PREFECT_API_KEY=" + cmdKey + " prefecthq/prefect:3-latest prefect deploy --all"), []string{cmdKey}, "docker run"},
		{"docker run in a Makefile passed through", "Makefile", makefile("docker run -e PREFECT_API_KEY prefecthq/prefect:3-latest prefect deploy --all"), nil, ""},

		// helm.
		{"helm worker API key", "deploy.sh", "helm install prefect-worker prefect/prefect-worker --set worker.apiConfig=cloud --set-string worker.cloudApiConfig.apiKey=" + cmdKey + "\n", []string{cmdKey}, "worker.cloudApiConfig.apiKeySecret.name and .key"},
		{"helm worker API key secret", "deploy.sh", "helm install prefect-worker prefect/prefect-worker --set worker.apiConfig=cloud --set worker.cloudApiConfig.apiKeySecret.name=prefect-api-key\n", nil, ""},
		{"helm server auth string", "deploy.sh", "helm upgrade --install prefect-server prefect/prefect-server --set server.basicAuth.enabled=true,server.basicAuth.authString=" + cmdAuth + "\n", []string{cmdAuth}, "server.basicAuth.existingSecret"},
		{"helm server auth string existing secret", "deploy.sh", "helm upgrade --install prefect-server prefect/prefect-server --set server.basicAuth.enabled=true,server.basicAuth.existingSecret=prefect-basic-auth\n", nil, ""},
		{"helm server auth string from env", "deploy.sh", "helm upgrade --install prefect-server prefect/prefect-server --set server.basicAuth.authString=\"$PREFECT_AUTH_STRING\"\n", nil, ""},
		{"helm database password", "deploy.sh", "helm install prefect-server prefect/prefect-server --set postgresql.auth.password=Tr0ub4dor\n", []string{"Tr0ub4dor"}, "a password written out"},
		{"helm not a credential", "deploy.sh", "helm install prefect-worker prefect/prefect-worker --set worker.config.workPool=k8s --set worker.cloudApiConfig.apiKeySecret.key=key\n", nil, ""},
		{"helm in a workflow", ".github/workflows/deploy.yml", workflow("helm upgrade --install prefect-worker prefect/prefect-worker --set-string worker.cloudApiConfig.apiKey=" + cmdKey), []string{cmdKey}, "helm upgrade"},
		{"helm in a workflow from a secret", ".github/workflows/deploy.yml", workflow("helm upgrade --install prefect-worker prefect/prefect-worker --set-string worker.cloudApiConfig.apiKey=${{ secrets.PREFECT_API_KEY }}"), nil, ""},
		{"helm in Kubernetes sh -c", "job.yaml", strings.Replace(job("[\"helm install prefect-server prefect/prefect-server --set server.basicAuth.authString="+cmdAuth+"\"]"), `command: ["kubectl"]`, `command: ["sh", "-c"]`, 1), []string{cmdAuth}, "helm install"},

		// A credential put in a variable of the script first, reported
		// where it is written, once however often it is handed on.
		{"key through a variable", "deploy.sh", "K=" + cmdKey + "\nkubectl create secret generic k --from-literal=key=$K\n", []string{cmdKey}, "K is assigned a Prefect API key written out, which --from-literal=key=$K hands to kubectl create secret"},
		{"key through a variable from the environment", "deploy.sh", "K=\"$PREFECT_API_KEY\"\nkubectl create secret generic k --from-literal=key=$K\n", nil, ""},
		{"key through a quoted variable", "deploy.sh", "API_KEY=\"" + cmdKey + "\"\nhelm install w prefect/prefect-worker --set worker.cloudApiConfig.apiKey=$API_KEY\n", []string{cmdKey}, "API_KEY is assigned a Prefect API key written out, which --set worker.cloudApiConfig.apiKey=$API_KEY hands to helm install"},
		{"key through a quoted variable from a file", "deploy.sh", "API_KEY=\"$(cat .prefect-key)\"\nhelm install w prefect/prefect-worker --set worker.cloudApiConfig.apiKey=$API_KEY\n", nil, ""},
		{"key through a variable handed twice", "deploy.sh", "K=" + cmdKey + "\nkubectl create secret generic k --from-literal=key=$K\nkubectl create secret generic k2 --from-literal=key=\"${K}\"\n", []string{cmdKey}, "K is assigned"},
		{"key through a variable with a default", "deploy.sh", "K=${PREFECT_API_KEY:-}\nkubectl create secret generic k --from-literal=key=$K\n", nil, ""},
		{"key through a placeholder variable", "deploy.sh", "K=pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nkubectl create secret generic k --from-literal=key=$K\n", nil, ""},
		{"URL through a variable", "deploy.sh", "DB_URL=" + cmdURL + "\nkubectl create secret generic db --from-literal=connection-string=\"$DB_URL\"\n", []string{cmdURL}, "DB_URL is assigned a URL with a password written out"},
		{"URL through a variable without a password", "deploy.sh", "DB_URL=postgresql+asyncpg://prefect@db:5432/prefect\nkubectl create secret generic db --from-literal=connection-string=\"$DB_URL\"\n", nil, ""},
		{"URL through a variable to docker run", "deploy.sh", "DB_URL=" + cmdURL + "\ndocker run -e PREFECT_SERVER_DATABASE_CONNECTION_URL=$DB_URL prefecthq/prefect:3-latest prefect server start\n", []string{cmdURL}, "DB_URL is assigned server.database.connection_url with a password in its URL written out"},
		{"auth string through an exported variable", "deploy.sh", "export AUTH=" + cmdAuth + "\nhelm upgrade --install s prefect/prefect-server --set server.basicAuth.authString=$AUTH\n", []string{cmdAuth}, "AUTH is assigned an auth string written out"},
		{"region through a variable", "deploy.sh", "REGION=us\nkubectl create secret generic k --from-literal=region=$REGION\nexport PREFECT_API_URL=http://server:4200/api\n", nil, ""},
		{"key through a workflow's env", ".github/workflows/deploy.yml", "on: push\nenv:\n  API_KEY: " + cmdKey + "\n" + workflow("kubectl create secret generic k --from-literal=key=$API_KEY")[len("on: push\n"):], []string{cmdKey}, "API_KEY is assigned"},
		{"key through a workflow's env from a secret", ".github/workflows/deploy.yml", "on: push\nenv:\n  API_KEY: ${{ secrets.PREFECT_API_KEY }}\n" + workflow("kubectl create secret generic k --from-literal=key=$API_KEY")[len("on: push\n"):], nil, ""},
		{"key through GitLab's variables", ".gitlab-ci.yml", "variables:\n  API_KEY: " + cmdKey + "\n" + gitlab("kubectl create secret generic k --from-literal=key=$API_KEY"), []string{cmdKey}, "API_KEY is assigned"},
		{"key through GitLab's variables from the project's", ".gitlab-ci.yml", gitlab("kubectl create secret generic k --from-literal=key=$API_KEY"), nil, ""},
		{"key through a Makefile variable", "Makefile", "KEY := " + cmdKey + "\n" + makefile("kubectl create secret generic k --from-literal=key=$(KEY)"), []string{"$(KEY)"}, "--from-literal=key=******** on the command line of kubectl create secret"},
		{"key through a Makefile variable from the environment", "Makefile", "KEY ?= $(PREFECT_API_KEY)\n" + makefile("kubectl create secret generic k --from-literal=key=$(KEY)"), nil, ""},
		{"key through a Dockerfile RUN's variable", "Dockerfile", "FROM alpine/k8s:1.30.0\nRUN K=" + cmdKey + " && kubectl create secret generic k --from-literal=key=$K\n", []string{cmdKey}, "K is assigned"},
		{"key through a variable to prefect config set", "deploy.sh", "K=" + cmdKey + "\nprefect config set PREFECT_API_KEY=$K\n", []string{cmdKey}, "api.key holds a secret, written out in a deployment file"},
		{"key through a chain of variables", "deploy.sh", "K=" + cmdKey + "\nB=$K\nexport PREFECT_API_KEY=$B\nprefect cloud login --key \"$K\"\nkubectl create secret generic k --from-literal=key=$B\n", []string{cmdKey}, "B is assigned a Prefect API key written out, which --from-literal=key=$B hands to kubectl create secret"},
		{"key through a chain of variables from the environment", "deploy.sh", "K=$PREFECT_API_KEY\nB=$K\nexport PREFECT_API_KEY=$B\nprefect cloud login --key \"$K\"\nkubectl create secret generic k --from-literal=key=$B\n", nil, ""},
		{"key through a workflow's env to prefect config set", ".github/workflows/deploy.yml", "on: push\nenv:\n  API_KEY: " + cmdKey + "\n" + workflow("prefect config set PREFECT_API_KEY=$API_KEY")[len("on: push\n"):], []string{cmdKey}, "api.key holds a secret"},
		{"key through a workflow's env to prefect config set from a secret", ".github/workflows/deploy.yml", "on: push\nenv:\n  API_KEY: ${{ secrets.PREFECT_API_KEY }}\n" + workflow("prefect config set PREFECT_API_KEY=$API_KEY")[len("on: push\n"):], nil, ""},
		{"key through GitLab's variables to prefect cloud login", ".gitlab-ci.yml", "variables:\n  API_KEY: " + cmdKey + "\n" + gitlab("prefect cloud login --key $API_KEY"), []string{cmdKey}, "api.key holds a secret"},
		{"key through GitLab's variables to prefect cloud login from the project's", ".gitlab-ci.yml", gitlab("prefect cloud login --key $API_KEY"), nil, ""},
		{"key through a Dockerfile ENV", "Dockerfile", "FROM alpine/k8s:1.30.0\nENV K=" + cmdKey + "\nRUN kubectl create secret generic k --from-literal=key=$K\n", []string{cmdKey}, "K is assigned"},
		{"key through a Dockerfile ARG", "Dockerfile", "FROM alpine/k8s:1.30.0\nARG K\nRUN kubectl create secret generic k --from-literal=key=$K\n", nil, ""},
		{"key through a Dockerfile RUN's secret", "Dockerfile", "FROM alpine/k8s:1.30.0\nRUN --mount=type=secret,id=k K=$(cat /run/secrets/k) && kubectl create secret generic k --from-literal=key=$K\n", nil, ""},

		// A Prefect API key is one wherever it is written.
		{"key to gh", "deploy.sh", "gh secret set PREFECT_API_KEY --body " + cmdKey + "\n", []string{cmdKey}, "******** is a Prefect API key written out: whoever reads the file reads it; keep it in the environment"},
		{"key to gh from the environment", "deploy.sh", "gh secret set PREFECT_API_KEY --body \"$PREFECT_API_KEY\"\n", nil, ""},
		{"key to gh placeholder", "deploy.sh", "gh secret set PREFECT_API_KEY --body 'pnu_<your-key>'\ngh secret set PREFECT_API_KEY --body pnu_xxx\n", nil, ""},
		{"key to fly", "deploy.sh", "fly secrets set PREFECT_API_KEY=" + cmdKey + "\n", []string{cmdKey}, "is a Prefect API key written out"},
		{"key to prefect cloud login", "deploy.sh", "echo '" + cmdKey + "' | prefect cloud login --key -\n", []string{cmdKey}, "is a Prefect API key written out"},
		{"key in an unused variable", "deploy.sh", "key=" + cmdKey + "\n", []string{cmdKey}, "is a Prefect API key written out"},
		{"key in a heredoc", "deploy.sh", "cat > .env <<EOF\nPREFECT_API_KEY=" + cmdKey + "\nEOF\n", []string{cmdKey}, "is a Prefect API key written out"},
		{"key exported once", "deploy.sh", "export PREFECT_API_KEY=" + cmdKey + "\nprefect deploy --all\n", []string{"PREFECT_API_KEY"}, "api.key holds a secret"},
		{"key-like names", "deploy.sh", "./scripts/pnu_0a1b2c3d4e5f6g7h8i9j0k1l.sh\nrun_pnu_0a1b2c3d4e5f6g7h8i9j0k1l2m3n\nexport PREFECT_API_KEY=${PREFECT_API_KEY:-}\n", nil, ""},
		{"key to gh in a Makefile", "Makefile", makefile("gh secret set PREFECT_API_KEY --body " + cmdKey), []string{cmdKey}, "is a Prefect API key written out"},
		{"key to gh in a Makefile from the environment", "Makefile", makefile("gh secret set PREFECT_API_KEY --body \"$$PREFECT_API_KEY\""), nil, ""},
		{"key to gh in a workflow", ".github/workflows/deploy.yml", workflow("gh secret set PREFECT_API_KEY --body " + cmdKey), []string{cmdKey}, "is a Prefect API key written out"},
		{"key to gh in a workflow from a secret", ".github/workflows/deploy.yml", workflow("gh secret set PREFECT_API_KEY --body ${{ secrets.PREFECT_API_KEY }}"), nil, ""},
		{"key to prefect cloud login in GitLab CI", ".gitlab-ci.yml", gitlab("echo " + cmdKey + " | prefect cloud login --key -"), []string{cmdKey}, "is a Prefect API key written out"},
		{"key to prefect cloud login in GitLab CI from a variable", ".gitlab-ci.yml", gitlab("echo $PREFECT_API_KEY | prefect cloud login --key -"), nil, ""},
		{"key in a Dockerfile RUN", "Dockerfile", "FROM prefecthq/prefect:3-latest\nRUN fly secrets set PREFECT_API_KEY=" + cmdKey + "\n", []string{cmdKey}, "is a Prefect API key written out"},
		{"key in a Dockerfile RUN from a secret", "Dockerfile", "FROM prefecthq/prefect:3-latest\nRUN --mount=type=secret,id=k fly secrets set PREFECT_API_KEY=$(cat /run/secrets/k)\n", nil, ""},
		{"key in a Compose command", "compose.yaml", compose("[\"sh\", \"-c\", \"echo " + cmdKey + " | prefect cloud login --key -\"]"), []string{cmdKey}, "is a Prefect API key written out"},
		{"key in a Compose command from a variable", "compose.yaml", compose("[\"sh\", \"-c\", \"echo $$PREFECT_API_KEY | prefect cloud login --key -\"]"), nil, ""},
		{"key in Kubernetes sh -c", "job.yaml", strings.Replace(job("[\"K="+cmdKey+"; kubectl create secret generic k --from-literal=key=$K\"]"), `command: ["kubectl"]`, `command: ["sh", "-c"]`, 1), []string{cmdKey}, "K is assigned"},
		{"key in Kubernetes sh -c from a variable", "job.yaml", strings.Replace(job("[\"K=$(PREFECT_API_KEY); kubectl create secret generic k --from-literal=key=$K\"]"), `command: ["kubectl"]`, `command: ["sh", "-c"]`, 1), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{tt.file: tt.text})
			fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Paths: []string{tt.file}})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, f := range fs {
				for _, secret := range []string{cmdKey, "Tr0ub4dor"} {
					if strings.Contains(f.Message, secret) || strings.Contains(f.Suggestion, secret) {
						t.Errorf("the finding shows the secret: %s", f)
					}
				}
				if f.Rule == RuleSecretInFile {
					got = append(got, fmt.Sprintf("%s:%d:%d", f.Pos.File, f.Pos.Line, f.Pos.Column))
				}
			}
			from := 0
			for _, secret := range tt.want {
				i := strings.Index(tt.text[from:], secret) + from
				line := strings.Count(tt.text[:i], "\n") + 1
				col := i - strings.LastIndexByte(tt.text[:i], '\n')
				want = append(want, fmt.Sprintf("%s:%d:%d", tt.file, line, col))
				from = i + len(secret)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s\nall findings:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), lines(fs))
			}
			for _, f := range fs {
				if f.Rule == RuleSecretInFile && !strings.Contains(f.Message, tt.says) {
					t.Errorf("the message does not say %q: %s", tt.says, f.Message)
				}
			}
		})
	}
}

func TestPassedCredential(t *testing.T) {
	tests := []struct {
		name, value, what, setting string
	}{
		{"key", cmdKey, "a Prefect API key", ""},
		{"PREFECT_API_KEY", cmdKey, "a Prefect API key", "api.key"},
		{"anything", "pnb_0a1b2c3d4e5f6g7h", "a Prefect API key", ""},
		{"key", "pnu_<your-key>", "", ""},
		{"key", "pnu_xxxxxxxx", "", ""},
		{"PREFECT_API_AUTH_STRING", cmdAuth, "the secret api.auth_string", "api.auth_string"},
		{"PREFECT_API_AUTH_STRING", "$AUTH", "", ""},
		{"PREFECT_SERVER_DATABASE_CONNECTION_URL", cmdURL, "server.database.connection_url with a password in its URL", "server.database.connection_url"},
		{"PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///data/prefect.db", "", ""},
		{"PREFECT_API_URL", "http://server:4200/api", "", ""},
		{"auth-string", cmdAuth, "an auth string", ""},
		{"server.basicAuth.authString", cmdAuth, "an auth string", ""},
		{"auth_string", "admin:pass", "", ""},
		{"auth-string", "no-colon", "", ""},
		{"connection-string", cmdURL, "a URL with a password", ""},
		{"url", "https://prefect.example.com/api", "", ""},
		{"postgresql.auth.password", "Tr0ub4dor", "a password", ""},
		{"postgres-password", "postgres", "", ""},
		{"PREFECT_DB_PASSWORD", "Tr0ub4dor", "a secret", ""},
		{"POSTGRES_PASSWORD", "Tr0ub4dor", "", ""},
		{"DATABASE_URL", cmdURL, "", ""},
		{"password", "Tr0ub4dor", "a password", ""},
		{"PREFECT_WORKER_TOKEN", "abc123", "a secret", ""},
		{"region", "us", "", ""},
		{"api-key-name", "prefect-api-key", "", ""},
		{"keyring", "none", "", ""},
		{"apiKey", "0a1b2c3d", "", ""},
	}
	for _, tt := range tests {
		what, setting := passedCredential(&deploy.Arg{Name: tt.name, Value: tt.value})
		if what != tt.what || setting != tt.setting {
			t.Errorf("passedCredential(%s=%s) = %q, %q; want %q, %q", tt.name, tt.value, what, setting, tt.what, tt.setting)
		}
	}
}

func TestNameWords(t *testing.T) {
	tests := map[string]string{
		"worker.cloudApiConfig.apiKey": "api key", "auth-string": "auth string", "PREFECT_API_AUTH_STRING": "prefect api auth string",
		"connectionString": "connection string", "key": "key", "": "", "a..b": "b", "--x__y": "x y",
	}
	for in, want := range tests {
		if got := strings.Join(nameWords(in), " "); got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// A credential handed through a variable is reported where it is written,
// and the finding points at where the variable is handed.
func TestSecretThroughVariableUse(t *testing.T) {
	dir := t.TempDir()
	text := "#!/bin/sh\nK=\"" + cmdKey + "\"\nkubectl create secret generic k \\\n  --from-literal=key=$K\n"
	write(t, dir, map[string]string{"deploy.sh": text})
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Paths: []string{"deploy.sh"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("want one finding, got:\n%s", lines(fs))
	}
	f := fs[0]
	if p := f.Pos; p.Line != 2 || p.Column != 4 || p.EndLine != 2 || p.EndColumn != 4+len(cmdKey) {
		t.Errorf("the finding is at %d:%d-%d:%d, want the value 2:4-2:%d", p.Line, p.Column, p.EndLine, p.EndColumn, 4+len(cmdKey))
	}
	if len(f.Related) != 1 || f.Related[0].Pos.Line != 4 || f.Related[0].Pos.Column != 22 {
		t.Errorf("related = %+v, want $K at 4:22", f.Related)
	}
}
