package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// TestOktaAdministrators runs the Okta Administrators membership use cases on both backends:
// the group follows role assignments to users and groups, group membership changes and group
// deletion, and EnsureOrg and a reset bring back the group of an org that lacks it.
func TestOktaAdministrators(t *testing.T) {
	backends := storeBackends()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			runOktaAdministrators(t, db, service.New(db, nil, nil, nil))
		})
	}
}

type adminsEnv struct {
	t    *testing.T
	ctx  context.Context
	db   *sqlstore.DB
	svc  *service.Service
	org  domain.Org
	boot string // the bootstrap super admin
}

// admins returns the members of the Okta Administrators group, sorted.
func (e *adminsEnv) admins() []string {
	e.t.Helper()
	g, err := e.db.GetBuiltInGroup(e.ctx, e.org.ID, domain.AdminsGroupName)
	if err != nil {
		e.t.Fatal(err)
	}
	if g.Type != domain.GroupBuiltIn || g.Profile["description"] != "Okta manages this group, which contains all administrators in your organization." {
		e.t.Errorf("Okta Administrators %+v", g)
	}
	page, err := e.svc.ListGroupMembers(e.ctx, g.ID, service.ListParams{Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, u := range page.Items {
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	return ids
}

func (e *adminsEnv) want(step string, ids ...string) {
	e.t.Helper()
	slices.Sort(ids)
	if got := e.admins(); !slices.Equal(got, ids) {
		e.t.Errorf("%s: Okta Administrators %v, want %v", step, got, ids)
	}
}

func (e *adminsEnv) ok(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *adminsEnv) user(login string, groups ...string) string {
	e.t.Helper()
	u, err := e.svc.CreateUser(e.ctx, service.UserInput{GroupIDs: groups, Profile: map[string]any{
		"login": login, "email": login, "firstName": "A", "lastName": "B"}}, service.CreateOptions{Activate: true})
	e.ok(err)
	return u.ID
}

func runOktaAdministrators(t *testing.T, db *sqlstore.DB, svc *service.Service) {
	ctx := context.Background()
	org, _, err := svc.CreateOrg(ctx, service.OrgSetup{Name: "org-" + domain.CryptoIDs{}.Random(10)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Update(ctx, func(tx store.Tx) error { return tx.DeleteOrg(ctx, org.ID) })
	ctx = domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID})
	e := &adminsEnv{t: t, ctx: ctx, db: db, svc: svc, org: org}
	boot := e.admins()
	if len(boot) != 1 {
		t.Fatalf("a new org's Okta Administrators %v, want the bootstrap super admin", boot)
	}
	e.boot = boot[0]
	everyone, err := db.GetBuiltInGroup(ctx, org.ID, domain.EveryoneGroupName)
	if err != nil || everyone.Name() != domain.EveryoneGroupName {
		t.Fatalf("Everyone %+v, %v", everyone, err)
	}

	// A role on a user; the last one unassigned takes the user out.
	ann := e.user("ann@example.com")
	a1, err := svc.AssignRole(ctx, "user", ann, "READ_ONLY_ADMIN")
	e.ok(err)
	a2, err := svc.AssignRole(ctx, "user", ann, "HELP_DESK_ADMIN")
	e.ok(err)
	e.want("user roles", e.boot, ann)
	e.ok(svc.UnassignRole(ctx, "user", ann, a1.ID))
	e.want("one role left", e.boot, ann)
	e.ok(svc.UnassignRole(ctx, "user", ann, a2.ID))
	e.want("no role left", e.boot)

	// A role on a group: its members, and who joins and leaves it.
	ops, err := svc.CreateGroup(ctx, map[string]any{"name": "Ops"})
	e.ok(err)
	bob := e.user("bob@example.com", ops.ID)
	r, err := svc.AssignRole(ctx, "group", ops.ID, "USER_ADMIN")
	e.ok(err)
	e.want("group role", e.boot, bob)
	cat := e.user("cat@example.com", ops.ID) // created into the group
	e.ok(svc.AddGroupMember(ctx, ops.ID, ann))
	e.want("members joined", e.boot, bob, cat, ann)
	e.ok(svc.RemoveGroupMember(ctx, ops.ID, ann))
	e.want("member left", e.boot, bob, cat)
	// A user with a role of their own stays when the group's role goes.
	_, err = svc.AssignRole(ctx, "user", bob, "READ_ONLY_ADMIN")
	e.ok(err)
	e.ok(svc.UnassignRole(ctx, "group", ops.ID, r.ID))
	e.want("group role gone", e.boot, bob)
	_, err = svc.AssignRole(ctx, "group", ops.ID, "USER_ADMIN")
	e.ok(err)
	e.want("group role again", e.boot, bob, cat)
	e.ok(svc.DeleteGroup(ctx, ops.ID))
	e.want("group deleted", e.boot, bob)

	// Okta manages the group: the groups API and groupIds cannot change its members.
	g, err := db.GetBuiltInGroup(ctx, org.ID, domain.AdminsGroupName)
	e.ok(err)
	for name, err := range map[string]error{
		"add":    svc.AddGroupMember(ctx, g.ID, ann),
		"remove": svc.RemoveGroupMember(ctx, g.ID, bob),
		"delete": svc.DeleteGroup(ctx, g.ID),
	} {
		if de, ok := domain.AsError(err); !ok || de.Code != "E0000006" {
			t.Errorf("%s Okta Administrators member: %v, want 403 E0000006", name, err)
		}
	}
	if _, err := svc.CreateUser(ctx, service.UserInput{GroupIDs: []string{g.ID}, Profile: map[string]any{
		"login": "dan@example.com", "email": "dan@example.com", "firstName": "D", "lastName": "E"}}, service.CreateOptions{}); err == nil {
		t.Error("a user created into Okta Administrators")
	}
	e.want("refused changes", e.boot, bob)

	// An org from before the group existed gets it, with its admins, from EnsureOrg.
	e.ok(db.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroup(ctx, org.ID, g.ID) }))
	_, _, err = svc.EnsureOrg(ctx, service.OrgSetup{Name: org.Name})
	e.ok(err)
	e.want("after EnsureOrg", e.boot, bob)
	g, err = db.GetBuiltInGroup(ctx, org.ID, domain.AdminsGroupName)
	e.ok(err)
	e.ok(db.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroup(ctx, org.ID, g.ID) }))
	e.ok(svc.EnsureAdminGroups(ctx))
	e.want("after EnsureAdminGroups", e.boot, bob)
	// One pass per database: later starts skip it.
	if _, err := db.ServerSetting(ctx, store.SettingAdminGroupsBackfilled); err != nil {
		t.Errorf("EnsureAdminGroups did not record its pass: %v", err)
	}

	// An OKTA_GROUP that took the name in the meantime keeps it; the org goes without.
	g, err = db.GetBuiltInGroup(ctx, org.ID, domain.AdminsGroupName)
	e.ok(err)
	e.ok(db.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroup(ctx, org.ID, g.ID) }))
	_, err = svc.CreateGroup(ctx, map[string]any{"name": "okta administrators"})
	e.ok(err)
	_, _, err = svc.EnsureOrg(ctx, service.OrgSetup{Name: org.Name})
	e.ok(err)
	if _, err := db.GetBuiltInGroup(ctx, org.ID, domain.AdminsGroupName); err == nil {
		t.Error("a BUILT_IN Okta Administrators next to an OKTA_GROUP of that name")
	}
	_, err = svc.AssignRole(ctx, "user", ann, "READ_ONLY_ADMIN") // no group to keep in line
	e.ok(err)

	// A reset keeps the token owner, a super admin, and takes the others out; the OKTA_GROUP goes
	// and the BUILT_IN group comes back.
	e.ok(svc.ResetOrg(ctx, org.Name, false))
	e.want("after reset", e.boot)
}
