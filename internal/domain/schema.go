package domain

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"unicode/utf8"
)

// SchemaProperty is one custom property of a user or group schema, as Okta's Schema property
// object describes it (https://developer.okta.com/docs/reference/api/schemas/#user-profile-schema-property-object).
type SchemaProperty struct {
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	Type        string             `json:"type"`
	Items       *SchemaItems       `json:"items,omitempty"`
	Enum        []any              `json:"enum,omitempty"`
	OneOf       []SchemaOneOf      `json:"oneOf,omitempty"`
	Format      string             `json:"format,omitempty"`
	MinLength   *int               `json:"minLength,omitempty"`
	MaxLength   *int               `json:"maxLength,omitempty"`
	Minimum     *float64           `json:"minimum,omitempty"`
	Maximum     *float64           `json:"maximum,omitempty"`
	Pattern     string             `json:"pattern,omitempty"`
	Required    bool               `json:"required,omitempty"`
	Unique      string             `json:"unique,omitempty"`
	Mutability  string             `json:"mutability,omitempty"`
	Scope       string             `json:"scope,omitempty"`
	Permissions []SchemaPermission `json:"permissions,omitempty"`
	Master      *SchemaMaster      `json:"master,omitempty"`
	External    string             `json:"externalName,omitempty"`
	ExternalNS  string             `json:"externalNamespace,omitempty"`
}

// SchemaItems is the element type of an array property.
type SchemaItems struct {
	Type  string        `json:"type"`
	Enum  []any         `json:"enum,omitempty"`
	OneOf []SchemaOneOf `json:"oneOf,omitempty"`
}

// SchemaOneOf is one titled value of an enum.
type SchemaOneOf struct {
	Const any    `json:"const"`
	Title string `json:"title"`
}

// SchemaPermission is a principal's access to a property.
type SchemaPermission struct {
	Principal string `json:"principal"`
	Action    string `json:"action"`
}

// SchemaMaster says which source masters a property.
type SchemaMaster struct {
	Type     string           `json:"type"`
	Priority []map[string]any `json:"priority,omitempty"`
}

// ProfileSchema is the custom part of one org's user (or group) schema and what the org changed
// of the base user properties.
type ProfileSchema struct {
	// Kind is "user" or "group".
	Kind       string                    `json:"-"`
	Properties map[string]SchemaProperty `json:"properties"`
	// Base holds the overrides of base user properties, by name (see PatchBase).
	Base        map[string]BaseOverride `json:"base,omitempty"`
	Created     Time                    `json:"-"`
	LastUpdated Time                    `json:"-"`
}

// Required lists the custom properties marked required, sorted.
func (s ProfileSchema) Required() []string {
	out := []string{}
	for k, p := range s.Properties {
		if p.Required {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var propertyName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// ValidateProperty checks a property definition sent to POST /meta/schemas/user/{id}; old is the
// stored definition (nil for a new property), whose type cannot change.
func ValidateProperty(name string, p *SchemaProperty, old *SchemaProperty) error {
	var fe FieldErrors
	f := "definitions.custom.properties." + name
	if !propertyName.MatchString(name) {
		fe.Add(f, "Property name is not valid")
	}
	if _, base := BaseProfile[name]; base {
		fe.Add(f, "A custom property cannot have the name of a base property")
	}
	if p.Title == "" {
		fe.Add(f+".title", "The field cannot be left blank")
	}
	switch p.Type {
	case "string", "boolean", "number", "integer":
	case "array":
		if p.Items == nil {
			fe.Add(f+".items", "An array property must define items")
		} else if !scalarType(p.Items.Type) || p.Items.Type == "boolean" {
			fe.Add(f+".items.type", "The array item type must be string, number or integer")
		}
	default:
		fe.Add(f+".type", "The type must be one of string, boolean, number, integer, array")
	}
	if old != nil && old.Type != p.Type {
		fe.Add(f+".type", "The type of an existing property cannot be changed")
	}
	if (p.MinLength != nil || p.MaxLength != nil) && p.Type != "string" {
		fe.Add(f, "minLength and maxLength apply only to string properties")
	}
	if p.MinLength != nil && p.MaxLength != nil && *p.MinLength > *p.MaxLength {
		fe.Add(f+".minLength", "minLength cannot be greater than maxLength")
	}
	if (p.Minimum != nil || p.Maximum != nil) && p.Type != "number" && p.Type != "integer" {
		fe.Add(f, "minimum and maximum apply only to number and integer properties")
	}
	if p.Pattern != "" {
		if _, err := regexp.Compile(p.Pattern); err != nil || p.Type != "string" {
			fe.Add(f+".pattern", "The pattern must be a valid regular expression on a string property")
		}
	}
	switch p.Unique {
	case "", "NOT_UNIQUE":
	case "UNIQUE_VALIDATED":
		if p.Type != "string" {
			fe.Add(f+".unique", "Only string properties can be unique")
		}
	default:
		fe.Add(f+".unique", "unique must be UNIQUE_VALIDATED or NOT_UNIQUE")
	}
	for _, perm := range p.Permissions {
		switch perm.Action {
		case "READ_WRITE", "READ_ONLY", "HIDE":
		default:
			fe.Add(f+".permissions", "The action must be one of READ_WRITE, READ_ONLY, HIDE")
		}
	}
	switch p.Scope {
	case "", "NONE", "SELF":
	default:
		fe.Add(f+".scope", "scope must be NONE or SELF")
	}
	itemType := p.Type
	enum, oneOf := p.Enum, p.OneOf
	if p.Type == "array" && p.Items != nil {
		itemType, enum, oneOf = p.Items.Type, p.Items.Enum, p.Items.OneOf
	}
	for _, e := range enum {
		if !valueOfType(itemType, e) {
			fe.Add(f+".enum", "Enum values must be of the property's type")
			break
		}
	}
	if len(oneOf) > 0 {
		if len(enum) != len(oneOf) {
			fe.Add(f+".oneOf", "oneOf must list the same values as enum")
		} else {
			for i, o := range oneOf {
				if fmt.Sprint(o.Const) != fmt.Sprint(enum[i]) || o.Title == "" {
					fe.Add(f+".oneOf", "oneOf must list the same values as enum, each with a title")
					break
				}
			}
		}
	}
	return fe.Err()
}

func scalarType(t string) bool {
	return t == "string" || t == "boolean" || t == "number" || t == "integer"
}

func valueOfType(t string, v any) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f) && !math.IsInf(f, 0)
	}
	return false
}

// ValidateCustomProfile checks the custom properties of profile p that schema s declares: their
// type, enum, lengths, bounds, pattern and required. Properties the schema does not declare are
// accepted, as okapi did before it had a schema (Okta refuses them; see README).
func (s ProfileSchema) ValidateCustomProfile(p map[string]any) error {
	var fe FieldErrors
	s.checkCustomProfile(&fe, p)
	return fe.Err()
}

func (s ProfileSchema) checkCustomProfile(fe *FieldErrors, p map[string]any) {
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		prop := s.Properties[k]
		v, ok := p[k]
		if !ok || v == nil {
			if prop.Required {
				fe.Add(k, "The field cannot be left blank")
			}
			continue
		}
		checkValue(fe, k, prop, v)
	}
}

func checkValue(fe *FieldErrors, k string, prop SchemaProperty, v any) {
	if prop.Type == "array" {
		arr, ok := v.([]any)
		if !ok {
			fe.Add(k, "The field must be an array")
			return
		}
		if prop.Items == nil {
			return
		}
		for _, e := range arr {
			if !valueOfType(prop.Items.Type, e) {
				fe.Add(k, "Array elements must be of type "+prop.Items.Type)
				return
			}
			if len(prop.Items.Enum) > 0 && !inEnum(prop.Items.Enum, e) {
				fe.Add(k, "Does not match required enum values")
				return
			}
		}
		return
	}
	if !valueOfType(prop.Type, v) {
		fe.Add(k, "The field must be of type "+prop.Type)
		return
	}
	if len(prop.Enum) > 0 && !inEnum(prop.Enum, v) {
		fe.Add(k, "Does not match required enum values")
		return
	}
	switch t := v.(type) {
	case string:
		n := utf8.RuneCountInString(t)
		if prop.MinLength != nil && n < *prop.MinLength {
			fe.Add(k, fmt.Sprintf("The field is too short (minimum %d characters)", *prop.MinLength))
		} else if prop.MaxLength != nil && n > *prop.MaxLength {
			fe.Add(k, fmt.Sprintf("The field is too long (maximum %d characters)", *prop.MaxLength))
		} else if prop.Pattern != "" {
			if re, err := regexp.Compile("^(?:" + prop.Pattern + ")$"); err == nil && !re.MatchString(t) {
				fe.Add(k, "Does not match required pattern")
			}
		}
	case float64:
		if prop.Minimum != nil && t < *prop.Minimum {
			fe.Add(k, fmt.Sprintf("The field must be at least %v", *prop.Minimum))
		} else if prop.Maximum != nil && t > *prop.Maximum {
			fe.Add(k, fmt.Sprintf("The field must be at most %v", *prop.Maximum))
		}
	}
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if e == v {
			return true
		}
	}
	return false
}

// LinkedObjectSide is one side (primary or associated) of a linked object definition
// (https://developer.okta.com/docs/reference/api/linked-objects/#linked-object-details-object).
type LinkedObjectSide struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type"`
}

// LinkedObject is a relationship between users, such as manager and subordinate.
type LinkedObject struct {
	Primary    LinkedObjectSide `json:"primary"`
	Associated LinkedObjectSide `json:"associated"`
	Created    Time             `json:"-"`
}

// MaxLinkedObjects is Okta's limit of definitions per org (unverified: 200).
const MaxLinkedObjects = 200

// Validate checks both sides: name and title present, names distinct, type USER.
func (l LinkedObject) Validate() error {
	var fe FieldErrors
	for _, side := range []struct {
		f string
		s LinkedObjectSide
	}{{"primary", l.Primary}, {"associated", l.Associated}} {
		if !propertyName.MatchString(side.s.Name) {
			fe.Add(side.f+".name", "The name must start with a letter and contain only letters, digits and underscores")
		}
		if side.s.Title == "" {
			fe.Add(side.f+".title", "The field cannot be left blank")
		}
		if side.s.Type != "USER" {
			fe.Add(side.f+".type", "The type must be USER")
		}
	}
	if l.Primary.Name != "" && l.Primary.Name == l.Associated.Name {
		fe.Add("associated.name", "The primary and associated names must differ")
	}
	return fe.Err()
}

// UserType is a custom user type (https://developer.okta.com/docs/reference/api/user-types/).
type UserType struct {
	ID          string `json:"-"`
	Name        string `json:"-"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Default     bool   `json:"-"`
	Created     Time   `json:"-"`
	LastUpdated Time   `json:"-"`
}

// MaxUserTypes is Okta's limit of user types per org, the default one included.
const MaxUserTypes = 10

// Validate checks name (a variable name) and displayName.
func (t UserType) Validate() error {
	var fe FieldErrors
	if !propertyName.MatchString(t.Name) {
		fe.Add("name", "The name must start with a letter and contain only letters, digits and underscores")
	}
	if t.DisplayName == "" {
		fe.Add("displayName", "The field cannot be left blank")
	}
	return fe.Err()
}
