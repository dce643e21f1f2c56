// Package deploy reads the files deployments write Prefect settings in:
// Compose files, Kubernetes manifests, values of Prefect's Helm charts,
// Dockerfiles, shell scripts and Makefiles, CI workflows and prefect.yaml.
//
// Each kind of file is one reader (a row of Kinds) that turns a file into
// the containers it describes, each with its environment as written: every
// variable with the position of its name and value, how it is set, and a
// hint of the Prefect release the container runs. Nothing outside this
// package knows one kind from another: the engine resolves a Container's
// Vars as an environment (settings.Options), and lint checks every
// Container the same way.
//
// The YAML readers keep the position of every name and value from yaml.v3
// node trees, through anchors, aliases and merge keys:
//
//   - Compose files (ReadCompose for a base and its overrides) are loaded
//     by compose-go, the loader of docker compose itself, and positioned
//     from the nodes of the same files; env_file files are read through
//     Input.ReadFile with compose-go's own parser.
//   - Kubernetes manifests (ReadKubernetes for several files applied
//     together, rendered `helm template` or `kustomize build` output
//     included) give each container its environment as kubelet builds it:
//     service links, envFrom, env with $(VAR) expanded, Secrets and
//     ConfigMaps of the files resolved, the rest Deferred.
//   - Values files of Prefect's Helm charts (ReadHelmValues) give the
//     variables the charts' templates set from them.
//
// The other readers read each format with the parser of the tool that
// runs it:
//
//   - Dockerfiles, with BuildKit's parser: one container per stage, with
//     the variables the running container sees (ENV as BuildKit expands
//     it, what RUN prefect config set writes into the image's profiles
//     file, ARG as build-only), at columns computed from the source lines.
//   - Shell scripts, with mvdan.cc/sh, and Makefiles, whose recipes are
//     shell once make has expanded them. ReadScript reads a script written
//     in another file (a Compose command, a Kubernetes args, a workflow's
//     run:) where it is written; YAMLText places one held in a YAML scalar.
//   - GitHub Actions and GitLab CI workflows: a container per job, and
//     one per step that adds to the job's environment; expressions and
//     CI/CD variables are Deferred.
//   - prefect.yaml: a container per deployment, with its
//     work_pool.job_variables.env.
//
// IsDotEnvTemplate tells the templates of .env files (.env.example) a
// walk reads as .env content.
//
// ReleaseFromImage and RoleOf read the release an image runs and the role
// of a command, for every reader; (*File).Select picks the container the
// user names. Notes carry the codes of the Note* constants.
package deploy
