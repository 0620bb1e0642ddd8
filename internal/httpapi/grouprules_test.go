package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestGroupRuleLifecycleAndEvaluation(t *testing.T) {
	e := newEnv(t, "")
	mkGroup := func(name string) string {
		w := e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"` + name + `"}}`})
		wantStatus(t, w, http.StatusOK)
		return obj(t, w)["id"].(string)
	}
	mkUser := func(login, last, dept string) string {
		w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"login":"` + login +
			`","email":"` + login + `","firstName":"F","lastName":"` + last + `","department":"` + dept + `"}}`})
		wantStatus(t, w, http.StatusOK)
		return obj(t, w)["id"].(string)
	}
	members := func(gid string) string {
		var ids []string
		for _, m := range decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/groups/" + gid + "/users"})).([]any) {
			ids = append(ids, m.(map[string]any)["id"].(string))
		}
		return strings.Join(ids, ",")
	}
	smiths, eng := mkGroup("Smiths"), mkGroup("Engineers")
	before := mkUser("a@example.com", "Smith", "sales")
	mkUser("b@example.com", "Jones", "sales")

	body := `{"type":"group_rule","name":"Smiths","conditions":{"expression":{"value":"user.lastName==\"Smith\"","type":"urn:okta:expression:1.0"}},"actions":{"assignUserToGroups":{"groupIds":["` + smiths + `"]}}}`
	w := e.do(req{Method: "POST", Path: "/api/v1/groups/rules", Body: body})
	wantStatus(t, w, http.StatusOK)
	rule := obj(t, w)
	id := rule["id"].(string)
	if rule["status"] != "INACTIVE" || !strings.HasPrefix(id, "0pr") {
		t.Fatalf("created %v", rule)
	}
	// The literal path wins over /groups/{id}; the rule is also readable by id.
	list := decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules?expand=groupIdToGroupNameMap"})).([]any)
	if len(list) != 1 || !strings.Contains(fmt.Sprint(list[0]), "groupIdToGroupNameMap:map["+smiths+":Smiths]") {
		t.Fatalf("list %v", list)
	}
	if g := obj(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules/" + id})); g["name"] != "Smiths" {
		t.Fatalf("get %v", g)
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules/0prNOPE"}), 404, "E0000007")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/groups/" + smiths + "/nothing"}), 404, "E0000008")
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/groups/" + smiths + "/users"}), http.StatusOK)
	if n := len(decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules?search=nomatch"})).([]any)); n != 0 {
		t.Errorf("search found %d", n)
	}

	// Activation adds the matching existing users.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups/rules/" + id + "/lifecycle/activate"}), http.StatusNoContent)
	if got := members(smiths); got != before {
		t.Fatalf("after activate members = %s, want %s", got, before)
	}
	if e.countEvents("group.rule.activate") != 1 {
		t.Error("no activate event")
	}
	// An active rule cannot be replaced.
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/rules/" + id, Body: body}), 400, "E0000001")

	// A new user and a profile change are evaluated in their own transaction.
	created := mkUser("c@example.com", "Smith", "eng")
	jones := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/b@example.com"}))["id"].(string)
	adds := e.countEvents("group.user_membership.add")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + jones, Body: `{"profile":{"lastName":"Smith"}}`}), http.StatusOK)
	if e.countEvents("group.user_membership.add") != adds+1 {
		t.Error("no membership event for the profile change")
	}
	if got := members(smiths); !strings.Contains(got, created) || !strings.Contains(got, jones) {
		t.Fatalf("members = %s", got)
	}

	// Removing a rule-managed membership by hand excludes the user from the rule.
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/groups/" + smiths + "/users/" + jones}), http.StatusNoContent)
	if ex := obj(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules/" + id}))["conditions"].(map[string]any)["people"].(map[string]any)["users"].(map[string]any)["exclude"]; fmt.Sprint(ex) != "["+jones+"]" {
		t.Fatalf("exclude = %v", ex)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + jones, Body: `{"profile":{"firstName":"G"}}`}), http.StatusOK)
	if got := members(smiths); strings.Contains(got, jones) {
		t.Fatalf("excluded user re-added: %s", got)
	}
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/" + smiths + "/users/" + jones}), http.StatusNoContent)

	// Deactivating keeps memberships; replacing then works; delete with removeUsers removes them.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups/rules/" + id + "/lifecycle/deactivate"}), http.StatusNoContent)
	if got := members(smiths); strings.Count(got, ",") != 2 {
		t.Fatalf("after deactivate members = %s", got)
	}
	repl := strings.Replace(body, `user.lastName==\"Smith\"`, `String.startsWith(user.department,\"eng\") || isMemberOfAnyGroup(\"`+smiths+`\")`, 1)
	repl = strings.Replace(repl, smiths+`"]}}}`, eng+`"]}}}`, 1)
	w = e.do(req{Method: "PUT", Path: "/api/v1/groups/rules/" + id, Body: repl})
	wantStatus(t, w, http.StatusOK)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups/rules/" + id + "/lifecycle/activate"}), http.StatusNoContent)
	if got := members(eng); strings.Count(got, ",") != 2 {
		t.Fatalf("engineers = %s", got)
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/groups/rules/" + id + "?removeUsers=true"}), http.StatusAccepted)
	if got := members(eng); got != "" {
		t.Fatalf("after delete engineers = %s", got)
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/groups/rules/" + id}), 404, "E0000007")
}

func TestGroupRuleValidation(t *testing.T) {
	e := newEnv(t, "")
	w := e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"G"}}`})
	gid := obj(t, w)["id"].(string)
	rule := func(name, expr, group string) string {
		return `{"name":"` + name + `","conditions":{"expression":{"value":"` + expr + `","type":"urn:okta:expression:1.0"}},"actions":{"assignUserToGroups":{"groupIds":["` + group + `"]}}}`
	}
	for _, tt := range []struct{ body, cause string }{
		{rule("", "user.a==1", gid), "name: The field cannot be left blank"},
		{rule(strings.Repeat("n", 51), "user.a==1", gid), "name: The field is too long"},
		{rule("r", "user.a==", gid), "conditions.expression.value: Invalid expression"},
		{rule("r", `Convert.toInt(user.a)==1`, gid), "not allowed in group rules"},
		{rule("r", "user.a==1", "00gNOPE"), "does not exist"},
	} {
		m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/groups/rules", Body: tt.body}), 400, "E0000001")
		if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
			t.Errorf("causes %v, want %q", m["errorCauses"], tt.cause)
		}
	}
}
