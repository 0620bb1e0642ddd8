package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/authz"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/role"
)

// lesserAdmin is an admin user holding one role, with an API token of its own.
type lesserAdmin struct {
	role   string
	grants []authz.Grant
	e      groupsEnv // a copy of the env that sends this admin's token
}

// makeAdmin creates an active user with role roleType (limited to targets when given) and an
// API token for it, through the API and the operator's CreateTokenFor.
func makeAdmin(t *testing.T, e *groupsEnv, login, roleType string, targets ...string) lesserAdmin {
	t.Helper()
	var u struct{ ID string }
	body := map[string]any{"profile": map[string]any{"login": login, "email": login, "firstName": "A", "lastName": roleType},
		"credentials": map[string]any{"password": map[string]any{"value": "Correct-Horse-7-Battery"}}}
	if err := json.Unmarshal(e.must(200, "POST", "/api/v1/users?activate=true", body), &u); err != nil {
		t.Fatal(err)
	}
	var ra struct{ ID string }
	if err := json.Unmarshal(e.must(201, "POST", "/api/v1/users/"+u.ID+"/roles", map[string]string{"type": roleType}), &ra); err != nil {
		t.Fatal(err)
	}
	for _, g := range targets {
		e.must(204, "PUT", "/api/v1/users/"+u.ID+"/roles/"+ra.ID+"/targets/groups/"+g, nil)
	}
	_, secret, err := e.svc.CreateTokenFor(t.Context(), e.org.Name, login, "as "+roleType)
	if err != nil {
		t.Fatal(err)
	}
	a := lesserAdmin{role: roleType, grants: []authz.Grant{{Role: roleType}}, e: *e}
	if len(targets) > 0 {
		a.grants[0].Groups = targets
	}
	a.e.token = secret
	return a
}

// Ids no resource has, of the shape each kind's ids take.
const (
	noUser  = "00unosuchuser000000000"
	noGroup = "00gnosuchgroup00000000"
	noOther = "0oanosuchthing00000000"
)

// concretePath fills a route's path parameters: the user and group of the case, and ids that
// exist nowhere for the rest, so an allowed request reads or changes nothing that matters.
func concretePath(pattern, group string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		switch {
		case s == "{schemaId}":
			segs[i] = "default"
		case s == "{type}":
			segs[i] = "OKTA_ANNOUNCEMENT"
		case s == "{name}":
			segs[i] = "nosuchrelationship"
		case segs[i-1] == "users" && i == 4:
			segs[i] = noUser
		case segs[i-1] == "groups" && i == 4:
			segs[i] = group
		default:
			segs[i] = noOther
		}
	}
	return strings.Join(segs, "/")
}

// TestPermissionMatrix sends every /api/v1 operation as every standard role (and each
// group-targetable role limited to one group) and checks the answer against the permission
// table: 403 E0000006 where the role lacks the permission, anything but 403 where it has it.
func TestPermissionMatrix(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		target := e.createGroup("Administered").ID
		var admins []lesserAdmin
		for _, r := range authz.Roles() {
			admins = append(admins, makeAdmin(t, e, strings.ToLower(r)+"@example.com", r))
			if role.TakesGroupTargets(r) {
				admins = append(admins, makeAdmin(t, e, strings.ToLower(r)+".targeted@example.com", r, target))
			}
		}
		nobody := func(string, []string) (bool, error) { return false, nil } // noUser is in no group
		checked := 0
		for _, rt := range httpapi.Routes() {
			if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Permission == "public" || rt.Permission == "okapi.any" {
				continue
			}
			for _, a := range admins {
				group := noGroup
				if a.grants[0].Groups != nil {
					group = target
				}
				path := concretePath(rt.Path, group)
				var res authz.Resource
				switch {
				case rt.Path == "/api/v1/groups/{id}/{ruleId}":
				case strings.HasPrefix(rt.Path, "/api/v1/users/{id}"):
					res = authz.Resource{Kind: authz.KindUser, ID: noUser}
				case strings.HasPrefix(rt.Path, "/api/v1/groups/{id}"):
					res = authz.Resource{Kind: authz.KindGroup, ID: group}
				}
				want, _ := authz.Allowed(a.grants, rt.Permission, res, nobody)
				var body any
				if rt.Method == "POST" || rt.Method == "PUT" {
					body = "{}"
				}
				resp, data := a.e.do(rt.Method, path, body)
				denied := resp.StatusCode == http.StatusForbidden && strings.Contains(string(data), `"E0000006"`)
				switch {
				case resp.StatusCode >= 500:
					t.Errorf("%s %s as %v: %d %s", rt.Method, path, a.grants, resp.StatusCode, data)
				case want && denied:
					t.Errorf("%s %s as %v: denied, want allowed (%s)", rt.Method, path, a.grants, rt.Permission)
				case !want && !denied:
					t.Errorf("%s %s as %v: %d, want 403 E0000006 (%s)", rt.Method, path, a.grants, resp.StatusCode, rt.Permission)
				}
				checked++
			}
		}
		t.Logf("%d route × role cases", checked)
	})
}

// status sends a request as admin a and returns the status and Okta errorCode.
func (a lesserAdmin) status(method, path string, body any) (int, string) {
	resp, data := a.e.do(method, path, body)
	var e struct{ ErrorCode string }
	_ = json.Unmarshal(data, &e)
	return resp.StatusCode, e.ErrorCode
}

// TestLesserAdminsAreLimited checks, request by request, what Okta's standard roles let an
// admin do: read-only admins read, help desk and group admins act on their groups' members
// only, roles held through a group count, and a token whose owner is no longer an admin stops.
func TestLesserAdminsAreLimited(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Support").ID
		member, outsider := e.createUser("member@example.com"), e.createUser("outsider@example.com")
		e.must(204, "PUT", "/api/v1/groups/"+g+"/users/"+member.ID, nil)
		readOnly := makeAdmin(t, e, "ro@example.com", "READ_ONLY_ADMIN")
		helpDesk := makeAdmin(t, e, "hd@example.com", "HELP_DESK_ADMIN", g)
		groupAdmin := makeAdmin(t, e, "ga@example.com", "USER_ADMIN", g)
		orgAdmin := makeAdmin(t, e, "org@example.com", "ORG_ADMIN")
		newUser := map[string]any{"profile": map[string]any{"login": "new@example.com", "email": "new@example.com", "firstName": "N", "lastName": "U"}}
		cases := []struct {
			name         string
			as           lesserAdmin
			method, path string
			body         any
			want         int
		}{
			{"read-only lists users", readOnly, "GET", "/api/v1/users", nil, 200},
			{"read-only reads the System Log", readOnly, "GET", "/api/v1/logs", nil, 200},
			{"read-only cannot create", readOnly, "POST", "/api/v1/users", newUser, 403},
			{"read-only cannot see admins", readOnly, "GET", "/api/v1/users/" + member.ID + "/roles", nil, 403},
			{"any admin reads itself", readOnly, "GET", "/api/v1/users/me", nil, 200},
			{"help desk unlocks a member", helpDesk, "POST", "/api/v1/users/" + member.ID + "/lifecycle/reset_password?sendEmail=false", nil, 200},
			{"help desk not outside its groups", helpDesk, "POST", "/api/v1/users/" + outsider.ID + "/lifecycle/reset_password?sendEmail=false", nil, 403},
			{"help desk cannot edit profiles", helpDesk, "POST", "/api/v1/users/" + member.ID, map[string]any{"profile": map[string]any{"nickName": "x"}}, 403},
			{"group admin reads a member", groupAdmin, "GET", "/api/v1/users/" + member.ID, nil, 200},
			{"group admin reads a member by login", groupAdmin, "GET", "/api/v1/users/member@example.com", nil, 200},
			{"group admin not outside its groups", groupAdmin, "GET", "/api/v1/users/" + outsider.ID, nil, 403},
			{"group admin edits a member", groupAdmin, "POST", "/api/v1/users/" + member.ID, map[string]any{"profile": map[string]any{"nickName": "x"}}, 200},
			{"group admin cannot delete its group", groupAdmin, "DELETE", "/api/v1/groups/" + g, nil, 403},
			{"group admin adds to its group", groupAdmin, "PUT", "/api/v1/groups/" + g + "/users/" + outsider.ID, nil, 204},
			{"group admin cannot manage apps", groupAdmin, "POST", "/api/v1/apps", map[string]any{"name": "bookmark", "label": "x", "signOnMode": "BOOKMARK"}, 403},
			{"org admin creates users", orgAdmin, "POST", "/api/v1/users", newUser, 200},
			{"org admin cannot make admins", orgAdmin, "POST", "/api/v1/users/" + member.ID + "/roles", map[string]string{"type": "SUPER_ADMIN"}, 403},
		}
		for _, c := range cases {
			if st, code := c.as.status(c.method, c.path, c.body); st != c.want || (st == 403 && code != "E0000006") {
				t.Errorf("%s: %s %s answered %d %s, want %d", c.name, c.method, c.path, st, code, c.want)
			}
		}
		// The read-only admin's refused create stored nothing: the org admin's create of the
		// same login, later in the table, succeeded.

		// A role held through a group counts; losing every role stops the token.
		viaGroup := makeAdmin(t, e, "viagroup@example.com", "REPORT_ADMIN")
		admins := e.createGroup("Auditors").ID
		var vu struct{ ID string }
		_ = json.Unmarshal(e.must(200, "GET", "/api/v1/users/viagroup@example.com", nil), &vu)
		e.must(204, "PUT", "/api/v1/groups/"+admins+"/users/"+vu.ID, nil)
		e.must(200, "POST", "/api/v1/groups/"+admins+"/roles", map[string]string{"type": "READ_ONLY_ADMIN"})
		if st, _ := viaGroup.status("GET", "/api/v1/groups", nil); st != 200 {
			t.Errorf("read-only through a group: GET groups %d, want 200", st)
		}
		var roles []struct{ ID, Type string }
		_ = json.Unmarshal(e.must(200, "GET", "/api/v1/users/"+vu.ID+"/roles", nil), &roles)
		for _, r := range roles {
			e.must(204, "DELETE", "/api/v1/users/"+vu.ID+"/roles/"+r.ID, nil)
		}
		if st, _ := viaGroup.status("GET", "/api/v1/groups", nil); st != 200 {
			t.Errorf("after losing the direct role, the group's role still counts: %d, want 200", st)
		}
		e.must(204, "DELETE", "/api/v1/groups/"+admins+"/users/"+vu.ID, nil)
		if st, code := viaGroup.status("GET", "/api/v1/groups", nil); st != 401 || code != "E0000011" {
			t.Errorf("token of a user who is no longer an admin: %d %s, want 401 E0000011", st, code)
		}
	})
}

// TestCreateTokenForRefusesNonAdmins checks a token is made only for an admin of a known org.
func TestCreateTokenForRefusesNonAdmins(t *testing.T) {
	e := newGroupsEnvOn(t, "")
	e.createUser("plain@example.com")
	for _, c := range []struct{ org, login, want string }{
		{e.org.Name, "plain@example.com", "has no admin role"},
		{e.org.Name, "nobody@example.com", "No user with login"},
		{e.org.Name, "", "cannot be left blank"},
		{"no-such-org", "admin@example.com", "Not found"},
	} {
		if _, _, err := e.svc.CreateTokenFor(t.Context(), c.org, c.login, "t"); err == nil || !strings.Contains(err.Error()+errCauses(err), c.want) {
			t.Errorf("CreateTokenFor(%q, %q) = %v, want %q", c.org, c.login, err, c.want)
		}
	}
}

// errCauses joins an Okta error's cause summaries.
func errCauses(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return ""
	}
	out := ""
	for _, c := range de.Causes {
		out += " " + c.Summary
	}
	return out
}

// TestCachedGrantsFollowEveryChange runs with the grant and token caches on, as okapi serve
// runs on SQLite: a role or membership change must take effect on the very next request.
func TestCachedGrantsFollowEveryChange(t *testing.T) {
	e := newGroupsEnvOn(t, "")
	e.svc.AuthCacheTTL = time.Hour // long enough that only invalidation can explain a change
	var g struct{ ID string }
	if err := json.Unmarshal(e.must(200, "POST", "/api/v1/groups", map[string]any{"profile": map[string]string{"name": "Team"}}), &g); err != nil {
		t.Fatal(err)
	}
	var target struct{ ID string }
	if err := json.Unmarshal(e.must(200, "POST", "/api/v1/users?activate=false", map[string]any{
		"profile": map[string]string{"login": "member@example.com", "email": "member@example.com", "firstName": "M", "lastName": "E"}}), &target); err != nil {
		t.Fatal(err)
	}
	e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+target.ID, nil)
	a := makeAdmin(t, e, "helpdesk@example.com", "HELP_DESK_ADMIN", g.ID)
	path := "/api/v1/users/" + target.ID
	if st, _ := a.status("GET", path, nil); st != 200 {
		t.Fatalf("targeted admin reading a member: %d", st)
	}
	// Leaving the target group takes the user out of the admin's reach at once.
	e.must(204, "DELETE", "/api/v1/groups/"+g.ID+"/users/"+target.ID, nil)
	if st, code := a.status("GET", path, nil); st != 403 || code != "E0000006" {
		t.Errorf("after the user left the target group: %d %s, want 403 E0000006", st, code)
	}
	e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+target.ID, nil)
	if st, _ := a.status("GET", path, nil); st != 200 {
		t.Errorf("after the user came back: %d", st)
	}
	// Losing the only role ends the token's use at once (401, as Okta revokes it).
	var roles []struct{ ID string }
	admin, err := e.svc.Store.GetUserByLogin(t.Context(), e.org.ID, "helpdesk@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(e.must(200, "GET", "/api/v1/users/"+admin.ID+"/roles", nil), &roles); err != nil || len(roles) != 1 {
		t.Fatalf("roles: %v %v", roles, err)
	}
	e.must(204, "DELETE", "/api/v1/users/"+admin.ID+"/roles/"+roles[0].ID, nil)
	if st, code := a.status("GET", path, nil); st != 401 || code != "E0000011" {
		t.Errorf("after the role was removed: %d %s, want 401 E0000011", st, code)
	}
}
