package deploy

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/sources"
	"go.yaml.in/yaml/v3"
	yaml4 "go.yaml.in/yaml/v4"
)

// The limits of the YAML readers. A file beyond one is refused with a
// *sources.FileError before it costs more than a moment: rendered
// manifests (helm template, kustomize build of an application) may be
// larger than any settings file, so they have a limit of their own, and
// are read one document at a time.
const (
	// MaxManifestSize is the size of the largest Kubernetes manifest
	// stream read, of all the manifests read together: twice the largest
	// settings file. No object is larger than 1.5 MiB (the API server
	// refuses it), and yaml.v3 takes a second and a gigabyte for 32 MiB.
	MaxManifestSize = 8 << 20
	// maxYAMLNodes bounds the nodes of a YAML file of sources.MaxFileSize
	// bytes (a larger stream's in proportion), counted from the text
	// before yaml.v3 parses it: it takes a few hundred bytes and half a
	// microsecond for each. Deployment files hold one node for ten
	// bytes; 4 MiB of "a: b" lines hold two for five.
	maxYAMLNodes = 500_000
	// maxAliasNodes bounds the nodes YAML aliases may add to a file when
	// expanded (the Compose loader expands them); a billion laughs
	// expands to 10⁹.
	maxAliasNodes = 200_000
	// maxYAMLDepth bounds how deep the readers follow aliases and merge
	// keys into one another.
	maxYAMLDepth = 64
)

// yamlFile is one YAML file parsed into yaml.v3 nodes, which keep the line
// and column of every key and value, through anchors and aliases.
type yamlFile struct {
	path  string // as positions name it
	data  []byte
	lines []int // byte offset at which each line starts
	docs  []*yaml.Node
}

// parseYAML parses every document of data, the contents of path. Invalid
// YAML is a *sources.SyntaxError at the parser's line; a file larger than
// max, or whose aliases expand beyond maxAliasNodes, is a
// *sources.FileError. each, when not nil, is called with every document as
// it is parsed, which is then not kept: a long stream is read in memory
// proportional to its largest document.
func parseYAML(path string, data []byte, max int, each func(y *yamlFile, doc *yaml.Node) error) (*yamlFile, error) {
	y := &yamlFile{path: path, data: data}
	if len(data) > max {
		return y, &sources.FileError{Pos: sources.Position{File: path}, Msg: fmt.Sprintf("file larger than %d MiB: no deployment file needs that much", max>>20)}
	}
	limit := maxYAMLNodes * (1 + (max-1)/sources.MaxFileSize)
	if at := yamlNodesBeyond(data, limit); at >= 0 {
		return y, &sources.FileError{Pos: y.offsetPos(at), Msg: fmt.Sprintf("more than %d YAML nodes: no deployment file needs that many", limit)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		doc, err := decodeDoc(dec)
		if err == io.EOF {
			return y, nil
		}
		if err != nil {
			return y, y.syntaxError(err)
		}
		if err := y.checkAliases(doc); err != nil {
			return y, err
		}
		if each == nil {
			y.docs = append(y.docs, doc)
		} else if err := each(y, doc); err != nil {
			return y, err
		}
	}
}

// yamlNodesBeyond returns the offset in data where the nodes it may hold
// pass limit, or -1: a count from the text of what may start a node (a
// mapping's key and value at each ':' or '?', an item at each ',', a
// collection at each '[' and '{', an item at each '-' that leads a line
// or a blank ("- - a" nests sequences on one line), a document at each
// '-' or '.' that leads a line), never fewer than yaml.v3 makes of it.
func yamlNodesBeyond(data []byte, limit int) int {
	n, lineStart := 2, true
	for i, c := range data {
		switch c {
		case ':', '?', ',', '[', '{':
			n += 2
		case '-':
			if lineStart || i+1 == len(data) || isYAMLBlank(data[i+1]) {
				n += 2
			}
		case '.':
			if lineStart {
				n += 2
			}
		}
		if n > limit {
			return i
		}
		switch c {
		case '\n':
			lineStart = true
		case ' ', '\t', '\r':
		default:
			lineStart = false
		}
	}
	return -1
}

func isYAMLBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// decodeDoc decodes the next document; a panic of the parser, which no
// input should cause, is an error rather than a crash.
func decodeDoc(dec *yaml.Decoder) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	doc = new(yaml.Node)
	err = dec.Decode(doc)
	return doc, err
}

var (
	yamlV3LineRE = regexp.MustCompile(`^yaml: line (\d+): `)
	yamlAnchorRE = regexp.MustCompile(`^yaml: unknown anchor '([^']*)' referenced`)
	yamlOffsetRE = regexp.MustCompile(`^offset (\d+): (.*)$`)
	yamlMarkRE   = regexp.MustCompile(`^yaml: (?:(while [^:]*?) at (line \d+(?:, column \d+)?|<unknown position>): )?(?:(line \d+(?:, column \d+)?|<unknown position>): )?(.*)$`)
	yamlWhereRE  = regexp.MustCompile(`^line (\d+)(?:, column (\d+))?$`)
)

// syntaxError positions an error of yaml.v3. yaml.v3 names the line of
// the context of a problem rather than of the problem, counting from 0 for
// some problems and from 1 for others, and none on the first line; so the
// position comes from the same parser in yaml.v4, whose messages carry the
// problem's line and column: from 0 for the parser's problems, from 1 for
// the scanner's. An unknown anchor is found in the text.
func (y *yamlFile) syntaxError(err error) error {
	msg := err.Error()
	pos := sources.Position{File: y.path, Line: 1}
	if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(y.data, []byte("*"+m[1])); i >= 0 {
			pos = y.offsetPos(i)
		}
		return &sources.SyntaxError{Pos: pos, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: "), Err: err}
	}
	if m := yamlV3LineRE.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	var n yaml4.Node
	if err4 := decodeDoc4(y.data, &n); err4 != nil {
		if m := yamlMarkRE.FindStringSubmatch(err4.Error()); m != nil {
			where, parser := m[3], strings.HasPrefix(m[1], "while parsing") || parserProblem(m[4])
			if where == "" {
				where = m[2]
			}
			if w := yamlWhereRE.FindStringSubmatch(where); w != nil {
				pos.Line, _ = strconv.Atoi(w[1])
				if parser {
					pos.Line++
				}
				if w[2] != "" {
					pos.Column, _ = strconv.Atoi(w[2])
				} else {
					pos.Column = 1
				}
			} else if parser && where == "<unknown position>" {
				pos.Column = 1
			}
			msg = m[4]
		}
	}
	if m := yamlOffsetRE.FindStringSubmatch(msg); m != nil {
		// Invalid UTF-8, which the reader finds before the scanner: at
		// its byte.
		if off, err := strconv.Atoi(m[1]); err == nil && off <= len(y.data) {
			pos = y.offsetPos(off)
		}
		msg = m[2]
	}
	return &sources.SyntaxError{Pos: pos, Msg: "invalid YAML: " + msg, Err: err}
}

// parserProblem reports whether a problem libyaml reports is its parser's
// (whose lines count from 0) rather than its scanner's.
func parserProblem(msg string) bool {
	for _, p := range []string{"did not find expected", "found undefined tag handle", "found duplicate %", "found incompatible YAML document"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// decodeDoc4 parses every document of data with yaml.v4, for the position
// of an error; a panic is an error.
func decodeDoc4(data []byte, n *yaml4.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml4.NewDecoder(bytes.NewReader(data))
	for {
		if err := dec.Decode(n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// yamlTypes are the tags of YAML's types other than strings, whose values
// a decoder checks.
var yamlTypes = map[string]bool{"!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!timestamp": true, "!!binary": true}

// checkAliases refuses a document whose aliases would expand beyond
// maxAliasNodes nodes, or that contains itself through an alias, before
// anything expands it; and a value tagged with a type it is not of.
func (y *yamlFile) checkAliases(doc *yaml.Node) error {
	size := map[*yaml.Node]int{} // expanded size of each anchored node; -1 while counting it
	var added int
	var walk func(n *yaml.Node, depth int) (int, error)
	walk = func(n *yaml.Node, depth int) (int, error) {
		if depth > 10*maxYAMLDepth {
			return 0, y.limitError(n, "YAML nested more than %d deep: no deployment file needs that", 10*maxYAMLDepth)
		}
		if n.Kind == yaml.AliasNode {
			a := n.Alias
			s, ok := size[a]
			if s < 0 {
				return 0, y.limitError(n, "YAML alias *%s refers to a node that contains it", n.Value)
			}
			if !ok {
				size[a] = -1
				var err error
				if s, err = walk(a, depth+1); err != nil {
					return 0, err
				}
				size[a] = s
			}
			if added += s; added > maxAliasNodes {
				return 0, y.limitError(n, "YAML aliases expand to more than %d nodes: no deployment file needs that", maxAliasNodes)
			}
			return s, nil
		}
		if n.Kind == yaml.ScalarNode && n.Style&yaml.TaggedStyle != 0 && yamlTypes[n.Tag] {
			// A value tagged !!int, !!bool... must be one: the loaders
			// that decode the file refuse it otherwise (quoting it).
			var v any
			if n.Decode(&v) != nil {
				return 0, &sources.SyntaxError{Pos: y.pos(n), Msg: fmt.Sprintf("invalid YAML: the value is tagged %s but is not of that type", n.Tag)}
			}
		}
		total := 1
		for _, c := range n.Content {
			s, err := walk(c, depth+1)
			if err != nil {
				return 0, err
			}
			total += s
		}
		return total, nil
	}
	_, err := walk(doc, 0)
	return err
}

func (y *yamlFile) limitError(n *yaml.Node, format string, args ...any) error {
	return &sources.FileError{Pos: y.pos(n), Msg: fmt.Sprintf(format, args...)}
}

// pos is where node n is written.
func (y *yamlFile) pos(n *yaml.Node) sources.Position {
	if n == nil {
		return sources.Position{File: y.path}
	}
	return sources.Position{File: y.path, Line: n.Line, Column: n.Column}
}

// offsetPos is the position of byte offset i of the file.
func (y *yamlFile) offsetPos(i int) sources.Position {
	y.indexLines()
	line, _ := slices.BinarySearch(y.lines, i+1)
	return sources.Position{File: y.path, Line: line, Column: utf8.RuneCount(y.data[y.lines[line-1]:i]) + 1}
}

func (y *yamlFile) indexLines() {
	if y.lines != nil {
		return
	}
	y.lines = []int{0}
	for i, c := range y.data {
		if c == '\n' {
			y.lines = append(y.lines, i+1)
		}
	}
}

// offset is the byte offset of node n's first character.
func (y *yamlFile) offset(n *yaml.Node) (int, bool) {
	y.indexLines()
	if n.Line < 1 || n.Line > len(y.lines) {
		return 0, false
	}
	i := y.lines[n.Line-1]
	for col := 1; col < n.Column; col++ {
		if i >= len(y.data) {
			return 0, false
		}
		_, size := utf8.DecodeRune(y.data[i:])
		i += size
	}
	return i, true
}

// textPos is where the text of scalar n starts: after its quote, if it
// has one.
func (y *yamlFile) textPos(n *yaml.Node) sources.Position { return y.scalarPos(n, 0) }

// scalarPos is the position of byte offset at of scalar n's value. It is
// exact for a scalar written on one line, plain or quoted without escapes,
// as a value almost always is; for another (a block scalar, escapes, a
// plain scalar folded over lines) it is the scalar's own position.
func (y *yamlFile) scalarPos(n *yaml.Node, at int) sources.Position {
	p := y.pos(n)
	if n == nil || n.Kind != yaml.ScalarNode || at < 0 || at > len(n.Value) {
		return p
	}
	start, ok := y.offset(n)
	if !ok {
		return p
	}
	quote := 0
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		quote = 1
	}
	end := start + quote + len(n.Value)
	if end > len(y.data) || string(y.data[start+quote:end]) != n.Value {
		return p
	}
	p.Column += quote + utf8.RuneCountInString(n.Value[:at])
	return p
}

// deref follows aliases and documents to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < maxYAMLDepth; i++ {
		switch {
		case n.Kind == yaml.AliasNode:
			n = n.Alias
		case n.Kind == yaml.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

// pair is one key of a mapping and its value, the key as written.
type pair struct{ key, val *yaml.Node }

// pairs returns the keys of mapping n in the order written, with YAML
// merge keys (<<: *anchor, <<: [*a, *b]) resolved as YAML 1.1 defines
// them and Compose, Kubernetes and Helm read them: a key written in the
// mapping wins over a merged one, and an earlier merged mapping over a
// later one. A merged key keeps the position where the anchor's mapping
// writes it. Keys written twice keep the last.
func pairs(n *yaml.Node) []pair {
	return pairsDepth(deref(n), 0)
}

func pairsDepth(n *yaml.Node, depth int) []pair {
	if n == nil || n.Kind != yaml.MappingNode || depth > maxYAMLDepth {
		return nil
	}
	var out []pair
	at := map[string]int{}
	explicit := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !isMergeKey(k) {
			explicit[k.Value] = true
		}
	}
	add := func(p pair, merged bool) {
		name := p.key.Value
		j, seen := at[name]
		switch {
		case !seen:
			at[name] = len(out)
			out = append(out, p)
		case !merged:
			out[j] = p
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			var from []*yaml.Node
			if m := deref(v); m != nil && m.Kind == yaml.SequenceNode {
				from = m.Content
			} else {
				from = []*yaml.Node{v}
			}
			for _, s := range from {
				for _, p := range pairsDepth(deref(s), depth+1) {
					if !explicit[p.key.Value] {
						add(p, true)
					}
				}
			}
			continue
		}
		add(pair{k, v}, false)
	}
	return out
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Value == "<<"
}

// get returns the value of key in mapping n, and the key as written; nil
// when there is none. A key written in the mapping is found without
// resolving its merge keys, which only a key it lacks needs.
func get(n *yaml.Node, key string) (k, v *yaml.Node) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	merges := false
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		switch c := n.Content[i]; {
		case isMergeKey(c):
			merges = true
		case c.Value == key:
			return c, n.Content[i+1]
		}
	}
	if !merges {
		return nil, nil
	}
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.key, p.val
		}
	}
	return nil, nil
}

// val returns the value of key in mapping n, dereferenced.
func val(n *yaml.Node, key string) *yaml.Node {
	_, v := get(n, key)
	return deref(v)
}

// dig returns the value at the keys, each in the mapping the previous
// names.
func dig(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n = val(n, k); n == nil {
			return nil
		}
	}
	return n
}

// items returns the items of sequence n, dereferenced; nil for another.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = deref(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// str returns scalar n's value and whether n is a scalar other than null.
func str(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", false
	}
	return n.Value, true
}

// isNull reports whether n is absent or null.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
