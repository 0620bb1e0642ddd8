package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
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
		return postOAuthForm(t, ts.URL+"/oauth2/default/v1/token", clientID, secret,
			url.Values{"grant_type": {"client_credentials"}, "scope": {scope}})
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

// TestAuthorizeNeedsAnAssignedUser: a user signs in and asks an OIDC app for a code; Okta issues
// it only to a user assigned to the app, directly or through a group, else the redirect carries
// access_denied "User is not assigned to the client application." A refresh after the
// assignment is gone is refused the same way.
func TestAuthorizeNeedsAnAssignedUser(t *testing.T) {
	e := newEnv(t, "")
	ts := httptest.NewServer(e.api)
	defer ts.Close()
	a := createApp(t, e, "", `{"name":"oidc_client","label":"Web","signOnMode":"OPENID_CONNECT",
		"credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
		"settings":{"oauthClient":{"application_type":"web","grant_types":["authorization_code","refresh_token"],
		"response_types":["code"],"redirect_uris":["`+redirect+`"]}}}`)
	appID := a["id"].(string)
	cc := a["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	clientID, secret := cc["client_id"].(string), cc["client_secret"].(string)
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"login":"ivy@example.com","email":"ivy@example.com",
		"firstName":"Ivy","lastName":"I"},"credentials":{"password":{"value":"Sup3r-secret-pw!"}}}`}))
	userID := u["id"].(string)

	code := func() url.Values {
		t.Helper()
		resp, err := http.Post(ts.URL+"/api/v1/authn", "application/json", strings.NewReader(`{"username":"ivy@example.com","password":"Sup3r-secret-pw!"}`))
		if err != nil {
			t.Fatal(err)
		}
		var authn map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&authn)
		resp.Body.Close()
		q := url.Values{"client_id": {clientID}, "response_type": {"code"}, "scope": {"openid offline_access"}, "redirect_uri": {redirect},
			"state": {"s1"}, "sessionToken": {authn["sessionToken"].(string)}}
		return authorize(t, ts.URL+"/oauth2/default/v1/authorize?"+q.Encode())
	}
	token := func(form url.Values) map[string]any {
		t.Helper()
		_, m := postOAuthForm(t, ts.URL+"/oauth2/default/v1/token", clientID, secret, form)
		return m
	}
	wantDenied := func(what string, got map[string]string) {
		t.Helper()
		if got["error"] != "access_denied" || got["error_description"] != "User is not assigned to the client application." {
			t.Errorf("%s: %v, want access_denied: User is not assigned to the client application.", what, got)
		}
	}
	q := code()
	wantDenied("not assigned", map[string]string{"error": q.Get("error"), "error_description": q.Get("error_description")})
	if q.Get("code") != "" || q.Get("state") != "s1" {
		t.Errorf("not assigned: redirect %v, want no code and the state", q)
	}

	// Assigned through a group: a code, and tokens.
	g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Web users"}}`}))
	gid := g["id"].(string)
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/" + gid + "/users/" + userID}), 204)
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + appID + "/groups/" + gid, Body: `{}`}), 200)
	tok := token(url.Values{"grant_type": {"authorization_code"}, "code": {code().Get("code")}, "redirect_uri": {redirect}})
	if tok["access_token"] == nil || tok["refresh_token"] == nil {
		t.Fatalf("assigned through a group: %v", tok)
	}
	// Directly assigned, then the group assignment removed: still assigned.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + appID + "/users", Body: `{"id":"` + userID + `"}`}), 200)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/apps/" + appID + "/groups/" + gid}), 204)
	if q := code(); q.Get("code") == "" {
		t.Errorf("directly assigned: %v, want a code", q)
	}
	// Unassigned: the refresh token no longer works.
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/apps/" + appID + "/users/" + userID}), 204)
	got := token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	wantDenied("refresh after unassignment", map[string]string{"error": str(got["error"]), "error_description": str(got["error_description"])})
}

func str(v any) string { s, _ := v.(string); return s }

// postOAuthForm POSTs form to an OAuth endpoint with HTTP Basic client authentication (none
// when clientID is empty) and returns the status and the decoded JSON answer.
func postOAuthForm(t *testing.T, endpoint, clientID, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	r, _ := http.NewRequest("POST", endpoint, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	if clientID != "" {
		r.SetBasicAuth(clientID, secret)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// TestPasswordGrant: the resource owner password grant of an OIDC app signs an assigned user in
// by username and password, with sign-in's rules: a wrong password or an unassigned user is
// refused, and the tokens verify (introspect active, the user's uid).
func TestPasswordGrant(t *testing.T) {
	e := newEnv(t, "")
	ts := httptest.NewServer(e.api)
	defer ts.Close()
	a := createApp(t, e, "", `{"name":"oidc_client","label":"CLI","signOnMode":"OPENID_CONNECT",
		"credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
		"settings":{"oauthClient":{"application_type":"web","grant_types":["password","refresh_token","authorization_code"],
		"response_types":["code"],"redirect_uris":["`+redirect+`"]}}}`)
	appID := a["id"].(string)
	cc := a["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	clientID, secret := cc["client_id"].(string), cc["client_secret"].(string)
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"login":"rob@example.com","email":"rob@example.com",
		"firstName":"Rob","lastName":"R"},"credentials":{"password":{"value":"Sup3r-secret-pw!"}}}`}))
	tokenURL := ts.URL + "/oauth2/default/v1/token"
	grant := func(pw string) (int, map[string]any) {
		t.Helper()
		return postOAuthForm(t, tokenURL, clientID, secret, url.Values{"grant_type": {"password"}, "username": {"rob@example.com"},
			"password": {pw}, "scope": {"openid offline_access"}})
	}
	if st, m := grant("Sup3r-secret-pw!"); st != 400 || m["error"] != "access_denied" {
		t.Errorf("unassigned user: %d %v, want access_denied", st, m)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + appID + "/users", Body: `{"id":"` + u["id"].(string) + `"}`}), 200)
	if st, m := grant("not-the-password"); st != 400 || m["error"] != "invalid_grant" || m["error_description"] != "The credentials provided were invalid." {
		t.Errorf("wrong password: %d %v", st, m)
	}
	st, tok := grant("Sup3r-secret-pw!")
	if st != 200 || tok["access_token"] == nil || tok["id_token"] == nil || tok["refresh_token"] == nil {
		t.Fatalf("password grant: %d %v", st, tok)
	}
	_, intro := postOAuthForm(t, ts.URL+"/oauth2/default/v1/introspect", clientID, secret, url.Values{"token": {tok["access_token"].(string)}})
	if intro["active"] != true || intro["uid"] != u["id"] || intro["username"] != "rob@example.com" {
		t.Errorf("introspect %v", intro)
	}
	for _, missing := range []string{"username", "password"} {
		form := url.Values{"grant_type": {"password"}, "username": {"rob@example.com"}, "password": {"x"}, "scope": {"openid"}}
		form.Del(missing)
		if st, m := postOAuthForm(t, tokenURL, clientID, secret, form); st != 400 || m["error"] != "invalid_request" {
			t.Errorf("no %s: %d %v", missing, st, m)
		}
	}
	// Discovery now offers the grant.
	resp, err := http.Get(ts.URL + "/oauth2/default/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	if !strings.Contains(fmt.Sprint(doc["grant_types_supported"]), "password") {
		t.Errorf("grant_types_supported %v", doc["grant_types_supported"])
	}
}

// TestUserAppLinks (listAppLinks): a user's dashboard lists the ACTIVE apps assigned to them,
// directly or through a group, once each, with the app's label, name, id, logo and launch URL;
// an inactive app and an unassigned one are not listed; an unknown user is 404.
func TestUserAppLinks(t *testing.T) {
	e := newEnv(t, "")
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"login":"dee@example.com","email":"dee@example.com",
		"firstName":"Dee","lastName":"D"}}`}))
	uid := u["id"].(string)
	bookmark := func(label string) string {
		t.Helper()
		return createApp(t, e, "", `{"name":"bookmark","label":"`+label+`","signOnMode":"BOOKMARK",
			"settings":{"app":{"url":"https://example.com/`+label+`"}}}`)["id"].(string)
	}
	direct, viaGroup, both, inactive, other := bookmark("direct"), bookmark("viagroup"), bookmark("both"), bookmark("inactive"), bookmark("other")
	g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Dashboard"}}`}))["id"].(string)
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/" + g + "/users/" + uid}), 204)
	for _, app := range []string{direct, both, inactive} {
		wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + app + "/users", Body: `{"id":"` + uid + `"}`}), 200)
	}
	for _, app := range []string{viaGroup, both} {
		wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + app + "/groups/" + g, Body: `{}`}), 200)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + inactive + "/lifecycle/deactivate"}), 200)
	links := listOf(t, e, "/api/v1/users/"+uid+"/appLinks")
	var got []string
	for _, l := range links {
		got = append(got, l["appInstanceId"].(string))
		if l["appName"] != "bookmark" || l["label"] == "" || l["hidden"] != false ||
			!strings.HasSuffix(l["linkUrl"].(string), "/home/bookmark/"+l["appInstanceId"].(string)+"/login") ||
			!strings.Contains(l["logoUrl"].(string), "/img/logos/") {
			t.Errorf("app link %v", l)
		}
	}
	want := []string{direct, viaGroup, both}
	slices.Sort(got)
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("app links for %v, want direct, via group and both once (not %s, %s)", got, inactive, other)
	}
	if byLogin := listOf(t, e, "/api/v1/users/dee@example.com/appLinks"); len(byLogin) != 3 {
		t.Errorf("by login: %d links", len(byLogin))
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/users/00unope/appLinks"}), 404, "E0000007")
}

// TestGroupScopedAppUsers: the members of an app's assigned groups are its users with scope GROUP
// (listApplicationUsers, getApplicationUser), each once and from the highest-priority group, a
// direct assignment wins (scope USER), unassigning the group removes them, and one cannot be
// unassigned on their own.
func TestGroupScopedAppUsers(t *testing.T) {
	e := newEnv(t, "")
	app := createApp(t, e, "", `{"name":"bookmark","label":"Wiki","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://example.com/wiki"}}}`)["id"].(string)
	user := func(login string) string {
		return obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"login":"` + login + `","email":"` + login + `",
			"firstName":"G","lastName":"S"}}`}))["id"].(string)
	}
	ann, bob := user("ann@example.com"), user("bob@example.com")
	group := func(name string, members ...string) string {
		g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"` + name + `"}}`}))["id"].(string)
		for _, m := range members {
			wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/groups/" + g + "/users/" + m}), 204)
		}
		return g
	}
	low, high := group("Low", ann, bob), group("High", ann)
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + app + "/groups/" + low, Body: `{"priority":5}`}), 200)
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + app + "/groups/" + high, Body: `{"priority":1}`}), 200)
	users := listOf(t, e, "/api/v1/apps/"+app+"/users")
	byID := map[string]map[string]any{}
	for _, u := range users {
		byID[u["id"].(string)] = u
	}
	if len(users) != 2 || byID[ann]["scope"] != "GROUP" || byID[bob]["scope"] != "GROUP" {
		t.Fatalf("app users %v, want ann and bob once each, scope GROUP", users)
	}
	groupOf := func(u map[string]any) string {
		return u["_links"].(map[string]any)["group"].(map[string]any)["href"].(string)
	}
	if !strings.HasSuffix(groupOf(byID[ann]), "/api/v1/groups/"+high) || !strings.HasSuffix(groupOf(byID[bob]), "/api/v1/groups/"+low) {
		t.Errorf("ann through %s, bob through %s; want High (priority 1) and Low", groupOf(byID[ann]), groupOf(byID[bob]))
	}
	if got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/apps/" + app + "/users/" + bob})); got["scope"] != "GROUP" {
		t.Errorf("get bob %v", got)
	}
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/apps/" + app + "/users/" + bob}), 400, "E0000001")
	// A direct assignment is scope USER and listed once.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/apps/" + app + "/users", Body: `{"id":"` + ann + `"}`}), 200)
	users = listOf(t, e, "/api/v1/apps/"+app+"/users")
	if len(users) != 2 || users[0]["id"] != ann || users[0]["scope"] != "USER" {
		t.Errorf("after a direct assignment: %v", users)
	}
	// Unassigning the groups leaves only the direct assignment.
	for _, g := range []string{low, high} {
		wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/apps/" + app + "/groups/" + g}), 204)
	}
	if users = listOf(t, e, "/api/v1/apps/"+app+"/users"); len(users) != 1 || users[0]["id"] != ann {
		t.Errorf("after removing the groups: %v", users)
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/apps/" + app + "/users/" + bob}), 404, "E0000007")
}
