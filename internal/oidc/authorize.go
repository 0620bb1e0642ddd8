package oidc

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// AuthorizeRequest is GET /v1/authorize's query, plus okapi's session cookie.
type AuthorizeRequest struct {
	ClientID, ResponseType, Scope, RedirectURI, State, Nonce, ResponseMode string
	CodeChallenge, CodeChallengeMethod, Prompt, SessionToken, SessionID    string
}

// AuthorizeResult is where /authorize sends the browser. With Redirect false the request was
// refused before the redirect URI was trusted: the error goes to the user agent, never to the URI.
type AuthorizeResult struct {
	Redirect    bool
	RedirectURI string
	Mode        string
	Params      map[string]string
	Err         *Error
}

// Authorize is /v1/authorize for response_type=code: it validates the client and redirect URI,
// needs a signed-in user (sessionToken or session; there is no hosted sign-in page, so without
// one the answer is login_required as for prompt=none), and stores a 300 s single-use code.
func (p *Provider) Authorize(ctx context.Context, s Server, q AuthorizeRequest) AuthorizeResult {
	fail := func(e *Error) AuthorizeResult { return AuthorizeResult{Err: e} }
	if p.Clients == nil {
		return fail(oauthErr(400, "invalid_client", "Invalid value for 'client_id' parameter."))
	}
	c, err := p.Clients.OAuthClient(ctx, q.ClientID)
	if q.ClientID == "" || err != nil || c.Status != StatusActive {
		return fail(oauthErr(400, "invalid_client", "Invalid value for 'client_id' parameter."))
	}
	if q.RedirectURI == "" || !slices.Contains(c.RedirectURIs, q.RedirectURI) {
		return fail(oauthErr(400, "invalid_request", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://developer.okta.com/docs/guides/sign-into-web-app/-/create-okta-application/"))
	}
	mode := q.ResponseMode
	if mode == "" {
		mode = "query"
	}
	res := AuthorizeResult{Redirect: true, RedirectURI: q.RedirectURI, Mode: mode, Params: map[string]string{}}
	if q.State != "" {
		res.Params["state"] = q.State
	}
	redirErr := func(e *Error) AuthorizeResult {
		res.Params["error"], res.Params["error_description"] = e.Code, e.Description
		res.Err = e
		return res
	}
	if !slices.Contains([]string{"query", "fragment", "form_post", "okta_post_message"}, mode) {
		res.Mode = "query"
		return redirErr(oauthErr(400, "unsupported_response_mode", "The response mode '"+mode+"' is not supported."))
	}
	if s.Custom && s.AS.Status != StatusActive {
		return redirErr(ErrServerInactive)
	}
	if q.ResponseType != "code" {
		return redirErr(oauthErr(400, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code]."))
	}
	if !slices.Contains(c.GrantTypes, "authorization_code") {
		return redirErr(oauthErr(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: ["+strings.Join(c.GrantTypes, ", ")+"]."))
	}
	if q.State == "" {
		return redirErr(oauthErr(400, "invalid_request", "The authentication request has an invalid 'state' parameter."))
	}
	scopes := strings.Fields(q.Scope)
	if len(scopes) == 0 {
		return redirErr(oauthErr(400, "invalid_scope", "The authentication request has an invalid 'scope' parameter."))
	}
	if e := p.checkScopes(ctx, s, scopes); e != nil {
		return redirErr(e)
	}
	if q.CodeChallenge == "" && (c.TokenEndpointAuthMethod == "none" || c.PKCERequired) {
		return redirErr(oauthErr(400, "invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'."))
	}
	if q.CodeChallenge != "" && q.CodeChallengeMethod != "S256" {
		return redirErr(oauthErr(400, "invalid_request", "The 'code_challenge_method' parameter is invalid. Only S256 is supported."))
	}
	if q.CodeChallenge != "" && (len(q.CodeChallenge) < 43 || len(q.CodeChallenge) > 128) {
		return redirErr(oauthErr(400, "invalid_request", "The 'code_challenge' parameter is invalid."))
	}
	sess, ok := p.session(ctx, q)
	if !ok {
		return redirErr(oauthErr(400, "login_required", "The client specified not to prompt, but the user is not logged in."))
	}
	d, e := p.evaluate(ctx, s, c, "authorization_code", sess.UserID, scopes)
	if e != nil {
		return redirErr(e)
	}
	code := p.randomToken()
	body, _ := json.Marshal(grantData{RedirectURI: q.RedirectURI, Scopes: scopes, Nonce: q.Nonce, Challenge: q.CodeChallenge,
		AuthTime: sess.CreatedAt.Unix(), AMR: sess.AMR, Login: sess.Login, AccessMinutes: d.access, RefreshMins: d.refresh})
	org, now := orgOf(ctx), p.now(ctx)
	typ := "app.oauth2.authorize.code"
	if s.Custom {
		typ = "app.oauth2.as.authorize.code"
	}
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOAuthGrant(ctx, org, store.OAuthGrant{ID: grantID("code", code), Kind: "code", ServerID: s.KeyID,
			ClientID: c.ClientID, UserID: sess.UserID, Body: body, ExpiresAt: now.Add(300 * time.Second).UnixMilli()}); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, typ, "OAuth2 authorization code request",
			clientTarget(c.ClientID),
			domain.LogTarget{ID: sess.UserID, Type: "User", AlternateID: sess.Login, DisplayName: sess.Login}))
	})
	if err != nil {
		return redirErr(oauthErr(500, "server_error", "The authorization server encountered an unexpected condition."))
	}
	res.Params["code"] = code
	return res
}

// session finds the signed-in user: the sessionToken (Okta's one-time token from the Authn API)
// wins over the session cookie; prompt=login ignores the cookie.
func (p *Provider) session(ctx context.Context, q AuthorizeRequest) (domain.Session, bool) {
	if p.Sessions == nil {
		return domain.Session{}, false
	}
	if q.SessionToken != "" {
		s, err := p.Sessions.RedeemSessionToken(ctx, q.SessionToken)
		return s, err == nil && s.Status == StatusActive
	}
	if q.SessionID != "" && !strings.Contains(q.Prompt, "login") {
		s, err := p.Sessions.SessionByID(ctx, q.SessionID)
		return s, err == nil && s.Status == StatusActive
	}
	return domain.Session{}, false
}
