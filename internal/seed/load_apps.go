package seed

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/service"
)

// appUser is an entry of an app's users: the body of POST /api/v1/apps/{id}/users
// (assignUserToApplication) with the user named by login in user, or just the login.
type appUser struct {
	service.AppUserInput
	User string `json:"user"`
}

func (u *appUser) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &u.User)
	}
	type plain appUser // without this method
	return strict(b, (*plain)(u))
}

// appGroup is an entry of an app's groups: the body of PUT /api/v1/apps/{id}/groups/{groupId}
// (assignGroupToApplication) with the group named by its seed name in group, or just the name.
type appGroup struct {
	Group    string         `json:"group"`
	Priority int            `json:"priority"`
	Profile  map[string]any `json:"profile"`
}

func (g *appGroup) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &g.Group)
	}
	type plain appGroup
	return strict(b, (*plain)(g))
}

// strict decodes as File.decode does, refusing unknown properties (the decoder's setting does
// not reach into an UnmarshalJSON method).
func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// seedAppKeys are an app entry's own keys, beside the body of POST /api/v1/apps.
var seedAppKeys = []string{"activate", "users", "groups"}

func (f *File) loadApps(ctx context.Context, svc *service.Service, r *refs) error {
	for _, it := range f.Apps {
		if err := f.loadApp(ctx, svc, it, r); err != nil {
			return err
		}
	}
	return nil
}

// loadApp creates an app as createApplication does (?activate, default true), then its user
// and group assignments.
func (f *File) loadApp(ctx context.Context, svc *service.Service, it Item, r *refs) error {
	var body map[string]any
	if err := f.decode(it, &body); err != nil {
		return err
	}
	activate := true
	if v, ok := body["activate"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return f.errAt(it, "activate", "has the wrong type: expected bool")
		}
		activate = b
	}
	if _, ok := body["status"]; ok {
		return f.errAt(it, "status", "is set by the server; use activate: false for an INACTIVE app")
	}
	for _, k := range append(seedAppKeys, application.ReadOnlyFields...) {
		delete(body, k)
	}
	users, err := f.subItems(it, "users")
	if err != nil {
		return err
	}
	groups, err := f.subItems(it, "groups")
	if err != nil {
		return err
	}
	a, err := svc.CreateApp(ctx, application.App(body), activate)
	if err != nil {
		return f.serviceErr(it, err, "")
	}
	for _, u := range users {
		if err := f.assignAppUser(ctx, svc, u, a.ID(), r); err != nil {
			return err
		}
	}
	for _, g := range groups {
		if err := f.assignAppGroup(ctx, svc, g, a.ID(), r); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) assignAppUser(ctx context.Context, svc *service.Service, it Item, appID string, r *refs) error {
	var u appUser
	if err := f.decode(it, &u); err != nil {
		return err
	}
	if u.ID != "" {
		return f.errAt(it, "id", "name the user by login in user: (ids are not known before the load)")
	}
	id, ok := r.users[strings.ToLower(u.User)]
	if !ok {
		return f.errAt(it, "user", "no user with login "+u.User+" in this seed's users")
	}
	u.AppUserInput.ID = id
	if _, err := svc.AssignAppUser(ctx, appID, u.AppUserInput); err != nil {
		return f.serviceErr(it, err, "")
	}
	return nil
}

func (f *File) assignAppGroup(ctx context.Context, svc *service.Service, it Item, appID string, r *refs) error {
	var g appGroup
	if err := f.decode(it, &g); err != nil {
		return err
	}
	id, ok := r.groups[strings.ToLower(g.Group)]
	if !ok {
		return f.errAt(it, "group", "no group called "+g.Group+" in this seed's groups")
	}
	if _, err := svc.AssignAppGroup(ctx, appID, id, g.Priority, g.Profile); err != nil {
		return f.serviceErr(it, err, "")
	}
	return nil
}
