// Credentials a command hands another tool on its command line: a Secret
// kubectl creates, a chart helm installs, a container docker starts, each
// given a credential written out in the script, Makefile, workflow or
// manifest that runs the command.

package lint

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// secretPassed reports a credential written out on a command line
// (deploy.NoteArg), at the value, masked, unless git ignores the file.
func (l *linter) secretPassed(n deploy.Note) {
	a := n.Arg
	var what, setting string
	if a.Bare {
		if apiKeyValue(a.Value) {
			what = "a Prefect API key"
		}
	} else {
		what, setting = passedCredential(a)
	}
	if what == "" {
		return
	}
	state := l.gitState(n.Pos.File)
	if state == gitIgnored {
		return
	}
	where := "whoever reads the file reads it"
	if state == gitTracked {
		where = "git tracks the file, so it is in the repository's history: rotate it"
	}
	if a.Bare {
		l.report(RuleSecretInFile, n.Pos, "", "",
			"%s is %s written out: %s; keep it in the environment (PREFECT_API_KEY, set where the script runs), a secret store (a secret of the CI, a Kubernetes Secret) or a file git ignores, and take it from there",
			maskedValue(a.Value), what, where)
		return
	}
	shown := a.Option + a.Name + "=" + maskedValue(a.Value)
	instead, suggestion := passedInstead(a)
	if a.Var != "" {
		l.reportMore(more{related: []diag.Related{{Pos: a.Use, Message: fmt.Sprintf("$%s is handed to %s here", a.Var, a.Tool)}}},
			RuleSecretInFile, n.Pos, setting, suggestion,
			"%s is assigned %s written out, which %s%s=$%s hands to %s: %s; %s", a.Var, what, a.Option, a.Name, a.Var, a.Tool, where, instead)
		return
	}
	l.report(RuleSecretInFile, n.Pos, setting, suggestion,
		"%s on the command line of %s is %s written out: %s; %s", shown, a.Tool, what, where, instead)
}

// secretsLater reports the API keys a file's scripts write out (notes of
// Arg.Bare), each unless a credential was reported on its line already:
// the key an export of PREFECT_API_KEY or a command line gives, or one
// handed on through a variable, is reported there, with what its use
// tells.
func (l *linter) secretsLater(notes []deploy.Note) {
	for _, n := range notes {
		if !l.secretOnLine(n.Pos) {
			l.secretPassed(n)
		}
	}
}

// secretOnLine reports whether a credential was reported on pos's line.
func (l *linter) secretOnLine(pos sources.Position) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.secretLines[sources.Position{File: pos.File, Line: pos.Line}]
}

// passedCredential says what credential a value handed on a command line
// is ("a Prefect API key", "an auth string"...), and the setting it is
// when its name is one's; "" when it is none: a value no name or shape
// tells a Prefect credential, a placeholder, a local default. A value
// under a variable's name (docker run -e NAME=VALUE) is judged as a
// container's variables are; one under a Secret's or a chart's key by
// the key and the value's shape.
func passedCredential(a *deploy.Arg) (what, setting string) {
	v := a.Value
	if standIn(v) || strings.Contains(v, "{{") {
		return "", "" // a placeholder, a template filled in where the file is deployed
	}
	s, _, isSetting := schema.Ever().ByEnv(a.Name)
	if isSetting {
		setting = s.Path
	}
	words := nameWords(a.Name)
	last := func(n int) string {
		if len(words) < n {
			return ""
		}
		return strings.Join(words[len(words)-n:], "")
	}
	switch {
	case apiKeyValue(v):
		return "a Prefect API key", setting
	case isSetting:
		switch credential(s, v) {
		case "":
			return "", ""
		case "holds a password in its URL":
			return s.Path + " with a password in its URL", setting
		}
		return "the secret " + s.Path, setting
	case isEnvName(a.Name):
		// A variable, as a container's are checked: a Prefect one whose
		// name says it holds a secret; another program's are its own.
		if isPrefectName(a.Name) && secretVarName(a.Name) {
			return "a secret", ""
		}
		return "", ""
	case last(2) == "authstring" || last(1) == "authstring":
		if user, pw, ok := strings.Cut(v, ":"); ok && user != "" && !standIn(pw) {
			return "an auth string", ""
		}
	}
	if pw, ok := urlPassword(v); ok && !standIn(pw) {
		return "a URL with a password", ""
	}
	switch last(1) {
	case "password", "passwd", "pwd", "passphrase":
		return "a password", ""
	}
	return "", ""
}

// apiKeyValue reports whether v is a Prefect Cloud API key: pnu_ (a
// user's) or pnb_ (a service account's), followed by what is no
// placeholder.
func apiKeyValue(v string) bool {
	if len(v) <= 4 || !(strings.HasPrefix(v, "pnu_") || strings.HasPrefix(v, "pnb_")) {
		return false
	}
	rest := v[4:]
	return !standIn(rest) && !strings.ContainsAny(rest, "<>{} ")
}

// nameWords returns the words of the last part of a name (after the last
// '.'), lower case: apiKey, api-key and API_KEY are "api", "key".
func nameWords(name string) []string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	var words []string
	start := 0
	for i := 0; i <= len(name); i++ {
		split := i == len(name) || name[i] == '-' || name[i] == '_'
		camel := i > start && i < len(name) && name[i] >= 'A' && name[i] <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z'
		if split || camel {
			if i > start {
				words = append(words, strings.ToLower(name[start:i]))
			}
			start = i
			if split {
				start = i + 1
			}
		}
	}
	return words
}

// maskedValue is a credential as a finding shows it: a URL with its
// password masked, anything else wholly.
func maskedValue(v string) string {
	if _, ok := urlPassword(v); ok {
		return schema.MaskURL(v)
	}
	return schema.Mask
}

// passedInstead says what to write instead of a credential on the
// command line of a's tool, and, when it is one thing, the suggestion.
func passedInstead(a *deploy.Arg) (instead, suggestion string) {
	tool := a.Tool
	switch {
	case strings.HasPrefix(tool, "kubectl create secret"):
		return fmt.Sprintf("create the Secret from a file git ignores instead (--from-file=%s=PATH, or --from-env-file=PATH of NAME=value lines), or from a variable of the environment (--from-literal=%s=\"$%s\")", a.Name, a.Name, varFor(a)), ""
	case strings.HasPrefix(tool, "kubectl create"):
		return fmt.Sprintf("a ConfigMap is no place for a credential: create a Secret from a file git ignores instead (kubectl create secret generic NAME --from-file=%s=PATH)", a.Name), ""
	case strings.HasPrefix(tool, "kubectl"):
		return fmt.Sprintf("take it from a Secret instead (kubectl set env --from=secret/NAME), or from a variable of the environment (%s=\"$%s\")", a.Name, varFor(a)), ""
	case strings.HasPrefix(tool, "helm"):
		alt := "a Secret the chart takes by name (an existingSecret)"
		if s := chartSecretKey(a.Name); s != "" {
			alt = s
		}
		return fmt.Sprintf("give the chart %s instead, or set the key from a variable of the environment (%s %s=\"$%s\")", alt, a.Flag, a.Name, varFor(a)), ""
	}
	if isEnvName(a.Name) {
		flag := a.Flag
		if flag == "" {
			flag = "-e"
		}
		return fmt.Sprintf("pass the variable from the environment instead, without a value (%s %s), or from a file git ignores (--env-file)", flag, a.Name), flag + " " + a.Name
	}
	return "take it from a variable of the environment instead", ""
}

// chartSecretKey names the key of Prefect's Helm charts that takes from a
// Secret made apart the credential key sets; "" when there is none.
func chartSecretKey(key string) string {
	prefix := func(part string) string {
		i := strings.Index(key, part)
		return key[:i]
	}
	switch {
	case strings.HasSuffix(key, "basicAuth.authString"):
		return prefix("authString") + "existingSecret (a Secret with the key auth-string)"
	case strings.Contains(key, "cloudApiConfig."), strings.Contains(key, "CloudApiConfig."):
		i := strings.LastIndexByte(key, '.')
		return key[:i+1] + "apiKeySecret.name and .key (a Secret holding the key)"
	case strings.Contains(key, "postgresql.auth."):
		return prefix("postgresql.auth.") + "postgresql.auth.existingSecret (a Secret with the key connection-string)"
	case strings.Contains(key, "externalDatabase."):
		return prefix("externalDatabase.") + "externalDatabase.existingSecret with the ...SecretKey of the key"
	}
	return ""
}

// varFor is a variable's name for the value a passes: its name when it
// is one, PREFECT_API_KEY for an API key, else the words of its name
// upper case.
func varFor(a *deploy.Arg) string {
	key := a.Name
	switch {
	case isEnvName(key):
		return key
	case apiKeyValue(a.Value):
		return "PREFECT_API_KEY"
	}
	words := nameWords(key)
	if len(words) == 0 {
		return "VALUE"
	}
	return strings.ToUpper(strings.Join(words, "_"))
}

func isEnvName(s string) bool { return envNameRE.MatchString(s) }
