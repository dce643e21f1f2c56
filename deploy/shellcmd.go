package deploy

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The options that take a value, of the commands whose arguments are
// read: a value must not be taken for the command or requirement after
// them.
var (
	wrapperValued = map[string]bool{"-u": true, "-g": true, "-n": true, "-s": true, "-C": true, "--user": true, "--group": true, "--adjustment": true}
	runValued     = map[string]bool{
		"--with": true, "--with-requirements": true, "--with-editable": true, "--python": true, "-p": true,
		"--env-file": true, "--package": true, "--extra": true, "--group": true, "--only-group": true,
		"--no-group": true, "--directory": true, "--project": true, "--index": true, "--default-index": true,
		"--index-url": true, "--extra-index-url": true, "--find-links": true, "-f": true, "--from": true,
		"--refresh-package": true, "-P": true, "--upgrade-package": true, "--reinstall-package": true,
		"--config-setting": true, "--exclude-newer": true, "--prerelease": true, "--resolution": true,
		"--link-mode": true, "--cache-dir": true, "--color": true, "--config-file": true, "-n": true, "--name": true,
		"--prefix": true, "-w": true, "--script": true,
	}
	pipValued = map[string]bool{
		"-i": true, "--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true,
		"-t": true, "--target": true, "--prefix": true, "--root": true, "--python": true, "-p": true,
		"--platform": true, "--python-version": true, "--implementation": true, "--abi": true, "--src": true,
		"--upgrade-strategy": true, "--progress-bar": true, "--cache-dir": true, "--log": true, "--proxy": true,
		"--retries": true, "--timeout": true, "--exists-action": true, "--trusted-host": true, "--cert": true,
		"--client-cert": true, "--config-settings": true, "-C": true, "--global-option": true,
		"--no-binary": true, "--only-binary": true, "--report": true, "--group": true, "--extra": true,
		"--index": true, "--default-index": true, "--optional": true, "--dev-group": true, "--package": true,
		"--directory": true, "--project": true, "--constraints": true, "--overrides": true, "--python-platform": true,
	}
	dockerValued = map[string]bool{
		"-e": true, "--env": true, "--env-file": true, "--name": true, "-p": true, "--publish": true,
		"-v": true, "--volume": true, "--network": true, "--net": true, "-w": true, "--workdir": true,
		"-u": true, "--user": true, "--entrypoint": true, "--mount": true, "-l": true, "--label": true,
		"--restart": true, "--platform": true, "-h": true, "--hostname": true, "--cpus": true, "-m": true,
		"--memory": true, "--add-host": true, "--gpus": true, "--log-driver": true, "--log-opt": true,
		"--pull": true, "--shm-size": true, "--ulimit": true, "--device": true, "--cap-add": true,
		"--cap-drop": true, "--security-opt": true, "--link": true, "--expose": true, "--dns": true,
		"--tmpfs": true, "--ipc": true, "--pid": true, "--runtime": true, "--stop-signal": true,
		"--stop-timeout": true, "--health-cmd": true, "--health-interval": true, "--health-retries": true,
		"--health-timeout": true, "--volumes-from": true, "--label-file": true, "--cidfile": true,
		"--memory-swap": true, "--cpu-shares": true, "-c": true, "--cpuset-cpus": true, "--network-alias": true,
	}
)

// command reads one command, through the wrappers that run another
// (sudo, exec, env, uv run, tini --...).
func (r *shellReader) command(args []arg) {
	for depth := 0; len(args) > 0 && depth < 8; depth++ {
		name := path.Base(args[0].lit())
		sub := ""
		if len(args) > 1 {
			sub = args[1].lit()
		}
		switch {
		case name == "sudo" || name == "exec" || name == "nohup" || name == "time" || name == "command" ||
			name == "nice" || name == "tini" || name == "dumb-init" || name == "xargs":
			args = skipOptions(args[1:], wrapperValued, nil)
		case name == "gosu" || name == "su-exec":
			args = args[min(2, len(args)):]
		case name == "env":
			args = r.envCommand(args[1:])
		case sub == "run" && (name == "uv" || name == "poetry" || name == "pipenv" || name == "pdm" ||
			name == "hatch" || name == "rye" || name == "conda" || name == "pixi"):
			args = r.runOptions(args[2:])
		case name == "uvx" || name == "pipx" && sub == "run" || name == "uv" && sub == "tool" && len(args) > 2 && args[2].lit() == "run":
			if name == "pipx" {
				args = args[1:]
			} else if name == "uv" {
				args = args[2:]
			}
			args = r.runOptions(args[1:])
		case name == "uv" && sub == "pip" && len(args) > 2 && args[2].lit() == "install":
			r.pipInstall(args[3:], "uv pip install")
			return
		case name == "uv" && sub == "add", name == "poetry" && sub == "add", name == "pdm" && sub == "add":
			r.pipInstall(args[2:], name+" add")
			return
		case isPython(name):
			r.python(args)
			return
		case strings.HasPrefix(name, "pip") && isPipName(name):
			if sub == "install" {
				r.pipInstall(args[2:], name+" install")
			}
			return
		case name == "prefect":
			r.prefect(args)
			return
		case name == "sh" || name == "bash" || name == "dash" || name == "ash" || name == "zsh" || name == "ksh":
			r.shellC(args[1:])
			return
		case (name == "docker" || name == "podman") && (sub == "run" || sub == "create"):
			r.dockerRun(name+" "+sub, args[0], args[2:])
			return
		case (name == "docker" || name == "podman") && sub == "container" && len(args) > 2 && (args[2].lit() == "run" || args[2].lit() == "create"):
			r.dockerRun(name+" container "+args[2].lit(), args[0], args[3:])
			return
		case (name == "docker" || name == "podman") && sub == "exec":
			r.dockerEnv(name+" exec", args[2:])
			return
		case (name == "docker" || name == "podman") && sub == "container" && len(args) > 2 && args[2].lit() == "exec":
			r.dockerEnv(name+" container exec", args[3:])
			return
		case name == "docker" && sub == "service" && len(args) > 2 && (args[2].lit() == "create" || args[2].lit() == "update"):
			r.dockerEnv("docker service "+args[2].lit(), args[3:])
			return
		case (name == "docker" || name == "podman") && sub == "compose":
			r.compose(name+" compose", args[2:])
			return
		case name == "docker-compose" || name == "podman-compose":
			r.compose(name, args[1:])
			return
		case name == "kubectl" || name == "oc":
			r.kubectl(args)
			return
		case (name == "microk8s" || name == "k3s") && sub == "kubectl":
			args = args[1:]
		case name == "helm":
			r.helm(args)
			return
		case name == "set":
			r.set(args[1:])
			return
		case name == "unset":
			for _, a := range args[1:] {
				r.unset(a.lit())
			}
			return
		default:
			return
		}
	}
}

// skipOptions returns the arguments after the options that lead them
// (and a "--" that ends them), giving each option and its value (nil for
// an option that takes none) to each, when it is not nil.
func skipOptions(args []arg, valued map[string]bool, each func(opt, value *arg)) []arg {
	for len(args) > 0 {
		t := args[0].lit()
		var value *arg
		switch {
		case t == "--":
			return args[1:]
		case !strings.HasPrefix(t, "-") || t == "-":
			return args
		case valued[t] && len(args) > 1:
			value = &args[1]
		}
		if each != nil {
			each(&args[0], value)
		}
		if value != nil {
			args = args[2:]
		} else {
			args = args[1:]
		}
	}
	return args
}

// runOptions reads the options of uv run, uvx and their kind (--with
// prefect==3.4.2 is the release run), and returns the command they run.
func (r *shellReader) runOptions(args []arg) []arg {
	return skipOptions(args, runValued, func(opt, value *arg) {
		t := opt.lit()
		switch {
		case (t == "--with" || t == "--from") && value != nil:
			r.requirement(*value, "uv run "+t)
		case strings.HasPrefix(t, "--with=") || strings.HasPrefix(t, "--from="):
			flag, spec, _ := strings.Cut(t, "=")
			if h, ok := requirementHint(spec, r.s.at(int(opt.w.Pos().Offset())+len(flag)+1), "uv run "+t); ok {
				r.out.Release = h
			}
		}
	})
}

// envCommand reads env's NAME=value arguments and returns the command it
// runs with them.
func (r *shellReader) envCommand(args []arg) []arg {
	for len(args) > 0 {
		t := args[0].lit()
		switch {
		case t == "-u" || t == "--unset" || t == "-C" || t == "--chdir" || t == "-S" || t == "--split-string":
			args = args[min(2, len(args)):]
		case t == "--":
			args = args[1:]
		case strings.HasPrefix(t, "-"):
			args = args[1:]
		default:
			v, ok := r.nameValue(args[0].w)
			if !ok {
				return args
			}
			v.Via = viaEnv
			r.addVar(v)
			args = args[1:]
		}
	}
	return args
}

func isPython(name string) bool {
	if name == "python" || name == "python3" || name == "py" {
		return true
	}
	rest, ok := strings.CutPrefix(name, "python3.")
	return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
}

func isPipName(name string) bool {
	rest := strings.TrimPrefix(strings.TrimPrefix(name, "pip"), "3")
	return rest == "" || strings.HasPrefix(rest, ".") && strings.Trim(rest[1:], "0123456789") == ""
}

// python reads python -m MODULE (prefect, pip) and python SCRIPT, which
// runs Prefect code as a client.
func (r *shellReader) python(args []arg) {
	for i := 1; i < len(args); i++ {
		t := args[i].lit()
		switch {
		case t == "-m" && i+1 < len(args):
			switch args[i+1].lit() {
			case "prefect":
				r.prefect(args[i+1:])
			case "pip":
				if i+2 < len(args) && args[i+2].lit() == "install" {
					r.pipInstall(args[i+3:], "python -m pip install")
				}
			case "venv", "ensurepip", "virtualenv", "uv":
			default:
				r.setRole(Client, args)
			}
			return
		case t == "-V" || t == "--version" || t == "-h" || t == "--help":
			return
		case t == "-c" || !strings.HasPrefix(t, "-"):
			r.setRole(Client, args)
			return
		}
	}
}

// setRole records what a command runs, a server outranking a worker, a
// worker a client; of two commands of a role, the later (prefect config
// set, then prefect deploy).
func (r *shellReader) setRole(role Role, args []arg) {
	if roleRank(role) < roleRank(r.out.Role) {
		return
	}
	r.out.Role = role
	r.out.Command = nil
	for _, a := range args {
		r.out.Command = append(r.out.Command, r.written(int(a.w.Pos().Offset()), int(a.w.End().Offset())))
	}
}

// prefect reads a prefect command: the role it gives, the settings it
// writes into a profile (config set, cloud login), the profile it
// selects.
func (r *shellReader) prefect(args []arg) {
	i, profile := 1, ""
	for i < len(args) && strings.HasPrefix(args[i].lit(), "-") {
		t := args[i].lit()
		switch {
		case (t == "--profile" || t == "-p") && i+1 < len(args):
			profile = args[i+1].lit()
			r.note(NoteProfile, r.s.at(int(args[i].w.Pos().Offset())), "prefect runs with profile %q: the settings it reads and writes are that profile's", profile)
			i += 2
		case strings.HasPrefix(t, "--profile="):
			profile = strings.TrimPrefix(t, "--profile=")
			r.note(NoteProfile, r.s.at(int(args[i].w.Pos().Offset())), "prefect runs with profile %q: the settings it reads and writes are that profile's", profile)
			i++
		default:
			i++
		}
	}
	word := func(j int) string {
		if i+j < len(args) {
			return args[i+j].lit()
		}
		return ""
	}
	role := Client
	switch cmd := word(0) + " " + word(1); cmd {
	case "server start":
		role = Server
	case "worker start":
		role = Worker
	case "agent start":
		role = Worker
		if r.out.Release.IsZero() {
			r.out.Release = ReleaseHint{Major: 2, Pos: r.s.at(int(args[0].w.Pos().Offset())), From: "prefect agent start"}
		}
	case "config set":
		for _, a := range args[i+2:] {
			if strings.HasPrefix(a.lit(), "-") {
				continue
			}
			if v, ok := r.nameValue(a.w); ok {
				v.Via, v.InProfile, v.Profile, v.ProfilesFile = viaConfigSet, true, profile, r.profilesFile()
				r.addVar(v)
			}
		}
	case "profile use", "profile create":
		if name := word(2); name != "" {
			if cmd == "profile use" {
				r.profile = name
			}
			r.note(NoteProfile, r.s.at(int(args[i].w.Pos().Offset())), "prefect %s %q: the settings prefect then reads and writes are that profile's", cmd, name)
		}
	case "cloud login":
		r.cloudLogin(args[i+2:], profile)
	case "--version ", "version ":
		return
	}
	r.setRole(role, args)
}

// cloudLogin reads prefect cloud login --key KEY, which writes the key
// into the profile.
func (r *shellReader) cloudLogin(args []arg, profile string) {
	for j := 0; j < len(args); j++ {
		t := args[j].lit()
		var v Var
		switch {
		case (t == "--key" || t == "-k") && j+1 < len(args):
			key := args[j+1]
			v = Var{Pos: r.s.at(int(args[j].w.Pos().Offset())), ValuePos: r.s.at(int(key.w.Pos().Offset())), Refs: key.val().refs}
			setValue(&v, *key.val())
			v.LiteralPos, _ = r.literalAt(*key.val(), key.val().text)
		case strings.HasPrefix(t, "--key="):
			off := int(args[j].w.Pos().Offset())
			v = Var{Pos: r.s.at(off), ValuePos: r.s.at(off + len("--key=")), Value: strings.TrimPrefix(t, "--key="), Literal: args[j].val().literal}
		default:
			continue
		}
		v.Name, v.Via, v.InProfile, v.Profile, v.ProfilesFile = "PREFECT_API_KEY", viaCloudLogin, true, profile, r.profilesFile()
		r.addVar(v)
		return
	}
}

// pipInstall reads the requirements of pip install, uv pip install, uv
// add: prefect's tells the release.
func (r *shellReader) pipInstall(args []arg, cmd string) {
	for j := 0; j < len(args); j++ {
		t := args[j].lit()
		switch {
		case t == "-r" || t == "--requirement" || t == "-c" || t == "--constraint" || t == "-e" || t == "--editable":
			if j+1 < len(args) {
				r.releaseFile(args[j], cmd+" "+t+" "+r.wordText(args[j+1]))
				j++
			}
		case strings.HasPrefix(t, "--requirement=") || strings.HasPrefix(t, "--constraint=") ||
			strings.HasPrefix(t, "-r") && len(t) > 2 && !strings.HasPrefix(t, "--"):
			r.releaseFile(args[j], cmd+" "+t)
		case pipValued[t]:
			j++
		case strings.HasPrefix(t, "-"):
		case t == "." || strings.HasPrefix(t, "./") || strings.HasPrefix(t, "/"):
			r.releaseFile(args[j], cmd+" "+t)
		case args[j].val().known:
			r.requirement(args[j], cmd)
		}
	}
}

func (r *shellReader) releaseFile(a arg, what string) {
	r.note(NoteReleaseFile, r.s.at(int(a.w.Pos().Offset())), "%s: the Prefect release it installs is pinned there, if anywhere", what)
}

// requirement reads one requirement an installer is given.
func (r *shellReader) requirement(a arg, cmd string) {
	spec := a.lit()
	if name, ver, ok := strings.Cut(spec, "@"); ok && cmd == "poetry add" {
		spec = name + "==" + ver // poetry add prefect@3.4.2
	}
	if h, ok := requirementHint(spec, r.s.at(int(a.w.Pos().Offset())), cmd+" "+a.lit()); ok {
		r.out.Release = h
	}
}

// wordText returns a word as written.
func (r *shellReader) wordText(a arg) string {
	return r.written(int(a.w.Pos().Offset()), int(a.w.End().Offset()))
}

// set reads set -a (set -o allexport), which exports every variable
// assigned after it.
func (r *shellReader) set(args []arg) {
	for j := 0; j < len(args); j++ {
		t := args[j].lit()
		switch {
		case (t == "-o" || t == "+o") && j+1 < len(args):
			if args[j+1].lit() == "allexport" {
				r.allexport = t == "-o"
			}
			j++
		case strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "--") && strings.ContainsRune(t, 'a'):
			r.allexport = true
		case strings.HasPrefix(t, "+") && strings.ContainsRune(t, 'a'):
			r.allexport = false
		}
	}
}

// shellC reads sh -c SCRIPT: the script is read as a part of this one,
// with the variables exported so far.
func (r *shellReader) shellC(args []arg) {
	for j := 0; j < len(args); j++ {
		t := args[j].lit()
		if t == "-o" || t == "+o" {
			j++
			continue
		}
		if !strings.HasPrefix(t, "-") || strings.HasPrefix(t, "--") {
			return // a script file, or bash --login and the like
		}
		if !strings.ContainsRune(t, 'c') || j+1 >= len(args) {
			continue
		}
		a := args[j+1]
		if !a.val().known || r.lim.depth >= maxScriptDepth {
			return
		}
		sub := &Script{Text: a.val().text, File: r.s.File, Spans: r.wordSpans(a), base: r, templates: r.s.templates}
		r.lim.depth++
		sh := readScript(sub, r.lim)
		r.lim.depth--
		r.merge(sh)
		return
	}
}

// wordSpans places the value of a word in the file: piece by piece when
// the word is written verbatim (quoted without escapes), else all of it
// where the word starts.
func (r *shellReader) wordSpans(a arg) []Span {
	off, end := int(a.w.Pos().Offset()), int(a.w.End().Offset())
	inner := r.s.Text[off:end]
	if len(a.w.Parts) == 1 {
		switch a.w.Parts[0].(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			off, inner = off+1, inner[1:len(inner)-1]
		}
	}
	if inner != a.val().text {
		return []Span{{Off: 0, Len: len(a.val().text), Pos: r.s.at(int(a.w.Pos().Offset()))}}
	}
	var spans []Span
	for k := 0; k <= len(inner); {
		n := strings.IndexByte(inner[k:], '\n')
		if n < 0 {
			n = len(inner) - k
		}
		// A line's blanks may be a YAML block's indentation, which no span
		// of this script's places: the line is placed from its first word.
		lead := len(inner[k:k+n]) - len(strings.TrimLeft(inner[k:k+n], " \t"))
		if n > lead {
			spans = append(spans, Span{Off: k + lead, Len: n - lead, Pos: r.s.at(off + k + lead)})
		}
		k += n + 1
	}
	return spans
}

// merge adds what a script run by this one does.
func (r *shellReader) merge(sh *Shell) {
	for i, v := range sh.Vars {
		r.out.Vars = append(r.out.Vars, v)
		at := r.out.commands
		if sh.ranAfter(i) {
			at--
		}
		r.out.setAt = append(r.out.setAt, at)
	}
	r.out.Notes = append(r.out.Notes, sh.Notes...)
	r.out.Containers = append(r.out.Containers, sh.Containers...)
	r.out.Later = append(r.out.Later, sh.Later...)
	if !sh.Release.IsZero() {
		r.out.Release = sh.Release
	}
	if roleRank(sh.Role) >= roleRank(r.out.Role) && sh.Role != Unknown {
		r.out.Role, r.out.Command = sh.Role, sh.Command
	}
}

// roleRank orders the roles a file may tell of one container: a server
// outranks a worker, a worker a client.
func roleRank(r Role) int {
	switch r {
	case Server:
		return 3
	case Worker:
		return 2
	case Client:
		return 1
	}
	return 0
}

// dockerRun reads docker run: a container of its own, with the variables
// -e gives it and the role of the command it runs.
func (r *shellReader) dockerRun(tool string, docker arg, args []arg) {
	c := Container{What: "container", Pos: r.s.at(int(docker.w.Pos().Offset()))}
	for len(args) > 0 {
		t := args[0].lit()
		if !strings.HasPrefix(t, "-") {
			break
		}
		var value *arg
		if dockerValued[t] && len(args) > 1 {
			value = &args[1]
		}
		e, isEnv := envOption(args, "-e", "--env")
		switch {
		case isEnv && e.k > 0: // --env=NAME=VALUE, -eNAME=VALUE
			r.namedValue(tool, e.flag, e.a, e.k)
		case isEnv:
			if v, ok := r.nameValue(value.w); ok {
				v.Via = viaDockerRun
				v.Passed = r.namedValue(tool, t, *value, 0)
				c.Vars = append(c.Vars, v)
			} else if name := value.lit(); isShellName(name) {
				v := Var{Name: name, Pos: r.s.at(int(value.w.Pos().Offset())), Via: viaDockerRun}
				sv := r.get(name)
				ref := Ref{Name: name, Pos: v.Pos, Set: sv != nil, Unexpanded: sv == nil}
				if sv != nil && sv.known {
					v.Value, v.Literal = sv.text, sv.literal
				} else if sv != nil {
					v.Deferred, v.written = sv.deferred, sv.written
				} else {
					v.Deferred = "$" + name
				}
				v.Refs = []Ref{ref}
				c.Vars = append(c.Vars, v)
			}
		case t == "--env-file" && value != nil:
			r.note(NoteUnread, r.s.at(int(args[0].w.Pos().Offset())), "docker run --env-file %s: the variables of that file are read when the container starts", r.wordText(*value))
		case (t == "-v" || t == "--volume") && value != nil:
			spec := value.lit()
			if !value.val().known {
				spec = value.val().deferred
			}
			if m, ok := settingsMount(spec); ok {
				m.Pos = r.s.at(int(value.w.Pos().Offset()))
				c.Mounts = append(c.Mounts, m)
			}
		case t == "--name" && value != nil:
			c.Name = value.lit()
		}
		if value != nil {
			args = args[2:]
		} else {
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return
	}
	c.Image = args[0].lit()
	if c.Image == "" {
		c.Image = r.wordText(args[0])
	}
	if c.Name == "" {
		c.Name = c.Image
	}
	if h, ok := imageHint(c.Image, r.s.at(int(args[0].w.Pos().Offset()))); ok {
		c.Release = h
	}
	inner := &shellReader{s: r.s, lim: r.lim, out: &Shell{}, vars: map[string]*shVar{}, profile: r.profile}
	inner.command(args[1:])
	c.Role, c.Command = inner.out.Role, inner.out.Command
	c.Vars = append(c.Vars, inner.out.Vars...)
	for _, n := range inner.out.Notes {
		if n.Code == NoteArg {
			r.out.Notes = append(r.out.Notes, n) // docker run IMAGE kubectl create secret...
		}
	}
	if !inner.out.Release.IsZero() {
		c.Release = inner.out.Release
	}
	r.out.Containers = append(r.out.Containers, c)
}

// settingsMount reads a volume HOST:CONTAINER[:opts] that mounts a file
// Prefect reads from its working directory or home.
func settingsMount(spec string) (Mount, bool) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 {
		return Mount{}, false
	}
	switch path.Base(parts[0]) {
	case ".env", "prefect.toml", "pyproject.toml", "profiles.toml":
		return Mount{Host: parts[0], Container: parts[1]}, true
	}
	return Mount{}, false
}

// profilesFile returns the profiles file a prefect command run now writes
// when the variables it is started with move it (Prefect's profiles_path
// setting, computed from home when not set); "" for the default, or when
// what moves it is not known here.
func (r *shellReader) profilesFile() string {
	known := func(name string) string {
		if sv := r.get(name); sv != nil && sv.exported && sv.known {
			return sv.text
		}
		return ""
	}
	if p := known("PREFECT_PROFILES_PATH"); p != "" {
		return p
	}
	if h := known("PREFECT_HOME"); h != "" {
		return path.Join(h, "profiles.toml")
	}
	return ""
}
