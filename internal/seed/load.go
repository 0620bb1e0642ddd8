package seed

import (
	"context"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
)

// user is a seed user: the body of POST /api/v1/users, plus the status to leave the user in and
// the groups (by name) to put the user in.
type user struct {
	service.UserInput
	Status string   `json:"status"`
	Groups []string `json:"groups"`
	// Type shadows UserInput's: a seed names its own user types by name.
	Type *typeRef `json:"type"`
}

// typeRef is a seed user's type: {name: <a userTypes entry, or "user" for the default>}, or
// {id: ...} as the API takes it.
type typeRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// userType resolves u's type: a name to the id of the seed's user type of that name.
func (f *File) userType(it Item, u *user, r *refs) error {
	switch t := u.Type; {
	case t == nil:
	case t.Name != "" && t.ID != "":
		return f.errAt(it, "type", "give the type's name (a userTypes entry) or its id, not both")
	case t.Name == "user":
		u.UserInput.Type = &service.TypeRef{ID: "default"}
	case t.Name != "":
		id, ok := r.types[strings.ToLower(t.Name)]
		if !ok {
			return f.errAt(it, "type.name", "no user type called "+t.Name+" in this seed's userTypes")
		}
		u.UserInput.Type = &service.TypeRef{ID: id}
	default:
		u.UserInput.Type = &service.TypeRef{ID: t.ID}
	}
	return nil
}

// group is the body of POST /api/v1/groups.
type group struct {
	Profile map[string]any `json:"profile"`
}

// apiToken is an API token with a fixed secret, so test code can hard-code it.
type apiToken struct {
	Name  string `json:"name"`
	Token string `json:"token"`
}

// Load loads f into the org called orgName in one transaction and saves the result as the
// org's seed snapshot. On any error nothing is loaded; a bad item is an *Error naming the file,
// line and field.
func Load(ctx context.Context, svc *service.Service, orgName string, f *File) error {
	return svc.LoadSeed(ctx, orgName, func(ctx context.Context) error { return f.apply(ctx, svc) })
}

// refs are the ids of what the seed created so far, by the seed-local names later entries
// use: groups by profile.name, users by profile.login, user types by name. Each is compared
// case-insensitively, as Okta compares logins and group names.
type refs struct {
	groups, users, types map[string]string
}

func (f *File) apply(ctx context.Context, svc *service.Service) error {
	r := &refs{groups: map[string]string{}, users: map[string]string{}, types: map[string]string{}}
	// In the order of sections: each step may name what the earlier ones made.
	steps := []func(context.Context, *service.Service, *refs) error{
		f.loadSchema, f.loadUserTypes, f.loadGroups, f.loadUsers, f.loadGroupRules, f.loadApps,
		f.loadTokens, f.loadOrigins, f.loadZones,
	}
	for _, step := range steps {
		if err := step(ctx, svc, r); err != nil {
			return err
		}
	}
	return nil
}

// Counts is how many entries of each section f has, for a load's report.
func (f *File) Counts() map[string]int {
	return map[string]int{"userSchemaProperties": len(f.UserSchemaProperties), "userTypes": len(f.UserTypes),
		"groups": len(f.Groups), "users": len(f.Users), "groupRules": len(f.GroupRules), "apps": len(f.Apps),
		"apiTokens": len(f.APITokens), "trustedOrigins": len(f.TrustedOrigins), "zones": len(f.Zones)}
}

func (f *File) loadGroups(ctx context.Context, svc *service.Service, r *refs) error {
	for _, it := range f.Groups {
		var g group
		if err := f.decode(it, &g); err != nil {
			return err
		}
		created, err := svc.CreateGroup(ctx, g.Profile)
		if err != nil {
			return f.serviceErr(it, err, "profile")
		}
		r.groups[strings.ToLower(created.Name())] = created.ID
	}
	return nil
}

func (f *File) loadUsers(ctx context.Context, svc *service.Service, r *refs) error {
	for _, it := range f.Users {
		if err := f.loadUser(ctx, svc, it, r); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) loadTokens(ctx context.Context, svc *service.Service, _ *refs) error {
	for _, it := range f.APITokens {
		var t apiToken
		if err := f.decode(it, &t); err != nil {
			return err
		}
		if len(t.Token) < 10 || len(t.Token) > 200 || strings.ContainsAny(t.Token, " \t\r\n") {
			return f.errAt(it, "token", "must be 10 to 200 characters without spaces (Okta's are 42)")
		}
		if t.Name == "" {
			t.Name = "seed"
		}
		if _, _, err := svc.CreateToken(ctx, t.Name, t.Token); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return f.errAt(it, "token", "this token value is already in use")
			}
			return f.serviceErr(it, err, "")
		}
	}
	return nil
}

func (f *File) loadOrigins(ctx context.Context, svc *service.Service, _ *refs) error {
	for _, it := range f.TrustedOrigins {
		var o origin.TrustedOrigin
		if err := f.decode(it, &o); err != nil {
			return err
		}
		if _, err := svc.CreateTrustedOrigin(ctx, o); err != nil {
			return f.serviceErr(it, err, "")
		}
	}
	return nil
}

func (f *File) loadZones(ctx context.Context, svc *service.Service, _ *refs) error {
	for _, it := range f.Zones {
		var z netzone.Zone
		if err := f.decode(it, &z); err != nil {
			return err
		}
		if _, err := svc.CreateZone(ctx, z); err != nil {
			return f.serviceErr(it, err, "")
		}
	}
	return nil
}

// statuses says how a seed user reaches each status: the create options, then one lifecycle
// operation.
var statuses = map[string]struct {
	activate  bool
	nextLogin string
	then      domain.UserOp
}{
	"STAGED":           {},
	"PROVISIONED":      {activate: true},
	"ACTIVE":           {activate: true},
	"PASSWORD_EXPIRED": {activate: true, nextLogin: "changePassword"},
	"SUSPENDED":        {activate: true, then: domain.OpSuspend},
	"DEPROVISIONED":    {activate: true, then: domain.OpDeactivate},
}

func (f *File) loadUser(ctx context.Context, svc *service.Service, it Item, r *refs) error {
	var u user
	if err := f.decode(it, &u); err != nil {
		return err
	}
	for _, name := range u.Groups {
		if strings.EqualFold(name, "Everyone") {
			continue // every user is in Everyone
		}
		id, ok := r.groups[strings.ToLower(name)]
		if !ok {
			return f.errAt(it, "groups", "no group called "+name+" in this seed's groups")
		}
		u.GroupIDs = append(u.GroupIDs, id)
	}
	if err := f.userType(it, &u, r); err != nil {
		return err
	}
	status := u.Status
	if status == "" {
		status = "ACTIVE"
		if !hasPassword(u.Credentials) {
			status = "PROVISIONED" // what POST /users?activate=true makes of a user without one
		}
	}
	how, ok := statuses[status]
	if !ok {
		return f.errAt(it, "status", "must be one of STAGED, PROVISIONED, ACTIVE, PASSWORD_EXPIRED, SUSPENDED, DEPROVISIONED")
	}
	if (status == "ACTIVE" || status == "SUSPENDED") && !hasPassword(u.Credentials) && !hasProvider(u.Credentials) {
		return f.errAt(it, "status", status+" needs credentials.password (a value or a hash); without one the user is PROVISIONED")
	}
	if status == "PROVISIONED" && hasPassword(u.Credentials) {
		return f.errAt(it, "status", "a user with a password is ACTIVE once activated; drop the password or the status")
	}
	created, err := svc.CreateUser(ctx, u.UserInput, service.CreateOptions{
		Activate: how.activate, NextLogin: how.nextLogin, Provider: hasProvider(u.Credentials)})
	if err != nil {
		return f.serviceErr(it, err, "")
	}
	r.users[strings.ToLower(created.Login())] = created.ID
	if how.then != "" {
		if _, err := svc.UserLifecycle(ctx, created.ID, how.then); err != nil {
			return f.serviceErr(it, err, "status")
		}
	}
	return nil
}

func hasPassword(c *service.CredentialsInput) bool {
	return c != nil && c.Password != nil && (c.Password.Value != nil || c.Password.Hash != nil)
}

func hasProvider(c *service.CredentialsInput) bool {
	return c != nil && c.Provider != nil && c.Provider.Type != "" && c.Provider.Type != "OKTA"
}

// serviceErr places a service refusal in the file: an Okta validation error names its field in
// its first cause ("login: An object with this field already exists"); other errors go to
// fallback, or the item itself.
func (f *File) serviceErr(it Item, err error, fallback string) error {
	return f.serviceErrAs(it, err, fallback, nil)
}

// serviceErrAs is serviceErr for an item whose shape differs from the API body: rename turns
// the API's field (such as definitions.custom.properties.x.type) into the item's (type).
func (f *File) serviceErrAs(it Item, err error, fallback string, rename func(string) string) error {
	de, ok := domain.AsError(err)
	if !ok {
		return err // a backend fault, not the file's
	}
	msg, field := de.Summary, fallback
	if len(de.Causes) > 0 {
		msg = de.Causes[0].Summary
		if name, rest, found := strings.Cut(msg, ": "); found && !strings.Contains(name, " ") {
			field, msg = name, rest
			if fallback == "profile" || isProfileField(it, name) {
				field = "profile." + name
			}
		}
	}
	if rename != nil {
		field = rename(field)
	}
	return f.errAt(it, field, msg+" ("+de.Code+")")
}

// isProfileField reports whether the item's profile has a property called name, so a profile
// error points at profile.<name> rather than a like-named key elsewhere in the item.
func isProfileField(it Item, name string) bool {
	n := it.node
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == "profile" {
			p := n.Content[j+1]
			for k := 0; k+1 < len(p.Content); k += 2 {
				if p.Content[k].Value == name {
					return true
				}
			}
		}
	}
	return false
}
