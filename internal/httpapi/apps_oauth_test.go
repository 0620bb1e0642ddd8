package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAppIsTheOAuthClient: an OIDC service app created through the Applications API gets a
// client_credentials token from the default authorization server with its generated secret; a
// wrong secret, an unknown scope and a deactivated app are refused. (The org server takes
// client_credentials only with private_key_jwt, as Okta's does; the e2e OIDC tests cover it.)
func TestAppIsTheOAuthClient(t *testing.T) {
	e := newEnv(t, "")
	ts := httptest.NewServer(e.api)
	defer ts.Close()
	a := createApp(t, e, "", `{"name":"oidc_client","label":"Service","signOnMode":"OPENID_CONNECT",
		"credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
		"settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials"],"response_types":["token"]}}}`)
	id := a["id"].(string)
	cc := a["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	clientID, secret := cc["client_id"].(string), cc["client_secret"].(string)
	w := e.do(req{Method: "POST", Path: "/api/v1/apps/" + id + "/grants", Body: `{"issuer":"http://example.com","scopeId":"okta.users.read"}`})
	wantStatus(t, w, 201)
	if g := obj(t, w); g["clientId"] != clientID || g["status"] != "ACTIVE" {
		t.Fatalf("grant %v", g)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + id + "/grants", Body: `{"issuer":"http://example.com","scopeId":"openid"}`}), 400, "E0000001")

	token := func(secret, scope string) (int, map[string]any) {
		t.Helper()
		r, _ := http.NewRequest("POST", ts.URL+"/oauth2/default/v1/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept", "application/json")
		r.SetBasicAuth(clientID, secret)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`}), 201)
	code, tok := token(secret, "things:read")
	if code != 200 || tok["access_token"] == nil || tok["scope"] != "things:read" {
		t.Fatalf("token: %d %v", code, tok)
	}
	if code, _ := token(secret[:63]+"x", "things:read"); code != 401 {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code, m := token(secret, "things:write"); code == 200 {
		t.Errorf("an unknown scope was issued: %v", m)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + id + "/lifecycle/deactivate"}), 200)
	if code, _ := token(secret, "things:read"); code == 200 {
		t.Error("a deactivated app got a token")
	}
	// The group-apps view sees assignments.
	g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Svc"}}`}))
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + id + "/groups/" + g["id"].(string), Body: `{}`}), 200)
	if apps := listOf(t, e, "/api/v1/groups/"+g["id"].(string)+"/apps"); len(apps) != 1 || apps[0]["id"] != id {
		t.Errorf("group apps %v", apps)
	}
}
