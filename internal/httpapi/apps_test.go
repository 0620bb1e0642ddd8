package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func createApp(t *testing.T, e *env, query, body string) map[string]any {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/apps" + query, Body: body})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)
}

const oidcApp = `{"name":"oidc_client","label":"%s","signOnMode":"OPENID_CONNECT",
 "credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
 "settings":{"oauthClient":{"application_type":"web","grant_types":["authorization_code","refresh_token"],
  "response_types":["code"],"redirect_uris":["https://app.example.com/callback"]}}}`

func TestAppCreatePerMode(t *testing.T) {
	e := newEnv(t, "")
	for _, tt := range []struct{ name, body string }{
		{"bookmark", `{"name":"bookmark","label":"B","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://example.com/b","requestIntegration":false}}}`},
		{"basic", `{"name":"template_basic_auth","label":"Basic","signOnMode":"BASIC_AUTH","settings":{"app":{"url":"https://example.com/login","authURL":"https://example.com/auth"}}}`},
		{"swa", `{"name":"template_swa","label":"SWA","signOnMode":"BROWSER_PLUGIN","settings":{"app":{"url":"https://example.com/login","usernameField":"u","passwordField":"p","buttonField":"b"}}}`},
		{"sps", `{"name":"template_sps","label":"SPS","signOnMode":"SECURE_PASSWORD_STORE","settings":{"app":{"url":"https://example.com/login","usernameField":"u","passwordField":"p"}}}`},
		{"auto login", `{"label":"Auto","signOnMode":"AUTO_LOGIN","settings":{"signOn":{"loginUrl":"https://example.com/login"}}}`},
		{"wsfed", `{"name":"template_wsfed","label":"WSF","signOnMode":"WS_FEDERATION","settings":{"app":{"siteURL":"https://example.com","realm":"urn:x"}}}`},
		{"saml", `{"label":"SAML","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://sp.example.com/acs","audience":"urn:sp","recipient":"https://sp.example.com/acs","destination":"https://sp.example.com/acs"}}}`},
		{"oidc", fmt.Sprintf(oidcApp, "OIDC")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := createApp(t, e, "", tt.body)
			if !strings.HasPrefix(a["id"].(string), "0oa") || a["status"] != "ACTIVE" || a["name"] == "" ||
				a["visibility"].(map[string]any)["appLinks"] == nil || a["_links"].(map[string]any)["deactivate"] == nil {
				t.Fatalf("created %v", a)
			}
		})
	}
	saml := listOf(t, e, `/api/v1/apps?filter=`+strings.ReplaceAll(`name eq "x"`, " ", "%20"))
	if len(saml) != 0 {
		t.Errorf("name eq x: %d apps", len(saml))
	}
	// The SAML app signs with a key of its own: the kid filter finds it, and only it.
	samlApps := listOf(t, e, "/api/v1/apps?q=SAML")
	kid := samlApps[0]["credentials"].(map[string]any)["signing"].(map[string]any)["kid"].(string)
	byKid := listOf(t, e, `/api/v1/apps?filter=`+strings.ReplaceAll(`credentials.signing.kid eq "`+kid+`"`, " ", "%20"))
	if len(byKid) != 1 || byKid[0]["id"] != samlApps[0]["id"] {
		t.Errorf("credentials.signing.kid eq %s: %v", kid, byKid)
	}
	if all := listOf(t, e, "/api/v1/apps?q=sa"); len(all) != 1 || all[0]["label"] != "SAML" {
		t.Errorf("q=sa: %v", all)
	}
	if page := listOf(t, e, "/api/v1/apps?limit=3"); len(page) != 3 {
		t.Errorf("limit=3 gave %d", len(page))
	}
}

func TestAppValidation(t *testing.T) {
	e := newEnv(t, "")
	for _, tt := range []struct{ name, body, cause string }{
		{"no label", `{"name":"bookmark","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://x"}}}`, "label: The field cannot be left blank"},
		{"no mode", `{"label":"x"}`, "signOnMode: The field cannot be left blank"},
		{"bad mode", `{"label":"x","signOnMode":"TELEPATHY"}`, "signOnMode: The signOnMode: TELEPATHY is not supported"},
		{"wrong template", `{"name":"template_sps","label":"x","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://x"}}}`, "name: The name of a BOOKMARK app must be bookmark"},
		{"bookmark without url", `{"name":"bookmark","label":"x","signOnMode":"BOOKMARK"}`, "settings.app.url: The field cannot be left blank"},
		{"relative url", `{"name":"bookmark","label":"x","signOnMode":"BOOKMARK","settings":{"app":{"url":"/b"}}}`, "settings.app.url: The value must be an absolute URL"},
		{"saml without acs", `{"label":"x","signOnMode":"SAML_2_0","settings":{"signOn":{}}}`, "settings.signOn.ssoAcsUrl: The field cannot be left blank"},
		{"oidc without client", `{"name":"oidc_client","label":"x","signOnMode":"OPENID_CONNECT"}`, "settings.oauthClient: The field cannot be left blank"},
		{"oidc without redirect", `{"name":"oidc_client","label":"x","signOnMode":"OPENID_CONNECT","settings":{"oauthClient":{"application_type":"web","grant_types":["authorization_code"]}}}`, "settings.oauthClient.redirect_uris: At least one redirect URI is required"},
		{"oidc bad grant", `{"name":"oidc_client","label":"x","signOnMode":"OPENID_CONNECT","settings":{"oauthClient":{"application_type":"browser","grant_types":["client_credentials"]}}}`, "settings.oauthClient.grant_types: The grant type client_credentials is not allowed for a browser application"},
		{"short secret", `{"name":"oidc_client","label":"x","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"client_secret":"short"}},"settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials"]}}}`, "credentials.oauthClient.client_secret: 'client_secret' must be at least '14' characters long."},
		{"secret with private_key_jwt", `{"name":"oidc_client","label":"x","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"client_secret":"abcdefghijklmnop","token_endpoint_auth_method":"private_key_jwt"}},"settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials"]}}}`, "'client_secret' cannot be used when 'token_endpoint_auth_method' is 'private_key_jwt'."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/apps", Body: tt.body}), 400, "E0000001")
			if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	if n := e.countEvents("application.lifecycle.create"); n != 0 {
		t.Errorf("%d create events for refused creates", n)
	}
}

func TestAppOIDCDefaultsAndClientSeam(t *testing.T) {
	e := newEnv(t, "")
	a := createApp(t, e, "?activate=false", fmt.Sprintf(oidcApp, "Web"))
	id := a["id"].(string)
	cc := a["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	secret, _ := cc["client_secret"].(string)
	if cc["client_id"] != id || len(secret) != 64 || cc["autoKeyRotation"] != true || cc["pkce_required"] != false || a["status"] != "INACTIVE" {
		t.Fatalf("oauth credentials %v, status %v", cc, a["status"])
	}
	oc := a["settings"].(map[string]any)["oauthClient"].(map[string]any)
	if oc["consent_method"] != "TRUSTED" || oc["issuer_mode"] != "ORG_URL" || oc["wildcard_redirect"] != "DISABLED" {
		t.Errorf("oauthClient defaults %v", oc)
	}
	ctx := domain.WithCaller(context.Background(), &domain.Caller{OrgID: e.orgID(t)})
	c, err := e.svc.OAuthClient(ctx, id)
	if err != nil || c.AppID != id || c.Status != "INACTIVE" || c.RedirectURIs[0] != "https://app.example.com/callback" || c.TokenEndpointAuthMethod != "client_secret_basic" {
		t.Fatalf("OAuthClient = %+v, %v", c, err)
	}
	if err := e.svc.VerifyClientSecret(ctx, id, secret); err != nil {
		t.Errorf("VerifyClientSecret(right secret) = %v", err)
	}
	if err := e.svc.VerifyClientSecret(ctx, id, secret[:63]+"x"); err == nil {
		t.Error("VerifyClientSecret accepted a wrong secret")
	}
	// A replace without the secret keeps it and the client_id.
	body := strings.Replace(fmt.Sprintf(oidcApp, "Web2"), `"token_endpoint_auth_method":"client_secret_basic"`, `"token_endpoint_auth_method":"client_secret_basic","client_id":"other-client"`, 1)
	r := obj(t, e.do(req{Method: "PUT", Path: "/api/v1/apps/" + id, Body: body}))
	rc := r["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	if r["label"] != "Web2" || rc["client_id"] != id || rc["client_secret"] != secret {
		t.Errorf("replace: %v", rc)
	}
	dup := strings.Replace(fmt.Sprintf(oidcApp, "Dup"), `"token_endpoint_auth_method":"client_secret_basic"`, `"client_id":"`+id+`"`, 1)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/apps", Body: dup}), 400, "E0000001")
}

func TestAppLifecycleAndAssignments(t *testing.T) {
	e := newEnv(t, "")
	a := createApp(t, e, "", `{"name":"template_basic_auth","label":"Basic","signOnMode":"BASIC_AUTH",
		"credentials":{"scheme":"SHARED_USERNAME_AND_PASSWORD","userName":"shared","password":{"value":"app-level-secret"}},
		"settings":{"app":{"url":"https://example.com/login","authURL":"https://example.com/auth"}}}`)
	id := a["id"].(string)
	if strings.Contains(fmt.Sprint(a), "app-level-secret") || strings.Contains(fmt.Sprint(a), "shared") {
		t.Errorf("app-level credentials echoed: %v", a["credentials"])
	}
	path := "/api/v1/apps/" + id
	wantError(t, e.do(req{Method: "DELETE", Path: path}), 403, "E0000056")
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"App","lastName":"User","email":"au@example.com","login":"au@example.com"}}`}))
	uid := u["id"].(string)
	wantError(t, e.do(req{Method: "POST", Path: path + "/users", Body: `{"id":"00unope"}`}), 404, "E0000007")
	au := obj(t, e.do(req{Method: "POST", Path: path + "/users", Body: `{"id":"` + uid + `","credentials":{"password":{"value":"user-secret"}}}`}))
	creds := au["credentials"].(map[string]any)
	if au["id"] != uid || au["scope"] != "USER" || creds["userName"] != "au@example.com" || fmt.Sprint(creds["password"]) != "map[]" {
		t.Fatalf("app user %v", au)
	}
	upd := obj(t, e.do(req{Method: "POST", Path: path + "/users/" + uid, Body: `{"credentials":{"userName":"renamed"}}`}))
	if upd["credentials"].(map[string]any)["userName"] != "renamed" {
		t.Errorf("update %v", upd)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: path + "/users/" + uid, Body: `{"credentials":{"password":{"value":"new-secret"}}}`}), 200)
	g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Assigned"}}`}))
	gid := g["id"].(string)
	if ag := obj(t, e.do(req{Method: "PUT", Path: path + "/groups/" + gid, Body: `{"priority":5}`})); ag["priority"] != 5.0 {
		t.Errorf("group assignment %v", ag)
	}
	q := "filter=" + strings.ReplaceAll(`group.id eq "`+gid+`"`, " ", "%20")
	if list := listOf(t, e, "/api/v1/apps?"+q); len(list) != 1 || list[0]["id"] != id {
		t.Errorf("apps of the group: %v", list)
	}
	q = "filter=" + strings.ReplaceAll(`user.id eq "`+uid+`"`, " ", "%20")
	if list := listOf(t, e, "/api/v1/apps?"+q); len(list) != 1 {
		t.Errorf("apps of the user: %d", len(list))
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: path + "/groups/" + gid}), 204)
	wantError(t, e.do(req{Method: "GET", Path: path + "/groups/" + gid}), 404, "E0000007")
	wantStatus(t, e.do(req{Method: "DELETE", Path: path + "/users/" + uid}), 204)
	wantStatus(t, e.do(req{Method: "POST", Path: path + "/lifecycle/deactivate"}), 200)
	wantStatus(t, e.do(req{Method: "DELETE", Path: path}), 204)
	wantError(t, e.do(req{Method: "GET", Path: path}), 404, "E0000007")
	for _, ev := range []string{"application.lifecycle.create", "application.lifecycle.deactivate", "application.lifecycle.delete",
		"application.user_membership.add", "application.user_membership.change_username", "application.user_membership.change_password",
		"application.user_membership.remove",
		"group.application_assignment.add", "group.application_assignment.remove"} {
		if e.countEvents(ev) == 0 {
			t.Errorf("no %s event", ev)
		}
	}
}

// orgID is the default org's id, for calling the service directly.
func (e *env) orgID(t *testing.T) string {
	t.Helper()
	org, err := e.db.GetOrgByName(context.Background(), domain.DefaultOrgName)
	if err != nil {
		t.Fatal(err)
	}
	return org.ID
}

// TestAppAssignmentsGoWithUserAndGroup: in Okta a deleted user is no longer an app user, and a
// deleted group's app assignment is gone (listApplicationUsers, listApplicationGroupAssignments).
func TestAppAssignmentsGoWithUserAndGroup(t *testing.T) {
	e := newEnv(t, "")
	a := createApp(t, e, "", `{"name":"bookmark","label":"B","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://example.com/b"}}}`)
	path := "/api/v1/apps/" + a["id"].(string)
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"A","lastName":"U","email":"gone@example.com","login":"gone@example.com"}}`}))
	uid := u["id"].(string)
	g := obj(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Gone"}}`}))
	gid := g["id"].(string)
	wantStatus(t, e.do(req{Method: "POST", Path: path + "/users", Body: `{"id":"` + uid + `"}`}), 200)
	wantStatus(t, e.do(req{Method: "PUT", Path: path + "/groups/" + gid, Body: `{}`}), 200)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + uid + "/roles", Body: `{"type":"HELP_DESK_ADMIN"}`}), 201)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups/" + gid + "/roles", Body: `{"type":"READ_ONLY_ADMIN"}`}), 200)

	// The first DELETE deactivates (DEPROVISIONED), the second deletes.
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + uid}), 204)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + uid}), 204)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/groups/" + gid}), 204)

	if users := listOf(t, e, path+"/users"); len(users) != 0 {
		t.Errorf("app users after the user's deletion: %v", users)
	}
	if groups := listOf(t, e, path+"/groups"); len(groups) != 0 {
		t.Errorf("group assignments after the group's deletion: %v", groups)
	}
	wantError(t, e.do(req{Method: "GET", Path: path + "/users/" + uid}), 404, "E0000007")
	wantError(t, e.do(req{Method: "GET", Path: path + "/groups/" + gid}), 404, "E0000007")
	for _, f := range []string{`user.id eq "` + uid + `"`, `group.id eq "` + gid + `"`} {
		if list := listOf(t, e, "/api/v1/apps?filter="+strings.ReplaceAll(f, " ", "%20")); len(list) != 0 {
			t.Errorf("%s: %d apps", f, len(list))
		}
	}
	for _, kind := range []string{"user", "group"} {
		if roles, err := e.db.ListRoleObjects(context.Background(), e.orgID(t), kind, map[string]string{"user": uid, "group": gid}[kind], "*"); err != nil || len(roles) != 0 {
			t.Errorf("%s roles left: %d (%v)", kind, len(roles), err)
		}
	}
	// The implicit unassignment is part of the user's deletion, not an event of its own.
	if n := e.countEvents("application.user_membership.remove"); n != 0 {
		t.Errorf("%d application.user_membership.remove events", n)
	}
}
