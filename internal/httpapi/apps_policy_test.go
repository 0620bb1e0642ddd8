package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// tfOAuthApp is the okta_app_oauth create body of the provider's recorded
// TestAccResourceOktaAppOauth_basic, trimmed.
const tfOAuthApp = `{"label":"testAcc_1","name":"oidc_client","signOnMode":"OPENID_CONNECT","accessibility":{},
 "visibility":{"hide":{"iOS":true,"web":true}},
 "credentials":{"oauthClient":{"autoKeyRotation":true,"pkce_required":false,"token_endpoint_auth_method":"client_secret_basic"}},
 "settings":{"notes":{},"oauthClient":{"application_type":"web","grant_types":["authorization_code"],"response_types":["code"],
  "redirect_uris":["https://example.com/callback"],"consent_method":"TRUSTED","issuer_mode":"ORG_URL"}}}`

// policyRef is what the provider reads of GET /api/v1/policies?type=ACCESS_POLICY.
type policyRef struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	System *bool  `json:"system"`
}

// appLinks decodes an app's _links.accessPolicy.href.
func accessPolicyHref(t *testing.T, data []byte) string {
	t.Helper()
	var a struct {
		Links struct {
			AccessPolicy *struct {
				Href string `json:"href"`
			} `json:"accessPolicy"`
		} `json:"_links"`
	}
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Links.AccessPolicy == nil {
		t.Fatalf("no _links.accessPolicy in %s", data)
	}
	return a.Links.AccessPolicy.Href
}

// defaultAccessPolicyID checks the provider's rule for the ACCESS_POLICY list (every element
// has a boolean system, exactly one is true) and returns that one.
func defaultAccessPolicyID(t *testing.T, e *groupsEnv) string {
	t.Helper()
	list := decodeAs[[]policyRef](t, e.must(200, "GET", "/api/v1/policies?type=ACCESS_POLICY", nil))
	def := ""
	for _, p := range list {
		if p.System == nil || p.Type != "ACCESS_POLICY" {
			t.Fatalf("policy %+v: want type ACCESS_POLICY and a boolean system", p)
		}
		if *p.System {
			if def != "" {
				t.Fatalf("two system ACCESS_POLICY policies: %s and %s", def, p.ID)
			}
			def = p.ID
		}
	}
	if def == "" {
		t.Fatalf("no system ACCESS_POLICY among %+v", list)
	}
	return def
}

// TestAppPolicyTerraformSequence replays okta_app_oauth's create and refresh on an Identity
// Engine org, as the provider's cassette records it: create, groups claim, the default
// ACCESS_POLICY found and assigned, then the app and the claim read back.
func TestAppPolicyTerraformSequence(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		app := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/apps?activate=true", tfOAuthApp))
		id := app["id"].(string)
		if _, leaked := app["_accessPolicy"]; leaked {
			t.Fatalf("the stored policy key is shown: %v", app)
		}
		claim := e.must(200, "POST", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken",
			`{"valueType":"EXPRESSION","issuerMode":"ORG_URL","name":"bb","value":"aa"}`)
		const recorded = `{"issuer":null,"orgUrl":null,"customUrl":null,"audience":null,"issuerMode":"ORG_URL","valueType":"EXPRESSION","name":"bb","value":"aa"}`
		if strings.TrimSpace(string(claim)) != recorded {
			t.Errorf("idToken POST answered %s, want %s", claim, recorded)
		}
		// (GET /.well-known/okta-organization comes next: pipeline "idx", okta_organization_test.)
		def := defaultAccessPolicyID(t, e)
		if got, want := accessPolicyHref(t, e.must(200, "GET", "/api/v1/apps/"+id, nil)), e.srv.URL+"/api/v1/policies/"+def; got != want {
			t.Errorf("a new app's accessPolicy %s, want the default %s", got, want)
		}
		resp, body := e.do("PUT", "/api/v1/apps/"+id+"/policies/"+def, nil)
		if resp.StatusCode != 204 || len(body) != 0 {
			t.Fatalf("assign the default: %d %q, want 204 and no body", resp.StatusCode, body)
		}
		if n := len(e.events("application.policy.sign_on.update")); n != 0 {
			t.Errorf("re-assigning the policy the app has logged %d events", n)
		}

		// Another authentication policy (okta_app_signon_policy), assigned and read back.
		other := decodeAs[policyRef](t, e.must(200, "POST", "/api/v1/policies", `{"type":"ACCESS_POLICY","name":"Strict apps"}`))
		e.must(204, "PUT", "/api/v1/apps/"+id+"/policies/"+other.ID, nil)
		got := e.must(200, "GET", "/api/v1/apps/"+id, nil)
		if href := accessPolicyHref(t, got); href != e.srv.URL+"/api/v1/policies/"+other.ID {
			t.Errorf("after the assignment accessPolicy is %s, want %s", href, other.ID)
		}
		if strings.Contains(string(got), `"_accessPolicy"`) {
			t.Errorf("the stored policy key is shown: %s", got)
		}
		if ev := e.events("application.policy.sign_on.update"); len(ev) != 1 || len(ev[0].Target) != 2 ||
			ev[0].Target[0].ID != id || ev[0].Target[1].ID != other.ID {
			t.Errorf("assignment events %+v, want one with the app and the policy as targets", ev)
		}
		if strings.TrimSpace(string(e.must(200, "GET", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken", nil))) != recorded {
			t.Error("the groups claim did not read back as set")
		}

		// An update (PUT app, then the policy PUT again) keeps the assignment; a body cannot set it.
		replaced := strings.Replace(tfOAuthApp, `"label":"testAcc_1"`, `"label":"testAcc_1b","_accessPolicy":"`+def+`"`, 1)
		if href := accessPolicyHref(t, e.must(200, "PUT", "/api/v1/apps/"+id, replaced)); !strings.HasSuffix(href, other.ID) {
			t.Errorf("a replace moved the app to %s", href)
		}
		e.must(204, "PUT", "/api/v1/apps/"+id+"/policies/"+other.ID, nil)
		if list := e.listApps(t); !strings.HasSuffix(accessPolicyHref(t, list[0]), other.ID) {
			t.Errorf("the list shows another policy: %s", list[0])
		}

		// groups_claim removed: the provider posts the issuer mode alone.
		cleared := e.must(200, "POST", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken", `{"issuerMode":"ORG_URL"}`)
		const none = `{"issuer":null,"orgUrl":null,"customUrl":null,"audience":null,"issuerMode":"ORG_URL","valueType":null,"name":null,"value":null}`
		if strings.TrimSpace(string(cleared)) != none {
			t.Errorf("cleared claim %s, want %s", cleared, none)
		}

		// Destroy: deactivate, delete; the settings go with the app.
		e.must(200, "POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil)
		e.must(204, "DELETE", "/api/v1/apps/"+id, nil)
		wantErr(t, e, "GET", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken", "", 404, "E0000007", "(OAuth2AppInstance)")
	})
}

// listApps returns the raw elements of GET /api/v1/apps.
func (e *groupsEnv) listApps(t *testing.T) []json.RawMessage {
	t.Helper()
	return decodeAs[[]json.RawMessage](t, e.must(200, "GET", "/api/v1/apps", nil))
}

// wantErr sends a request and checks the status, errorCode and that the summary or a cause
// contains text.
func wantErr(t *testing.T, e *groupsEnv, method, path, body string, status int, code, text string) {
	t.Helper()
	var b any
	if body != "" {
		b = body
	}
	resp, data := e.do(method, path, b)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, status, data)
	}
	je := decodeAs[jsonError](t, data)
	if je.ErrorCode != code {
		t.Errorf("%s %s: errorCode %s, want %s: %s", method, path, je.ErrorCode, code, data)
	}
	if !strings.Contains(string(data), text) {
		t.Errorf("%s %s: %s does not say %q", method, path, data, text)
	}
}

// TestAppPolicyBadInput: unknown apps and policies, a policy of another type, a non-OIDC app
// and bad ID token bodies are refused, and nothing changes.
func TestAppPolicyBadInput(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		oidc := decodeAs[policyRef](t, e.must(200, "POST", "/api/v1/apps", tfOAuthApp)).ID
		bookmark := decodeAs[policyRef](t, e.must(200, "POST", "/api/v1/apps",
			`{"name":"bookmark","label":"Wiki","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://wiki.example.com"}}}`)).ID
		def := defaultAccessPolicyID(t, e)
		if href := accessPolicyHref(t, e.must(200, "GET", "/api/v1/apps/"+bookmark, nil)); !strings.HasSuffix(href, "/"+def) {
			t.Errorf("a bookmark app's accessPolicy %s, want the default", href)
		}
		password := decodeAs[[]policyRef](t, e.must(200, "GET", "/api/v1/policies?type=PASSWORD", nil))[0].ID
		idToken := "/api/v1/internal/apps/" + oidc + "/settings/oauth/idToken"
		e.must(200, "POST", idToken, `{"valueType":"GROUPS","groupFilterType":"STARTS_WITH","issuerMode":"ORG_URL","name":"groups","value":"eng"}`)
		before := string(e.must(200, "GET", idToken, nil))
		if !strings.Contains(before, `"groupFilterType":"STARTS_WITH"`) {
			t.Fatalf("a filter claim read back as %s", before)
		}
		for _, c := range []struct {
			name, method, path, body string
			status                   int
			code, text               string
		}{
			{"unknown app", "PUT", "/api/v1/apps/0oanothere000000000/policies/" + def, "", 404, "E0000007", "0oanothere000000000"},
			{"unknown policy", "PUT", "/api/v1/apps/" + oidc + "/policies/rstnothere000000000", "", 404, "E0000007", "rstnothere000000000"},
			{"password policy", "PUT", "/api/v1/apps/" + oidc + "/policies/" + password, "", 400, "E0000001", "policyId"},
			{"claim on a bookmark app", "POST", "/api/v1/internal/apps/" + bookmark + "/settings/oauth/idToken", `{"issuerMode":"ORG_URL"}`, 404, "E0000007", "(OAuth2AppInstance)"},
			{"read a bookmark app's claim", "GET", "/api/v1/internal/apps/" + bookmark + "/settings/oauth/idToken", "", 404, "E0000007", "(OAuth2AppInstance)"},
			{"claim on an unknown app", "POST", "/api/v1/internal/apps/0oanothere000000000/settings/oauth/idToken", `{"issuerMode":"ORG_URL"}`, 404, "E0000007", "0oanothere000000000"},
			{"malformed", "POST", idToken, `{"name":`, 400, "E0000003", ""},
			{"no body", "POST", idToken, "", 400, "E0000001", "body"},
			{"name a number", "POST", idToken, `{"valueType":"EXPRESSION","name":5,"value":"x"}`, 400, "E0000001", "name"},
			{"unknown value type", "POST", idToken, `{"valueType":"LIST","name":"g","value":"x"}`, 400, "E0000001", "valueType"},
			{"unknown issuer mode", "POST", idToken, `{"issuerMode":"ELSEWHERE"}`, 400, "E0000001", "issuerMode"},
			{"claim without a value", "POST", idToken, `{"valueType":"EXPRESSION","name":"g"}`, 400, "E0000001", "value"},
			{"claim without a name", "POST", idToken, `{"valueType":"EXPRESSION","value":"user.login"}`, 400, "E0000001", "name"},
			{"filter on an expression", "POST", idToken, `{"valueType":"EXPRESSION","groupFilterType":"REGEX","name":"g","value":".*"}`, 400, "E0000001", "groupFilterType"},
			{"unknown filter", "POST", idToken, `{"valueType":"GROUPS","groupFilterType":"LIKE","name":"g","value":"x"}`, 400, "E0000001", "groupFilterType"},
		} {
			t.Run(c.name, func(t *testing.T) { wantErr(t, e, c.method, c.path, c.body, c.status, c.code, c.text) })
		}
		if after := string(e.must(200, "GET", idToken, nil)); after != before {
			t.Errorf("a refused call changed the claim: %s, was %s", after, before)
		}
		if href := accessPolicyHref(t, e.must(200, "GET", "/api/v1/apps/"+oidc, nil)); !strings.HasSuffix(href, "/"+def) {
			t.Errorf("a refused call moved the app to %s", href)
		}
		if n := len(e.events("application.policy.sign_on.update")); n != 0 {
			t.Errorf("refused calls logged %d assignment events", n)
		}
	})
}

// TestIDTokenDefaults: an OIDC app that never had a groups claim answers Okta's shape with no
// claim and the app's issuer mode, which the provider reads as "no groups_claim".
func TestIDTokenDefaults(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		body := strings.Replace(tfOAuthApp, `"issuer_mode":"ORG_URL"`, `"issuer_mode":"DYNAMIC"`, 1)
		id := decodeAs[policyRef](t, e.must(200, "POST", "/api/v1/apps", body)).ID
		got := strings.TrimSpace(string(e.must(200, "GET", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken", nil)))
		const want = `{"issuer":null,"orgUrl":null,"customUrl":null,"audience":null,"issuerMode":"DYNAMIC","valueType":null,"name":null,"value":null}`
		if got != want {
			t.Errorf("never set: %s, want %s", got, want)
		}
		claim := string(e.must(200, "POST", "/api/v1/internal/apps/"+id+"/settings/oauth/idToken", `{"valueType":"GROUPS","name":"groups","value":".*"}`))
		if !strings.Contains(claim, `"issuerMode":"DYNAMIC"`) {
			t.Errorf("an unset issuer mode is not the app's: %s", claim)
		}
	})
}
