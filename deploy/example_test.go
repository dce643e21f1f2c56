package deploy_test

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/deploy"
)

// A Dockerfile's stages, with the variables the running container sees
// and where each is written.
func ExampleRead_dockerfile() {
	src := `FROM prefecthq/prefect:3.4.22-python3.12
ENV PREFECT_API_URL=http://prefect-server:4200/api \
    PREFECT_LOGGING_LEVEL=INFO
RUN prefect config set PREFECT_API_KEY=pnu_0123456789
CMD ["prefect", "worker", "start", "--pool", "docker"]
`
	f, err := deploy.Read(&deploy.Input{Path: "Dockerfile", Data: []byte(src)})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := f.Containers[len(f.Containers)-1]
	fmt.Println(c.What, c.Name, c.Role, c.Release.Version)
	for _, v := range c.Vars {
		fmt.Printf("%s %s=%s via %s (baked %v, in a profile %v)\n", v.Pos, v.Name, v.Value, v.Via, v.Baked, v.InProfile)
	}
	fmt.Println(c.Environ())
	// Output:
	// stage 0 worker 3.4.22
	// Dockerfile:2:5 PREFECT_API_URL=http://prefect-server:4200/api via ENV (baked true, in a profile false)
	// Dockerfile:3:5 PREFECT_LOGGING_LEVEL=INFO via ENV (baked true, in a profile false)
	// Dockerfile:4:24 PREFECT_API_KEY=pnu_0123456789 via prefect config set (baked true, in a profile true)
	// [PREFECT_API_URL=http://prefect-server:4200/api PREFECT_LOGGING_LEVEL=INFO]
}

// A script written in a YAML file (a Compose command, a workflow's run:),
// read where it is written.
func ExampleReadScript() {
	src := []byte(`services:
  worker:
    command:
      - sh
      - -c
      - |
        pip install "prefect==3.4.22"
        export PREFECT_API_URL=http://server:4200/api
        exec prefect worker start --pool "$POOL"
`)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		fmt.Println(err)
		return
	}
	script := doc.Content[0].Content[1].Content[1].Content[1].Content[2] // the third word of command
	s := deploy.NewYAMLText("compose.yaml", src).Script(script)
	sh := deploy.ReadScript(s)
	for _, v := range sh.Vars {
		fmt.Printf("%s %s=%s (value at %s) via %s\n", v.Pos, v.Name, v.Value, v.ValuePos, v.Via)
	}
	fmt.Println(sh.Role, sh.Command, sh.Release.Version, sh.Release.Pos)
	// Output:
	// compose.yaml:8:16 PREFECT_API_URL=http://server:4200/api (value at compose.yaml:8:32) via export
	// worker [prefect worker start --pool "$POOL"] 3.4.22 compose.yaml:7:21
}
