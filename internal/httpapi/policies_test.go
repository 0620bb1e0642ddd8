package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func listOf(t *testing.T, e *env, path string) []map[string]any {
	t.Helper()
	w := e.do(req{Method: "GET", Path: path})
	wantStatus(t, w, 200)
	var out []map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPolicyDefaults(t *testing.T) {
	e := newEnv(t, "")
	for _, tt := range []struct{ typ, name, rule string }{
		{"OKTA_SIGN_ON", "Default Policy", "Default Rule"},
		{"PASSWORD", "Default Policy", "Default Rule"},
		{"MFA_ENROLL", "Default Policy", ""},
		{"IDP_DISCOVERY", "Idp Discovery Policy", "Default Rule"},
		{"ACCESS_POLICY", "Default Policy", "Catch-all Rule"},
		{"PROFILE_ENROLLMENT", "Default Policy", "Catch-all Rule"},
	} {
		list := listOf(t, e, "/api/v1/policies?type="+tt.typ)
		if len(list) != 1 || list[0]["name"] != tt.name || list[0]["system"] != true || list[0]["status"] != "ACTIVE" {
			t.Errorf("%s: %v", tt.typ, list)
			continue
		}
		rules := listOf(t, e, "/api/v1/policies/"+list[0]["id"].(string)+"/rules")
		if tt.rule == "" {
			continue
		}
		if len(rules) != 1 || rules[0]["name"] != tt.rule || rules[0]["system"] != true {
			t.Errorf("%s rules: %v", tt.typ, rules)
		}
	}
	pw := listOf(t, e, "/api/v1/policies?type=PASSWORD")[0]
	cx := pw["settings"].(map[string]any)["password"].(map[string]any)["complexity"].(map[string]any)
	if cx["minLength"] != 8.0 || cx["excludeUsername"] != true {
		t.Errorf("password complexity %v", cx)
	}
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/policies/" + pw["id"].(string)}), 403, "E0000006")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/policies"}), 400, "E0000001")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/policies?type=PASSWORD&status=ON"}), 400, "E0000001")
}

func TestPolicyValidation(t *testing.T) {
	e := newEnv(t, "")
	for _, tt := range []struct{ name, body, cause string }{
		{"no name", `{"type":"PASSWORD"}`, "name: The field cannot be left blank"},
		{"no type", `{"name":"x"}`, "type: The field cannot be left blank"},
		{"bad type", `{"name":"x","type":"VIBES"}`, `type: The policy type: "VIBES" is not supported`},
		{"idp discovery", `{"name":"x","type":"IDP_DISCOVERY"}`, "type: Creating a policy with type IDP_DISCOVERY is not supported"},
		{"bad status", `{"name":"x","type":"PASSWORD","status":"ON"}`, "status: The status: ON is invalid. Use ACTIVE or INACTIVE."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/policies", Body: tt.body}), 400, "E0000001")
			if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/policies?activate=maybe", Body: `{"name":"x","type":"PASSWORD"}`}), 400, "E0000001")
	if n := e.countEvents("policy.lifecycle.create"); n != 0 {
		t.Errorf("%d create events for refused creates", n)
	}
}

func TestPolicyPrioritiesLifecycleAndRules(t *testing.T) {
	e := newEnv(t, "")
	create := func(body string) map[string]any {
		t.Helper()
		w := e.do(req{Method: "POST", Path: "/api/v1/policies", Body: body})
		wantStatus(t, w, 200)
		return obj(t, w)
	}
	a := create(`{"name":"A","type":"PASSWORD"}`)
	b := create(`{"name":"B","type":"PASSWORD","priority":1}`)
	if a["status"] != "ACTIVE" || a["id"].(string)[:3] != "00p" {
		t.Errorf("created %v", a)
	}
	var order []string
	for _, p := range listOf(t, e, "/api/v1/policies?type=PASSWORD") {
		order = append(order, fmt.Sprintf("%v:%v", p["name"], p["priority"]))
	}
	if strings.Join(order, ",") != "B:1,A:2,Default Policy:3" {
		t.Errorf("priorities %v: B inserted at 1, the default last", order)
	}
	id := a["id"].(string)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/policies/" + id + "/lifecycle/deactivate"}), 204)
	if p := obj(t, e.do(req{Method: "GET", Path: "/api/v1/policies/" + id})); p["status"] != "INACTIVE" || p["_links"].(map[string]any)["activate"] == nil {
		t.Errorf("deactivated %v", p)
	}
	if p := obj(t, e.do(req{Method: "PUT", Path: "/api/v1/policies/" + id, Body: `{"name":"A2","type":"PASSWORD","priority":1}`})); p["name"] != "A2" || p["status"] != "INACTIVE" || p["priority"] != 1.0 {
		t.Errorf("replaced %v", p)
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/policies/" + id, Body: `{"name":"A2","type":"OKTA_SIGN_ON"}`}), 400, "E0000001")

	// Rules: the default type, placement above the system rule, lifecycle, protection.
	w := e.do(req{Method: "POST", Path: "/api/v1/policies/" + id + "/rules?activate=false", Body: `{"name":"R1"}`})
	wantStatus(t, w, 200)
	r := obj(t, w)
	if r["type"] != "PASSWORD" || r["status"] != "INACTIVE" || r["priority"] != 1.0 {
		t.Errorf("rule %v", r)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/policies/" + id + "/rules", Body: `{"name":"R2","type":"SIGN_ON"}`}), 400, "E0000001")
	rpath := "/api/v1/policies/" + id + "/rules/" + r["id"].(string)
	wantStatus(t, e.do(req{Method: "POST", Path: rpath + "/lifecycle/activate"}), 204)
	if got := obj(t, e.do(req{Method: "PUT", Path: rpath, Body: `{"name":"R1b"}`})); got["name"] != "R1b" || got["status"] != "ACTIVE" {
		t.Errorf("replaced rule %v", got)
	}
	pw := listOf(t, e, "/api/v1/policies?type=PASSWORD")
	def := pw[len(pw)-1]
	defRules := listOf(t, e, "/api/v1/policies/"+def["id"].(string)+"/rules")
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/policies/" + def["id"].(string) + "/rules/" + defRules[0]["id"].(string)}), 403, "E0000006")
	wantStatus(t, e.do(req{Method: "DELETE", Path: rpath}), 204)
	wantError(t, e.do(req{Method: "GET", Path: rpath}), 404, "E0000007")
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/policies/" + b["id"].(string)}), 204)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/policies/" + b["id"].(string)}), 404, "E0000007")
	for _, ev := range []string{"policy.lifecycle.create", "policy.lifecycle.deactivate", "policy.lifecycle.update", "policy.lifecycle.delete",
		"policy.rule.add", "policy.rule.activate", "policy.rule.update", "policy.rule.delete"} {
		if e.countEvents(ev) == 0 {
			t.Errorf("no %s event", ev)
		}
	}
}

func TestPolicyClone(t *testing.T) {
	e := newEnv(t, "")
	w := e.do(req{Method: "POST", Path: "/api/v1/policies", Body: `{"name":"Apps","type":"ACCESS_POLICY","description":"d"}`})
	wantStatus(t, w, 200)
	p := obj(t, w)
	id := p["id"].(string)
	if id[:3] != "rst" {
		t.Errorf("access policy id %s", id)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/policies/" + id + "/rules", Body: `{"name":"Allow","type":"ACCESS_POLICY"}`}), 200)
	c := obj(t, e.do(req{Method: "POST", Path: "/api/v1/policies/" + id + "/clone"}))
	if c["name"] != "[cloned] Apps" || c["id"] == id || c["description"] != "d" {
		t.Errorf("clone %v", c)
	}
	if rules := listOf(t, e, "/api/v1/policies/"+c["id"].(string)+"/rules"); len(rules) != 1 || rules[0]["name"] != "Allow" {
		t.Errorf("cloned rules %v", rules)
	}
	pw := listOf(t, e, "/api/v1/policies?type=PASSWORD")[0]
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/policies/" + pw["id"].(string) + "/clone"}), 400, "E0000001")
	_ = http.MethodGet
}
