package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCustomRolesLifecycle(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		var cr struct {
			ID, Label, Description string
			Links                  map[string]any `json:"_links"`
		}
		body := map[string]any{"label": "Helpdesk Plus", "description": "resets and reads",
			"permissions": []string{"okta.users.read", "okta.users.credentials.resetPassword", "okta.users.read"}}
		if err := json.Unmarshal(e.must(200, "POST", "/api/v1/iam/roles", body), &cr); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cr.ID, "cr0") || cr.Label != "Helpdesk Plus" || cr.Links["permissions"] == nil {
			t.Fatalf("created = %+v", cr)
		}
		if evs := e.events("iam.role.create"); len(evs) != 1 || evs[0].Target[0].ID != cr.ID {
			t.Errorf("iam.role.create events = %+v", evs)
		}
		// By id and by label; the list holds it.
		for _, key := range []string{cr.ID, "Helpdesk%20Plus"} {
			e.must(200, "GET", "/api/v1/iam/roles/"+key, nil)
		}
		var list struct{ Roles []struct{ ID string } }
		if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/roles", nil), &list); err != nil || len(list.Roles) != 1 || list.Roles[0].ID != cr.ID {
			t.Errorf("list = %+v %v", list, err)
		}
		// Permissions: the duplicate in the create counted once.
		perms := func() string {
			var out struct{ Permissions []struct{ Label string } }
			if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/roles/"+cr.ID+"/permissions", nil), &out); err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, p := range out.Permissions {
				labels = append(labels, p.Label)
			}
			return strings.Join(labels, " ")
		}
		if got := perms(); got != "okta.users.read okta.users.credentials.resetPassword" {
			t.Errorf("permissions = %q", got)
		}
		e.must(204, "POST", "/api/v1/iam/roles/"+cr.ID+"/permissions/okta.groups.read", nil)
		e.must(200, "GET", "/api/v1/iam/roles/"+cr.ID+"/permissions/okta.groups.read", nil)
		e.must(200, "PUT", "/api/v1/iam/roles/"+cr.ID+"/permissions/okta.groups.read", map[string]any{"conditions": map[string]any{}})
		e.must(204, "DELETE", "/api/v1/iam/roles/"+cr.ID+"/permissions/okta.users.read", nil)
		if got := perms(); got != "okta.users.credentials.resetPassword okta.groups.read" {
			t.Errorf("permissions after add and delete = %q", got)
		}
		// Replace label and description.
		e.must(200, "PUT", "/api/v1/iam/roles/"+cr.ID, map[string]any{"label": "Helpdesk Pro", "description": "d2"})
		e.must(200, "GET", "/api/v1/iam/roles/Helpdesk%20Pro", nil)
		e.must(204, "DELETE", "/api/v1/iam/roles/"+cr.ID, nil)
		e.must(404, "GET", "/api/v1/iam/roles/"+cr.ID, nil)
		for _, typ := range []string{"iam.role.update", "iam.role.delete", "iam.role.permission.add", "iam.role.permission.delete"} {
			if len(e.events(typ)) == 0 {
				t.Errorf("no %s event", typ)
			}
		}
	})
}

func TestCustomRolesBadInput(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		e.must(200, "POST", "/api/v1/iam/roles", map[string]any{"label": "Taken", "description": "d", "permissions": []string{"okta.apps.read"}})
		for _, c := range []struct {
			name, method, path string
			body               any
			status             int
			code, cause        string
		}{
			{"no label", "POST", "/api/v1/iam/roles", map[string]any{"description": "d", "permissions": []string{"okta.apps.read"}}, 400, "E0000001", "label:"},
			{"no permissions", "POST", "/api/v1/iam/roles", map[string]any{"label": "x", "description": "d"}, 400, "E0000001", "permissions:"},
			{"unknown permission", "POST", "/api/v1/iam/roles", map[string]any{"label": "x", "description": "d", "permissions": []string{"okta.everything"}}, 400, "E0000001", "okta.everything"},
			{"label taken, any case", "POST", "/api/v1/iam/roles", map[string]any{"label": "TAKEN", "description": "d", "permissions": []string{"okta.apps.read"}}, 400, "E0000001", "label:"},
			{"unknown role", "GET", "/api/v1/iam/roles/cr0nosuchrole000000", nil, 404, "E0000007", ""},
			{"unknown permission on a role", "POST", "/api/v1/iam/roles/Taken/permissions/okta.nothing", nil, 400, "E0000001", "permissionType"},
			{"permission already there", "POST", "/api/v1/iam/roles/Taken/permissions/okta.apps.read", nil, 400, "E0000001", "already"},
			{"permission the role lacks", "GET", "/api/v1/iam/roles/Taken/permissions/okta.users.read", nil, 404, "E0000007", ""},
			{"replace without description", "PUT", "/api/v1/iam/roles/Taken", map[string]any{"label": "Taken"}, 400, "E0000001", "description:"},
		} {
			resp, data := e.do(c.method, c.path, c.body)
			if resp.StatusCode != c.status || !strings.Contains(string(data), `"errorCode":"`+c.code+`"`) || !strings.Contains(string(data), c.cause) {
				t.Errorf("%s: %d %s, want %d %s with %q", c.name, resp.StatusCode, data, c.status, c.code, c.cause)
			}
		}
		// Nothing of the refused requests was stored.
		var list struct{ Roles []struct{ Label string } }
		if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/roles", nil), &list); err != nil || len(list.Roles) != 1 {
			t.Errorf("roles after refusals = %+v %v", list, err)
		}
	})
}
