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
	Name string
	// UserSchemaProperties are the custom properties of the default user schema, one Item per
	// property: its Path is userSchemaProperties.<name>.
	UserSchemaProperties []Item
	UserTypes            []Item
	Groups               []Item
	Users                []Item
	GroupRules           []Item
	Apps                 []Item
	APITokens            []Item
	TrustedOrigins       []Item
	Zones                []Item
}

// Item is one entry of a section, with the YAML node it came from (for line numbers).
type Item struct {
	Path string
	// Name is the key of an entry of a mapping section (a schema property's name).
	Name string
	node *yaml.Node
}

// sections are the top-level keys, in the order they are loaded: each after what it may name
// (the schema and user types before the users that use them, groups before the users, rules
// and apps that name them, users before the rules and apps that name them).
var sections = []string{"userSchemaProperties", "userTypes", "groups", "users", "groupRules", "apps",
	"apiTokens", "trustedOrigins", "zones"}

// section returns where the items of the top-level key go.
func (f *File) section(key string) *[]Item {
	switch key {
	case "userSchemaProperties":
		return &f.UserSchemaProperties
	case "userTypes":
		return &f.UserTypes
	case "groups":
		return &f.Groups
	case "users":
		return &f.Users
	case "groupRules":
		return &f.GroupRules
	case "apps":
		return &f.Apps
	case "apiTokens":
		return &f.APITokens
	case "trustedOrigins":
		return &f.TrustedOrigins
	case "zones":
		return &f.Zones
	}
	return nil
}

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
		dst := f.section(key.Value)
		if dst == nil {
			return nil, &Error{File: name, Line: key.Line, Path: key.Value,
				Message: "unknown section; a seed has " + strings.Join(sections, ", ")}
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			continue
		}
		var err error
		if key.Value == "userSchemaProperties" {
			*dst, err = mappingItems(name, key.Value, val)
		} else {
			*dst, err = listItems(name, key.Value, val)
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// listItems reads a section that is a list of mappings.
func listItems(file, key string, val *yaml.Node) ([]Item, error) {
	if val.Kind != yaml.SequenceNode {
		return nil, &Error{File: file, Line: val.Line, Path: key, Message: "must be a list"}
	}
	var out []Item
	for j, n := range val.Content {
		path := fmt.Sprintf("%s[%d]", key, j)
		if n.Kind != yaml.MappingNode {
			return nil, &Error{File: file, Line: n.Line, Path: path, Message: "must be a mapping (an object)"}
		}
		out = append(out, Item{Path: path, node: n})
	}
	return out, nil
}

// mappingItems reads a section that is a mapping of names to mappings (the schema's
// definitions.custom.properties), in the file's order.
func mappingItems(file, key string, val *yaml.Node) ([]Item, error) {
	if val.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: val.Line, Path: key, Message: "must be a mapping of property names to definitions"}
	}
	var out []Item
	for j := 0; j+1 < len(val.Content); j += 2 {
		k, n := val.Content[j], val.Content[j+1]
		path := key + "." + k.Value
		if n.Kind != yaml.MappingNode {
			return nil, &Error{File: file, Line: n.Line, Path: path, Message: "must be a mapping (a property definition)"}
		}
		out = append(out, Item{Path: path, Name: k.Value, node: n})
	}
	return out, nil
}

// subItems returns the entries of the list under key in it (an app's users or groups), each an
// Item of its own so its errors name it (apps[0].users[1]). A missing key is no entries.
func (f *File) subItems(it Item, key string) ([]Item, error) {
	n := it.node
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value != key {
			continue
		}
		val := n.Content[j+1]
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			return nil, nil
		}
		if val.Kind != yaml.SequenceNode {
			return nil, f.errAt(it, key, "must be a list")
		}
		out := make([]Item, len(val.Content))
		for i, c := range val.Content {
			out[i] = Item{Path: fmt.Sprintf("%s.%s[%d]", it.Path, key, i), node: c}
		}
		return out, nil
	}
	return nil, nil
}

// decode converts an item to v through JSON, as the API would decode the same body. Unknown
// properties are refused: in a seed they are typos, not a client's extra fields.
func (f *File) decode(it Item, v any) error {
	raw, err := f.json(it)
	if err != nil {
		return err
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

// json is the item as the JSON body the API would get.
func (f *File) json(it Item) ([]byte, error) {
	var generic any
	if err := it.node.Decode(&generic); err != nil {
		return nil, f.errAt(it, "", err.Error())
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return nil, f.errAt(it, "", "holds a value JSON cannot carry: "+err.Error())
	}
	return raw, nil
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
