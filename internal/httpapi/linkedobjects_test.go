package httpapi_test

import (
	"net/http"
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
	// The literal path is not read as a schema id.
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/default"}), http.StatusOK)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/schemas/user/linkedObjects/subordinate"}), http.StatusNoContent)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/linkedObjects/manager"}), 404, "E0000007")
	if e.countEvents("system.schema.user.linked_object.delete") != 1 {
		t.Error("no delete event")
	}
}
