package httpapi_test

import (
	"net/http"
	"testing"
)

func TestAuthServersDefaultAndCRUD(t *testing.T) {
	e := newEnv(t, "")
	w := e.do(req{Method: "GET", Path: "/api/v1/authorizationServers/default"})
	if w.Code != 200 {
		t.Fatalf("GET default = %d %s", w.Code, w.Body)
	}
	def := obj(t, w)
	if def["issuer"] != "http://example.com/oauth2/default" || def["default"] != true || def["audiences"].([]any)[0] != "api://default" {
		t.Fatalf("default server = %v", def)
	}
	w = e.do(req{Method: "GET", Path: "/api/v1/authorizationServers/default/policies"})
	if w.Code != 200 || len(decodeBody(t, w).([]any)) != 1 {
		t.Fatalf("default policies = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "POST", Path: "/api/v1/authorizationServers", Body: `{"name":"api","description":"d","audiences":["api://x"]}`})
	if w.Code != http.StatusCreated {
		t.Fatalf("create = %d %s", w.Code, w.Body)
	}
	srv := obj(t, w)
	id := srv["id"].(string)
	if srv["issuer"] != "http://example.com/oauth2/"+id || srv["default"] != false {
		t.Fatalf("created = %v", srv)
	}
	e.lastEvent("oauth2.as.created")
	base := "/api/v1/authorizationServers/" + id
	if w := e.do(req{Method: "POST", Path: "/api/v1/authorizationServers", Body: `{"name":"api","audiences":["api://y"]}`}); w.Code != 400 {
		t.Fatalf("duplicate name = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "GET", Path: base + "/scopes"})
	if w.Code != 200 || len(decodeBody(t, w).([]any)) != 7 {
		t.Fatalf("scopes = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "POST", Path: base + "/scopes", Body: `{"name":"read:things","consent":"IMPLICIT","metadataPublish":"ALL_CLIENTS"}`})
	if w.Code != 201 {
		t.Fatalf("create scope = %d %s", w.Code, w.Body)
	}
	scope := obj(t, w)
	w = e.do(req{Method: "PUT", Path: base + "/scopes/" + scope["id"].(string), Body: `{"name":"read:things","description":"x"}`})
	if w.Code != 200 || obj(t, w)["description"] != "x" {
		t.Fatalf("replace scope = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "POST", Path: base + "/claims", Body: `{"name":"test","status":"ACTIVE","claimType":"RESOURCE","valueType":"EXPRESSION","value":"\"cool\"","alwaysIncludeInToken":true,"conditions":{}}`})
	if w.Code != 201 || obj(t, w)["system"] != false {
		t.Fatalf("create claim = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "POST", Path: base + "/claims", Body: `{"name":"cid","claimType":"RESOURCE","value":"1"}`}); w.Code != 400 {
		t.Fatalf("reserved claim = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "POST", Path: base + "/policies", Body: `{"name":"p","description":"d","priority":1,"status":"ACTIVE","type":"OAUTH_AUTHORIZATION_POLICY","conditions":{"clients":{"include":["ALL_CLIENTS"]}}}`})
	if w.Code != 201 {
		t.Fatalf("create policy = %d %s", w.Code, w.Body)
	}
	pol := obj(t, w)["id"].(string)
	w = e.do(req{Method: "POST", Path: base + "/policies/" + pol + "/rules", Body: `{"name":"r","priority":1,"conditions":{"people":{"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["client_credentials"]},"scopes":{"include":["*"]}},"actions":{"token":{"accessTokenLifetimeMinutes":30}}}`})
	if w.Code != 201 {
		t.Fatalf("create rule = %d %s", w.Code, w.Body)
	}
	rule := obj(t, w)
	if rule["conditions"].(map[string]any)["people"].(map[string]any)["users"].(map[string]any)["exclude"] == nil {
		t.Fatalf("rule users not normalised: %v", rule)
	}
	if w := e.do(req{Method: "GET", Path: base + "/policies/" + pol + "/rules"}); w.Code != 200 || len(decodeBody(t, w).([]any)) != 1 {
		t.Fatalf("rules = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "GET", Path: base + "/credentials/keys"})
	if w.Code != 200 || len(decodeBody(t, w).([]any)) != 1 {
		t.Fatalf("keys = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "POST", Path: base + "/credentials/lifecycle/keyRotate", Body: `{"use":"enc"}`}); w.Code != 400 {
		t.Fatalf("rotate enc = %d %s", w.Code, w.Body)
	}
	w = e.do(req{Method: "POST", Path: base + "/credentials/lifecycle/keyRotate", Body: `{"use":"sig"}`})
	if w.Code != 200 || len(decodeBody(t, w).([]any)) != 3 {
		t.Fatalf("rotate = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "DELETE", Path: base}); w.Code != 403 {
		t.Fatalf("delete active = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "POST", Path: base + "/lifecycle/deactivate"}); w.Code != 204 {
		t.Fatalf("deactivate = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "DELETE", Path: base}); w.Code != 204 {
		t.Fatalf("delete = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "GET", Path: base}); w.Code != 404 {
		t.Fatalf("get deleted = %d %s", w.Code, w.Body)
	}
	if w := e.do(req{Method: "GET", Path: "/api/v1/authorizationServers"}); w.Code != 200 || len(decodeBody(t, w).([]any)) != 1 {
		t.Fatalf("list = %d %s", w.Code, w.Body)
	}
}
