package httpapi_test

import (
	"net/url"
	"testing"
	"time"
)

// wantEvents checks the number of events of each type, and that the last one of each names
// the client "web" (and a user when withUser) with the outcome given.
func wantEvents(t *testing.T, e *env, want map[string]int, outcome string, withUser bool) {
	t.Helper()
	for typ, n := range want {
		if got := e.countEvents(typ); got != n {
			t.Errorf("%s: %d events, want %d", typ, got, n)
			continue
		}
		if n == 0 {
			continue
		}
		ev := e.lastEvent(typ)
		if o, _ := ev["outcome"].(map[string]any); o["result"] != outcome {
			t.Errorf("%s outcome %v, want %s", typ, ev["outcome"], outcome)
		}
		targets, _ := ev["target"].([]any)
		types := map[string]string{}
		for _, x := range targets {
			m := x.(map[string]any)
			types[m["type"].(string)] = m["id"].(string)
		}
		if types["PublicClientApp"] != "web" || (types["User"] != "") != withUser {
			t.Errorf("%s targets %v", typ, targets)
		}
		if a, _ := ev["actor"].(map[string]any); a["id"] != "web" || a["type"] != "PublicClientApp" {
			t.Errorf("%s actor %v", typ, ev["actor"])
		}
	}
}

// TestOAuthGrantEvents: each grant logs one app.oauth2[.as].token.grant.<token> event per token
// it issues, revocation logs the server's revoke type, on custom and org servers.
func TestOAuthGrantEvents(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	for _, c := range []struct {
		name, issuer, prefix, session string
	}{
		{"custom server", ts.URL + "/oauth2/default", "app.oauth2.as.token.", "st1"},
		{"org server", ts.URL + "/oauth2", "app.oauth2.token.", "st2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ev := func(s string) string { return c.prefix + s }
			q := authorize(t, c.issuer+"/v1/authorize?"+url.Values{"client_id": {"web"}, "response_type": {"code"},
				"scope": {"openid profile offline_access"}, "redirect_uri": {redirect}, "state": {"s"}, "nonce": {"n"},
				"sessionToken": {c.session}}.Encode())
			code, tok := postOAuthForm(t, c.issuer+"/v1/token", "web", "s3cret", url.Values{"grant_type": {"authorization_code"},
				"code": {q.Get("code")}, "redirect_uri": {redirect}})
			if code != 200 || tok["id_token"] == nil || tok["refresh_token"] == nil {
				t.Fatalf("code grant = %d %v", code, tok)
			}
			wantEvents(t, e, map[string]int{ev("grant.access_token"): 1, ev("grant.id_token"): 1, ev("grant.refresh_token"): 1}, "SUCCESS", true)
			code, fresh := postOAuthForm(t, c.issuer+"/v1/token", "web", "s3cret", url.Values{"grant_type": {"refresh_token"},
				"refresh_token": {tok["refresh_token"].(string)}})
			if code != 200 {
				t.Fatalf("refresh = %d %v", code, fresh)
			}
			wantEvents(t, e, map[string]int{ev("grant.access_token"): 2, ev("grant.id_token"): 2, ev("grant.refresh_token"): 2}, "SUCCESS", true)
			// A grant without openid or offline_access issues, and logs, an access token only.
			if c.prefix == "app.oauth2.as.token." {
				e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`})
				code, cc := postOAuthForm(t, c.issuer+"/v1/token", "web", "s3cret", url.Values{"grant_type": {"client_credentials"}, "scope": {"things:read"}})
				if code != 200 {
					t.Fatalf("client_credentials = %d %v", code, cc)
				}
				wantEvents(t, e, map[string]int{ev("grant.access_token"): 3}, "SUCCESS", false)
				if e.countEvents(ev("grant.id_token")) != 2 || e.countEvents(ev("grant.refresh_token")) != 2 {
					t.Fatal("client_credentials logged an ID or refresh token")
				}
			}
			for i, token := range []any{fresh["access_token"], fresh["refresh_token"]} {
				if code, m := postOAuthForm(t, c.issuer+"/v1/revoke", "web", "s3cret", url.Values{"token": {token.(string)}}); code != 200 {
					t.Fatalf("revoke = %d %v", code, m)
				}
				wantEvents(t, e, map[string]int{ev("revoke"): i + 1}, "SUCCESS", true)
			}
		})
	}
}

// TestOAuthClientFailureEvents: a token request refused for its client's credentials logs
// app.oauth2[.as].token.grant with outcome FAILURE, at most once per client and IP every few
// seconds (whichever server it addresses); a request with no credentials at all logs nothing.
func TestOAuthClientFailureEvents(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	custom, org := ts.URL+"/oauth2/default/v1/token", ts.URL+"/oauth2/v1/token"
	cc := url.Values{"grant_type": {"client_credentials"}}
	for range 5 {
		if code, m := postOAuthForm(t, custom, "web", "wrong", cc); code != 401 || m["error"] != "invalid_client" {
			t.Fatalf("wrong secret = %d %v", code, m)
		}
	}
	wantEvents(t, e, map[string]int{"app.oauth2.as.token.grant": 1, "app.oauth2.as.token.grant.access_token": 0}, "FAILURE", false)
	if ev := e.lastEvent("app.oauth2.as.token.grant"); ev["outcome"].(map[string]any)["reason"] != "invalid_client" || ev["severity"] != "WARN" {
		t.Fatalf("failure event %v", ev)
	}
	// The org server logs its own type; another (here unknown) client is another key.
	postOAuthForm(t, org, "other", "wrong", cc)
	postOAuthForm(t, custom, "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {"x"}})
	postOAuthForm(t, custom, "", "", cc) // no credentials: not a failed authentication
	if n, m := e.countEvents("app.oauth2.token.grant"), e.countEvents("app.oauth2.as.token.grant"); n != 1 || m != 2 {
		t.Fatalf("org failures %d, custom failures %d", n, m)
	}
	// After the throttle window the same client and IP is logged again.
	e.clock.Advance(6 * time.Second)
	postOAuthForm(t, custom, "web", "wrong", cc)
	if n := e.countEvents("app.oauth2.as.token.grant"); n != 3 {
		t.Fatalf("custom failures after the window %d", n)
	}
}
