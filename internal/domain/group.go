package domain

import (
	"net/http"
	"sort"
	"unicode/utf8"
)

// Group profile limits, from Okta's Groups API reference.
const (
	GroupNameMax        = 255
	GroupDescriptionMax = 1024
)

// The BUILT_IN groups every Okta org has, which Okta manages itself: Everyone holds every user,
// Okta Administrators every user who holds an admin role, directly or through a group (Groups
// API, "Group type": BUILT_IN). Clients such as the Terraform provider find them by name.
const (
	EveryoneGroupName = "Everyone"
	AdminsGroupName   = "Okta Administrators"
)

// BuiltInGroup returns a new BUILT_IN group called name (EveryoneGroupName or AdminsGroupName)
// with Okta's description of it.
func BuiltInGroup(ids IDs, name string, now Time) Group {
	desc := "All users in your organization"
	if name == AdminsGroupName {
		desc = "Okta manages this group, which contains all administrators in your organization."
	}
	return Group{
		ID: NewID(ids, PrefixGroup), Type: GroupBuiltIn,
		Created: now, LastUpdated: now, LastMembershipUpdated: now,
		Profile: map[string]any{"name": name, "description": desc},
	}
}

// GroupObjectClass is the objectClass of every group okapi stores (no AD groups).
var GroupObjectClass = []string{"okta:user_group"}

// GroupStats is `_embedded.stats` of a group fetched with expand=stats.
type GroupStats struct {
	UsersCount             int  `json:"usersCount"`
	AppsCount              int  `json:"appsCount"`
	GroupPushMappingsCount int  `json:"groupPushMappingsCount"`
	HasAdminPrivilege      bool `json:"hasAdminPrivilege"`
}

// ErrForbidden is Okta's 403 E0000006, the answer to changing what the API may not change.
func ErrForbidden() *Error {
	return NewError(http.StatusForbidden, CodeForbidden, "You do not have permission to perform the requested action")
}

// CheckWritable refuses changes (profile, deletion, membership) to groups that Okta
// manages itself (BUILT_IN: Everyone and Okta Administrators) or that an app masters (APP_GROUP). Okta answers
// these with 403 E0000006 "You do not have permission to perform the requested action", even
// for a super admin (okta/terraform-provider-okta#118); E0000060 501 is not what Okta sends here.
func (g *Group) CheckWritable() error {
	if g.Type != GroupOkta {
		return ErrForbidden()
	}
	return nil
}

// NewGroupProfile validates the profile of a group create or replace against the base group
// schema and returns the profile to store. name is required (1–255 characters); description is
// optional (0–1024, null allowed) and stored as null when absent, as Okta shows it. Other
// properties are kept when they are strings, numbers, booleans, null or arrays of those.
func NewGroupProfile(p map[string]any) (map[string]any, error) {
	return NewGroupProfileSchema(p, ProfileSchema{})
}

// NewGroupProfileSchema is NewGroupProfile with the custom properties of the org's group schema
// (GET /api/v1/meta/schemas/group/default) checked against their definitions: type, enum,
// lengths, bounds, pattern and required, with the same causes as a user profile
// (ProfileSchema.ValidateCustomProfile). Undeclared properties are accepted, as for users.
func NewGroupProfileSchema(p map[string]any, sc ProfileSchema) (map[string]any, error) {
	var fe FieldErrors
	out := make(map[string]any, len(p)+1)
	switch name := p["name"].(type) {
	case nil:
		fe.Add("name", "The field cannot be left blank")
	case string:
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			fe.Add("name", "The field cannot be left blank")
		case n > GroupNameMax:
			fe.Add("name", "The field is too long")
		}
		out["name"] = name
	default:
		fe.Add("name", "The value has the wrong type: expected string")
	}
	switch d := p["description"].(type) {
	case nil:
		// Left out rather than null: the spec types description as a non-nullable string, and
		// the API contract lets null properties be omitted.
	case string:
		if utf8.RuneCountInString(d) > GroupDescriptionMax {
			fe.Add("description", "The field is too long")
		}
		out["description"] = d
	default:
		fe.Add("description", "The value has the wrong type: expected string")
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "name" && k != "description" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // causes in a stable order
	for _, k := range keys {
		if _, declared := sc.Properties[k]; declared {
			out[k] = p[k] // checked below against its definition
			continue
		}
		if !scalarOrScalarArray(p[k]) {
			fe.Add(k, "The value has the wrong type: expected a string, number, boolean or an array of them")
			continue
		}
		out[k] = p[k]
	}
	sc.checkCustomProfile(&fe, p)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func scalarOrScalarArray(v any) bool {
	switch v := v.(type) {
	case nil, string, float64, bool:
		return true
	case []any:
		for _, e := range v {
			switch e.(type) {
			case string, float64, bool:
			default:
				return false
			}
		}
		return true
	}
	return false
}

// ErrGroupNameTaken is Okta's answer to a duplicate OKTA_GROUP name.
func ErrGroupNameTaken() *Error {
	return Validation("name", "name: An object with this field already exists in the current organization")
}
