package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func postSchema(e *env, props string) *httptest.ResponseRecorder {
	return e.do(req{Method: "POST", Path: "/api/v1/meta/schemas/user/default",
		Body: `{"definitions":{"custom":{"id":"#custom","type":"object","properties":` + props + `}}}`})
}

func TestUserSchemaCustomProperties(t *testing.T) {
	e := newEnv(t, "")
	w := postSchema(e, `{
		"badge":{"title":"Badge","type":"string","minLength":2,"maxLength":5,"master":{"type":"PROFILE_MASTER"},"permissions":[{"principal":"SELF","action":"READ_ONLY"}]},
		"level":{"title":"Level","type":"integer","minimum":1,"maximum":9},
		"color":{"title":"Color","type":"string","enum":["red","blue"],"oneOf":[{"const":"red","title":"Red"},{"const":"blue","title":"Blue"}]},
		"tags":{"title":"Tags","type":"array","items":{"type":"string"}},
		"vip":{"title":"VIP","type":"boolean"}}`)
	wantStatus(t, w, http.StatusOK)
	custom := obj(t, w)["definitions"].(map[string]any)["custom"].(map[string]any)["properties"].(map[string]any)
	badge := custom["badge"].(map[string]any)
	if badge["mutability"] != "READ_WRITE" || badge["master"] != nil || badge["maxLength"] != 5.0 || len(custom) != 5 {
		t.Fatalf("custom = %v", custom)
	}
	if e.countEvents("system.schema.user.update") != 1 {
		t.Error("no schema update event")
	}
	get := obj(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/default"}))
	if fmt.Sprint(get["definitions"].(map[string]any)["custom"].(map[string]any)["properties"]) != fmt.Sprint(custom) {
		t.Errorf("GET differs from POST: %v", get["definitions"])
	}

	user := func(extra string) *httptest.ResponseRecorder {
		return e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"login":"a` +
			fmt.Sprint(len(extra)) + `@example.com","email":"a@example.com","firstName":"A","lastName":"B"` + extra + `}}`})
	}
	for _, tt := range []struct{ extra, cause string }{
		{`,"badge":"x"`, "badge: The field is too short (minimum 2 characters)"},
		{`,"badge":"xxxxxx"`, "badge: The field is too long (maximum 5 characters)"},
		{`,"badge":3`, "badge: The field must be of type string"},
		{`,"level":0`, "level: The field must be at least 1"},
		{`,"level":1.5`, "level: The field must be of type integer"},
		{`,"color":"green"`, "color: Does not match required enum values"},
		{`,"tags":"a"`, "tags: The field must be an array"},
		{`,"tags":[1]`, "tags: Array elements must be of type string"},
		{`,"vip":"yes"`, "vip: The field must be of type boolean"},
	} {
		m := wantError(t, user(tt.extra), 400, "E0000001")
		if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
			t.Errorf("%s: causes %v, want %q", tt.extra, m["errorCauses"], tt.cause)
		}
	}
	ok := user(`,"badge":"abc","level":3,"color":"red","tags":["a"],"vip":true,"undeclared":"kept"`)
	wantStatus(t, ok, http.StatusOK)
	id := obj(t, ok)["id"].(string)
	// A partial update is validated against the schema too.
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id, Body: `{"profile":{"level":10}}`}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id, Body: `{"profile":{"level":9}}`}), http.StatusOK)

	// null removes a property; its values are no longer checked.
	wantStatus(t, postSchema(e, `{"level":null}`), http.StatusOK)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id, Body: `{"profile":{"level":"any"}}`}), http.StatusOK)

	for _, tt := range []struct{ props, cause string }{
		{`{"x":{"type":"string"}}`, "title: The field cannot be left blank"},
		{`{"x":{"title":"X","type":"object"}}`, "The type must be one of"},
		{`{"badge":{"title":"B","type":"integer"}}`, "cannot be changed"},
		{`{"login":{"title":"L","type":"string"}}`, "base property"},
		{`{"x":{"title":"X","type":"string","enum":["a"],"oneOf":[{"const":"b","title":"B"}]}}`, "oneOf must list"},
		{`{"x":{"title":"X","type":"boolean","unique":"UNIQUE_VALIDATED"}}`, "Only string properties can be unique"},
		{`{"x":{"title":"X","type":"array"}}`, "must define items"},
		{`{"x y":{"title":"X","type":"string"}}`, "Property name is not valid"},
	} {
		m := wantError(t, postSchema(e, tt.props), 400, "E0000001")
		if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
			t.Errorf("%s: causes %v, want %q", tt.props, m["errorCauses"], tt.cause)
		}
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/user/oscNOPE"}), 404, "E0000007")
}

func TestGroupSchemaCustomProperties(t *testing.T) {
	e := newEnv(t, "")
	g := obj(t, e.do(req{Method: "GET", Path: "/api/v1/meta/schemas/group/default"}))
	if g["name"] != "group" {
		t.Fatalf("group schema %v", g)
	}
	w := e.do(req{Method: "POST", Path: "/api/v1/meta/schemas/group/default",
		Body: `{"definitions":{"custom":{"properties":{"costCode":{"title":"Cost code","type":"string","required":true}}}}}`})
	wantStatus(t, w, http.StatusOK)
	c := obj(t, w)["definitions"].(map[string]any)["custom"].(map[string]any)
	if fmt.Sprint(c["required"]) != "[costCode]" {
		t.Errorf("custom %v", c)
	}
}

func TestUserTypes(t *testing.T) {
	e := newEnv(t, "")
	list := decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/meta/types/user"})).([]any)
	if len(list) != 1 || list[0].(map[string]any)["default"] != true {
		t.Fatalf("types %v", list)
	}
	w := e.do(req{Method: "POST", Path: "/api/v1/meta/types/user", Body: `{"name":"contractor","displayName":"Contractor","description":"C"}`})
	wantStatus(t, w, http.StatusOK)
	ty := obj(t, w)
	id := ty["id"].(string)
	if !strings.HasPrefix(id, "oty") || ty["default"] != false {
		t.Fatalf("created %v", ty)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/meta/types/user", Body: `{"name":"contractor","displayName":"Again"}`}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/meta/types/user", Body: `{"name":"bad name","displayName":"X"}`}), 400, "E0000001")
	if got := obj(t, e.do(req{Method: "POST", Path: "/api/v1/meta/types/user/" + id, Body: `{"displayName":"Temp"}`})); got["displayName"] != "Temp" || got["description"] != "C" {
		t.Errorf("partial update %v", got)
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/meta/types/user/" + id, Body: `{"name":"other","displayName":"X"}`}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/meta/types/user/" + id, Body: `{"name":"contractor","displayName":"Contractor"}`}), http.StatusOK)
	// A user can be created with the type.
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"type":{"id":"` + id + `"},"profile":{"login":"t@example.com","email":"t@example.com","firstName":"T","lastName":"T"}}`}))
	if u["type"].(map[string]any)["id"] != id {
		t.Errorf("user type %v", u["type"])
	}
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/types/user/default"}), 403, "E0000006")
	// A type users still have is not deleted (Okta: "only when there are no users assigned to it"),
	// even when the user is deprovisioned; once the user is gone it is.
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/types/user/" + id}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/meta/types/user/" + id}), http.StatusOK)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + u["id"].(string)}), http.StatusNoContent) // deactivates
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/types/user/" + id}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + u["id"].(string)}), http.StatusNoContent) // deletes
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/meta/types/user/" + id}), http.StatusNoContent)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/meta/types/user/" + id}), 404, "E0000007")
	if e.countEvents("system.user_type.create") != 1 {
		t.Error("no create event")
	}
}
