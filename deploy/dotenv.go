package deploy

import (
	"path"
	"strings"
)

// IsDotEnvTemplate reports whether a file name is that of a template of a
// .env file, which holds .env content where placeholders are expected:
// .env.example, .env.sample, .env.template, env.example, .env-example,
// .env_template, prod.env.example, example.env, .env.dist. A walk reads
// them as .env files; Prefect reads none of them.
func IsDotEnvTemplate(name string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	switch path.Ext(base) {
	case ".py", ".sh", ".yaml", ".yml", ".json", ".toml", ".md", ".js", ".ts", ".txt", ".cfg", ".ini":
		return false // another format, named after the environment
	}
	words := strings.FieldsFunc(base, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	env, template := false, false
	for _, w := range words {
		switch w {
		case "env", "dotenv":
			env = true
		case "example", "examples", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "skel":
			template = true
		}
	}
	return env && template
}
