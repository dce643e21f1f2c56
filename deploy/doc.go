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
package deploy
