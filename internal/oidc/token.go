package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// ClientAuth is the client authentication a token, introspect or revoke request carries.
type ClientAuth struct {
	// Basic is set when an Authorization: Basic header was sent.
	Basic              bool
	BasicID, BasicPass string
	Form               url.Values
	// Endpoint is the full URL of the endpoint, the aud a client_assertion must name.
	Endpoint string
}

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// authenticate identifies and authenticates the client (Okta's "Client authentication
// methods": client_secret_basic, client_secret_post, private_key_jwt, none).
func (p *Provider) authenticate(ctx context.Context, a ClientAuth) (domain.OAuthClient, *Error) {
	f := a.Form
	secret, assertion := f.Get("client_secret"), f.Get("client_assertion")
	n := 0
	for _, present := range []bool{a.Basic, secret != "", assertion != ""} {
		if present {
			n++
		}
	}
	if n > 1 {
		return domain.OAuthClient{}, ErrMultipleCreds
	}
	if p.Clients == nil {
		return domain.OAuthClient{}, ErrClientAuth
	}
	switch {
	case a.Basic:
		return p.secretClient(ctx, a.BasicID, a.BasicPass)
	case secret != "":
		return p.secretClient(ctx, f.Get("client_id"), secret)
	case assertion != "":
		if f.Get("client_assertion_type") != assertionType {
			return domain.OAuthClient{}, oauthErr(400, "invalid_request", "The client_assertion_type is invalid.")
		}
		return p.assertionClient(ctx, assertion, a.Endpoint)
	case f.Get("client_id") != "":
		c, err := p.Clients.OAuthClient(ctx, f.Get("client_id"))
		if err != nil || c.Status != StatusActive {
			return c, ErrClientAuth
		}
		if c.TokenEndpointAuthMethod != "none" {
			return c, oauthErr(401, "invalid_client", "The client secret supplied for a confidential client is invalid.")
		}
		return c, nil
	}
	return domain.OAuthClient{}, ErrNoClientCredentials
}

func (p *Provider) secretClient(ctx context.Context, id, secret string) (domain.OAuthClient, *Error) {
	if id == "" {
		return domain.OAuthClient{}, ErrNoClientCredentials
	}
	if err := p.Clients.VerifyClientSecret(ctx, id, secret); err != nil {
		return domain.OAuthClient{}, ErrClientAuth
	}
	c, err := p.Clients.OAuthClient(ctx, id)
	if err != nil || c.Status != StatusActive {
		return c, ErrClientAuth
	}
	return c, nil
}

var assertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512}

// assertionClient checks a private_key_jwt client_assertion (RFC 7523): iss = sub = client_id,
// aud the endpoint, exp in the future (at most an hour), signed by a key of the client's JWKS,
// jti not seen before.
func (p *Provider) assertionClient(ctx context.Context, assertion, endpoint string) (domain.OAuthClient, *Error) {
	tok, err := jwt.ParseSigned(assertion, assertionAlgs)
	if err != nil {
		return domain.OAuthClient{}, oauthErr(401, "invalid_client", "The client_assertion signature is invalid.")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return domain.OAuthClient{}, ErrClientAuth
	}
	c, err := p.Clients.OAuthClient(ctx, unverified.Issuer)
	if err != nil || c.Status != StatusActive {
		return c, oauthErr(401, "invalid_client", "The issuer claim for client_assertion is not a valid client_id.")
	}
	if unverified.Subject != c.ClientID {
		return c, oauthErr(401, "invalid_client", "The subject claim for client_assertion must match the issuer claim.")
	}
	var set jose.JSONWebKeySet
	if len(c.JWKS) == 0 || json.Unmarshal(c.JWKS, &set) != nil {
		return c, oauthErr(401, "invalid_client", "The client_assertion signature is invalid.")
	}
	var claims jwt.Claims
	verified := false
	for _, k := range set.Keys {
		if kid := tok.Headers[0].KeyID; kid != "" && k.KeyID != "" && kid != k.KeyID {
			continue
		}
		if tok.Claims(k.Key, &claims) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return c, oauthErr(401, "invalid_client", "The client_assertion signature is invalid.")
	}
	now := p.Now(ctx)
	if err := claims.ValidateWithLeeway(jwt.Expected{Issuer: c.ClientID, Subject: c.ClientID, AnyAudience: jwt.Audience{endpoint}, Time: now}, 0); err != nil {
		if errors.Is(err, jwt.ErrInvalidAudience) {
			return c, oauthErr(401, "invalid_client", "The audience claim for client_assertion must be the endpoint invoked for the request.")
		}
		return c, oauthErr(401, "invalid_client", "The client_assertion token is expired or not yet valid.")
	}
	if claims.Expiry == nil || claims.Expiry.Time().After(now.Add(time.Hour+time.Minute)) {
		return c, oauthErr(401, "invalid_client", "The client_assertion token has an expiration too far into the future.")
	}
	if claims.ID != "" {
		err := p.Store.Update(ctx, func(tx store.Tx) error {
			return tx.CreateOAuthGrant(ctx, orgOf(ctx), store.OAuthGrant{ID: "jti:" + c.ClientID + ":" + claims.ID, Kind: "jti",
				ClientID: c.ClientID, Body: []byte(`{}`), ExpiresAt: claims.Expiry.Time().UnixMilli(), Used: true})
		})
		if errors.Is(err, store.ErrConflict) {
			return c, oauthErr(401, "invalid_client", "The client_assertion token has already been used.")
		}
		if err != nil {
			return c, oauthErr(500, "server_error", err.Error())
		}
	}
	return c, nil
}

// Token is POST /v1/token.
func (p *Provider) Token(ctx context.Context, s Server, a ClientAuth) (TokenResponse, error) {
	if s.Custom && s.AS.Status != StatusActive {
		return TokenResponse{}, ErrServerInactive
	}
	c, e := p.authenticate(ctx, a)
	if e != nil {
		if e.Code == "invalid_client" && e != ErrNoClientCredentials {
			p.logClientFailure(ctx, s, clientIDOf(a, c))
		}
		return TokenResponse{}, e
	}
	f := a.Form
	grant := f.Get("grant_type")
	supported := p.SupportedGrants()
	if grant == "" {
		return TokenResponse{}, oauthErr(400, "invalid_request", "The request is missing a required parameter: 'grant_type'.")
	}
	if !slices.Contains(supported, grant) {
		return TokenResponse{}, unsupportedGrant(supported)
	}
	if !slices.Contains(c.GrantTypes, grant) {
		return TokenResponse{}, unauthorizedClient(c.GrantTypes)
	}
	switch grant {
	case "client_credentials":
		return p.clientCredentials(ctx, s, c, f)
	case "authorization_code":
		return p.authorizationCode(ctx, s, c, f)
	case "password":
		return p.password(ctx, s, c, f)
	default:
		return p.refresh(ctx, s, c, f)
	}
}

func (p *Provider) clientCredentials(ctx context.Context, s Server, c domain.OAuthClient, f url.Values) (TokenResponse, error) {
	if c.TokenEndpointAuthMethod == "none" {
		return TokenResponse{}, unauthorizedClient(c.GrantTypes)
	}
	if !s.Custom {
		if c.ApplicationType != "service" {
			return TokenResponse{}, ErrOrgCC
		}
		if c.TokenEndpointAuthMethod != "private_key_jwt" {
			return TokenResponse{}, ErrOrgCCKey
		}
	}
	scopes := strings.Fields(f.Get("scope"))
	if len(scopes) == 0 {
		scopes = p.defaultScopes(ctx, s)
	}
	if len(scopes) == 0 {
		return TokenResponse{}, oauthErr(400, "invalid_scope", "The authorization server does not have any default scopes, please specify a scope.")
	}
	for _, sc := range scopes {
		if slices.Contains([]string{"openid", "profile", "email", "address", "phone", "offline_access"}, sc) {
			return TokenResponse{}, ErrOpenIDCC
		}
		if !s.Custom && !strings.HasPrefix(sc, "okta.") {
			return TokenResponse{}, ErrInvalidScope
		}
	}
	if e := p.checkScopes(ctx, s, scopes); e != nil {
		return TokenResponse{}, e
	}
	if !s.Custom {
		grants, ok := p.Clients.(ScopeGrants)
		if !ok {
			return TokenResponse{}, ErrInvalidScope
		}
		granted, err := grants.GrantedScopes(ctx, c.ClientID)
		if err != nil || !allIn(scopes, granted) {
			return TokenResponse{}, ErrInvalidScope
		}
	}
	d, e := p.evaluate(ctx, s, c, "client_credentials", "", scopes)
	if e != nil {
		return TokenResponse{}, e
	}
	return p.issue(ctx, s, c, nil, d, grantData{Scopes: scopes}, "client_credentials", nil)
}

func (p *Provider) authorizationCode(ctx context.Context, s Server, c domain.OAuthClient, f url.Values) (TokenResponse, error) {
	code := f.Get("code")
	if code == "" {
		return TokenResponse{}, oauthErr(400, "invalid_request", "The request is missing a required parameter: 'code'.")
	}
	org := orgOf(ctx)
	g, err := p.Store.GetOAuthGrant(ctx, org, grantID("code", code))
	if err != nil || g.Kind != "code" || g.ServerID != s.KeyID || g.Used || p.Now(ctx).UnixMilli() >= g.ExpiresAt {
		return TokenResponse{}, ErrBadCode
	}
	if g.ClientID != c.ClientID {
		return TokenResponse{}, ErrCodeOtherClient
	}
	var d grantData
	if json.Unmarshal(g.Body, &d) != nil {
		return TokenResponse{}, ErrBadCode
	}
	if f.Get("redirect_uri") != d.RedirectURI {
		return TokenResponse{}, ErrRedirectMismatch
	}
	if d.Challenge != "" {
		v := f.Get("code_verifier")
		sum := sha256.Sum256([]byte(v))
		if v == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != d.Challenge {
			return TokenResponse{}, ErrPKCE
		}
	} else if f.Get("code_verifier") != "" {
		return TokenResponse{}, ErrPKCE
	}
	var won bool
	if err := p.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		won, err = tx.UseOAuthGrant(ctx, org, g.ID, p.Now(ctx).UnixMilli())
		return err
	}); err != nil {
		return TokenResponse{}, err
	}
	if !won {
		return TokenResponse{}, ErrBadCode
	}
	user, err := p.Store.GetUser(ctx, org, g.UserID)
	if err != nil {
		return TokenResponse{}, ErrBadCode
	}
	dec, e := p.evaluate(ctx, s, c, "authorization_code", user.ID, d.Scopes)
	if e != nil {
		return TokenResponse{}, e
	}
	return p.issue(ctx, s, c, &user, dec, d, "authorization_code", nil)
}

// SupportedGrants are the grant types the token endpoint serves; password only when sign-in
// can check passwords (Passwords).
func (p *Provider) SupportedGrants() []string {
	grants := []string{"authorization_code", "refresh_token", "client_credentials"}
	if _, ok := p.Sessions.(Passwords); ok {
		grants = append(grants, "password")
	}
	return grants
}

// ErrBadCredentials is Okta's answer to a password grant whose user cannot sign in with that
// password: a wrong password, an unknown, locked or inactive user, or one whose sign-in needs
// more than a password (an expired password, a factor). Okta does not say which.
var ErrBadCredentials = oauthErr(400, "invalid_grant", "The credentials provided were invalid.")

// password is the resource owner password grant (RFC 6749 section 4.3; Okta: "Implement the
// Resource Owner Password flow"): the user's username and password, checked as the Authn API
// checks them, for the requested scopes.
func (p *Provider) password(ctx context.Context, s Server, c domain.OAuthClient, f url.Values) (TokenResponse, error) {
	username, pw := f.Get("username"), f.Get("password")
	for _, name := range []string{"username", "password"} {
		if f.Get(name) == "" {
			return TokenResponse{}, oauthErr(400, "invalid_request", "The request is missing a required parameter: '"+name+"'.")
		}
	}
	scopes := strings.Fields(f.Get("scope"))
	if len(scopes) == 0 {
		return TokenResponse{}, oauthErr(400, "invalid_scope", "The authorization server does not have any default scopes, please specify a scope.")
	}
	if e := p.checkScopes(ctx, s, scopes); e != nil {
		return TokenResponse{}, e
	}
	sess, err := p.Sessions.(Passwords).PasswordSession(ctx, username, pw)
	if err != nil {
		return TokenResponse{}, err
	}
	if sess.UserID == "" {
		return TokenResponse{}, ErrBadCredentials
	}
	user, err := p.Store.GetUser(ctx, orgOf(ctx), sess.UserID)
	if err != nil {
		return TokenResponse{}, ErrBadCredentials
	}
	dec, e := p.evaluate(ctx, s, c, "password", user.ID, scopes)
	if e != nil {
		return TokenResponse{}, e
	}
	g := grantData{Scopes: scopes, AuthTime: sess.CreatedAt.Unix(), AMR: sess.AMR, Login: sess.Login}
	return p.issue(ctx, s, c, &user, dec, g, "password", nil)
}
