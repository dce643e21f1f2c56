package deploy

import "github.com/strata-settings/strata/sources"

// File is what a reader found in one file.
type File struct {
	Path       string      // as given to Read
	Kind       string      // the Kind that read it: "compose", "kubernetes"...
	Containers []Container // in the order written
	// Notes are the reader's observations that concern no one variable
	// or that hold for the file as a whole: a Kubernetes Secret with its
	// data in plain text, a script line the shell parser rejects.
	Notes []Note
	// writes reports whether the file writes a value at a dotted key
	// (the values of a Helm chart); nil for other kinds.
	writes func(key string) bool
}

// Container is one place a set of variables applies together: a Compose
// service, a container of a Kubernetes workload, a Dockerfile stage, a
// workflow job or step, a script, a Helm chart's component, a prefect.yaml
// deployment.
type Container struct {
	// Name is what the user names it by (--service, --workload,
	// --stage): the Compose service, the workload's metadata.name, the
	// stage's name or index.
	Name string
	// Sub names the part of it the variables belong to, when there are
	// several: a Kubernetes container's name, a workflow step's name.
	Sub string
	// What says what it is, for messages: "service", "Deployment",
	// "stage", "job", "step", "script", "values", "deployment".
	What string
	// Host is the name other containers of the same file reach it by
	// (a Compose service name, a Kubernetes Service's name); empty when
	// there is none.
	Host string
	// Network says whose network it shares instead of one of its own:
	// "host" for the machine's (Compose network_mode: host, a pod's
	// hostNetwork), "service:NAME" for another container's (Compose
	// network_mode: service:NAME, or container:NAME naming a service's
	// container), "container:NAME" for a container the file does not
	// describe. Containers of one Kubernetes workload share theirs, Name
	// and all.
	Network string
	Pos     sources.Position // where it is declared
	// Image is the image it runs, as written (after interpolation).
	Image string
	// Command is what it runs, as written (command, entrypoint, args, a
	// RUN or CMD line), used to tell a server from a worker or client.
	Command []string
	// Role is what Prefect runs in it, as far as the file tells.
	Role Role
	// Release is the Prefect release the file says the container runs.
	Release ReleaseHint
	// Vars are the variables set for it, in the order they take effect:
	// a later variable of the same name overrides an earlier one.
	Vars []Var
	// Mounts are host files the file mounts into the container's working
	// directory, which Prefect inside the container reads (.env,
	// prefect.toml, pyproject.toml, a profiles file).
	Mounts []Mount
	// Dir is its working directory, when the file says it (a Kubernetes
	// container's workingDir); empty: the image's.
	Dir string
	// Secrets name the secrets the platform hands the container as files
	// (Compose secrets), where a credential can live instead of the
	// environment.
	Secrets []string
	// Notes are the reader's observations about this container.
	Notes []Note
}

// Environ returns the container's environment as NAME=VALUE strings, the
// last value of each name winning, as a process started with it sees it.
// Variables whose value exists only at deploy time are left out, and so
// is a name whose last assignment is such a variable: the earlier values
// are overridden at deploy time. A profile's settings (InProfile) and
// build arguments (Build) are no environment variables of the running
// container: they are left out as well, and override nothing.
func (c *Container) Environ() []string {
	last := map[string]int{}
	for i, v := range c.Vars {
		if !v.InProfile && !v.Build {
			last[v.Name] = i
		}
	}
	out := make([]string, 0, len(last))
	for i, v := range c.Vars {
		if j, ok := last[v.Name]; ok && j == i && v.Deferred == "" {
			out = append(out, v.Name+"="+v.Value)
		}
	}
	return out
}

// Role is what Prefect runs in a container.
type Role uint8

// The roles.
const (
	Unknown Role = iota // the file does not tell
	Server              // prefect server start, the server chart
	Worker              // prefect worker start, the worker chart
	Client              // anything else that runs Prefect code: flows, deployments, agents
)

var roleNames = [...]string{Unknown: "unknown", Server: "server", Worker: "worker", Client: "client"}

// String names the role.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "unknown"
}

// Var is one environment variable a file sets.
type Var struct {
	Name  string
	Value string           // after the file format's own interpolation
	Pos   sources.Position // where the name is written
	// ValuePos is where the value is written; zero when it is written
	// where the name is (NAME=value).
	ValuePos sources.Position
	// Via says how it is set, for messages: "environment", "env_file",
	// "ENV", "ARG", "export", "prefect config set", "valueFrom"...
	Via string
	// Literal is set when the value is written out in the file itself,
	// not taken from a reference (${VAR}, a Secret, an env_file, a CI
	// secret): a credential written so is committed with the file.
	Literal bool
	// Baked is set when the value is written into an image layer (a
	// Dockerfile's ENV, or a RUN prefect config set) or its history (an
	// ARG a RUN sees), where anyone who pulls the image can read it.
	Baked bool
	// LiteralPos is, for a value that is the whole value of another
	// variable the file writes out (K=pnu_...; export PREFECT_API_KEY=$K;
	// a workflow's env: entry a run: step hands on), where that value is
	// written.
	LiteralPos sources.Position
	// Passed is set for a variable docker run -e gives a container whose
	// value is noted where it is written (NoteArg), through a variable
	// of the script included: the note, not the variable, tells of a
	// credential written out.
	Passed bool
	// InProfile is set for a setting written into a Prefect profile
	// (prefect config set, prefect cloud login) rather than the
	// environment: Prefect reads it below the environment, .env and
	// prefect.toml, whatever the order it is written in. Profile names the
	// profile when the file tells (prefect --profile NAME, prefect profile
	// use NAME); empty means the active one.
	InProfile bool
	Profile   string
	// ProfilesFile is, for a setting written into a profile, the profiles
	// file the command writes when its environment moves it from
	// ~/.prefect/profiles.toml: PREFECT_PROFILES_PATH, else
	// $PREFECT_HOME/profiles.toml, which every Prefect 3 release writes
	// to (and not every one reads from).
	ProfilesFile string
	// Build is set for a variable that exists only while an image is built
	// (a Dockerfile ARG): the RUN instructions see it, the running
	// container does not, unless an ENV copies it.
	Build bool
	// Deferred says where a value that exists only at deploy time comes
	// from ("secretKeyRef prefect-api/key", "${{ secrets.PREFECT_API_KEY }}");
	// Value is then empty and means nothing.
	Deferred string
	// written is set when Deferred is the value as written, references and
	// all (pnu_$(cat key)): what it writes beside them may be a secret's.
	written bool
	// Refs are the references the value was built from (${VAR}, $(VAR)),
	// each with whether it had a value.
	Refs []Ref
	// Implicit is set for a variable the file does not write itself but
	// the platform or the tool reading it sets from it: a Kubernetes
	// service link (PREFECT_SERVER_SERVICE_HOST from a Service named
	// prefect-server), a Helm chart's default. Pos is then where what
	// brings it in is written (the Service's name, the nearest key of
	// the chart's values). Checks of how a name is spelt do not apply.
	Implicit bool
	// Templated is set for a variable whose name a template picks (a
	// Helm chart renders server.loggingLevel as PREFECT_LOGGING_SERVER_LEVEL)
	// while the file writes only its value: the name, legacy or not, is
	// not the file's to change.
	Templated bool
}

// At returns where the value is written.
func (v *Var) At() sources.Position {
	if v.ValuePos.IsValid() {
		return v.ValuePos
	}
	return v.Pos
}

// Ref is one reference to another variable inside a value.
type Ref struct {
	Name string
	Pos  sources.Position
	// Set is whether the variable had a value when the file was
	// interpolated; Default whether the reference names a default
	// (${VAR:-x}) that was used instead.
	Set, Default bool
	// Unexpanded is set when the reference stays as written in the value
	// (a $VAR in a Kubernetes value, which only a shell would expand).
	Unexpanded bool
}

// ReleaseHint is what a file says of the Prefect release a container runs.
type ReleaseHint struct {
	// Version is the release ("3.4.22"); empty when the file names none
	// or names it only as "the newest" (Newest).
	Version string
	// Newest is set for a tag that follows the newest release
	// (3-latest, 3-python3.12, latest).
	Newest bool
	// Major is the major version when it is not 3 (Prefect 2 images),
	// which Strata does not support; 0 when unknown or 3.
	Major int
	Pos   sources.Position // where it is written
	From  string           // what it was read from: "image prefecthq/prefect:3.4.22-python3.11", "pip install prefect==3.4.2"
}

// IsZero reports whether the file says nothing of the release.
func (h ReleaseHint) IsZero() bool { return h.Version == "" && !h.Newest && h.Major == 0 }

// Mount is a host file mounted into a container, or a host directory
// mounted as its working directory (whose .env, prefect.toml and
// pyproject.toml Prefect then reads), or a file whose content the
// deployment file itself holds (a Kubernetes ConfigMap or Secret mounted
// as a volume).
type Mount struct {
	Host      string           // the host path, relative to the directory of the file
	Container string           // the path inside the container
	Pos       sources.Position // where the mount is written
	// Data is the file's content, when the deployment file holds it
	// (Host is then empty); DataPos is where that content is written,
	// and InPlace says that its lines are the file's lines from there on,
	// each at DataPos's column. From says what holds it: `ConfigMap
	// "prefect" key "prefect.toml"`.
	Data    []byte
	DataPos sources.Position
	InPlace bool
	From    string
	// Deferred, when set, says why the content of the file mounted at
	// Container is known only when the container is deployed: `ConfigMap
	// "prefect", which no file read defines`.
	Deferred string
}

// Note is an observation of a reader, with a stable code lint turns into a
// finding of the same id.
type Note struct {
	Code    string // a lint rule id: "secret-in-manifest", "unset-interpolation"...
	Pos     sources.Position
	Message string // one line, lower-case, never a secret's value
	Setting string // dotted path of the setting concerned, if one is
	// moot lists the keys of a Helm chart's values any of which, written
	// in another values file of the same directory (helm install -f
	// values.yaml -f values-prod.yaml), may supply what the note says is
	// missing.
	moot []string
	// Arg is, for a note of code NoteArg, the value a command hands
	// another tool on its command line.
	Arg *Arg
}
