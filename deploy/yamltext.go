package deploy

import (
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

// yamlPos returns where a node is written: the file alone for none.
func yamlPos(file string, n *yaml.Node) sources.Position {
	if n == nil {
		return sources.Position{File: file}
	}
	return sources.Position{File: file, Line: n.Line, Column: n.Column}
}

// yamlRoot parses a deployment file of one YAML document (a workflow,
// prefect.yaml) and returns its root node: nil for an empty document.
func yamlRoot(in *Input) (*yaml.Node, error) {
	y, err := parseYAML(in.Path, in.Data, sources.MaxFileSize, nil)
	if err != nil {
		return nil, err
	}
	if len(y.docs) == 0 {
		return nil, nil
	}
	return deref(y.docs[0]), nil
}
