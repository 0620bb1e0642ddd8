package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/httpapi"
)

// TestStrictHosts (issue 24.3): with StrictHosts (as okapi serve runs) only loopback names and
// addresses, the --public-url host, the base domain and its subdomains, and --allowed-hosts are
// answered; any other Host is 400 E0000002 before anything else, so no link can carry it. The
// portless loopback Host of the Terraform provider's http_proxy mode, in proxy (absolute) form,
// keeps working, and health checks answer whatever the Host.
func TestStrictHosts(t *testing.T) {
	public, _ := url.Parse("https://okapi.example.com")
	e := newEnv(t, "").withAPI(httpapi.Config{StrictHosts: true, PublicURL: public, BaseDomain: "okapi.test",
		AllowedHosts: []string{"okapi.internal", "*.corp.example", "10.0.0.5"}})
	for _, tc := range []struct {
		target, host string
		status       int
	}{
		{"/api/v1/users/me", "127.0.0.1:8443", 200},
		{"/api/v1/users/me", "127.0.0.1", 200},
		{"http://127.0.0.1/api/v1/users/me", "127.0.0.1", 200}, // Terraform http_proxy mode
		{"/api/v1/users/me", "[::1]:8443", 200},
		{"/api/v1/users/me", "localhost:8443", 200},
		{"/api/v1/users/me", "x.localhost", 200},
		{"/api/v1/users/me", "okapi.example.com", 200},
		{"/api/v1/users/me", "OKAPI.EXAMPLE.COM.:443", 200},
		{"/api/v1/users/me", "okapi.test:8443", 200},
		{"/api/v1/users/me", "okapi.internal", 200},
		{"/api/v1/users/me", "a.b.corp.example", 200},
		{"/api/v1/users/me", "10.0.0.5:8443", 200},
		{"/api/v1/users/me", "evil.example.com", 400},
		{"/api/v1/users/me", "corp.example", 400},
		{"/api/v1/users/me", "okapi.example.com.evil.net", 400},
		{"/api/v1/users/me", "10.0.0.6", 400},
		{"/api/v1/users/me", "evil.example.com/x?y", 400},
		{"/api/v1/users", "me@localhost", 400},
		{"/oauth2/default/.well-known/openid-configuration", "evil.example.com", 400},
		{"/healthz", "10.9.9.9:8443", 200},
	} {
		r := httptest.NewRequest("GET", tc.target, nil)
		r.Host = tc.host
		r.Header.Set("Accept", "application/json")
		r.Header.Set("Authorization", "SSWS "+testToken)
		r.RemoteAddr = "127.0.0.1:5555"
		w := httptest.NewRecorder()
		e.api.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%s Host %q: status %d, want %d: %s", tc.target, tc.host, w.Code, tc.status, w.Body)
			continue
		}
		if tc.status == 400 {
			wantError(t, w, 400, "E0000002")
			if strings.Contains(w.Body.String(), "evil") {
				t.Errorf("Host %q echoed: %s", tc.host, w.Body)
			}
		}
	}
}

// TestHostsUnrestrictedWithoutStrictHosts: the in-process default keeps httptest's hosts.
func TestHostsUnrestrictedWithoutStrictHosts(t *testing.T) {
	e := newEnv(t, "")
	r := httptest.NewRequest("GET", "/api/v1/users/me", nil)
	r.Header.Set("Authorization", "SSWS "+testToken)
	w := httptest.NewRecorder()
	e.api.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("example.com without StrictHosts: %d", w.Code)
	}
}
