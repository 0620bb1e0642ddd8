package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	okoidc "github.com/okapi-dev/okapi/internal/oidc"
)

// TestOIDCWithRealSignIn: a user signs in with the Authn API, and the sessionToken it returns
// gets an authorization code a go-oidc relying party exchanges for a verified ID token. It runs
// once *service.Service is sign-in's oidc.Sessions (the sign-in family), and skips before.
func TestOIDCWithRealSignIn(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	sessions, ok := any(e.svc).(okoidc.Sessions)
	if !ok {
		t.Skip("sign-in (oidc.Sessions on *service.Service) is not in this build")
	}
	e.api.OAuthProvider().Sessions = sessions
	w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"login":"ann@example.com","email":"ann@example.com","firstName":"Ann","lastName":"A"},"credentials":{"password":{"value":"Sup3r-secret-pw!"}}}`})
	if w.Code != 200 {
		t.Fatalf("create user = %d %s", w.Code, w.Body)
	}
	resp, err := http.Post(ts.URL+"/api/v1/authn", "application/json", strings.NewReader(`{"username":"ann@example.com","password":"Sup3r-secret-pw!"}`))
	if err != nil {
		t.Fatal(err)
	}
	var authn map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&authn)
	resp.Body.Close()
	st, _ := authn["sessionToken"].(string)
	if st == "" {
		t.Fatalf("authn = %v", authn)
	}
	ctx := t.Context()
	provider, err := oidc.NewProvider(ctx, ts.URL+"/oauth2/default")
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: "web", ClientSecret: "s3cret", Endpoint: provider.Endpoint(), RedirectURL: redirect, Scopes: []string{"openid", "profile"}}
	v := oauth2.GenerateVerifier()
	q := authorize(t, conf.AuthCodeURL("s", oauth2.S256ChallengeOption(v), oauth2.SetAuthURLParam("sessionToken", st)))
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatalf("exchange: %v (authorize answered %v)", err, q)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: "web", Now: e.clock.Now}).Verify(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	_ = idt.Claims(&c)
	if c["preferred_username"] != "ann@example.com" || c["name"] != "Ann A" {
		t.Fatalf("ID token claims %v", c)
	}
}
