package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// errorCase is a request that must fail with an Okta error.
type errorCase struct {
	name       string
	method     string
	path       string
	body       any
	status     int
	code       string
	summary    string // substring of errorSummary, when set
	causeMatch string // substring of the first errorCause, when set
}

func (c errorCase) run(t *testing.T, e *groupsEnv) {
	t.Helper()
	resp, data := e.do(c.method, c.path, c.body)
	if resp.StatusCode != c.status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, data)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
	got := decodeAs[jsonError](t, data)
	if got.ErrorCode != c.code {
		t.Fatalf("errorCode %s, want %s: %s", got.ErrorCode, c.code, data)
	}
	if c.summary != "" && !strings.Contains(got.ErrorSummary, c.summary) {
		t.Fatalf("errorSummary %q, want it to contain %q", got.ErrorSummary, c.summary)
	}
	if c.causeMatch != "" && (len(got.ErrorCauses) == 0 || !strings.Contains(got.ErrorCauses[0].ErrorSummary, c.causeMatch)) {
		t.Fatalf("errorCauses %+v, want the first to contain %q", got.ErrorCauses, c.causeMatch)
	}
}

func TestCreateGroup(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		data := e.must(200, "POST", "/api/v1/groups", map[string]any{
			"profile": map[string]any{"name": "West Coast Users", "description": "All Users West of The Rockies"},
			"type":    "BUILT_IN", "id": "00gIGNOREDIGNOREDIGN", // read-only fields are ignored
		})
		g := decodeAs[jsonGroup](t, data)
		if len(g.ID) != 20 || !strings.HasPrefix(g.ID, "00g") {
			t.Errorf("id %q", g.ID)
		}
		if g.Type != "OKTA_GROUP" || len(g.ObjectClass) != 1 || g.ObjectClass[0] != "okta:user_group" {
			t.Errorf("type %q objectClass %v", g.Type, g.ObjectClass)
		}
		want := "2024-05-06T07:08:09.000Z"
		if g.Created != want || g.LastUpdated != want || g.LastMembershipUpdated != want {
			t.Errorf("dates %s %s %s", g.Created, g.LastUpdated, g.LastMembershipUpdated)
		}
		if g.Profile["name"] != "West Coast Users" || g.Profile["description"] != "All Users West of The Rockies" {
			t.Errorf("profile %v", g.Profile)
		}
		logo, _ := g.Links["logo"].([]any)
		if len(logo) != 2 {
			t.Fatalf("logo links %v", g.Links["logo"])
		}
		medium, _ := logo[0].(map[string]any)
		if medium["name"] != "medium" || medium["type"] != "image/png" || !strings.HasSuffix(medium["href"].(string), "/img/logos/groups/okta-medium.png") {
			t.Errorf("medium logo %v", medium)
		}
		if u, _ := g.Links["users"].(map[string]any); u["href"] != e.srv.URL+"/api/v1/groups/"+g.ID+"/users" {
			t.Errorf("users link %v", g.Links["users"])
		}
		if a, _ := g.Links["apps"].(map[string]any); a["href"] != e.srv.URL+"/api/v1/groups/"+g.ID+"/apps" {
			t.Errorf("apps link %v", g.Links["apps"])
		}
		if strings.Contains(string(data), `"_embedded"`) {
			t.Errorf("_embedded without expand: %s", data)
		}
		// Without a description the property is left out (the spec does not allow null).
		g2 := e.createGroup("No description")
		if d, ok := g2.Profile["description"]; ok {
			t.Errorf("description %v present; want it omitted", d)
		}
		evs := e.events("group.lifecycle.create")
		if len(evs) != 2 || evs[0].Target[0].ID != g.ID || evs[0].Target[0].Type != "UserGroup" || evs[0].Target[0].DisplayName != "West Coast Users" {
			t.Errorf("create events %+v", evs)
		}
		// 255 characters is the longest name.
		e.must(200, "POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": strings.Repeat("n", 255)}})
	})
}

func TestCreateGroupErrors(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		e.createGroup("Sales")
		for _, c := range []errorCase{
			{name: "no body", body: nil, status: 400, code: "E0000001", summary: "name", causeMatch: "name: "},
			{name: "no profile", body: map[string]any{}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "empty name", body: map[string]any{"profile": map[string]any{"name": ""}}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "null name", body: map[string]any{"profile": map[string]any{"name": nil}}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "name too long", body: map[string]any{"profile": map[string]any{"name": strings.Repeat("n", 256)}}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "name not a string", body: map[string]any{"profile": map[string]any{"name": 42}}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "description too long", body: map[string]any{"profile": map[string]any{"name": "D", "description": strings.Repeat("d", 1025)}}, status: 400, code: "E0000001", causeMatch: "description: "},
			{name: "description not a string", body: map[string]any{"profile": map[string]any{"name": "D", "description": true}}, status: 400, code: "E0000001", causeMatch: "description: "},
			{name: "custom property is an object", body: map[string]any{"profile": map[string]any{"name": "D", "x": map[string]any{}}}, status: 400, code: "E0000001", causeMatch: "x: "},
			{name: "profile not an object", body: map[string]any{"profile": "Sales"}, status: 400, code: "E0000001", causeMatch: "profile"},
			{name: "duplicate name", body: map[string]any{"profile": map[string]any{"name": "Sales"}}, status: 400, code: "E0000001",
				summary: "Api validation failed: name", causeMatch: "name: An object with this field already exists in the current organization"},
			{name: "duplicate name ignoring case", body: map[string]any{"profile": map[string]any{"name": "sALES"}}, status: 400, code: "E0000001", causeMatch: "already exists"},
			{name: "name of Everyone", body: map[string]any{"profile": map[string]any{"name": "everyone"}}, status: 400, code: "E0000001", causeMatch: "already exists"},
			{name: "malformed JSON", body: `{"profile":`, status: 400, code: "E0000003"},
			{name: "emoji", body: map[string]any{"profile": map[string]any{"name": "team \U0001F600"}}, status: 400, code: "E0000001", causeMatch: "profile.name"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.method, c.path = "POST", "/api/v1/groups"
				c.run(t, e)
			})
		}
		if n := len(e.events("group.lifecycle.create")); n != 1 {
			t.Errorf("%d create events after failed creates, want 1", n)
		}
	})
}

func TestGetGroup(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Engineering")
		u := e.createUser("a@example.com")
		e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+u.ID, nil)

		got := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
		if got.ID != g.ID || got.Profile["name"] != "Engineering" || got.Embedded != nil {
			t.Errorf("got %+v", got)
		}
		got = decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID+"?expand=stats", nil))
		stats, _ := got.Embedded["stats"].(map[string]any)
		if stats["usersCount"] != 1.0 || stats["appsCount"] != 0.0 || stats["groupPushMappingsCount"] != 0.0 || stats["hasAdminPrivilege"] != false {
			t.Errorf("stats %v", got.Embedded)
		}
		ev := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+e.everyone.ID+"?expand=app,stats", nil))
		if ev.Type != "BUILT_IN" || ev.Profile["name"] != "Everyone" || ev.Profile["description"] != "All users in your organization" {
			t.Errorf("Everyone %+v", ev)
		}
		// The admin and the user are in Everyone.
		if s, _ := ev.Embedded["stats"].(map[string]any); s["usersCount"] != 2.0 {
			t.Errorf("Everyone stats %v", ev.Embedded)
		}
		errorCase{name: "unknown", method: "GET", path: "/api/v1/groups/00gUNKNOWNUNKNOWNUNK", status: 404, code: "E0000007",
			summary: "Not found: Resource not found: 00gUNKNOWNUNKNOWNUNK (UserGroup)"}.run(t, e)
	})
}

func TestReplaceGroup(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := decodeAs[jsonGroup](t, e.must(200, "POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Ops", "description": "old"}}))
		e.createGroup("Taken")
		app := e.storeGroup("APP_GROUP", "Imported")
		e.clock.Advance(time.Minute)

		// A replace without description removes it: PUT replaces the whole profile.
		got := decodeAs[jsonGroup](t, e.must(200, "PUT", "/api/v1/groups/"+g.ID, map[string]any{"profile": map[string]any{"name": "Operations"}}))
		if got.Profile["name"] != "Operations" || got.Profile["description"] != nil {
			t.Errorf("profile %v", got.Profile)
		}
		if got.LastUpdated != "2024-05-06T07:09:09.000Z" || got.LastMembershipUpdated != g.LastMembershipUpdated || got.Created != g.Created {
			t.Errorf("dates after replace %+v", got)
		}
		again := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
		if again.Profile["name"] != "Operations" {
			t.Errorf("stored profile %v", again.Profile)
		}
		// The same profile again changes nothing and logs nothing.
		e.clock.Advance(time.Minute)
		same := decodeAs[jsonGroup](t, e.must(200, "PUT", "/api/v1/groups/"+g.ID, map[string]any{"profile": map[string]any{"name": "Operations"}}))
		if same.LastUpdated != got.LastUpdated {
			t.Errorf("lastUpdated moved on a no-op replace: %s", same.LastUpdated)
		}
		// Changing only the case of the name is a change of the group itself, not a clash.
		e.must(200, "PUT", "/api/v1/groups/"+g.ID, map[string]any{"profile": map[string]any{"name": "OPERATIONS"}})
		if n := len(e.events("group.profile.update")); n != 2 {
			t.Errorf("%d profile update events, want 2", n)
		}

		for _, c := range []errorCase{
			{name: "missing name", path: "/api/v1/groups/" + g.ID, body: map[string]any{"profile": map[string]any{"description": "x"}}, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "no body", path: "/api/v1/groups/" + g.ID, body: nil, status: 400, code: "E0000001", causeMatch: "name: "},
			{name: "taken name", path: "/api/v1/groups/" + g.ID, body: map[string]any{"profile": map[string]any{"name": "taken"}}, status: 400, code: "E0000001", causeMatch: "already exists"},
			{name: "unknown group", path: "/api/v1/groups/00gUNKNOWNUNKNOWNUNK", body: map[string]any{"profile": map[string]any{"name": "x"}}, status: 404, code: "E0000007", summary: "(UserGroup)"},
			{name: "Everyone", path: "/api/v1/groups/" + e.everyone.ID, body: map[string]any{"profile": map[string]any{"name": "All"}}, status: 403, code: "E0000006"},
			{name: "app group", path: "/api/v1/groups/" + app.ID, body: map[string]any{"profile": map[string]any{"name": "All"}}, status: 403, code: "E0000006"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.method = "PUT"
				c.run(t, e)
			})
		}
		ev := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+e.everyone.ID, nil))
		if ev.Profile["name"] != "Everyone" {
			t.Errorf("Everyone renamed: %v", ev.Profile)
		}
	})
}

func TestDeleteGroup(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Temp")
		u := e.createUser("a@example.com")
		e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+u.ID, nil)
		app := e.storeGroup("APP_GROUP", "Imported")

		e.must(204, "DELETE", "/api/v1/groups/"+g.ID, nil)
		errorCase{method: "GET", path: "/api/v1/groups/" + g.ID, status: 404, code: "E0000007"}.run(t, e)
		if n := e.memberRows(g.ID, u.ID); n != 0 {
			t.Errorf("%d membership rows left after delete", n)
		}
		evs := e.events("group.lifecycle.delete")
		if len(evs) != 1 || evs[0].Target[0].ID != g.ID {
			t.Errorf("delete events %+v", evs)
		}
		// The name is free again.
		e.createGroup("Temp")

		for _, c := range []errorCase{
			{name: "again", path: "/api/v1/groups/" + g.ID, status: 404, code: "E0000007"},
			{name: "Everyone", path: "/api/v1/groups/" + e.everyone.ID, status: 403, code: "E0000006"},
			{name: "app group", path: "/api/v1/groups/" + app.ID, status: 403, code: "E0000006"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.method = "DELETE"
				c.run(t, e)
			})
		}
		e.must(200, "GET", "/api/v1/groups/"+e.everyone.ID, nil)
	})
}
