package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// A user who stops matching an ACTIVE rule leaves the groups where the rule manages their
// membership, in the profile change's transaction, with a group.user_membership.remove event by
// Okta System; manual memberships and those another matching rule assigns stay.
func TestGroupRuleRemovesUsersWhoStopMatching(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		eng := e.createGroup("Engineering").ID
		rule := func(name, expr string) string {
			body := fmt.Sprintf(`{"type":"group_rule","name":%q,"conditions":{"expression":{"value":%q,"type":"urn:okta:expression:1.0"}},"actions":{"assignUserToGroups":{"groupIds":[%q]}}}`, name, expr, eng)
			id := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/groups/rules", body))["id"].(string)
			e.must(204, "POST", "/api/v1/groups/rules/"+id+"/lifecycle/activate", nil)
			return id
		}
		byDept := rule("By department", `user.department=="eng"`)
		user := func(login, dept, title string) string {
			body := fmt.Sprintf(`{"profile":{"login":%q,"email":%q,"firstName":"F","lastName":"L","department":%q,"title":%q}}`, login, login, dept, title)
			return decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/users?activate=false", body))["id"].(string)
		}
		set := func(id, prop, value string) {
			e.must(200, "POST", "/api/v1/users/"+id, fmt.Sprintf(`{"profile":{%q:%q}}`, prop, value))
		}
		member := func(id string) bool { return e.memberRows(eng, id) == 1 }

		ruled := user("ruled@example.com", "eng", "")
		manual := user("manual@example.com", "sales", "")
		e.must(204, "PUT", "/api/v1/groups/"+eng+"/users/"+manual, nil)
		if !member(ruled) || !member(manual) {
			t.Fatal("setup: not both members")
		}

		set(ruled, "department", "sales")
		if member(ruled) {
			t.Fatal("a user who stopped matching stayed in the rule's group")
		}
		removes := e.events("group.user_membership.remove")
		if len(removes) != 1 || removes[0].Target[0].ID != ruled || removes[0].Target[1].ID != eng {
			t.Fatalf("remove events %+v", removes)
		}
		if a := e.removeActor(); a.Type != "SystemPrincipal" || a.DisplayName != "Okta System" {
			t.Errorf("remove actor %+v", a)
		}
		got := decodeAs[map[string]any](t, e.must(200, "GET", "/api/v1/groups/rules/"+byDept, nil))
		if ex := got["conditions"].(map[string]any)["people"].(map[string]any)["users"].(map[string]any)["exclude"]; fmt.Sprint(ex) != "[]" {
			t.Errorf("a rule-driven removal excluded the user: %v", ex)
		}
		// A manual member who does not match stays through a profile change.
		set(manual, "title", "anything")
		if !member(manual) {
			t.Fatal("a manual member was removed")
		}
		// Matching again re-adds; a manual member who starts matching becomes rule-managed.
		set(ruled, "department", "eng")
		set(manual, "department", "eng")
		set(manual, "department", "sales")
		if !member(ruled) || member(manual) {
			t.Fatalf("re-added %v, claimed manual member still in: %v", member(ruled), member(manual))
		}

		// Two rules assign the group: leaving one keeps the membership, leaving both removes it.
		rule("By title", `user.title=="lead"`)
		both := user("both@example.com", "eng", "lead")
		set(both, "department", "sales")
		if !member(both) {
			t.Fatal("removed although another rule still assigns the group")
		}
		set(both, "title", "none")
		if member(both) {
			t.Fatal("kept after leaving both rules")
		}

		// An INACTIVE rule removes nobody; deleting it with removeUsers takes out only the users
		// it manages.
		e.must(204, "PUT", "/api/v1/groups/"+eng+"/users/"+manual, nil)
		e.must(204, "POST", "/api/v1/groups/rules/"+byDept+"/lifecycle/deactivate", nil)
		set(ruled, "department", "hr")
		if !member(ruled) {
			t.Fatal("an inactive rule removed a user")
		}
		e.must(202, "DELETE", "/api/v1/groups/rules/"+byDept+"?removeUsers=true", nil)
		if member(ruled) || !member(manual) {
			t.Fatalf("after delete: ruled %v, manual %v", member(ruled), member(manual))
		}
	})
}

// removeActor is the actor of the latest group.user_membership.remove event.
func (e *groupsEnv) removeActor() domain.LogActor {
	e.t.Helper()
	var data []byte
	err := e.db.ReadPool().QueryRow(e.sql(`SELECT data FROM log_events WHERE org_id = ? AND event_type = ? ORDER BY seq DESC LIMIT 1`),
		e.org.ID, "group.user_membership.remove").Scan(&data)
	if err != nil {
		e.t.Fatal(err)
	}
	var ev struct {
		Actor domain.LogActor `json:"actor"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		e.t.Fatal(err)
	}
	return ev.Actor
}
