package main

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/release"
)

// TestScripts runs the CLI scripts of testdata/script: each holds the
// commands, their input files and the exact expected output, in a hermetic
// environment (HOME and the working directory are the script's own).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", filepath.Dir(strataBin)+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("STRATA_DIR", filepath.Dir(strataBin)) // PATH=$STRATA_DIR hides every other command
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			// The releases Strata knows: $NEWEST is the one it assumes.
			env.Setenv("OLDEST", release.Oldest().String())
			env.Setenv("NEWEST", release.Newest().String())
			return os.MkdirAll(filepath.Join(env.WorkDir, "home"), 0o755)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"apiserver": apiServer,
			"filemode":  fileMode,
			"chown":     chownCmd,
			"owner":     ownerCmd,
			"nohelp":    noHelp,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "chown" {
				return canChown(), nil
			}
			if kind, ok := strings.CutPrefix(cond, "reads:"); ok {
				return readsKind(kind), nil // [reads:dockerfile]: this build reads such files
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
	})
}

// apiServer starts a Prefect API stand-in for the rest of the script:
// apiserver [-tls] STATUS. Every request answers STATUS; its method, path and
// the headers a client configures are appended to $WORK/requests. The URL of
// the API is put in $API_URL; with -tls the server's certificate is written
// to $WORK/ca.pem.
func apiServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! apiserver")
	}
	useTLS := len(args) > 0 && args[0] == "-tls"
	if useTLS {
		args = args[1:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: apiserver [-tls] STATUS")
	}
	status, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	var mu sync.Mutex
	log := ts.MkAbs("requests")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.Path)
		var names []string
		for k := range r.Header {
			if k == "Authorization" || k == "User-Agent" || strings.HasPrefix(k, "X-") || strings.HasPrefix(k, "Prefect-") {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(r.Header[k], ", "))
		}
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			f.WriteString(b.String())
			f.Close()
		}
		w.WriteHeader(status)
		fmt.Fprintln(w, "true")
	})
	var srv *httptest.Server
	if useTLS {
		srv = httptest.NewTLSServer(h)
		cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		ts.Check(os.WriteFile(ts.MkAbs("ca.pem"), cert, 0o644))
	} else {
		srv = httptest.NewServer(h)
	}
	ts.Defer(srv.Close)
	ts.Setenv("API_URL", srv.URL+"/api")
}

// noHelp copies a SARIF log without its rules' help, the rules' pages,
// which lint's TestSARIFHelp checks: nohelp IN OUT. The scripts then pin
// the rest of the log, whatever the pages say.
func noHelp(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nohelp IN OUT")
	}
	var out []string
	skip := "" // the line that ends the help object being skipped
	for _, line := range strings.SplitAfter(ts.ReadFile(args[0]), "\n") {
		switch {
		case skip != "":
			if strings.TrimSuffix(strings.TrimSuffix(line, "\n"), ",") == skip {
				skip = ""
			}
		case strings.TrimSpace(line) == `"help": {`:
			skip = line[:len(line)-len(strings.TrimLeft(line, " "))] + "}"
		default:
			out = append(out, line)
		}
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Join(out, "")), 0o644))
}

// fileMode checks a file's permission bits: filemode FILE 0600.
func fileMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: filemode FILE MODE")
	}
	st, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fmt.Sprintf("%04o", st.Mode().Perm())
	if (got == args[1]) == neg {
		ts.Fatalf("%s has mode %s", args[0], got)
	}
}

// canChown reports whether this process may give files to another owner
// (as root does): the scripts that check ownership need it.
func canChown() bool {
	f, err := os.CreateTemp("", "chown")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	f.Close()
	return os.Chown(f.Name(), 12345, 12345) == nil
}

// chownCmd changes a file's owner and group: chown UID:GID FILE.
func chownCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: chown UID:GID FILE")
	}
	uid, gid := ids(ts, args[0])
	ts.Check(os.Chown(ts.MkAbs(args[1]), uid, gid))
}

// ownerCmd checks a file's owner and group: owner FILE UID:GID.
func ownerCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: owner FILE UID:GID")
	}
	st, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	uid, gid := ids(ts, args[1])
	got, want := fileOwner(st), fmt.Sprintf("%d:%d", uid, gid)
	if (got == want) == neg {
		ts.Fatalf("%s is owned by %s", args[0], got)
	}
}

func ids(ts *testscript.TestScript, s string) (uid, gid int) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil {
		ts.Fatalf("bad owner %q: want UID:GID", s)
	}
	return uid, gid
}

// readsKind reports whether a kind of deployment file is read.
func readsKind(name string) bool {
	for _, k := range deploy.Kinds() {
		if k.Name == name {
			return true
		}
	}
	return false
}
