package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Dependents",
		check{"DeleteUserLeavesNothingKeyedByIt", testDeleteUserDependents},
		check{"DeleteGroupLeavesNothingKeyedByIt", testDeleteGroupDependents},
	)
}

// dependentsApp is the app the users and groups of these checks are assigned to.
const dependentsApp = "0oaDependents"

// seedUserDependents writes one row of each kind a user's deletion must take with it: an app
// assignment, a role with a group target, a subscription setting, an IdP link, a session, a
// factor and a failure count.
func seedUserDependents(t *testing.T, s store.Store, org string, u domain.User, target domain.Group) {
	t.Helper()
	ctx := t.Context()
	role := "ra1" + u.ID
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.PutAppObject(ctx, org, store.AppObject{Kind: "user", Parent: dependentsApp, ID: u.ID, Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org, store.RoleObject{Kind: "user", Parent: u.ID, ID: role, Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org, store.RoleObject{Kind: "target", Parent: role, ID: target.ID, Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org, store.RoleObject{Kind: "unsubscribed", Parent: u.ID, ID: "USER_LOCKED", Data: []byte(`{}`), Created: 1}),
			tx.PutIdPObject(ctx, org, store.IdPObject{Kind: "link", Parent: "0oaIdP", ID: u.ID, Data: []byte(`{}`), Created: 1}),
			tx.CreateSession(ctx, org, domain.Session{ID: "102" + u.ID, OrgID: org, UserID: u.ID, Login: u.Login(), Status: "ACTIVE",
				CreatedAt: t0, ExpiresAt: t0, LastPasswordVerification: t0, AMR: []string{"pwd"}}),
			tx.PutFactor(ctx, org, signin.Factor{ID: "uft" + u.ID, UserID: u.ID, FactorType: "token:software:totp", Provider: "GOOGLE",
				Status: "ACTIVE", Created: t0, LastUpdated: t0, Profile: map[string]string{}}),
		} {
			if err != nil {
				return err
			}
		}
		_, err := tx.AddSigninFailure(ctx, org, u.ID, t0)
		return err
	})
}

// userDependents counts what is left of seedUserDependents for u.
func userDependents(t *testing.T, s store.Store, org string, u domain.User) map[string]int {
	t.Helper()
	ctx := t.Context()
	n := map[string]int{}
	apps, _ := s.ListAppObjects(ctx, org, "user", "*", u.ID)
	n["app users"] = len(apps)
	roles, _ := s.ListRoleObjects(ctx, org, "user", u.ID, "*")
	n["roles"] = len(roles)
	targets, _ := s.ListRoleObjects(ctx, org, "target", "ra1"+u.ID, "*")
	n["role targets"] = len(targets)
	subs, _ := s.ListRoleObjects(ctx, org, "unsubscribed", u.ID, "*")
	n["subscription settings"] = len(subs)
	if _, err := s.GetIdPObject(ctx, org, "link", "0oaIdP", u.ID, "User"); err == nil {
		n["IdP links"] = 1
	}
	if _, err := s.GetSession(ctx, org, "102"+u.ID); err == nil {
		n["sessions"] = 1
	}
	factors, _ := s.ListFactors(ctx, org, u.ID)
	n["factors"] = len(factors)
	return n
}

func testDeleteUserDependents(t *testing.T, s store.Store) {
	ctx := t.Context()
	org := newOrg(t, s)
	g := newGroup(t, s, org.ID, domain.GroupOkta, "targets")
	gone, kept := newUser(t, s, org.ID, "gone@example.com"), newUser(t, s, org.ID, "kept@example.com")
	seedUserDependents(t, s, org.ID, gone, g)
	seedUserDependents(t, s, org.ID, kept, g)
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, org.ID, gone.ID) })

	for what, n := range userDependents(t, s, org.ID, gone) {
		if n != 0 {
			t.Errorf("deleted user: %d %s remain", n, what)
		}
	}
	for what, n := range userDependents(t, s, org.ID, kept) {
		if n != 1 {
			t.Errorf("other user: %d %s, want 1", n, what)
		}
	}
	// The failure count went with the user: one more failure counts from zero again.
	update(t, s, func(tx store.Tx) error {
		n, err := tx.AddSigninFailure(ctx, org.ID, gone.ID, t0)
		if err == nil && n != 1 {
			t.Errorf("failure count of a deleted user's id = %d, want 1 (a fresh count)", n)
		}
		return err
	})
}

func testDeleteGroupDependents(t *testing.T, s store.Store) {
	ctx := t.Context()
	org := newOrg(t, s)
	gone, kept := newGroup(t, s, org.ID, domain.GroupOkta, "gone"), newGroup(t, s, org.ID, domain.GroupOkta, "kept")
	admin := newUser(t, s, org.ID, "admin@example.com")
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.PutAppObject(ctx, org.ID, store.AppObject{Kind: "group", Parent: dependentsApp, ID: gone.ID, Data: []byte(`{}`), Created: 1}),
			tx.PutAppObject(ctx, org.ID, store.AppObject{Kind: "group", Parent: dependentsApp, ID: kept.ID, Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "group", Parent: gone.ID, ID: "ra1gone", Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "target", Parent: "ra1gone", ID: kept.ID, Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "group", Parent: kept.ID, ID: "ra1kept", Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "target", Parent: "ra1kept", ID: kept.ID, Data: []byte(`{}`), Created: 1}),
			// Another assignee's role limited to the group being deleted.
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "user", Parent: admin.ID, ID: "ra1admin", Data: []byte(`{}`), Created: 1}),
			tx.PutRoleObject(ctx, org.ID, store.RoleObject{Kind: "target", Parent: "ra1admin", ID: gone.ID, Data: []byte(`{}`), Created: 1}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, org.ID, gone.ID) })

	count := func(what string, got []store.RoleObject, err error, want int) {
		t.Helper()
		if err != nil || len(got) != want {
			t.Errorf("%s: %d (%v), want %d", what, len(got), err, want)
		}
	}
	apps, err := s.ListAppObjects(ctx, org.ID, "group", dependentsApp, "*")
	if err != nil || len(apps) != 1 || apps[0].ID != kept.ID {
		t.Errorf("group assignments left: %+v (%v), want only %s", apps, err, kept.ID)
	}
	roles, err := s.ListRoleObjects(ctx, org.ID, "group", gone.ID, "*")
	count("roles of the deleted group", roles, err, 0)
	targets, err := s.ListRoleObjects(ctx, org.ID, "target", "ra1gone", "*")
	count("targets of the deleted group's role", targets, err, 0)
	roles, err = s.ListRoleObjects(ctx, org.ID, "group", kept.ID, "*")
	count("roles of the other group", roles, err, 1)
	targets, err = s.ListRoleObjects(ctx, org.ID, "target", "ra1kept", "*")
	count("targets of the other group's role", targets, err, 1)
	// Dropping this role's only target would widen it to every group; the row stays.
	targets, err = s.ListRoleObjects(ctx, org.ID, "target", "ra1admin", "*")
	count("targets naming the deleted group in another's role", targets, err, 1)
}
