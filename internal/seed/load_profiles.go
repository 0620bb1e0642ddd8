package seed

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// userType is the body of POST /api/v1/meta/types/user (createUserType).
type userType struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
}

// groupRule is the body of POST /api/v1/groups/rules (createGroupRule), with the target groups
// named by the seed's group names in groups (the body's actions.assignUserToGroups.groupIds),
// excluded users by login, and the status to leave the rule in (INACTIVE, as Okta creates
// rules, unless ACTIVE).
type groupRule struct {
	Type       string                      `json:"type"`
	Name       string                      `json:"name"`
	Conditions service.GroupRuleConditions `json:"conditions"`
	Actions    json.RawMessage             `json:"actions"`
	Groups     []string                    `json:"groups"`
	Status     string                      `json:"status"`
}

// loadSchema adds the custom properties of the default user schema, one partial update of
// POST /api/v1/meta/schemas/user/default (updateUserProfile) per property, so a refusal names
// its property.
func (f *File) loadSchema(ctx context.Context, svc *service.Service, _ *refs) error {
	for _, it := range f.UserSchemaProperties {
		var p domain.SchemaProperty
		if err := f.decode(it, &p); err != nil { // typos and wrong types, as elsewhere in a seed
			return err
		}
		raw, err := f.json(it)
		if err != nil {
			return err
		}
		patch := service.SchemaPatch{Custom: map[string]json.RawMessage{it.Name: raw}}
		if _, err := svc.UpdateProfileSchema(ctx, service.SchemaUser, patch); err != nil {
			prefix := "definitions.custom.properties." + it.Name
			return f.serviceErrAs(it, err, "", func(field string) string {
				return strings.TrimPrefix(strings.TrimPrefix(field, prefix), ".")
			})
		}
	}
	return nil
}

func (f *File) loadUserTypes(ctx context.Context, svc *service.Service, r *refs) error {
	for _, it := range f.UserTypes {
		var t userType
		if err := f.decode(it, &t); err != nil {
			return err
		}
		created, err := svc.CreateUserType(ctx, domain.UserType{Name: t.Name, DisplayName: t.DisplayName, Description: t.Description})
		if err != nil {
			return f.serviceErr(it, err, "")
		}
		r.types[strings.ToLower(created.Name)] = created.ID
	}
	return nil
}

func (f *File) loadGroupRules(ctx context.Context, svc *service.Service, r *refs) error {
	for _, it := range f.GroupRules {
		if err := f.loadGroupRule(ctx, svc, it, r); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) loadGroupRule(ctx context.Context, svc *service.Service, it Item, r *refs) error {
	var g groupRule
	if err := f.decode(it, &g); err != nil {
		return err
	}
	if len(g.Actions) > 0 && string(g.Actions) != "null" {
		return f.errAt(it, "actions", "name the rule's groups by their seed names in groups: (ids are not known before the load)")
	}
	if g.Status != "" && g.Status != domain.RuleActive && g.Status != domain.RuleInactive {
		return f.errAt(it, "status", "must be ACTIVE or INACTIVE")
	}
	rule := domain.GroupRule{Name: g.Name, Expression: g.Conditions.Expression.Value}
	for _, name := range g.Groups {
		id, ok := r.groups[strings.ToLower(name)]
		if !ok {
			return f.errAt(it, "groups", "no group called "+name+" in this seed's groups")
		}
		rule.GroupIDs = append(rule.GroupIDs, id)
	}
	for _, login := range g.Conditions.People.Users.Exclude {
		id, ok := r.users[strings.ToLower(login)]
		if !ok {
			return f.errAt(it, "conditions.people.users.exclude", "no user with login "+login+" in this seed's users")
		}
		rule.ExcludeUsers = append(rule.ExcludeUsers, id)
	}
	created, err := svc.CreateGroupRule(ctx, rule, g.Conditions.Expression.Type)
	if err != nil {
		return f.serviceErrAs(it, err, "", func(field string) string {
			if field == "actions.assignUserToGroups.groupIds" {
				return "groups"
			}
			return field
		})
	}
	if g.Status == domain.RuleActive {
		if err := svc.SetGroupRuleStatus(ctx, created.ID, true); err != nil {
			return f.serviceErr(it, err, "status")
		}
	}
	return nil
}
