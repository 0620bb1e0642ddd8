package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// corsServer is okapi on a real listener with an active CORS origin, an inactive one and a
// REDIRECT-only one.
func corsServer(t *testing.T) (*env, *httptest.Server, string) {
	t.Helper()
	e := newEnv(t, "")
	createOrigin(t, e, "App", "https://app.example.com", `{"type":"CORS"}`)
	createOrigin(t, e, "Local", "http://localhost:3000", `{"type":"CORS"},{"type":"REDIRECT"}`)
	createOrigin(t, e, "Redirect only", "https://redirect.example.com", `{"type":"REDIRECT"}`)
	off := createOrigin(t, e, "Old", "https://old.example.com", `{"type":"CORS"}`)["id"].(string)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins/" + off + "/lifecycle/deactivate"}), 200)
	srv := httptest.NewServer(e.api)
	t.Cleanup(srv.Close)
	return e, srv, off
}

func send(t *testing.T, srv *httptest.Server, method, path string, h map[string]string) *http.Response {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		r.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func preflight(t *testing.T, srv *httptest.Server, path, origin string) *http.Response {
	return send(t, srv, "OPTIONS", path, map[string]string{"Origin": origin,
		"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
}

func TestCORS(t *testing.T) {
	_, srv, _ := corsServer(t)
	tests := []struct {
		name, origin, path string
		granted            bool
	}{
		{"trusted", "https://app.example.com", "/api/v1/users/me", true},
		{"trusted, default port spelled out", "https://app.example.com:443", "/api/v1/users/me", true},
		{"trusted with port", "http://localhost:3000", "/api/v1/sessions/me", true},
		{"trusted, authn", "https://app.example.com", "/api/v1/authn", true},
		{"inactive", "https://old.example.com", "/api/v1/users/me", false},
		{"redirect scope only", "https://redirect.example.com", "/api/v1/users/me", false},
		{"untrusted", "https://evil.test", "/api/v1/users/me", false},
		{"look-alike suffix", "https://app.example.com.evil.test", "/api/v1/users/me", false},
		{"look-alike prefix", "https://evilapp.example.com", "/api/v1/users/me", false},
		{"other scheme", "http://app.example.com", "/api/v1/users/me", false},
		{"other port", "https://app.example.com:8443", "/api/v1/users/me", false},
		{"other localhost port", "http://localhost:3001", "/api/v1/users/me", false},
		{"null origin", "null", "/api/v1/users/me", false},
		{"trusted, management endpoint", "https://app.example.com", "/api/v1/zones", false},
		{"trusted, trusted origins endpoint", "https://app.example.com", "/api/v1/trustedOrigins", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre := preflight(t, srv, tt.path, tt.origin)
			acao := pre.Header.Get("Access-Control-Allow-Origin")
			if tt.granted {
				if pre.StatusCode != 200 || acao != tt.origin || pre.Header.Get("Access-Control-Allow-Credentials") != "true" ||
					!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") ||
					!strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "GET") {
					t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
				}
			} else if pre.StatusCode != 403 || acao != "" || pre.Header.Get("Access-Control-Allow-Credentials") != "" ||
				!strings.HasPrefix(pre.Header.Get("Content-Type"), "application/json") {
				t.Errorf("refused preflight: %d %v", pre.StatusCode, pre.Header)
			}
			act := send(t, srv, "GET", tt.path, map[string]string{"Origin": tt.origin, "Authorization": "SSWS " + testToken})
			acao = act.Header.Get("Access-Control-Allow-Origin")
			if tt.granted {
				expose := act.Header.Get("Access-Control-Expose-Headers")
				if acao != tt.origin || act.Header.Get("Access-Control-Allow-Credentials") != "true" ||
					!strings.Contains(expose, "Link") || !strings.Contains(expose, "X-Okta-Request-Id") {
					t.Errorf("actual: %v", act.Header)
				}
			} else if acao != "" {
				t.Errorf("actual request got a grant: %v", act.Header)
			}
			if strings.HasPrefix(tt.path, "/api/v1/users/me") && !contains(act.Header.Values("Vary"), "Origin") {
				t.Errorf("no Vary: Origin: %v", act.Header)
			}
		})
	}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if strings.Contains(x, v) {
			return true
		}
	}
	return false
}

// A change to a trusted origin applies to the very next request.
func TestCORSFollowsChanges(t *testing.T) {
	e, srv, off := corsServer(t)
	const o = "https://old.example.com"
	if preflight(t, srv, "/api/v1/users/me", o).StatusCode != 403 {
		t.Fatal("inactive origin granted")
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins/" + off + "/lifecycle/activate"}), 200)
	if r := preflight(t, srv, "/api/v1/users/me", o); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != o {
		t.Fatalf("activated origin refused: %d", r.StatusCode)
	}
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/trustedOrigins/" + off, Body: `{"name":"Old","origin":"https://old.example.com","scopes":[{"type":"REDIRECT"}]}`}), 200)
	if preflight(t, srv, "/api/v1/users/me", o).StatusCode != 403 {
		t.Fatal("CORS scope removed but still granted")
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/trustedOrigins/" + off}), 204)
	if preflight(t, srv, "/api/v1/users/me", o).StatusCode != 403 {
		t.Fatal("deleted origin granted")
	}
}

// OPTIONS is never a 405: a plain one lists the methods, and a preflight is answered by CORS.
func TestOptions(t *testing.T) {
	_, srv, _ := corsServer(t)
	r := send(t, srv, "OPTIONS", "/api/v1/zones", nil)
	if r.StatusCode != 204 || !strings.Contains(r.Header.Get("Allow"), "GET") || !strings.Contains(r.Header.Get("Allow"), "POST") {
		t.Errorf("plain OPTIONS: %d %v", r.StatusCode, r.Header)
	}
	if r := send(t, srv, "OPTIONS", "/api/v1/nothing", nil); r.StatusCode != 404 {
		t.Errorf("OPTIONS on an unknown path: %d", r.StatusCode)
	}
	if r := send(t, srv, "OPTIONS", "/api/v1/users/me", map[string]string{"Origin": "https://app.example.com",
		"Access-Control-Request-Method": "PATCH"}); r.StatusCode != 403 {
		t.Errorf("preflight for PATCH: %d", r.StatusCode)
	}
}

// BenchmarkCORSCheck measures the per-request cost of reading trusted origins from the store,
// which is why there is no cache (go test -bench CORSCheck ./internal/httpapi).
func BenchmarkCORSCheck(b *testing.B) {
	e := newEnv(b, "")
	for _, o := range []string{"https://a.example.com", "https://b.example.com", "https://c.example.com"} {
		e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins", Body: `{"name":"` + o + `","origin":"` + o + `","scopes":[{"type":"CORS"}]}`})
	}
	org, _ := e.svc.DefaultOrgID(context.Background())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ok, err := e.svc.CORSAllowed(context.Background(), org, "https://b.example.com"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// TestCORSOrgUnknownWithoutBaseDomain (issue 24.4): without --base-domain a preflight names no
// org. /oauth2/* and /.well-known/* serve the default org, so their preflights are judged by
// its origins; on the other CORS endpoints the real request's token picks the org, so once a
// second org exists the default org's origins no longer pass for every org: CORS is refused.
func TestCORSOrgUnknownWithoutBaseDomain(t *testing.T) {
	e, srv, _ := corsServer(t)
	if r := preflight(t, srv, "/api/v1/users/me", "https://app.example.com"); r.StatusCode != 200 {
		t.Fatalf("only the default org: preflight %d, want 200", r.StatusCode)
	}
	if _, _, err := e.svc.NewOrg(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path    string
		granted bool
	}{
		{"/api/v1/users/me", false},
		{"/api/v1/sessions/me", false},
		{"/oauth2/default/v1/keys", true},
		{"/.well-known/openid-configuration", true},
	} {
		r := preflight(t, srv, tc.path, "https://app.example.com")
		if got := r.Header.Get("Access-Control-Allow-Origin") != ""; got != tc.granted || (r.StatusCode == 200) != tc.granted {
			t.Errorf("%s with two orgs: status %d, granted %v, want %v", tc.path, r.StatusCode, got, tc.granted)
		}
	}
	// A 401 carries no grant either: its org is not known.
	r := send(t, srv, "GET", "/api/v1/users/me", map[string]string{"Origin": "https://app.example.com"})
	if r.StatusCode != 401 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("401 with two orgs: status %d, grant %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}
}
