package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// newToken creates another token in the env's org and returns its id and secret.
func (e *testEnv) newToken(name string) (string, string) {
	e.t.Helper()
	ctx := context.Background()
	org, err := e.svc.Store.GetOrgByName(ctx, domain.DefaultOrgName)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, secret, err := e.svc.CreateToken(domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID}), name, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.ID, secret
}

func TestGetTokenByID(t *testing.T) {
	e := newTestEnv(t)
	id, _ := e.newToken("ci")
	r := e.do("GET", "/api/v1/api-tokens/"+id, nil, nil)
	if r.status != 200 {
		t.Fatalf("status = %d\n%s", r.status, r.body)
	}
	checkConventions(t, r)
	m := r.json(t)
	if m["id"] != id || m["name"] != "ci" {
		t.Errorf("token = %s", r.body)
	}
	self, _ := m["_link"].(map[string]any)["self"].(map[string]any)["href"].(string)
	if self != e.srv.URL+"/api/v1/api-tokens/"+id {
		t.Errorf("_link.self = %q", self)
	}
}

// TestRevokedTokenRefusedNextRequest: DELETE /api-tokens/{id} and /api-tokens/current take
// effect on the very next request, with no cache in between.
func TestRevokedTokenRefusedNextRequest(t *testing.T) {
	e := newTestEnv(t)
	id, secret := e.newToken("victim")
	as := func(s string) map[string]string { return map[string]string{"Authorization": "SSWS " + s} }

	if r := e.do("GET", "/api/v1/api-tokens", as(secret), nil); r.status != 200 {
		t.Fatalf("fresh token refused: %d %s", r.status, r.body)
	}
	r := e.do("DELETE", "/api/v1/api-tokens/"+id, nil, nil)
	if r.status != http.StatusNoContent {
		t.Fatalf("revoke = %d %s", r.status, r.body)
	}
	checkConventions(t, r)
	if r := e.do("GET", "/api/v1/api-tokens", as(secret), nil); r.status != 401 || r.json(t)["errorCode"] != "E0000011" {
		t.Fatalf("revoked token still works: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/api-tokens/"+id, nil, nil); r.status != 404 {
		t.Errorf("revoked token still listed: %d %s", r.status, r.body)
	}

	// /current revokes the token that makes the call.
	_, self := e.newToken("self")
	if r := e.do("DELETE", "/api/v1/api-tokens/current", as(self), nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke current = %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", "/api/v1/api-tokens/current", as(self), nil); r.status != 401 {
		t.Fatalf("token revoked through /current still works: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/api-tokens", nil, nil); r.status != 200 {
		t.Errorf("revoking another token broke the bootstrap token: %d", r.status)
	}
}

// TestTokenPagesLinkHeaders: Link headers one per line, self always, next only while more.
func TestTokenPagesLinkHeaders(t *testing.T) {
	e := newTestEnv(t)
	e.newToken("two")
	e.newToken("three")
	var seen []string
	path := "/api/v1/api-tokens?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		r := e.do("GET", path, nil, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		checkConventions(t, r)
		var page []map[string]any
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, tok := range page {
			seen = append(seen, tok["id"].(string))
		}
		links := r.header.Values("Link")
		if len(links) == 0 || !strings.HasSuffix(links[0], `>; rel="self"`) {
			t.Errorf("first Link = %v, want rel=self", links)
		}
		path = ""
		for _, l := range links[1:] {
			if strings.HasSuffix(l, `>; rel="next"`) {
				u := strings.TrimPrefix(strings.TrimSuffix(l, `>; rel="next"`), "<")
				path = strings.TrimPrefix(u, e.srv.URL)
				if !strings.Contains(path, "limit=2") {
					t.Errorf("next link drops limit: %s", l)
				}
			}
		}
	}
	if len(seen) != 3 || seen[0] == seen[1] || seen[1] == seen[2] || seen[0] == seen[2] {
		t.Errorf("paged through %v, want 3 distinct tokens", seen)
	}
}

// TestRevokeEventCarriesClientContext: the audit event of a revoke records the request's id,
// user agent and client IP as the middleware read them.
func TestRevokeEventCarriesClientContext(t *testing.T) {
	e := newTestEnv(t)
	id, _ := e.newToken("audited")
	r := e.do("DELETE", "/api/v1/api-tokens/"+id, map[string]string{"User-Agent": "okapi-test/1.0", "X-Forwarded-For": "203.0.113.9"}, nil)
	if r.status != 204 {
		t.Fatalf("revoke = %d %s", r.status, r.body)
	}
	var data string
	err := e.db.ReadPool().QueryRow(`SELECT data FROM log_events WHERE event_type = 'system.api_token.revoke'`).Scan(&data)
	if err != nil {
		t.Fatal(err)
	}
	var ev domain.LogEvent
	if err := json.Unmarshal([]byte(data), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.DebugContext.DebugData["requestId"] != r.header.Get("X-Okta-Request-Id") || ev.Transaction.ID != r.header.Get("X-Okta-Request-Id") {
		t.Errorf("event request id %v / %v, response %s", ev.DebugContext.DebugData["requestId"], ev.Transaction.ID, r.header.Get("X-Okta-Request-Id"))
	}
	if ev.Client.UserAgent == nil || ev.Client.UserAgent.RawUserAgent != "okapi-test/1.0" {
		t.Errorf("event user agent = %+v", ev.Client.UserAgent)
	}
	// No trusted proxy is configured, so X-Forwarded-For is not believed.
	if ev.Client.IPAddress != "127.0.0.1" {
		t.Errorf("event client ip = %q, want the TCP peer", ev.Client.IPAddress)
	}
	if len(ev.Target) != 1 || ev.Target[0].ID != id {
		t.Errorf("event target = %+v", ev.Target)
	}
}

// TestClientContext: the middleware reads the client context once and handlers see it.
func TestClientContext(t *testing.T) {
	e := newTestEnv(t)
	r := e.do("GET", "/api/v1/test/caller", map[string]string{
		"User-Agent": "okta-sdk-golang/5.0.0 golang/go1.26 linux/amd64", "Accept-Language": "fr-CA",
		"X-Device-Fingerprint": "fp-123", "X-Forwarded-For": "198.51.100.7",
	}, nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	m := r.json(t)
	want := map[string]any{
		"requestId": r.header.Get("X-Okta-Request-Id"), "userAgent": "okta-sdk-golang/5.0.0 golang/go1.26 linux/amd64",
		"acceptLanguage": "fr-CA", "fingerprint": "fp-123", "ip": "127.0.0.1",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if chain, _ := m["ipChain"].([]any); len(chain) != 1 || chain[0] != "127.0.0.1" {
		t.Errorf("ipChain = %v: an untrusted peer's X-Forwarded-For must not enter the chain", m["ipChain"])
	}
	if !strings.HasPrefix(m["tokenId"].(string), "00T") || m["orgId"] == "" {
		t.Errorf("caller not authenticated: %v", m)
	}
}

// TestRequestIDsAreUnique: two requests never share an id.
func TestRequestIDsAreUnique(t *testing.T) {
	e := newTestEnv(t)
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		id := e.do("GET", "/healthz", nil, nil).header.Get("X-Okta-Request-Id")
		if seen[id] {
			t.Fatalf("request id %s repeated", id)
		}
		seen[id] = true
	}
}
