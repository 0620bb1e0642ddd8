package domain

import (
	"encoding/json"
	"reflect"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// BaseOverride is what an org changed of one base user property. Okta allows only "limited
// changes" to base properties: permissions, the nullability of firstName and lastName, and the
// pattern of login (Schemas API, updateUserProfile and "User Profile base subschema"); the
// master (source priority) is the profile editor's setting that Terraform's
// okta_user_base_schema_property sends. Nil fields keep Okta's defaults.
type BaseOverride struct {
	Required    *bool              `json:"required,omitempty"`
	Pattern     *string            `json:"pattern,omitempty"`
	Permissions []SchemaPermission `json:"permissions,omitempty"`
	Master      *SchemaMaster      `json:"master,omitempty"`
}

// nullableBase are the base properties whose required flag an org may change.
var nullableBase = map[string]bool{"firstName": true, "lastName": true}

// baseTitles maps each base property to its title, from baseOrder.
var baseTitles = func() map[string]string {
	m := make(map[string]string, len(baseOrder))
	for _, nt := range baseOrder {
		m[nt[0]] = nt[1]
	}
	return m
}()

// BaseRequired reports whether base property name is required in this org.
func (s ProfileSchema) BaseRequired(name string) bool {
	if o, ok := s.Base[name]; ok && o.Required != nil {
		return *o.Required
	}
	return BaseProfile[name].required
}

// LoginPattern is the org's pattern for login, "" when it has none (login must be an email).
func (s ProfileSchema) LoginPattern() string {
	if o, ok := s.Base["login"]; ok && o.Pattern != nil {
		return *o.Pattern
	}
	return ""
}

// BaseSchemaProperty is base property name as the user schema shows it, overrides applied.
func (s ProfileSchema) BaseSchemaProperty(name string) SchemaProperty {
	p := BaseProfile[name]
	out := SchemaProperty{Title: baseTitles[name], Type: "string", Mutability: "READ_WRITE", Scope: "NONE",
		Required:    s.BaseRequired(name),
		Permissions: []SchemaPermission{{Principal: "SELF", Action: "READ_WRITE"}},
		Master:      &SchemaMaster{Type: "PROFILE_MASTER"}}
	if p.min > 0 {
		out.MinLength = intPtr(p.min)
	}
	if p.max > 0 {
		out.MaxLength = intPtr(p.max)
	}
	switch p.format {
	case "email":
		out.Format = "email"
	case "login":
		out.Unique = "UNIQUE_VALIDATED"
		out.Pattern = s.LoginPattern()
	}
	o := s.Base[name]
	if len(o.Permissions) > 0 {
		out.Permissions = o.Permissions
	}
	if o.Master != nil {
		out.Master = o.Master
	}
	return out
}

// BaseSchemaProperties is the base part of the user schema, by name.
func (s ProfileSchema) BaseSchemaProperties() map[string]SchemaProperty {
	out := make(map[string]SchemaProperty, len(baseOrder))
	for _, nt := range baseOrder {
		out[nt[0]] = s.BaseSchemaProperty(nt[0])
	}
	return out
}

// BaseRequiredList lists the required base properties in Okta's order.
func (s ProfileSchema) BaseRequiredList() []string {
	out := []string{}
	for _, nt := range baseOrder {
		if s.BaseRequired(nt[0]) {
			out = append(out, nt[0])
		}
	}
	return out
}

func intPtr(n int) *int { return &n }

// PatchBase applies one property of definitions.base.properties sent to updateUserProfile.
// Attributes Okta lets an org change are stored; any other attribute must repeat the current
// value (clients such as Terraform send title and type, and SDKs send back the whole property
// they read), or the change is refused with 400 E0000001 naming the property and attribute.
// null for an editable attribute restores Okta's default (Terraform clears login's pattern so).
func (s *ProfileSchema) PatchBase(name string, raw json.RawMessage) error {
	f := "definitions.base.properties." + name
	if _, ok := BaseProfile[name]; !ok {
		return Validation(f, f+": Property is not defined in the base schema")
	}
	if string(raw) == "null" {
		return Validation(f, f+": A base property cannot be removed")
	}
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &attrs); err != nil {
		return Validation(f, f+": The property definition is not valid")
	}
	cur := s.Base[name]
	var fe FieldErrors
	shown := s.shownBase(name)
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		patchBaseAttr(&fe, f, name, k, attrs[k], &cur, shown)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if s.Base == nil {
		s.Base = map[string]BaseOverride{}
	}
	if reflect.DeepEqual(cur, BaseOverride{}) {
		delete(s.Base, name)
	} else {
		s.Base[name] = cur
	}
	return nil
}

// shownBase is the property as GET shows it, decoded as a client would send it back.
func (s ProfileSchema) shownBase(name string) map[string]any {
	b, _ := json.Marshal(s.BaseSchemaProperty(name))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func patchBaseAttr(fe *FieldErrors, f, name, k string, raw json.RawMessage, cur *BaseOverride, shown map[string]any) {
	null := string(raw) == "null"
	switch {
	case k == "permissions":
		var perms []SchemaPermission
		if null {
			cur.Permissions = nil
		} else if err := json.Unmarshal(raw, &perms); err != nil || !validPermissions(perms) {
			fe.Add(f+".permissions", "The principal must be SELF and the action one of READ_WRITE, READ_ONLY, HIDE")
		} else {
			cur.Permissions = perms
		}
	case k == "master":
		var m SchemaMaster
		if null {
			cur.Master = nil
		} else if err := json.Unmarshal(raw, &m); err != nil || !validMaster(m) {
			fe.Add(f+".master", "The master type must be one of PROFILE_MASTER, OKTA, OVERRIDE")
		} else if m.Type == "PROFILE_MASTER" && len(m.Priority) == 0 {
			cur.Master = nil
		} else {
			cur.Master = &m
		}
	case k == "required" && nullableBase[name]:
		var b bool
		if null {
			cur.Required = nil
		} else if err := json.Unmarshal(raw, &b); err != nil {
			fe.Add(f+".required", "The field must be a boolean")
		} else if b == BaseProfile[name].required {
			cur.Required = nil
		} else {
			cur.Required = &b
		}
	case k == "pattern" && name == "login":
		var p string
		if err := json.Unmarshal(raw, &p); null || (err == nil && p == "") {
			cur.Pattern = nil
		} else if err != nil || !ValidLoginPattern(p) {
			fe.Add(f+".pattern", `The pattern must be ".+" or a character set of the form "[...]+"`)
		} else {
			cur.Pattern = &p
		}
	default:
		var v any
		if err := json.Unmarshal(raw, &v); err != nil || !sameAsShown(v, shown[k]) {
			fe.Add(f+"."+k, "The attribute "+k+" of a base property cannot be changed")
		}
	}
}

// sameAsShown reports whether a sent value repeats the shown one; a value the schema omits
// equals null, false, "", an empty list and NOT_UNIQUE.
func sameAsShown(sent, shown any) bool {
	if shown == nil {
		switch t := sent.(type) {
		case nil:
			return true
		case bool:
			return !t
		case string:
			return t == "" || t == "NOT_UNIQUE"
		case []any:
			return len(t) == 0
		}
		return false
	}
	return reflect.DeepEqual(sent, shown)
}

func validPermissions(perms []SchemaPermission) bool {
	for _, p := range perms {
		if p.Principal != "SELF" {
			return false
		}
		switch p.Action {
		case "READ_WRITE", "READ_ONLY", "HIDE":
		default:
			return false
		}
	}
	return true
}

func validMaster(m SchemaMaster) bool {
	switch m.Type {
	case "PROFILE_MASTER", "OKTA":
		return true
	case "OVERRIDE":
		return len(m.Priority) > 0
	}
	return false
}

// ValidLoginPattern reports whether p is one of the two forms Okta accepts for login's pattern
// (Schemas API, "Login pattern validation"): ".+" (any username) or one character set
// "[...]+" (usernames made only of those characters).
func ValidLoginPattern(p string) bool {
	if p == ".+" {
		return true
	}
	if !strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]+") || len(p) < 4 {
		return false
	}
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil || re.Op != syntax.OpPlus || len(re.Sub) != 1 {
		return false
	}
	op := re.Sub[0].Op
	return op == syntax.OpCharClass || op == syntax.OpLiteral
}

// checkLogin checks login against the org's pattern: none means an email address of 5 to 100
// characters; ".+" lifts the minimum length and the email form; "[...]+" keeps the lengths
// and requires the whole username to be made of the set's characters.
func checkLogin(fe *FieldErrors, s, pattern string) {
	prop := BaseProfile["login"]
	switch pattern {
	case "":
		checkString(fe, "login", s, prop)
	case ".+":
		prop.min, prop.format = 0, ""
		checkString(fe, "login", s, prop)
	default:
		prop.format = ""
		before := len(fe.causes)
		checkString(fe, "login", s, prop)
		if len(fe.causes) > before {
			return
		}
		if re, err := regexp.Compile("^(?:" + pattern + ")$"); err == nil && !re.MatchString(s) {
			fe.Add("login", "Does not match required pattern")
		}
	}
}
