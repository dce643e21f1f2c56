package deploy

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadScriptArgs(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // tool|flag|name=value@line:col
	}{
		{"kubectl from-literal", "kubectl create secret generic s --from-literal=key=v1 --from-literal k2=v2\n",
			[]string{"kubectl create secret|--from-literal|key=v1@1:52", "kubectl create secret|--from-literal|k2=v2@1:73"}},
		{"kubectl global options", "kubectl --namespace prefect --context prod create secret generic s --from-literal=key=v\n",
			[]string{"kubectl create secret|--from-literal|key=v@1:87"}},
		{"kubectl quoted", "kubectl create secret generic s --from-literal=\"key=a b\"\n",
			[]string{"kubectl create secret|--from-literal|key=a b@1:53"}},
		{"kubectl references", "kubectl create secret generic s --from-literal=key=$KEY --from-literal=k=$(cat f) --from-literal=x=\"${X}\"\n", nil},
		{"kubectl other commands", "kubectl apply -f secret.yaml --from-literal=key=v\nkubectl get secret s -o yaml\n", nil},
		{"kubectl set env", "kubectl set env deploy/w A=1 -e B=2 C-\n",
			[]string{"kubectl set env||A=1@1:28", "kubectl set env|-e|B=2@1:35"}},
		{"kubectl run", "kubectl run shell --image=prefecthq/prefect:3-latest --env=A=1 -- prefect version\n",
			[]string{"kubectl run|--env|A=1@1:62"}},
		{"helm set pairs", `helm upgrade --install -n prefect r prefect/prefect-server --set a=1,b.c=x\,y,d={1,2} --set-string e=2` + "\n",
			[]string{"helm upgrade|--set|a=1@1:68", "helm upgrade|--set|b.c=x,y@1:74", "helm upgrade|--set-string|e=2@1:102"}},
		{"helm set-literal", "helm install r c --set-literal k=a,b\n", []string{"helm install|--set-literal|k=a,b@1:34"}},
		{"helm other commands", "helm repo add prefect https://prefecthq.github.io/prefect-helm --password p\nhelm lint . --set a=1\n", nil},
		{"docker run", "docker run --rm -e A=1 --env=B=2 -e C img cmd -e D=4\n",
			[]string{"docker run|-e|A=1@1:22", "docker run|--env|B=2@1:32"}},
		{"docker container create", "docker container create -e A=1 img\n", []string{"docker container create|-e|A=1@1:30"}},
		{"docker compose run", "docker compose -f a.yml -p p run --rm -e A=1 svc cmd -e B=2\n", []string{"docker compose run|-e|A=1@1:44"}},
		{"docker service", "docker service create --name w --env A=1 img\ndocker service update --env-add B=2 w\n",
			[]string{"docker service create|--env|A=1@1:40", "docker service update|--env-add|B=2@2:35"}},
		{"docker exec", "sudo docker exec -it -e A=1 -u root c sh\n", []string{"docker exec|-e|A=1@1:27"}},
		{"kubectl in docker run", "docker run --rm bitnami/kubectl create secret generic s --from-literal=key=v\n", nil},
		{"sh -c", "sh -c 'kubectl create secret generic s --from-literal=key=v'\n", []string{"kubectl create secret|--from-literal|key=v@1:59"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := ReadScript(&Script{Text: tt.src, File: "s.sh"})
			var got []string
			for _, n := range sh.Notes {
				if n.Code != NoteArg {
					continue
				}
				if strings.Contains(n.Message, "="+n.Arg.Value) {
					t.Errorf("the note shows the value: %s", n.Message)
				}
				got = append(got, fmt.Sprintf("%s|%s|%s=%s@%d:%d", n.Arg.Tool, n.Arg.Flag, n.Arg.Name, n.Arg.Value, n.Pos.Line, n.Pos.Column))
			}
			check(t, "args", got, tt.want)
		})
	}
}

func TestHelmPairs(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"a=1", "a=1@2"},
		{"a=1,b=2", "a=1@2 b=2@6"},
		{`a=x\,y,b=2`, "a=x,y@2 b=2@9"},
		{"a={1,2},b=3", "b=3@10"},
		{"a", ""},
		{"", ""},
		{"a=,b", "a=@2"},
		{`a=\`, `a=\@2`},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range helmPairs(tt.in, 0) {
			got = append(got, fmt.Sprintf("%s=%s@%d", p.name, p.value, p.at))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("helmPairs(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

// FuzzHelmPairs: what --set is given never makes helmPairs panic, and
// every pair's value starts where it says, after its name and "=".
func FuzzHelmPairs(f *testing.F) {
	for _, s := range []string{"a=1,b=2", `a=x\,y`, "a={1,2},b=3", `\`, "=,=", "{{,}}=\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range helmPairs(s, 0) {
			if p.at < len(p.name)+1 || p.at > len(s) || s[p.at-len(p.name)-1:p.at] != p.name+"=" {
				t.Fatalf("helmPairs(%q): %+v is not where it says", s, p)
			}
		}
	})
}
