package deploy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/schema"
)

// Select returns the container of f the user names: the one named name
// (a Compose service, a workload as NAME or KIND/NAME, a stage), and
// within it the one named sub (a Kubernetes container), which may be
// omitted when the workload has one container, or one that sets PREFECT_
// variables. An error lists the names to choose from.
func (f *File) Select(name, sub string) (*Container, error) {
	if name == "" && sub == "" {
		if c := f.defaultContainer(); c != nil {
			return c, nil
		}
	}
	kind, bare, qualified := strings.Cut(name, "/")
	if !qualified {
		bare = name
	}
	var named []*Container
	for i := range f.Containers {
		c := &f.Containers[i]
		if c.Name == bare && (!qualified || strings.EqualFold(c.What, kind) || strings.EqualFold(c.What+"s", kind)) {
			named = append(named, c)
		}
	}
	if len(named) == 0 && qualified {
		for _, c := range f.Containers {
			if c.Name == bare {
				return nil, fmt.Errorf("%s: no %s named %q: it is a %s (%s/%s)", f.Path, kind, bare, c.What, strings.ToLower(c.What), bare)
			}
		}
	}
	if len(named) == 0 {
		var names []string
		for _, c := range f.Containers {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
		msg := fmt.Sprintf("%s: no %s named %q", f.Path, f.what(), name)
		if near := schema.Nearest(name, names); near != "" {
			return nil, fmt.Errorf("%s; did you mean %q?", msg, near)
		}
		if len(names) > 0 {
			return nil, fmt.Errorf("%s; it has %s", msg, quoteList(names))
		}
		return nil, fmt.Errorf("%s: it defines none", msg)
	}
	var subs []string
	for _, c := range named {
		subs = append(subs, c.Sub)
	}
	if sub != "" {
		for _, c := range named {
			if c.Sub == sub {
				return c, nil
			}
		}
		msg := fmt.Sprintf("%s: %s %q has no container %q", f.Path, named[0].What, name, sub)
		if near := schema.Nearest(sub, subs); near != "" {
			return nil, fmt.Errorf("%s; did you mean %q?", msg, near)
		}
		return nil, fmt.Errorf("%s; it has %s", msg, quoteList(subs))
	}
	if len(named) == 1 {
		return named[0], nil
	}
	for _, c := range named {
		if c.Sub == "" {
			return c, nil // a workflow's job, of which the others are steps
		}
	}
	var prefect []*Container
	for _, c := range named {
		for _, v := range c.Vars {
			if strings.HasPrefix(v.Name, "PREFECT_") && !v.Implicit {
				prefect = append(prefect, c)
				break
			}
		}
	}
	if len(prefect) == 1 {
		return prefect[0], nil
	}
	return nil, fmt.Errorf("%s: %s %q has %d containers; name one with --container: %s", f.Path, named[0].What, name, len(named), quoteList(subs))
}

// defaultContainer is the container a user means by naming none: the
// only one, or a Dockerfile's last stage, which docker build builds when
// given no --target.
func (f *File) defaultContainer() *Container {
	switch {
	case len(f.Containers) == 1:
		return &f.Containers[0]
	case len(f.Containers) > 0 && f.Kind == "dockerfile":
		return &f.Containers[len(f.Containers)-1]
	}
	return nil
}

// what names what f's containers are, for messages.
func (f *File) what() string {
	switch f.Kind {
	case "compose":
		return "service"
	case "kubernetes":
		return "workload"
	}
	if len(f.Containers) > 0 {
		return strings.ToLower(f.Containers[0].What)
	}
	return "container"
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
