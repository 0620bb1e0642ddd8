// Package seed reads okapi seed files (YAML or JSON) and loads them into an org through the
// service, so a seeded user is validated exactly like one created through the API. A seed's
// items have the shapes of the API's own request bodies.
package seed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem at one place in a seed file.
type Error struct {
	File string
	Line int
	// Path is the item, such as users[2]; Field the property at fault inside it, if known.
	Path, Field string
	Message     string
}

func (e *Error) Error() string {
	where := e.Path
	if e.Field != "" {
		where += "." + e.Field
	}
	if where == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, where, e.Message)
}

// File is a parsed seed file.
type File struct {
	Name           string
	Groups         []Item
	Users          []Item
	APITokens      []Item
	TrustedOrigins []Item
	Zones          []Item
}

// Item is one entry of a section, with the YAML node it came from (for line numbers).
type Item struct {
	Path string
	node *yaml.Node
}

// sections maps a top-level key to where its items go, in the order they are loaded.
var sections = []string{"groups", "users", "apiTokens", "trustedOrigins", "zones"}

// ReadFile reads and parses a seed file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a seed document (YAML, or JSON, which YAML reads too). It checks the structure
// only; the items are checked when they are loaded.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Line: yamlErrLine(err), Message: "not valid YAML or JSON: " + err.Error()}
	}
	if len(doc.Content) == 0 {
		return f, nil // an empty file seeds nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Message: "the top level must be a mapping with " + strings.Join(sections, ", ")}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		var dst *[]Item
		switch key.Value {
		case "groups":
			dst = &f.Groups
		case "users":
			dst = &f.Users
		case "apiTokens":
			dst = &f.APITokens
		case "trustedOrigins":
			dst = &f.TrustedOrigins
		case "zones":
			dst = &f.Zones
		default:
			return nil, &Error{File: name, Line: key.Line, Path: key.Value,
				Message: "unknown section; a seed has " + strings.Join(sections, ", ")}
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			continue
		}
		if val.Kind != yaml.SequenceNode {
			return nil, &Error{File: name, Line: val.Line, Path: key.Value, Message: "must be a list"}
		}
		for j, n := range val.Content {
			path := fmt.Sprintf("%s[%d]", key.Value, j)
			if n.Kind != yaml.MappingNode {
				return nil, &Error{File: name, Line: n.Line, Path: path, Message: "must be a mapping (an object)"}
			}
			*dst = append(*dst, Item{Path: path, node: n})
		}
	}
	return f, nil
}

// decode converts an item to v through JSON, as the API would decode the same body. Unknown
// properties are refused: in a seed they are typos, not a client's extra fields.
func (f *File) decode(it Item, v any) error {
	var generic any
	if err := it.node.Decode(&generic); err != nil {
		return f.errAt(it, "", err.Error())
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return f.errAt(it, "", "holds a value JSON cannot carry: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return f.errAt(it, te.Field, "has the wrong type: expected "+te.Type.String())
		}
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			field = strings.Trim(field, `"`)
			return f.errAt(it, field, "unknown property")
		}
		return f.errAt(it, "", err.Error())
	}
	return nil
}

// errAt builds an Error for a field of an item, on the line of that field when it can be
// found (the deepest key path, e.g. credentials.password.value, or the last key named field).
func (f *File) errAt(it Item, field, msg string) *Error {
	line := it.node.Line
	if field != "" {
		if n := findKey(it.node, strings.Split(field, ".")); n != nil {
			line = n.Line
		}
	}
	return &Error{File: f.Name, Line: line, Path: it.Path, Field: field, Message: msg}
}

// findKey finds the key node at path under n, or else any key named path's last element.
func findKey(n *yaml.Node, path []string) *yaml.Node {
	cur := n
	for i, p := range path {
		var next *yaml.Node
		if cur.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(cur.Content); j += 2 {
				if cur.Content[j].Value == p {
					if i == len(path)-1 {
						return cur.Content[j]
					}
					next = cur.Content[j+1]
				}
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	return findAny(n, path[len(path)-1])
}

func findAny(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == key {
				return n.Content[j]
			}
		}
	}
	for _, c := range n.Content {
		if found := findAny(c, key); found != nil {
			return found
		}
	}
	return nil
}

// yamlErrLine digs the line out of a yaml.v3 error ("yaml: line 3: ...").
func yamlErrLine(err error) int {
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i+5:], "%d", &line)
	}
	return line
}
