package httpapi_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/service"
)

// rtEnv is a real OIDC app on two okapi instances over one database (each with its own
// service), a user assigned to it, and helpers for the runtime endpoints of the default server.
type rtEnv struct {
	*groupsEnv
	inst             [2]*httptest.Server
	clientID, secret string
}

func newRTEnv(t *testing.T, e *groupsEnv, refreshToken string) *rtEnv {
	t.Helper()
	r := &rtEnv{groupsEnv: e}
	for i := range r.inst {
		svc := e.svc
		if i == 1 {
			svc = service.New(e.db, e.clock, domain.CryptoIDs{}, slog.New(slog.DiscardHandler))
		}
		r.inst[i] = httptest.NewServer(httpapi.New(httpapi.Config{Service: svc, BaseDomain: "okapi.test", Logger: slog.New(slog.DiscardHandler)}))
		t.Cleanup(r.inst[i].Close)
	}
	body := `{"name":"oidc_client","label":"RT","signOnMode":"OPENID_CONNECT",
		"credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
		"settings":{"oauthClient":{"application_type":"web","grant_types":["authorization_code","refresh_token"],
		"response_types":["code"],"redirect_uris":["` + redirect + `"]`
	if refreshToken != "" {
		body += `,"refresh_token":` + refreshToken
	}
	app := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/apps", body+`}}}`))
	cc := app["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	r.clientID, r.secret = cc["client_id"].(string), cc["client_secret"].(string)
	u := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/users?activate=true", `{"profile":{"login":"rt@example.com",
		"email":"rt@example.com","firstName":"R","lastName":"T"},"credentials":{"password":{"value":"Sup3r-secret-pw!"}}}`))
	e.must(200, "POST", "/api/v1/apps/"+app["id"].(string)+"/users", `{"id":"`+u["id"].(string)+`"}`)
	return r
}

// send makes a request to instance i for the env's org (chosen by host, as the runtime does).
func (r *rtEnv) send(i int, method, path string, form url.Values) *http.Response {
	r.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, r.inst[i].URL+path, body)
	req.Host = r.org.Name + ".okapi.test"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(r.clientID, r.secret)
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp
}

// post sends a form to a runtime endpoint of the default server on instance i.
func (r *rtEnv) post(i int, endpoint string, form url.Values) (int, map[string]any) {
	r.t.Helper()
	resp := r.send(i, "POST", "/oauth2/default/v1/"+endpoint, form)
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// grant signs the user in and redeems a code for tokens with offline_access.
func (r *rtEnv) grant() map[string]any {
	r.t.Helper()
	authn := authnTx(r.t, r.groupsEnv, "/api/v1/authn", map[string]any{"username": "rt@example.com", "password": "Sup3r-secret-pw!"})
	q := url.Values{"client_id": {r.clientID}, "response_type": {"code"}, "scope": {"openid offline_access"}, "redirect_uri": {redirect},
		"state": {"s"}, "sessionToken": {authn["sessionToken"].(string)}}
	resp := r.send(0, "GET", "/oauth2/default/v1/authorize?"+q.Encode(), nil)
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code := loc.Query().Get("code")
	if code == "" {
		r.t.Fatalf("authorize: %d %s", resp.StatusCode, loc)
	}
	status, tok := r.post(0, "token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}})
	if status != 200 || tok["refresh_token"] == nil {
		r.t.Fatalf("code exchange: %d %v", status, tok)
	}
	return tok
}

// refresh uses a refresh token on instance i.
func (r *rtEnv) refresh(i int, rt any) (int, map[string]any) {
	r.t.Helper()
	return r.post(i, "token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt.(string)}})
}

// active is introspect's answer for a token on instance i.
func (r *rtEnv) active(i int, tok any) bool {
	r.t.Helper()
	_, m := r.post(i, "introspect", url.Values{"token": {tok.(string)}})
	return m["active"] == true
}

func wantBadRefresh(t *testing.T, what string, status int, m map[string]any) {
	t.Helper()
	if status != 400 || m["error"] != "invalid_grant" || m["error_description"] != "The refresh token is invalid or expired." {
		t.Fatalf("%s: %d %v, want 400 invalid_grant", what, status, m)
	}
}

// TestRefreshStatic: a web app's default is STATIC: each refresh returns the same refresh
// token, on either instance, and it keeps working.
func TestRefreshStatic(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		r := newRTEnv(t, e, "")
		tok := r.grant()
		for i := range 3 {
			status, got := r.refresh(i%2, tok["refresh_token"])
			if status != 200 || got["refresh_token"] != tok["refresh_token"] || got["access_token"] == nil {
				t.Fatalf("refresh %d: %d %v, want the same refresh token", i, status, got)
			}
			e.clock.Advance(time.Minute)
		}
		if !r.active(1, tok["refresh_token"]) || !r.active(0, tok["access_token"]) {
			t.Fatal("a STATIC refresh token or its first access token is inactive")
		}
	})
}

// TestRefreshRotation: with ROTATE each refresh returns a new refresh token; the used one
// still works within the leeway (a client retrying after a lost response), and used after it
// is refused and revokes the whole family: every refresh token rotated from the grant and
// every access token issued with them, on both instances, with app.oauth2.as.token.detect_reuse.
func TestRefreshRotation(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		r := newRTEnv(t, e, `{"rotation_type":"ROTATE","leeway":30}`)
		tok := r.grant()
		rt1, at1 := tok["refresh_token"], tok["access_token"]
		status, second := r.refresh(0, rt1)
		if status != 200 || second["refresh_token"] == rt1 || second["refresh_token"] == nil {
			t.Fatalf("rotate: %d %v, want a new refresh token", status, second)
		}
		if r.active(0, rt1) || !r.active(1, second["refresh_token"]) {
			t.Fatal("after rotation: the used token should be inactive, the new one active")
		}
		e.clock.Advance(29 * time.Second)
		status, retry := r.refresh(1, rt1)
		if status != 200 || retry["refresh_token"] == rt1 || retry["refresh_token"] == second["refresh_token"] {
			t.Fatalf("retry within the leeway on the other instance: %d %v", status, retry)
		}
		e.clock.Advance(2 * time.Second)
		status, m := r.refresh(0, rt1)
		wantBadRefresh(t, "reuse after the leeway", status, m)
		for name, tok := range map[string]any{"second refresh token": second["refresh_token"], "retry's refresh token": retry["refresh_token"],
			"first access token": at1, "second access token": second["access_token"], "retry's access token": retry["access_token"]} {
			for i := range 2 {
				if r.active(i, tok) {
					t.Errorf("%s is still active on instance %d after reuse", name, i)
				}
			}
		}
		status, m = r.refresh(1, second["refresh_token"])
		wantBadRefresh(t, "a sibling after reuse", status, m)
		if ev := e.events("app.oauth2.as.token.detect_reuse"); len(ev) != 1 {
			t.Errorf("detect_reuse events %v, want one", ev)
		}
		// Another grant of the same user and app is another family: untouched.
		other := r.grant()
		if status, m := r.refresh(0, other["refresh_token"]); status != 200 {
			t.Errorf("another family after reuse: %d %v", status, m)
		}
	})
}

// TestRefreshRotationNoLeeway: with leeway 0 a rotated token is refused at once, and its
// family revoked.
func TestRefreshRotationNoLeeway(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		r := newRTEnv(t, e, `{"rotation_type":"ROTATE","leeway":0}`)
		tok := r.grant()
		status, next := r.refresh(0, tok["refresh_token"])
		if status != 200 {
			t.Fatalf("rotate: %d %v", status, next)
		}
		status, m := r.refresh(1, tok["refresh_token"])
		wantBadRefresh(t, "immediate reuse", status, m)
		if r.active(0, next["refresh_token"]) || r.active(0, next["access_token"]) {
			t.Error("the family survived reuse")
		}
	})
}

// TestRefreshRevokeRevokesFamily: revoking a refresh token revokes the access tokens issued
// with it ("revoking a refresh token does revoke the associated access token").
func TestRefreshRevokeRevokesFamily(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		r := newRTEnv(t, e, "")
		tok := r.grant()
		_, again := r.refresh(0, tok["refresh_token"])
		if status, _ := r.post(1, "revoke", url.Values{"token": {tok["refresh_token"].(string)}}); status != 200 {
			t.Fatalf("revoke = %d", status)
		}
		for _, at := range []any{tok["access_token"], again["access_token"], tok["refresh_token"]} {
			if r.active(0, at) {
				t.Errorf("token still active after its refresh token was revoked")
			}
		}
		status, m := r.refresh(0, tok["refresh_token"])
		wantBadRefresh(t, "revoked refresh token", status, m)
	})
}

// setDefaultRule sets the token lifetimes of the default server's default rule.
func setDefaultRule(t *testing.T, e *groupsEnv, token map[string]any) {
	t.Helper()
	base := "/api/v1/authorizationServers/default/policies"
	pols := decodeAs[[]map[string]any](t, e.must(200, "GET", base, nil))
	path := base + "/" + pols[0]["id"].(string) + "/rules"
	rules := decodeAs[[]map[string]any](t, e.must(200, "GET", path, nil))
	rule, id := rules[0], rules[0]["id"].(string)
	rule["actions"] = map[string]any{"token": token}
	for _, k := range []string{"id", "created", "lastUpdated", "_links", "system"} {
		delete(rule, k)
	}
	e.must(200, "PUT", path+"/"+id, rule)
}

// TestRefreshLifetimeAndWindow: the policy rule's refreshTokenWindowMinutes expires a refresh
// token unused that long (each use restarts it), and refreshTokenLifetimeMinutes ends it
// however it is used; introspect shows the nearer expiry.
func TestRefreshLifetimeAndWindow(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		r := newRTEnv(t, e, "")
		setDefaultRule(t, e, map[string]any{"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 180, "refreshTokenWindowMinutes": 60})
		start := e.clock.Now()
		tok := r.grant()
		_, m := r.post(0, "introspect", url.Values{"token": {tok["refresh_token"].(string)}})
		if m["exp"] != float64(start.Add(time.Hour).Unix()) {
			t.Errorf("introspect exp %v, want the window's end %d", m["exp"], start.Add(time.Hour).Unix())
		}
		for _, step := range []time.Duration{59 * time.Minute, 59 * time.Minute, 50 * time.Minute} {
			e.clock.Advance(step)
			if status, m := r.refresh(0, tok["refresh_token"]); status != 200 {
				t.Fatalf("refresh within the window at %v: %d %v", e.clock.Now().Sub(start), status, m)
			}
		}
		_, m = r.post(1, "introspect", url.Values{"token": {tok["refresh_token"].(string)}})
		if m["exp"] != float64(start.Add(180*time.Minute).Unix()) {
			t.Errorf("introspect exp %v, want the lifetime's end %d", m["exp"], start.Add(180*time.Minute).Unix())
		}
		e.clock.Advance(13 * time.Minute)
		status, m := r.refresh(1, tok["refresh_token"])
		wantBadRefresh(t, "after the lifetime", status, m)

		idle := r.grant()
		e.clock.Advance(61 * time.Minute)
		status, m = r.refresh(0, idle["refresh_token"])
		wantBadRefresh(t, "unused longer than the window", status, m)
	})
}

// TestRuleRefreshWindowBounds: a rule's refreshTokenWindowMinutes is 10 minutes to five years
// (2,628,000 minutes), per TokenAuthorizationServerPolicyRuleAction; unset it is 10080 (a week).
func TestRuleRefreshWindowBounds(t *testing.T) {
	e := newEnv(t, "")
	base := "/api/v1/authorizationServers/default/policies"
	pol := listOf(t, e, base)[0]["id"].(string)
	i := 0
	for _, c := range []struct {
		window string
		status int
	}{{"", 201}, {`,"refreshTokenWindowMinutes":10`, 201}, {`,"refreshTokenWindowMinutes":2628000`, 201},
		{`,"refreshTokenWindowMinutes":9`, 400}, {`,"refreshTokenWindowMinutes":2628001`, 400}} {
		i++
		w := e.do(req{Method: "POST", Path: base + "/" + pol + "/rules", Body: `{"name":"w` + strconv.Itoa(i) + `","priority":1,
			"conditions":{"people":{"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["refresh_token"]},"scopes":{"include":["*"]}},
			"actions":{"token":{"accessTokenLifetimeMinutes":30` + c.window + `}}}`})
		if w.Code != c.status || (c.status == 400 && !strings.Contains(w.Body.String(), "refreshTokenWindowMinutes: Refresh token window")) {
			t.Errorf("window %q: %d %s, want %d", c.window, w.Code, w.Body, c.status)
		}
		if c.window == "" && w.Code == 201 {
			if got := obj(t, w)["actions"].(map[string]any)["token"].(map[string]any)["refreshTokenWindowMinutes"]; got != 10080.0 {
				t.Errorf("default window %v, want 10080", got)
			}
		}
	}
}
