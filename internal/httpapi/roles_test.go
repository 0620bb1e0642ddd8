package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestRoleAssignmentsAndTargets(t *testing.T) {
	e := newEnv(t, "")
	admin := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/me"}))
	if roles := listOf(t, e, "/api/v1/users/"+admin["id"].(string)+"/roles"); len(roles) != 1 || roles[0]["type"] != "SUPER_ADMIN" ||
		roles[0]["label"] != "Super Administrator" || roles[0]["assignmentType"] != "USER" {
		t.Errorf("the first admin's roles: %v", roles)
	}
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Gail","lastName":"Admin","email":"ga@example.com","login":"ga@example.com"}}`}))
	uid := u["id"].(string)
	base := "/api/v1/users/" + uid + "/roles"
	m := wantError(t, e.do(req{Method: "POST", Path: base, Body: `{"type":"EMPEROR"}`}), 400, "E0000001")
	if !strings.Contains(fmt.Sprint(m["errorCauses"]), "EMPEROR is not a standard role") {
		t.Errorf("unknown role: %v", m)
	}
	w := e.do(req{Method: "POST", Path: base, Body: `{"type":"USER_ADMIN"}`})
	wantStatus(t, w, 201)
	ra := obj(t, w)
	rid := ra["id"].(string)
	if ra["label"] != "Group Administrator" || ra["status"] != "ACTIVE" || ra["assignee"] != nil {
		t.Errorf("assigned %v", ra)
	}
	wantError(t, e.do(req{Method: "POST", Path: base, Body: `{"type":"USER_ADMIN"}`}), 409, "E0000090")
	g1 := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"T1"}}`}))["id"].(string)
	g2 := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"T2"}}`}))["id"].(string)
	wantStatus(t, e.do(req{Method: "PUT", Path: base + "/" + rid + "/targets/groups/" + g1}), 204)
	wantError(t, e.do(req{Method: "DELETE", Path: base + "/" + rid + "/targets/groups/" + g1}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "PUT", Path: base + "/" + rid + "/targets/groups/" + g2}), 204)
	wantStatus(t, e.do(req{Method: "DELETE", Path: base + "/" + rid + "/targets/groups/" + g1}), 204)
	if targets := listOf(t, e, base+"/"+rid+"/targets/groups"); len(targets) != 1 || targets[0]["id"] != g2 {
		t.Errorf("targets %v", targets)
	}
	ro := obj(t, e.do(req{Method: "POST", Path: base, Body: `{"type":"READ_ONLY_ADMIN"}`}))
	wantError(t, e.do(req{Method: "PUT", Path: base + "/" + ro["id"].(string) + "/targets/groups/" + g1}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "DELETE", Path: base + "/" + rid}), 204)
	wantError(t, e.do(req{Method: "GET", Path: base + "/" + rid}), 404, "E0000007")

	gbase := "/api/v1/groups/" + g1 + "/roles"
	w = e.do(req{Method: "POST", Path: gbase, Body: `{"type":"HELP_DESK_ADMIN"}`})
	wantStatus(t, w, 200)
	gr := obj(t, w)
	if gr["assignmentType"] != "GROUP" {
		t.Errorf("group role %v", gr)
	}
	wantStatus(t, e.do(req{Method: "PUT", Path: gbase + "/" + gr["id"].(string) + "/targets/groups/" + g2}), 204)
	if targets := listOf(t, e, gbase+"/"+gr["id"].(string)+"/targets/groups"); len(targets) != 1 {
		t.Errorf("group role targets %v", targets)
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: gbase + "/" + gr["id"].(string)}), 204)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/users/00unope/roles", Body: `{"type":"ORG_ADMIN"}`}), 404, "E0000007")
	if e.countEvents("user.account.privilege.grant") < 3 || e.countEvents("user.account.privilege.revoke") < 2 ||
		e.countEvents("group.privilege.grant") < 2 || e.countEvents("group.privilege.revoke") < 1 {
		t.Error("privilege events missing")
	}
}

func TestAdminSubscriptions(t *testing.T) {
	e := newEnv(t, "")
	admin := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/me"}))["id"].(string)
	base := "/api/v1/users/" + admin + "/subscriptions"
	subs := listOf(t, e, base)
	if len(subs) < 10 || subs[0]["status"] != "subscribed" || fmt.Sprint(subs[0]["channels"]) != "[email]" {
		t.Fatalf("subscriptions %v", subs)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: base + "/OKTA_ANNOUNCEMENT/unsubscribe"}), 200)
	if s := obj(t, e.do(req{Method: "GET", Path: base + "/OKTA_ANNOUNCEMENT"})); s["status"] != "unsubscribed" {
		t.Errorf("after unsubscribe %v", s)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: base + "/OKTA_ANNOUNCEMENT/subscribe"}), 200)
	if s := obj(t, e.do(req{Method: "GET", Path: base + "/OKTA_ANNOUNCEMENT"})); s["status"] != "subscribed" {
		t.Errorf("after subscribe %v", s)
	}
	wantError(t, e.do(req{Method: "GET", Path: base + "/CARRIER_PIGEON"}), 404, "E0000007")
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Not","lastName":"Admin","email":"na@example.com","login":"na@example.com"}}`}))
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/users/" + u["id"].(string) + "/subscriptions"}), 403, "E0000006")
}

// TestRoleSubscriptions (listSubscriptionsRole and friends): a role's subscriptions start
// subscribed; unsubscribing the role overrides the status of the users who hold it (here the
// bootstrap super admin), and subscribing it again does too. Unknown roles and notification
// types are 404.
func TestRoleSubscriptions(t *testing.T) {
	e := newEnv(t, "")
	admin := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/me"}))["id"].(string)
	userSub := "/api/v1/users/" + admin + "/subscriptions/USER_LOCKED_OUT"
	base := "/api/v1/roles/SUPER_ADMIN/subscriptions"
	subs := listOf(t, e, base)
	if len(subs) < 10 || subs[0]["status"] != "subscribed" {
		t.Fatalf("role subscriptions %v", subs)
	}
	if self := subs[0]["_links"].(map[string]any)["self"].(map[string]any)["href"].(string); !strings.HasSuffix(self, base+"/"+subs[0]["notificationType"].(string)) {
		t.Errorf("self link %s", self)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: base + "/USER_LOCKED_OUT/unsubscribe"}), 200)
	if s := obj(t, e.do(req{Method: "GET", Path: base + "/USER_LOCKED_OUT"})); s["status"] != "unsubscribed" {
		t.Errorf("role after unsubscribe %v", s)
	}
	if s := obj(t, e.do(req{Method: "GET", Path: userSub})); s["status"] != "unsubscribed" {
		t.Errorf("the super admin after the role unsubscribed %v, want unsubscribed (the role overrides)", s)
	}
	// Another role is untouched.
	if s := obj(t, e.do(req{Method: "GET", Path: "/api/v1/roles/ORG_ADMIN/subscriptions/USER_LOCKED_OUT"})); s["status"] != "subscribed" {
		t.Errorf("ORG_ADMIN %v", s)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: base + "/USER_LOCKED_OUT/subscribe"}), 200)
	if s := obj(t, e.do(req{Method: "GET", Path: userSub})); s["status"] != "subscribed" {
		t.Errorf("the super admin after the role subscribed again %v", s)
	}
	if e.countEvents("system.notification.unsubscribe") != 1 || e.countEvents("system.notification.subscribe") != 1 {
		t.Error("subscription events missing")
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/roles/NOT_A_ROLE/subscriptions"}), 404, "E0000007")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/roles/NOT_A_ROLE/subscriptions/USER_LOCKED_OUT/subscribe"}), 404, "E0000007")
	wantError(t, e.do(req{Method: "GET", Path: base + "/CARRIER_PIGEON"}), 404, "E0000007")
	wantError(t, e.do(req{Method: "POST", Path: base + "/CARRIER_PIGEON/unsubscribe"}), 404, "E0000007")
	// A custom role is a roleRef too.
	cr := obj(t, e.do(req{Method: "POST", Path: "/api/v1/iam/roles", Body: `{"label":"auditor","description":"reads","permissions":["okta.users.read"]}`}))
	if subs := listOf(t, e, "/api/v1/roles/"+cr["id"].(string)+"/subscriptions"); len(subs) < 10 {
		t.Errorf("custom role subscriptions %v", subs)
	}
}

// TestOktaAdministratorsGroup follows the BUILT_IN Okta Administrators group through role
// changes over HTTP, the way the Terraform provider finds it (GET /api/v1/groups?q=).
func TestOktaAdministratorsGroup(t *testing.T) {
	e := newEnv(t, "")
	gs := listOf(t, e, "/api/v1/groups?q="+url.QueryEscape("Okta Administrators"))
	if len(gs) != 1 || gs[0]["type"] != "BUILT_IN" || fmt.Sprint(gs[0]["objectClass"]) != "[okta:user_group]" {
		t.Fatalf("q=Okta Administrators: %v", gs)
	}
	members := func() []string {
		var ids []string
		for _, u := range listOf(t, e, "/api/v1/groups/"+gs[0]["id"].(string)+"/users") {
			ids = append(ids, u["id"].(string))
		}
		return ids
	}
	admin := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/me"}))["id"].(string)
	if got := members(); len(got) != 1 || got[0] != admin {
		t.Errorf("a new org's administrators %v, want the super admin %s", got, admin)
	}
	uid := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Ro","lastName":"Admin","email":"ro@example.com","login":"ro@example.com"}}`}))["id"].(string)
	rid := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + uid + "/roles", Body: `{"type":"READ_ONLY_ADMIN"}`}))["id"].(string)
	if got := members(); len(got) != 2 || !slices.Contains(got, uid) {
		t.Errorf("after the role: %v, want %s in", got, uid)
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/" + gs[0]["id"].(string) + "/users/" + admin}), 403, "E0000006")
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + uid + "/roles/" + rid}), 204)
	if got := members(); len(got) != 1 || got[0] != admin {
		t.Errorf("after the last role went: %v", got)
	}
}
