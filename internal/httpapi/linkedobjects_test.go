package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestLinkedObjectDefinitions(t *testing.T) {
	e := newEnv(t, "")
	body := `{"primary":{"name":"manager","title":"Manager","description":"Manager","type":"USER"},"associated":{"name":"subordinate","title":"Subordinate","type":"USER"}}`
	w := e.do(req{Method: "POST", Path: "/api/v1/meta/schemas/user/linkedObjects", Body: body})
	wantStatus(t, w, http.StatusCreated)
	if m := obj(t, w); m["primary"].(map[string]any)["name"] != "manager" {
		t.Fatalf("created %v", m)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/meta/schemas/user/linkedObjects", Body: body}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/meta/schemas/user/linkedObjects",
		Body: `{"primary":{"name":"a","title":"A","type":"GROUP"},"associated":{"name":"a","type":"USER"}}`}), 400, "E0000001")
	for _, name := range []string{"manager", "subordinate"} {
		if m := obj(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/linkedObjects/" + name})); m["associated"].(map[string]any)["name"] != "subordinate" {
			t.Fatalf("get %s: %v", name, m)
		}
	}
	if l := decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/linkedObjects"})).([]any); len(l) != 1 {
		t.Fatalf("list %v", l)
	}
	mk := func(login string) string {
		w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"login":"` + login +
			`","email":"` + login + `","firstName":"F","lastName":"L"}}`})
		wantStatus(t, w, http.StatusOK)
		return obj(t, w)["id"].(string)
	}
	boss, emp := mk("boss@example.com"), mk("emp@example.com")
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/users/" + emp + "/linkedObjects/manager/" + boss}), http.StatusNoContent)
	links := func(user, name string) string {
		var out string
		for _, l := range decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/users/" + user + "/linkedObjects/" + name})).([]any) {
			out += l.(map[string]any)["_links"].(map[string]any)["self"].(map[string]any)["href"].(string)
		}
		return out
	}
	if got := links(emp, "manager"); !strings.HasSuffix(got, "/api/v1/users/"+boss) {
		t.Errorf("manager of emp = %q", got)
	}
	if got := links(boss, "subordinate"); !strings.HasSuffix(got, "/api/v1/users/"+emp) {
		t.Errorf("subordinates of boss = %q", got)
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/users/" + emp + "/linkedObjects/subordinate/" + boss}), 404, "E0000007")
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + emp + "/linkedObjects/manager"}), http.StatusNoContent)
	if got := links(emp, "manager"); got != "" {
		t.Errorf("after delete manager = %q", got)
	}
	// The literal path is not read as a schema id.
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/default"}), http.StatusOK)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/schemas/user/linkedObjects/subordinate"}), http.StatusNoContent)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/linkedObjects/manager"}), 404, "E0000007")
	if e.countEvents("system.schema.user.linked_object.delete") != 1 {
		t.Error("no delete event")
	}
}
