package httpapi_test

import (
	"strings"
	"testing"
	"time"

	jwtverifier "github.com/okta/okta-jwt-verifier-golang/v2"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TestOktaJWTVerifierAcceptsOkapiTokens: Okta's own resource-server library,
// okta-jwt-verifier-golang, unmodified, verifies the access tokens and ID tokens okapi's
// default authorization server issues (discovery, JWKS, signature, iss, aud, cid, nonce, exp,
// iat), and refuses a tampered one. The library checks exp against the wall clock, so okapi's
// clock is set to it first.
func TestOktaJWTVerifierAcceptsOkapiTokens(t *testing.T) {
	e, ts, _, _ := oauthEnv(t)
	if w := e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`}); w.Code != 201 {
		t.Fatalf("add scope: %d %s", w.Code, w.Body)
	}
	e.clock.Set(time.Now()) // after the admin call: months on, the env's API token has expired
	issuer := ts.URL + "/oauth2/default"
	ctx := t.Context()

	cc := clientcredentials.Config{ClientID: "web", ClientSecret: "s3cret", TokenURL: issuer + "/v1/token", Scopes: []string{"things:read"}}
	at, err := cc.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	av, err := (&jwtverifier.JwtVerifier{Issuer: issuer,
		ClaimsToValidate: map[string]string{"aud": "api://default", "cid": "web"}}).New()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := av.VerifyAccessToken(at.AccessToken)
	if err != nil {
		t.Fatalf("okta-jwt-verifier refused okapi's access token: %v", err)
	}
	if tok.Claims["scp"] == nil || tok.Claims["cid"] != "web" {
		t.Errorf("access token claims %v", tok.Claims)
	}
	// One changed byte of the signature: refused.
	parts := strings.Split(at.AccessToken, ".")
	parts[2] = flip(parts[2])
	if _, err := av.VerifyAccessToken(strings.Join(parts, ".")); err == nil {
		t.Error("a tampered access token was accepted")
	}
	// The wrong audience: refused.
	wrong, _ := (&jwtverifier.JwtVerifier{Issuer: issuer, ClaimsToValidate: map[string]string{"aud": "api://other"}}).New()
	if _, err := wrong.VerifyAccessToken(at.AccessToken); err == nil {
		t.Error("an access token for api://default passed as api://other")
	}

	// An ID token from the authorization code flow, with its nonce.
	conf := oauth2.Config{ClientID: "web", ClientSecret: "s3cret", RedirectURL: redirect, Scopes: []string{"openid", "profile"},
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/v1/authorize", TokenURL: issuer + "/v1/token"}}
	q := authorize(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("nonce", "n-123"), oauth2.SetAuthURLParam("sessionToken", "st1")))
	ct, err := conf.Exchange(ctx, q.Get("code"))
	if err != nil {
		t.Fatalf("exchange: %v (authorize answered %v)", err, q)
	}
	raw, _ := ct.Extra("id_token").(string)
	iv, err := (&jwtverifier.JwtVerifier{Issuer: issuer, ClaimsToValidate: map[string]string{"aud": "web", "nonce": "n-123"}}).New()
	if err != nil {
		t.Fatal(err)
	}
	idt, err := iv.VerifyIdToken(raw)
	if err != nil {
		t.Fatalf("okta-jwt-verifier refused okapi's ID token: %v", err)
	}
	if idt.Claims["sub"] == nil || idt.Claims["nonce"] != "n-123" {
		t.Errorf("ID token claims %v", idt.Claims)
	}
	other, _ := (&jwtverifier.JwtVerifier{Issuer: issuer, ClaimsToValidate: map[string]string{"aud": "web", "nonce": "another"}}).New()
	if _, err := other.VerifyIdToken(raw); err == nil {
		t.Error("an ID token passed with another nonce")
	}
}

// flip changes the first character of a base64url string to another valid one.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
