// Package lint checks Prefect settings files and environments for mistakes
// Prefect itself passes over in silence or fails on: unknown and misspelled
// names (with the canonical name meant, Prefect 2's included), values
// Prefect's coercion rejects, keys written where Prefect does not read them
// (a [ui] table, a key a table header took in, a table in another case, a
// profile outside [profiles.NAME], a .env line python-dotenv skips), values
// it takes but no one means (placeholders, "None", 0.0.0.0 as the address a
// client calls), secrets in files git shares, and the
// quirks of Prefect's resolution that surprise users.
//
// Run lints files and directories (prefect.toml, pyproject.toml's
// [tool.prefect] table, profiles.toml, .env, .env.* and *.env files and
// their templates) and, optionally, the environment; and the deployment
// files package deploy reads (Compose files, Kubernetes manifests, Helm
// values, Dockerfiles, scripts, CI workflows, prefect.yaml), each
// container's variables checked as an environment against the release it
// runs, and its containers together (a client and the server beside it). Every Finding (a diag.Diagnostic) carries a
// stable rule id, a severity and the span of the key it concerns, the
// other places it involves and, for the common mistakes (a legacy alias, a
// misspelt name, a [ui] table, a key in the wrong case), the edit that
// fixes it; Rules lists the rules. Which value is in force where several
// files and the environment set one is the engine's answer
// (settings.InForce, which chooses as settings.Resolve does). The
// severities mean:
//
//	error    Prefect rejects the value or fails to load the file
//	warning  Prefect loads it, but not as written: a name it ignores, a
//	         value it drops, a secret in a file git shares
//	info     Prefect behaves as documented here, which may surprise
//
// WriteText, WriteJSON, WriteSARIF and WriteGitHub render findings for
// people, programs, code scanning and GitHub Actions. No finding ever holds
// a secret's value.
package lint
