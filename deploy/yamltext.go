package deploy

import (
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/sources"
)

// YAMLText is the text of a YAML file, to place the scripts written in
// its scalars (a workflow's run:, a Compose command:, a Kubernetes
// args:) where they are written.
type YAMLText struct {
	file  string
	lines *lineIndex
}

// NewYAMLText returns the text of the YAML file named file.
func NewYAMLText(file string, data []byte) *YAMLText {
	return &YAMLText{file: file, lines: newLineIndex(string(data))}
}

// Script returns the script a scalar node holds (its Value), each piece
// of it placed where it is written: the lines of a literal (|) or folded
// (>) block, of a plain or quoted scalar on one line or several. A piece
// is found by comparing the value with the lines the node takes; where an
// escape (\" in a double-quoted scalar, ” in a single-quoted one) makes
// them differ, the rest of the value is placed where the comparison
// stopped.
func (t *YAMLText) Script(n *yaml.Node) *Script {
	s := &Script{Text: n.Value, File: t.file}
	v := n.Value
	line := n.Line
	raw, _ := t.lines.line(line)
	from := byteCol(raw, n.Column)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line, from = line+1, -1 // the content starts on the next line
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		from++
	}
	for cur := 0; line <= t.lines.lines(); line++ {
		for cur < len(v) && (v[cur] == ' ' || v[cur] == '\t' || v[cur] == '\n') {
			cur++
		}
		if cur >= len(v) {
			break
		}
		raw, start := t.lines.line(line)
		segOff := from
		if from < 0 {
			segOff = len(raw) - len(strings.TrimLeft(raw, " \t"))
		}
		from = -1
		if segOff > len(raw) {
			break
		}
		seg := raw[segOff:]
		if seg == "" {
			continue
		}
		k := 0
		for k < len(seg) && cur+k < len(v) && seg[k] == v[cur+k] {
			k++
		}
		if k == 0 {
			break
		}
		s.Spans = append(s.Spans, Span{Off: cur, Len: k, Pos: t.lines.pos(t.file, start+segOff)})
		cur += k
	}
	if len(s.Spans) == 0 || s.Spans[0].Off > 0 {
		s.Spans = append([]Span{{Pos: yamlPos(t.file, n)}}, s.Spans...)
	}
	return s
}

// yamlPos returns where a node is written.
func yamlPos(file string, n *yaml.Node) sources.Position {
	return sources.Position{File: file, Line: n.Line, Column: n.Column}
}

// parseYAML decodes the first document of a YAML file into its node tree:
// nil for an empty document. Invalid YAML is a *sources.SyntaxError at
// the line the YAML parser names.
func decodeYAML(file string, data []byte) (*yaml.Node, error) {
	if err := checkText(file, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(file, data, err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0], nil
	}
	return nil, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError places the YAML parser's error: at the line it names; at the
// first control character for the reader's "control characters are not
// allowed"; else at line 1, which the parser leaves unnamed.
func yamlError(file string, data []byte, err error) error {
	msg := err.Error()
	pos := sources.Position{File: file, Line: 1}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if i := strings.IndexFunc(string(data), func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
		}); i >= 0 && strings.Contains(msg, "control characters") {
			pos = newLineIndex(string(data)).pos(file, i)
		}
	}
	return &sources.SyntaxError{Pos: pos, Msg: "yaml: " + msg, Err: err}
}

// maxAliasDepth bounds the aliases and merge keys followed from one node.
const maxAliasDepth = 16

// resolve returns the node an alias stands for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// yamlPair is one key and value of a mapping.
type yamlPair struct {
	key, value *yaml.Node
}

// pairs returns a mapping's keys and values, aliases resolved, the
// mappings merged in with << first (a key written in the mapping comes
// after, and so wins); nil when n is no mapping.
func ypairs(n *yaml.Node) []yamlPair {
	budget := maxMergedPairs
	return mergedPairs(n, 0, &budget)
}

// maxMergedPairs bounds the pairs merge keys may bring into one mapping:
// << of lists of aliases to mappings that merge more grows fast.
const maxMergedPairs = 4 * maxVars

func mergedPairs(n *yaml.Node, depth int, budget *int) []yamlPair {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxAliasDepth || *budget <= 0 {
		return nil
	}
	*budget -= len(n.Content) / 2
	var merged, own []yamlPair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "") {
			v = resolve(v)
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					merged = append(merged, mergedPairs(m, depth+1, budget)...)
				}
			} else {
				merged = append(merged, mergedPairs(v, depth+1, budget)...)
			}
			continue
		}
		own = append(own, yamlPair{k, resolve(v)})
	}
	return append(merged, own...)
}

// get returns the value of key in a mapping (the last written), or nil.
func yget(n *yaml.Node, key string) *yaml.Node {
	var out *yaml.Node
	for _, p := range ypairs(n) {
		if p.key.Kind == yaml.ScalarNode && p.key.Value == key {
			out = p.value
		}
	}
	return out
}

// items returns a sequence's items, aliases resolved; nil when n is no
// sequence.
func yitems(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, it := range n.Content {
		if it = resolve(it); it != nil {
			out = append(out, it)
		}
	}
	return out
}

// scalar returns a scalar's value, and whether n is one.
func scalar(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// isNull reports whether n is YAML's null (or absent).
func ynull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
