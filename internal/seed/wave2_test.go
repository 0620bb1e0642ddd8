package seed_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/seed"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// appsByLabel lists the org's apps by label.
func (e *env) appsByLabel() map[string]application.App {
	e.t.Helper()
	apps, _, err := e.svc.ListApps(e.ctx, service.AppQuery{Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]application.App{}
	for _, a := range apps {
		out[a.Label()] = a
	}
	return out
}

// TestExampleSeedProfilesAndApps checks the example's schema, user type, group rule and apps.
func TestExampleSeedProfilesAndApps(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		f, err := seed.ReadFile("../../examples/seed.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := seed.Load(context.Background(), e.svc, e.name, f); err != nil {
			t.Fatal(err)
		}
		sc, err := e.svc.GetProfileSchema(e.ctx, service.SchemaUser)
		if err != nil || sc.Properties["badgeColor"].Type != "string" || sc.Properties["floor"].Type != "integer" {
			t.Errorf("schema: %+v %v", sc.Properties, err)
		}
		hire, _ := e.svc.GetUser(e.ctx, "new.hire@example.com")
		ct, err := e.svc.GetUserType(e.ctx, hire.TypeID)
		if err != nil || ct.Name != "contractor" {
			t.Errorf("new.hire's type: %q %+v %v", hire.TypeID, ct, err)
		}
		rules, _, err := e.svc.ListGroupRules(e.ctx, service.GroupRuleQuery{})
		if err != nil || len(rules) != 1 || rules[0].Status != "ACTIVE" {
			t.Fatalf("rules: %+v %v", rules, err)
		}
		apps := e.appsByLabel()
		build, web, book := apps["Build service"], apps["Web portal"], apps["Handbook"]
		if build.ClientID() != "build-service" || build.Status() != "ACTIVE" {
			t.Errorf("build service: client_id %q status %q", build.ClientID(), build.Status())
		}
		if err := e.svc.VerifyClientSecret(e.ctx, "build-service", "build-service-secret-0123456789"); err != nil {
			t.Errorf("the seeded client secret does not verify: %v", err)
		}
		if web.ClientID() != web.ID() {
			t.Errorf("an OIDC app without client_id gets its id: %q", web.ClientID())
		}
		users, err := e.svc.ListAppUsers(e.ctx, web.ID())
		if err != nil || len(users) != 2 {
			t.Fatalf("web portal users: %+v %v", users, err)
		}
		grace, _ := e.svc.GetUser(e.ctx, "grace@example.com")
		au, err := e.svc.GetAppUser(e.ctx, web.ID(), grace.ID)
		if err != nil || au.Profile["role"] != "admin" {
			t.Errorf("grace's app profile: %+v %v", au, err)
		}
		groups, err := e.svc.ListAppGroups(e.ctx, book.ID())
		if err != nil || len(groups) != 1 || groups[0].Priority != 1 {
			t.Errorf("handbook groups: %+v %v", groups, err)
		}
	})
}

// TestBadProfileAndAppEntries: each bad entry fails naming itself, and nothing is loaded.
func TestBadProfileAndAppEntries(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		before := e.dump()
		good := `userSchemaProperties:
  floor: {title: Floor, type: integer}
userTypes:
  - {name: contractor, displayName: Contractor}
groups:
  - profile: {name: G1}
users:
  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B, floor: 2}
    credentials: {password: {value: Passw0rd-long-enough}}
    type: {name: contractor}
groupRules:
  - name: R1
    conditions: {expression: {value: 'user.floor == 2'}}
    groups: [G1]
    status: ACTIVE
apps:
  - name: bookmark
    label: B
    signOnMode: BOOKMARK
    settings: {app: {url: 'https://b.test'}}
    users: [a@x.test]
    groups: [G1]
`
		oidc := "  - name: oidc_client\n    label: O\n    signOnMode: OPENID_CONNECT\n    settings:\n      oauthClient:\n        application_type: web\n        grant_types: [authorization_code]\n        redirect_uris: ['#nope']\n"
		for _, tc := range []struct {
			name, doc   string
			path, field string
		}{
			{"bad redirect uri", good + oidc, "apps[1]", "settings.oauthClient.redirect_uris"},
			{"unknown app user", strings.Replace(good, "users: [a@x.test]", "users: [b@x.test]", 1), "apps[0].users[0]", "user"},
			{"unknown app group", good + "  - {name: bookmark, label: C, signOnMode: BOOKMARK, settings: {app: {url: 'https://c.test'}}, groups: [{group: Nope}]}\n", "apps[1].groups[0]", "group"},
			{"app user typo", good + "  - {name: bookmark, label: C, signOnMode: BOOKMARK, settings: {app: {url: 'https://c.test'}}, users: [{user: a@x.test, profil: {}}]}\n", "apps[1].users[0]", "profil"},
			{"app status", good + "  - {name: bookmark, label: C, status: INACTIVE, signOnMode: BOOKMARK, settings: {app: {url: 'https://c.test'}}}\n", "apps[1]", "status"},
			{"duplicate client_id", good + strings.Repeat("  - {name: oidc_client, label: S, signOnMode: OPENID_CONNECT, credentials: {oauthClient: {client_id: fixed-client}}, settings: {oauthClient: {application_type: service, grant_types: [client_credentials], response_types: [token]}}}\n", 2), "apps[2]", "credentials.oauthClient.client_id"},
			{"bad property type", strings.Replace(good, "type: integer}", "type: integer}\n  bad: {title: Bad, type: date}", 1), "userSchemaProperties.bad", "type"},
			{"property typo", strings.Replace(good, "type: integer}", "type: integer, tilte: x}", 1), "userSchemaProperties.floor", "tilte"},
			{"profile against the seeded schema", strings.Replace(good, "floor: 2}", "floor: two}", 1), "users[0]", "profile.floor"},
			{"unknown user type", strings.Replace(good, "type: {name: contractor}", "type: {name: vendor}", 1), "users[0]", "type.name"},
			{"bad user type", good + "", "", ""},
			{"rule unknown group", strings.Replace(good, "groups: [G1]\n    status", "groups: [Nope]\n    status", 1), "groupRules[0]", "groups"},
			{"rule bad expression", strings.Replace(good, "user.floor == 2", "user.floor ==", 1), "groupRules[0]", "conditions.expression.value"},
			{"rule with actions", strings.Replace(good, "status: ACTIVE", "actions: {assignUserToGroups: {groupIds: [x]}}", 1), "groupRules[0]", "actions"},
			{"rule bad status", strings.Replace(good, "status: ACTIVE", "status: ON", 1), "groupRules[0]", "status"},
		} {
			if tc.path == "" {
				tc.doc = strings.Replace(good, "displayName: Contractor", "displayName: ''", 1)
				tc.path, tc.field = "userTypes[0]", "displayName"
			}
			t.Run(tc.name, func(t *testing.T) {
				err := e.load(tc.doc)
				var se *seed.Error
				if !errors.As(err, &se) {
					t.Fatalf("load: %v, want a *seed.Error", err)
				}
				if se.Path != tc.path || se.Field != tc.field {
					t.Errorf("error %q at %s.%s, want %s.%s", se.Error(), se.Path, se.Field, tc.path, tc.field)
				}
				if after := e.dump(); after != before {
					t.Errorf("a failed seed changed the org")
				}
			})
		}
		if err := e.load(good); err != nil {
			t.Fatalf("the good part alone: %v", err)
		}
		a, _ := e.svc.GetUser(e.ctx, "a@x.test")
		page, err := e.svc.ListUserGroups(e.ctx, a.ID, service.ListParams{Limit: 10})
		if err != nil || len(page.Items) != 2 {
			t.Errorf("a's groups (Everyone, G1 by the rule): %v %v", page.Items, err)
		}
	})
}

// TestResetToSeedRestoresProfilesAndApps: what a test changes of the new families comes back
// with reset to seed.
func TestResetToSeedRestoresProfilesAndApps(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		f, err := seed.ReadFile("../../examples/seed.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := seed.Load(context.Background(), e.svc, e.name, f); err != nil {
			t.Fatal(err)
		}
		seeded := e.dump()
		build := e.appsByLabel()["Build service"]
		if err := e.svc.SetAppStatus(e.ctx, build.ID(), application.StatusInactive); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteApp(e.ctx, build.ID()); err != nil {
			t.Fatal(err)
		}
		rules, _, _ := e.svc.ListGroupRules(e.ctx, service.GroupRuleQuery{})
		if err := e.svc.DeleteGroupRule(e.ctx, rules[0].ID, true); err != nil {
			t.Fatal(err)
		}
		types, _ := e.svc.ListUserTypes(e.ctx)
		for _, ty := range types {
			if ty.Name == "contractor" {
				hire, _ := e.svc.GetUser(e.ctx, "new.hire@example.com")
				if err := e.svc.DeleteUser(e.ctx, hire.ID); err != nil {
					t.Fatal(err)
				}
				if err := e.svc.DeleteUser(e.ctx, hire.ID); err != nil {
					t.Fatal(err)
				}
				if err := e.svc.DeleteUserType(e.ctx, ty.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if e.dump() == seeded {
			t.Fatal("the changes did not change the dump: this test could not fail")
		}
		if err := e.svc.ResetOrg(context.Background(), e.name, true); err != nil {
			t.Fatal(err)
		}
		if got := e.dump(); got != seeded {
			t.Error("reset to seed differs from the org right after the seed")
		}
		if err := e.svc.VerifyClientSecret(e.ctx, "build-service", "build-service-secret-0123456789"); err != nil {
			t.Errorf("after reset to seed the seeded client does not verify: %v", err)
		}
		rules, _, _ = e.svc.ListGroupRules(e.ctx, service.GroupRuleQuery{})
		if len(rules) != 1 || rules[0].Status != "ACTIVE" {
			t.Errorf("rules after reset to seed: %+v", rules)
		}
	})
}
