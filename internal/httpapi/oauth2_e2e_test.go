package httpapi_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/service"
)

// fakeClients stands in for the Applications API (oidc.Clients) until it is wired in.
type fakeClients map[string]struct {
	c      domain.OAuthClient
	secret string
}

func (f fakeClients) OAuthClient(_ context.Context, id string) (domain.OAuthClient, error) {
	if c, ok := f[id]; ok {
		return c.c, nil
	}
	return domain.OAuthClient{}, domain.NotFound(id, "Application")
}

func (f fakeClients) VerifyClientSecret(_ context.Context, id, secret string) error {
	if c, ok := f[id]; ok && c.secret != "" && c.secret == secret {
		return nil
	}
	return errors.New("bad secret")
}

// GrantedScopes: the service app "svc" was granted okta.users.read.
func (f fakeClients) GrantedScopes(_ context.Context, id string) ([]string, error) {
	if id == "svc" {
		return []string{"okta.users.read"}, nil
	}
	return nil, nil
}

// fakeSessions stands in for sign-in (oidc.Sessions): one-time session tokens.
type fakeSessions struct{ tokens map[string]domain.Session }

func (f *fakeSessions) RedeemSessionToken(_ context.Context, t string) (domain.Session, error) {
	s, ok := f.tokens[t]
	if !ok {
		return s, domain.NotFound(t, "SessionToken")
	}
	delete(f.tokens, t)
	return s, nil
}

func (f *fakeSessions) SessionByID(context.Context, string) (domain.Session, error) {
	return domain.Session{}, domain.NotFound("x", "Session")
}

const redirect = "http://app.example/cb"

func oauthEnv(t *testing.T) (*env, *httptest.Server, *fakeSessions, *rsa.PrivateKey) {
	return oauthEnvTB(t)
}

func oauthEnvTB(t testing.TB) (*env, *httptest.Server, *fakeSessions, *rsa.PrivateKey) {
	e := newEnv(t, "")
	ts := httptest.NewServer(e.api)
	t.Cleanup(ts.Close)
	org, err := e.svc.DefaultOrgID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admin, err := e.db.GetUserByLogin(context.Background(), org, "admin@okapi.test")
	if err != nil {
		t.Fatal(err)
	}
	svcKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &svcKey.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	clients := fakeClients{
		"web": {secret: "s3cret", c: domain.OAuthClient{ClientID: "web", Status: "ACTIVE", ApplicationType: "web", TokenEndpointAuthMethod: "client_secret_basic",
			GrantTypes: []string{"authorization_code", "refresh_token", "client_credentials"}, RedirectURIs: []string{redirect},
			PostLogoutRedirectURIs: []string{"http://app.example/bye"}, RefreshRotation: "ROTATE", RefreshLeeway: 30}},
		"spa": {c: domain.OAuthClient{ClientID: "spa", Status: "ACTIVE", ApplicationType: "browser", TokenEndpointAuthMethod: "none",
			GrantTypes: []string{"authorization_code"}, RedirectURIs: []string{redirect}}},
		"svc": {c: domain.OAuthClient{ClientID: "svc", Status: "ACTIVE", ApplicationType: "service", TokenEndpointAuthMethod: "private_key_jwt",
			GrantTypes: []string{"client_credentials"}, JWKS: jwks}},
	}
	sessions := &fakeSessions{tokens: map[string]domain.Session{}}
	for _, tok := range []string{"st1", "st2", "st3", "st4"} {
		sessions.tokens[tok] = domain.Session{ID: "102" + tok, OrgID: org, UserID: admin.ID, Login: admin.Login(), Status: "ACTIVE",
			CreatedAt: domain.At(e.clock.Now()), AMR: []string{"pwd"}}
	}
	p := e.api.OAuthProvider()
	p.Clients, p.Sessions = clients, sessions
	return e, ts, sessions, svcKey
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// authorize runs /authorize and returns the redirect's query.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	resp, err := noRedirect().Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize = %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if !strings.HasPrefix(loc.String(), redirect) {
		t.Fatalf("redirected to %s", loc)
	}
	return loc.Query()
}

func oauthErrorOf(t *testing.T, err error) string {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not an OAuth error", err)
	}
	return re.ErrorCode
}

// TestOIDCEndToEndGoOIDC: an unmodified go-oidc + x/oauth2 relying party signs a user in with
// authorization code + PKCE on the default server, verifies the ID token, refreshes, reads
// userinfo; then introspect, revoke and client_credentials.
func TestOIDCEndToEndGoOIDC(t *testing.T) {
	e, ts, _, svcKey := oauthEnv(t)
	ctx := t.Context()
	issuer := ts.URL + "/oauth2/default"
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: "web", ClientSecret: "s3cret", Endpoint: provider.Endpoint(), RedirectURL: redirect,
		Scopes: []string{oidc.ScopeOpenID, "profile", "email", oidc.ScopeOfflineAccess}}
	verifier := oauth2.GenerateVerifier()
	q := authorize(t, conf.AuthCodeURL("st-ate", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n-1"), oauth2.SetAuthURLParam("sessionToken", "st1")))
	if q.Get("state") != "st-ate" || q.Get("code") == "" {
		t.Fatalf("authorize answered %v", q)
	}
	// A wrong verifier is refused (RFC 7636) and does not spend the code.
	if _, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); oauthErrorOf(t, err) != "invalid_grant" {
		t.Fatalf("wrong verifier: %v", err)
	}
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier)); oauthErrorOf(t, err) != "invalid_grant" {
		t.Fatalf("code reuse: %v", err)
	}
	now := func() time.Time { return e.clock.Now() }
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: "web", Now: now}).Verify(ctx, rawID)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	_ = idt.Claims(&claims)
	if idt.Nonce != "n-1" || claims["preferred_username"] != "admin@okapi.test" || claims["ver"] != float64(1) || !strings.HasPrefix(claims["sub"].(string), "00u") {
		t.Fatalf("id token claims %v", claims)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	// Logout goes only to a registered post_logout_redirect_uri.
	for target, want := range map[string]string{"http://app.example/bye": "http://app.example/bye?state=x", "http://evil.example/": ""} {
		resp, err := noRedirect().Get(issuer + "/v1/logout?" + url.Values{"id_token_hint": {rawID}, "post_logout_redirect_uri": {target}, "state": {"x"}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != want || (want == "" && resp.StatusCode != 400) {
			t.Fatalf("logout to %s = %d %q, want %q", target, resp.StatusCode, got, want)
		}
	}
	// The access token is a JWT for api://default with Okta's claims.
	at, err := provider.Verifier(&oidc.Config{ClientID: "api://default", Now: now}).Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	var atc map[string]any
	_ = at.Claims(&atc)
	if atc["cid"] != "web" || atc["sub"] != "admin@okapi.test" || !strings.HasPrefix(atc["jti"].(string), "AT.") || atc["uid"] == nil {
		t.Fatalf("access token claims %v", atc)
	}
	ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil || ui.Email == "" {
		t.Fatalf("userinfo %v %v", ui, err)
	}
	// Refresh (ROTATE: a new refresh token; the used one still works for the 30 s leeway, and
	// TestRefreshRotation covers reuse after it).
	if tok.RefreshToken == "" {
		t.Fatal("no refresh token")
	}
	fresh, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || fresh.AccessToken == "" || fresh.RefreshToken == tok.RefreshToken {
		t.Fatalf("refresh %v %v", fresh, err)
	}
	if again, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil || again.RefreshToken == fresh.RefreshToken {
		t.Fatalf("refresh retried within the leeway: %v %v", again, err)
	}
	// Introspect, revoke, introspect again (RFC 7662, RFC 7009).
	introAt := func(base, token string) map[string]any {
		r, _ := http.NewRequest("POST", base+"/v1/introspect", strings.NewReader(url.Values{"token": {token}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.SetBasicAuth("web", "s3cret")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return m
	}
	intro := func(token string) map[string]any { return introAt(issuer, token) }
	// A token of the default server is inactive at the org server (another issuer and keys).
	if m := introAt(ts.URL+"/oauth2", fresh.AccessToken); m["active"] != false {
		t.Fatalf("introspect at another server %v", m)
	}
	if m := intro(fresh.AccessToken); m["active"] != true || m["client_id"] != "web" {
		t.Fatalf("introspect %v", m)
	}
	parts := strings.Split(fresh.AccessToken, ".")
	tampered := parts[0] + "." + base64url(`{"ver":1,"iss":"`+issuer+`","scp":["okta.users.manage"],"exp":9999999999}`) + "." + parts[2]
	if m := intro(tampered); m["active"] != false {
		t.Fatalf("introspect tampered %v", m)
	}
	if m := intro("garbage"); m["active"] != false {
		t.Fatalf("introspect garbage %v", m)
	}
	r, _ := http.NewRequest("POST", issuer+"/v1/revoke", strings.NewReader(url.Values{"token": {fresh.AccessToken}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth("web", "s3cret")
	resp, err := http.DefaultClient.Do(r)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoke %v %v", resp, err)
	}
	if m := intro(fresh.AccessToken); m["active"] != false {
		t.Fatalf("introspect revoked %v", m)
	}
	// client_credentials on the default server; openid is refused; a wrong secret too.
	cc := clientcredentials.Config{ClientID: "web", ClientSecret: "s3cret", TokenURL: provider.Endpoint().TokenURL}
	if _, err := cc.Token(ctx); err != nil {
		// The default server has no default scopes: Okta asks for one.
		if oauthErrorOf(t, err) != "invalid_scope" {
			t.Fatal(err)
		}
	}
	cc.Scopes = []string{"openid"}
	if _, err := cc.Token(ctx); oauthErrorOf(t, err) != "invalid_scope" {
		t.Fatalf("cc openid: %v", err)
	}
	e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`})
	cc.Scopes = []string{"things:read"}
	cct, err := cc.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Verifier(&oidc.Config{ClientID: "api://default", Now: now}).Verify(ctx, cct.AccessToken); err != nil {
		t.Fatal(err)
	}
	cc.ClientSecret = "wrong"
	if _, err := cc.Token(ctx); oauthErrorOf(t, err) != "invalid_client" {
		t.Fatalf("wrong secret: %v", err)
	}
	// The org server: a service app with private_key_jwt gets okta.* scopes, as the SDKs do it.
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: svcKey, KeyID: "k1"}}, nil)
	assertion := func(aud string) string {
		s, _ := jwt.Signed(signer).Claims(jwt.Claims{Issuer: "svc", Subject: "svc", Audience: jwt.Audience{aud}, ID: e.svc.IDs.Random(10),
			Expiry: jwt.NewNumericDate(e.clock.Now().Add(time.Hour)), IssuedAt: jwt.NewNumericDate(e.clock.Now())}).Serialize()
		return s
	}
	post := func(u string, form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	tokenURL := ts.URL + "/oauth2/v1/token"
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion(tokenURL)}}
	code, m := post(tokenURL, form)
	if code != 200 || m["token_type"] != "Bearer" {
		t.Fatalf("org cc = %d %v", code, m)
	}
	// The Management API takes the org server's token, limited to its okta.* scopes.
	mgmt := func(method, path, token string) *http.Response {
		r, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(`{"profile":{"name":"x"}}`))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Accept", "application/json")
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	orgToken := m["access_token"].(string)
	if resp := mgmt("GET", "/api/v1/users", orgToken); resp.StatusCode != 200 {
		t.Fatalf("GET users with okta.users.read = %d", resp.StatusCode)
	}
	if resp := mgmt("POST", "/api/v1/groups", orgToken); resp.StatusCode != 403 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
		t.Fatalf("POST groups without okta.groups.manage = %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	if resp := mgmt("GET", "/api/v1/users", cct.AccessToken); resp.StatusCode != 401 {
		t.Fatalf("custom server token on the Management API = %d", resp.StatusCode)
	}
	if code, m := post(tokenURL, form); code != 401 || m["error"] != "invalid_client" {
		t.Fatalf("replayed assertion = %d %v", code, m)
	}
	form.Set("client_assertion", assertion(tokenURL))
	form.Set("scope", "okta.users.manage")
	if code, m := post(tokenURL, form); code != 400 || m["error"] != "invalid_scope" {
		t.Fatalf("scope not granted = %d %v", code, m)
	}
	form.Set("scope", "okta.users.read")
	form.Set("client_assertion", assertion(ts.URL+"/oauth2/default/v1/token"))
	if code, m := post(tokenURL, form); code != 401 || m["error"] != "invalid_client" {
		t.Fatalf("assertion for another audience = %d %v", code, m)
	}
	orgProvider, err := oidc.NewProvider(ctx, ts.URL)
	if err != nil || orgProvider.Endpoint().TokenURL != tokenURL {
		t.Fatalf("org discovery %v %v", orgProvider, err)
	}
	e.lastEvent("app.oauth2.as.token.grant.access_token")
	e.lastEvent("app.oauth2.as.authorize.code")
	e.lastEvent("app.oauth2.as.token.revoke")
}

// TestOIDCAuthorizeRefusals: no session, unregistered redirect URI, public client without PKCE.
func TestOIDCAuthorizeRefusals(t *testing.T) {
	_, ts, _, _ := oauthEnv(t)
	base := ts.URL + "/oauth2/default/v1/authorize?"
	q := authorize(t, base+url.Values{"client_id": {"web"}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {redirect}, "state": {"s"}, "prompt": {"none"}}.Encode())
	if q.Get("error") != "login_required" || q.Get("state") != "s" {
		t.Fatalf("no session: %v", q)
	}
	q = authorize(t, base+url.Values{"client_id": {"spa"}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {redirect}, "state": {"s"}, "sessionToken": {"st2"}}.Encode())
	if q.Get("error") != "invalid_request" {
		t.Fatalf("public client without PKCE: %v", q)
	}
	resp, err := noRedirect().Get(base + url.Values{"client_id": {"web"}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {"http://evil.example/"}, "state": {"s"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
		t.Fatalf("unregistered redirect = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = http.Get(ts.URL + "/oauth2/ausnothere0000000000/v1/keys")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("unknown server keys = %d", resp.StatusCode)
	}
	resp, err = http.Get(ts.URL + "/oauth2/default/v1/keys")
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []map[string]any }
	_ = json.NewDecoder(resp.Body).Decode(&set)
	resp.Body.Close()
	if len(set.Keys) != 1 || set.Keys[0]["alg"] != "RS256" || set.Keys[0]["status"] != nil {
		t.Fatalf("keys %v", set)
	}
}

// TestOIDCTokenBadInput: malformed token requests get Okta's OAuth errors, never a token or a 500.
func TestOIDCTokenBadInput(t *testing.T) {
	_, ts, _, _ := oauthEnv(t)
	tokenURL := ts.URL + "/oauth2/default/v1/token"
	for _, c := range []struct {
		name, query, body, user, pass string
		status                        int
		code                          string
	}{
		{"no credentials", "", "grant_type=client_credentials&scope=x", "", "", 401, "invalid_client"},
		{"unknown client", "", "grant_type=client_credentials&client_id=nope&client_secret=x", "", "", 401, "invalid_client"},
		{"wrong secret", "", "grant_type=client_credentials", "web", "nope", 401, "invalid_client"},
		{"secret in query", "client_secret=s3cret", "grant_type=client_credentials", "", "", 400, "invalid_request"},
		// An assertion in the query is read (the Go SDK's PrivateKey mode sends it there), so a
		// bad one fails client authentication rather than the request's shape.
		{"assertion in query", "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJub25lIn0.eyJpc3MiOiJzdmMiLCJzdWIiOiJzdmMifQ.", "", "", "", 401, "invalid_client"},
		{"param in query and body", "grant_type=client_credentials", "grant_type=client_credentials", "web", "s3cret", 400, "invalid_request"},
		{"duplicate params", "", "grant_type=client_credentials&grant_type=password", "web", "s3cret", 400, "invalid_request"},
		{"two credentials", "", "grant_type=client_credentials&client_id=web&client_secret=s3cret", "web", "s3cret", 400, "invalid_request"},
		{"unknown grant", "", "grant_type=magic", "web", "s3cret", 400, "unsupported_grant_type"},
		{"grant not enabled", "", "grant_type=client_credentials&client_id=spa", "", "", 400, "unauthorized_client"},
		{"bad code", "", "grant_type=authorization_code&code=nope&redirect_uri=" + url.QueryEscape(redirect), "web", "s3cret", 400, "invalid_grant"},
		{"bad refresh token", "", "grant_type=refresh_token&refresh_token=nope", "web", "s3cret", 400, "invalid_grant"},
		{"unknown scope", "", "grant_type=client_credentials&scope=nope", "web", "s3cret", 400, "invalid_scope"},
		{"alg none assertion", "", "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJub25lIn0.eyJpc3MiOiJzdmMiLCJzdWIiOiJzdmMifQ.", "", "", 401, "invalid_client"},
		{"malformed body", "", "%zz", "web", "s3cret", 400, "invalid_request"},
	} {
		u := tokenURL
		if c.query != "" {
			u += "?" + c.query
		}
		r, _ := http.NewRequest("POST", u, strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.user != "" {
			r.SetBasicAuth(c.user, c.pass)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		if resp.StatusCode != c.status || m["error"] != c.code || m["error_description"] == "" || m["access_token"] != nil {
			t.Errorf("%s: %d %v, want %d %s", c.name, resp.StatusCode, m, c.status, c.code)
		}
	}
}

// TestOIDCTwoInstances: two okapi instances on one database share signing keys, codes and
// revocations: a code issued by one is redeemed once on the other, and a token revoked on one
// is inactive on both.
func TestOIDCTwoInstances(t *testing.T) {
	e, tsA, sessions, _ := oauthEnv(t)
	quiet := e.api.OAuthProvider()
	svcB := service.New(e.db, e.clock, domain.CryptoIDs{}, nil)
	apiB := httpapi.New(httpapi.Config{Service: svcB})
	apiB.OAuthProvider().Clients, apiB.OAuthProvider().Sessions = quiet.Clients, sessions
	tsB := httptest.NewServer(apiB)
	t.Cleanup(tsB.Close)
	verifier := oauth2.GenerateVerifier()
	conf := func(ts *httptest.Server) oauth2.Config {
		return oauth2.Config{ClientID: "web", ClientSecret: "s3cret", RedirectURL: redirect, Scopes: []string{"openid"},
			Endpoint: oauth2.Endpoint{AuthURL: ts.URL + "/oauth2/default/v1/authorize", TokenURL: ts.URL + "/oauth2/default/v1/token", AuthStyle: oauth2.AuthStyleInHeader}}
	}
	a, b := conf(tsA), conf(tsB)
	q := authorize(t, a.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("sessionToken", "st3")))
	if _, err := b.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier)); err != nil {
		t.Fatalf("redeem on B: %v", err)
	}
	if _, err := a.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier)); oauthErrorOf(t, err) != "invalid_grant" {
		t.Fatalf("second redeem on A: %v", err)
	}
	// Both publish the same keys.
	keys := func(ts *httptest.Server) string {
		resp, err := http.Get(ts.URL + "/oauth2/default/v1/keys")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if keys(tsA) != keys(tsB) {
		t.Fatal("instances publish different keys")
	}
}

func base64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestOIDCDiscoveryAdvertisesOnlyWhatIsServed: every endpoint a discovery document names
// answers (a client that follows discovery never meets a 404), and every grant type it lists
// is one the token endpoint knows (never unsupported_grant_type), on the org server and on a
// custom one. It failed while discovery copied Okta's list (device_authorization_endpoint,
// registration_endpoint, implicit and password grants).
func TestOIDCDiscoveryAdvertisesOnlyWhatIsServed(t *testing.T) {
	_, ts, _, _ := oauthEnv(t)
	for _, path := range []string{"/.well-known/openid-configuration", "/oauth2/default/.well-known/openid-configuration",
		"/oauth2/default/.well-known/oauth-authorization-server"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		for k, v := range doc {
			u, ok := v.(string)
			if !ok || !strings.HasSuffix(k, "_endpoint") && k != "jwks_uri" {
				continue
			}
			for _, method := range []string{"GET", "POST"} {
				req, _ := http.NewRequest(method, u, nil)
				resp, err := noRedirect().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusNotFound {
					t.Errorf("%s: %s %s (%s) is 404", path, method, u, k)
				}
			}
		}
		grants, _ := doc["grant_types_supported"].([]any)
		for _, g := range grants {
			r, _ := http.NewRequest("POST", doc["token_endpoint"].(string), strings.NewReader("grant_type="+url.QueryEscape(g.(string))))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.SetBasicAuth("web", "s3cret")
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&m)
			resp.Body.Close()
			if m["error"] == "unsupported_grant_type" {
				t.Errorf("%s advertises grant %s, which the token endpoint refuses as unsupported", path, g)
			}
		}
		if rt, _ := doc["response_types_supported"].([]any); len(rt) != 1 || rt[0] != "code" {
			t.Errorf("%s: response_types_supported %v, want [code] (the only one /authorize serves)", path, rt)
		}
	}
}

// TestKeyRotationKeepsIssuedTokensValid: after credentials/lifecycle/keyRotate, tokens signed
// with the previous key still verify (it stays in the JWKS) and introspect active, and new
// tokens are signed with the new key.
func TestKeyRotationKeepsIssuedTokensValid(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	if w := e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`}); w.Code != 201 {
		t.Fatalf("add scope: %d %s", w.Code, w.Body)
	}
	issuer := ts.URL + "/oauth2/default"
	cc := clientcredentials.Config{ClientID: "web", ClientSecret: "s3cret", TokenURL: issuer + "/v1/token", Scopes: []string{"things:read"}}
	before, err := cc.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if w := e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate", Body: `{"use":"sig"}`}); w.Code != 200 {
		t.Fatalf("keyRotate: %d %s", w.Code, w.Body)
	}
	after, err := cc.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if kid(t, before.AccessToken) == kid(t, after.AccessToken) {
		t.Error("the token after the rotation is signed with the old key")
	}
	provider, err := oidc.NewProvider(t.Context(), issuer)
	if err != nil {
		t.Fatal(err)
	}
	v := provider.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: e.clock.Now})
	for name, tok := range map[string]string{"before": before.AccessToken, "after": after.AccessToken} {
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Errorf("the token issued %s the rotation does not verify against the JWKS: %v", name, err)
		}
		_, m := postOAuthForm(t, issuer+"/v1/introspect", "web", "s3cret", url.Values{"token": {tok}})
		if m["active"] != true {
			t.Errorf("the token issued %s the rotation introspects %v", name, m)
		}
	}
}

// kid reads the key id from a JWT's header.
func kid(t *testing.T, jwt string) string {
	t.Helper()
	h, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(h, &m); err != nil {
		t.Fatal(err)
	}
	k, _ := m["kid"].(string)
	return k
}

// TestOIDCCodeIsBoundAndPolicyDecides: a code is redeemed only by the client it was issued to and
// with the redirect_uri it was issued for (RFC 6749 section 4.1.3); and when no ACTIVE policy
// rule of the server matches, authorize answers access_denied, as Okta does.
func TestOIDCCodeIsBoundAndPolicyDecides(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	issuer := ts.URL + "/oauth2/default"
	web := oauth2.Config{ClientID: "web", ClientSecret: "s3cret", RedirectURL: redirect, Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/v1/authorize", TokenURL: issuer + "/v1/token", AuthStyle: oauth2.AuthStyleInHeader}}
	code := authorize(t, web.AuthCodeURL("s", oauth2.SetAuthURLParam("sessionToken", "st1"))).Get("code")
	token := func(clientID, secret string, form url.Values) map[string]any {
		_, m := postOAuthForm(t, issuer+"/v1/token", clientID, secret, form)
		return m
	}
	if m := token("web", "s3cret", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect + "/other"}}); m["error"] != "invalid_grant" ||
		!strings.Contains(fmt.Sprint(m["error_description"]), "redirect_uri") {
		t.Errorf("another redirect_uri: %v", m)
	}
	// A fresh code, presented by another (public) client.
	code = authorize(t, web.AuthCodeURL("s", oauth2.SetAuthURLParam("sessionToken", "st2"))).Get("code")
	if m := token("", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "client_id": {"spa"}}); m["error"] != "invalid_grant" ||
		!strings.Contains(fmt.Sprint(m["error_description"]), "another client") {
		t.Errorf("another client: %v", m)
	}

	// Deactivate every rule of the default server's policies: nothing matches any more.
	pols := listOf(t, e, "/api/v1/authorizationServers/default/policies")
	for _, p := range pols {
		for _, r := range listOf(t, e, "/api/v1/authorizationServers/default/policies/"+p["id"].(string)+"/rules") {
			wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/policies/" + p["id"].(string) + "/rules/" + r["id"].(string) + "/lifecycle/deactivate"}), 204)
		}
	}
	q := authorize(t, web.AuthCodeURL("s", oauth2.SetAuthURLParam("sessionToken", "st3")))
	if q.Get("error") != "access_denied" || q.Get("code") != "" {
		t.Errorf("no matching rule: %v, want access_denied", q)
	}
}

// TestOIDCGroupsClaim: a GROUPS claim of the default server puts the user's groups that match
// its filter in the ID token (REGEX over the whole name), and a REGEX that does not compile is
// refused when the claim is created.
func TestOIDCGroupsClaim(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	claims := "/api/v1/authorizationServers/default/claims"
	wantError(t, e.do(req{Method: "POST", Path: claims, Body: `{"name":"groups","claimType":"IDENTITY","valueType":"GROUPS",
		"group_filter_type":"REGEX","value":"(","alwaysIncludeInToken":true,"conditions":{"scopes":[]}}`}), 400, "E0000001")
	wantStatus(t, e.do(req{Method: "POST", Path: claims, Body: `{"name":"groups","claimType":"IDENTITY","valueType":"GROUPS",
		"group_filter_type":"REGEX","value":"Okta.*","alwaysIncludeInToken":true,"conditions":{"scopes":[]}}`}), 201)
	issuer := ts.URL + "/oauth2/default"
	conf := oauth2.Config{ClientID: "web", ClientSecret: "s3cret", RedirectURL: redirect, Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/v1/authorize", TokenURL: issuer + "/v1/token", AuthStyle: oauth2.AuthStyleInHeader}}
	q := authorize(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("sessionToken", "st1")))
	tok, err := conf.Exchange(t.Context(), q.Get("code"))
	if err != nil {
		t.Fatalf("exchange: %v (%v)", err, q)
	}
	raw, _ := tok.Extra("id_token").(string)
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	_ = json.Unmarshal(payload, &c)
	// The signed-in admin is in Everyone and Okta Administrators; only the second matches.
	if fmt.Sprint(c["groups"]) != "[Okta Administrators]" {
		t.Errorf("groups claim = %v, want [Okta Administrators]", c["groups"])
	}
}

// TestOIDCResponseModes: the code reaches the client in the mode it asks for — the query (the
// default), the fragment, an auto-submitting form (form_post) or a postMessage to the redirect
// URI's origin (okta_post_message) — with the state, and a state that tries to break out of
// the HTML is escaped.
func TestOIDCResponseModes(t *testing.T) {
	_, ts, _, _ := oauthEnv(t)
	const evil = `"></form><script>alert(1)</script>`
	for i, mode := range []string{"", "fragment", "form_post", "okta_post_message"} {
		q := url.Values{"client_id": {"web"}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {redirect},
			"state": {evil}, "sessionToken": {[]string{"st1", "st2", "st3", "st4"}[i]}}
		if mode != "" {
			q.Set("response_mode", mode)
		}
		resp, err := noRedirect().Get(ts.URL + "/oauth2/default/v1/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		switch mode {
		case "":
			if resp.StatusCode != 302 || !strings.HasPrefix(loc, redirect+"?") || !strings.Contains(loc, "code=") {
				t.Errorf("query: %d %s", resp.StatusCode, loc)
			}
		case "fragment":
			if resp.StatusCode != 302 || !strings.HasPrefix(loc, redirect+"#") || !strings.Contains(loc, "code=") {
				t.Errorf("fragment: %d %s", resp.StatusCode, loc)
			}
		case "form_post":
			if resp.StatusCode != 200 || !strings.Contains(string(body), `action="`+redirect+`"`) || !strings.Contains(string(body), `name="code"`) {
				t.Errorf("form_post: %d %s", resp.StatusCode, body)
			}
		case "okta_post_message":
			if resp.StatusCode != 200 || !strings.Contains(string(body), "postMessage(") || !strings.Contains(string(body), `"http://app.example"`) ||
				!strings.Contains(string(body), `"code":`) {
				t.Errorf("okta_post_message: %d %s", resp.StatusCode, body)
			}
		}
		if strings.Contains(string(body), "<script>alert") {
			t.Errorf("%s: the state was not escaped: %s", mode, body)
		}
		if mode == "form_post" || mode == "okta_post_message" {
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || resp.Header.Get("Cache-Control") == "" {
				t.Errorf("%s: Content-Type %q, Cache-Control %q", mode, ct, resp.Header.Get("Cache-Control"))
			}
		}
	}
}
