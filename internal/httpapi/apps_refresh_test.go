package httpapi_test

import (
	"fmt"
	"reflect"
	"testing"
)

// refreshApp is an OIDC app of type typ with grants and, when rt is not "", the
// settings.oauthClient.refresh_token object rt (raw JSON).
func refreshApp(typ, grants, rt string) string {
	method := "client_secret_basic"
	if typ == "browser" {
		method = "none"
	}
	extra := ""
	if rt != "" {
		extra = `,"refresh_token":` + rt
	}
	return fmt.Sprintf(`{"name":"oidc_client","label":"RT","signOnMode":"OPENID_CONNECT",
		"credentials":{"oauthClient":{"token_endpoint_auth_method":%q}},
		"settings":{"oauthClient":{"application_type":%q,"grant_types":%s,"response_types":["code"],
		"redirect_uris":["https://app.example.com/cb"]%s}}}`, method, typ, grants, extra)
}

func refreshSettings(a map[string]any) any {
	return a["settings"].(map[string]any)["oauthClient"].(map[string]any)["refresh_token"]
}

// TestAppRefreshTokenDefaults: an app with the refresh_token grant shows
// settings.oauthClient.refresh_token as Okta fills it (ROTATE for SPAs, STATIC for the others,
// leeway 30); an app without the grant has none; a replacement without the object keeps the
// previous values ("When you update an app integration, your previously configured values are
// used").
func TestAppRefreshTokenDefaults(t *testing.T) {
	e := newEnv(t, "")
	refresh := `["authorization_code","refresh_token"]`
	for _, c := range []struct {
		name, typ, grants, rt string
		want                  any
	}{
		{"browser default", "browser", refresh, "", map[string]any{"rotation_type": "ROTATE", "leeway": 30.0}},
		{"web default", "web", refresh, "", map[string]any{"rotation_type": "STATIC", "leeway": 30.0}},
		{"native default", "native", refresh, "", map[string]any{"rotation_type": "STATIC", "leeway": 30.0}},
		{"leeway defaulted", "web", refresh, `{"rotation_type":"ROTATE"}`, map[string]any{"rotation_type": "ROTATE", "leeway": 30.0}},
		{"as sent", "web", refresh, `{"rotation_type":"ROTATE","leeway":0}`, map[string]any{"rotation_type": "ROTATE", "leeway": 0.0}},
		{"no refresh grant", "web", `["authorization_code"]`, "", nil},
	} {
		a := createApp(t, e, "", refreshApp(c.typ, c.grants, c.rt))
		if got := refreshSettings(a); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: refresh_token %v, want %v", c.name, got, c.want)
		}
		got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/apps/" + a["id"].(string)}))
		if !reflect.DeepEqual(refreshSettings(got), c.want) {
			t.Errorf("%s: GET refresh_token %v, want %v", c.name, refreshSettings(got), c.want)
		}
	}
	a := createApp(t, e, "", refreshApp("web", refresh, `{"rotation_type":"ROTATE","leeway":10}`))
	w := e.do(req{Method: "PUT", Path: "/api/v1/apps/" + a["id"].(string), Body: refreshApp("web", refresh, "")})
	wantStatus(t, w, 200)
	if got, want := refreshSettings(obj(t, w)), (map[string]any{"rotation_type": "ROTATE", "leeway": 10.0}); !reflect.DeepEqual(got, want) {
		t.Errorf("replace without refresh_token: %v, want the previous %v", got, want)
	}
	w = e.do(req{Method: "PUT", Path: "/api/v1/apps/" + a["id"].(string), Body: refreshApp("web", refresh, `{"rotation_type":"STATIC","leeway":5}`)})
	wantStatus(t, w, 200)
	if got, want := refreshSettings(obj(t, w)), (map[string]any{"rotation_type": "STATIC", "leeway": 5.0}); !reflect.DeepEqual(got, want) {
		t.Errorf("replace with refresh_token: %v, want %v", got, want)
	}
}

// TestAppRefreshTokenValidation: a bad refresh_token object is 400 E0000001 with Okta's
// wording: rotation_type is required and ROTATE or STATIC, leeway a whole number of seconds
// from 0 to 60; on create and on replace.
func TestAppRefreshTokenValidation(t *testing.T) {
	e := newEnv(t, "")
	refresh := `["authorization_code","refresh_token"]`
	existing := createApp(t, e, "", refreshApp("web", refresh, ""))
	for _, c := range []struct {
		rt, summary, cause string
	}{
		{`{"leeway":10}`, "Api validation failed: rotation_type", "'rotation_type' is required."},
		{`{"rotation_type":""}`, "Api validation failed: rotation_type", "'rotation_type' is required."},
		{`{"rotation_type":"rotate"}`, "Api validation failed: rotationType", "rotationType: The field has an invalid value"},
		{`{"rotation_type":"SOMETIMES","leeway":10}`, "Api validation failed: rotationType", "rotationType: The field has an invalid value"},
		{`{"rotation_type":"ROTATE","leeway":61}`, "Api validation failed: leeway", "leeway: The leeway must be an integer between 0 and 60 seconds."},
		{`{"rotation_type":"ROTATE","leeway":-1}`, "Api validation failed: leeway", "leeway: The leeway must be an integer between 0 and 60 seconds."},
		{`{"rotation_type":"ROTATE","leeway":1.5}`, "Api validation failed: leeway", "leeway: The leeway must be an integer between 0 and 60 seconds."},
		{`{"rotation_type":"ROTATE","leeway":"30"}`, "Api validation failed: leeway", "leeway: The leeway must be an integer between 0 and 60 seconds."},
		{`"ROTATE"`, "Api validation failed: refresh_token", "refresh_token: The field has an invalid value"},
	} {
		for _, r := range []req{
			{Method: "POST", Path: "/api/v1/apps", Body: refreshApp("web", refresh, c.rt)},
			{Method: "PUT", Path: "/api/v1/apps/" + existing["id"].(string), Body: refreshApp("web", refresh, c.rt)},
		} {
			m := wantError(t, e.do(r), 400, "E0000001")
			causes, _ := m["errorCauses"].([]any)
			if m["errorSummary"] != c.summary || len(causes) != 1 || causes[0].(map[string]any)["errorSummary"] != c.cause {
				t.Errorf("%s %s: %v %v, want %q / %q", r.Method, c.rt, m["errorSummary"], causes, c.summary, c.cause)
			}
		}
	}
}
