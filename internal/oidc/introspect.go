package oidc

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Introspect is POST /v1/introspect (RFC 7662): {"active":false} for anything this server did
// not issue, expired or revoked.
func (p *Provider) Introspect(ctx context.Context, s Server, a ClientAuth) (map[string]any, error) {
	c, e := p.authenticate(ctx, a)
	if e != nil {
		return nil, e
	}
	tok := a.Form.Get("token")
	if tok == "" {
		return nil, oauthErr(400, "invalid_request", "The request is missing a required parameter: 'token'.")
	}
	inactive := map[string]any{"active": false}
	if claims, ok := p.verify(ctx, s, tok); ok {
		out := map[string]any{"active": true, "token_type": "Bearer", "exp": claims["exp"], "iat": claims["iat"],
			"sub": claims["sub"], "aud": claims["aud"], "iss": claims["iss"], "jti": claims["jti"]}
		if scp, ok := claims["scp"].([]any); ok {
			out["scope"] = joinAny(scp)
			out["client_id"] = claims["cid"]
		} else {
			out["client_id"] = claims["aud"]
		}
		if uid, ok := claims["uid"]; ok {
			out["uid"], out["username"] = uid, claims["sub"]
		}
		return out, nil
	}
	g, err := p.Store.GetOAuthGrant(ctx, orgOf(ctx), grantID("rt", tok))
	if err != nil || g.Kind != kindRefresh || g.Used || g.Revoked || g.ServerID != s.KeyID || g.ClientID != c.ClientID || p.Now(ctx).UnixMilli() >= g.ExpiresAt {
		return inactive, nil
	}
	var d grantData
	_ = json.Unmarshal(g.Body, &d)
	out := map[string]any{"active": true, "token_type": "Bearer", "scope": joinStrings(d.Scopes), "client_id": g.ClientID, "uid": g.UserID}
	if g.ExpiresAt < never/2 {
		out["exp"] = g.ExpiresAt / 1000
	}
	if u, err := p.Store.GetUser(ctx, orgOf(ctx), g.UserID); err == nil {
		out["username"], out["sub"] = u.Login(), u.Login()
	}
	return out, nil
}

func joinAny(xs []any) string {
	ss := make([]string, 0, len(xs))
	for _, x := range xs {
		if s, ok := x.(string); ok {
			ss = append(ss, s)
		}
	}
	return joinStrings(ss)
}

func joinStrings(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// Revoke is POST /v1/revoke (RFC 7009): 200 whatever the token; a client revokes only its own.
// Access tokens are revoked by jti (a row every instance reads on verify). Revoking a refresh
// token revokes its family, the access tokens issued with it included ("revoking a refresh
// token does revoke the associated access token": Okta's "Revoke tokens" guide).
func (p *Provider) Revoke(ctx context.Context, s Server, a ClientAuth) error {
	c, e := p.authenticate(ctx, a)
	if e != nil {
		return e
	}
	tok := a.Form.Get("token")
	if tok == "" {
		return oauthErr(400, "invalid_request", "The request is missing a required parameter: 'token'.")
	}
	org, now := orgOf(ctx), p.now(ctx)
	// app.oauth2.as.token.revoke on a custom server, app.oauth2.token.revoke on the org server.
	revoked := func(userID string) domain.LogEvent {
		return p.clientEvent(ctx, now, c.ClientID, tokenEventType(s, "revoke"), "OAuth2 token revocation request", p.userOf(ctx, userID))
	}
	if claims, ok := p.verify(ctx, s, tok); ok {
		cid, _ := claims["cid"].(string)
		if cid == "" {
			cid, _ = claims["aud"].(string)
		}
		jti, _ := claims["jti"].(string)
		exp, _ := claims["exp"].(float64)
		if cid != c.ClientID || jti == "" {
			return nil
		}
		_, tracked := p.Store.GetOAuthGrant(ctx, org, revokedID(jti))
		uid, _ := claims["uid"].(string)
		ev := revoked(uid)
		return p.Store.Update(ctx, func(tx store.Tx) error {
			var err error
			if tracked == nil {
				err = tx.RevokeOAuthGrant(ctx, org, revokedID(jti))
			} else {
				err = tx.CreateOAuthGrant(ctx, org, store.OAuthGrant{ID: revokedID(jti), Kind: "revoked", ServerID: s.KeyID,
					ClientID: c.ClientID, Body: []byte(`{}`), ExpiresAt: int64(exp) * 1000, Used: true})
			}
			if err != nil {
				return err
			}
			return tx.AppendEvents(ctx, org, ev)
		})
	}
	g, err := p.Store.GetOAuthGrant(ctx, org, grantID("rt", tok))
	if err != nil || g.Kind != kindRefresh || g.ClientID != c.ClientID || g.ServerID != s.KeyID {
		return nil
	}
	ev := revoked(g.UserID)
	return p.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.RevokeOAuthFamily(ctx, org, g.FamilyID); err != nil {
			return err
		}
		if err := tx.RevokeOAuthGrant(ctx, org, g.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, ev)
	})
}

// UserInfo errors, with the WWW-Authenticate header Okta sends.
var (
	ErrUserInfoToken = oauthErr(401, "invalid_token", "The access token is invalid")
	ErrUserInfoScope = oauthErr(403, "insufficient_scope", "The access token must provide access to at least one of these scopes - profile, email, address or phone")
)

// UserInfo is /v1/userinfo: the user's claims for the token's scopes, sub = the user id.
func (p *Provider) UserInfo(ctx context.Context, s Server, bearer string) (map[string]any, error) {
	claims, ok := p.verify(ctx, s, bearer)
	uid, _ := claims["uid"].(string)
	scp, _ := claims["scp"].([]any)
	if !ok || uid == "" || scp == nil {
		return nil, ErrUserInfoToken
	}
	scopes := make([]string, 0, len(scp))
	for _, x := range scp {
		if s, ok := x.(string); ok {
			scopes = append(scopes, s)
		}
	}
	if !slices.Contains(scopes, "openid") {
		return nil, ErrUserInfoScope
	}
	u, err := p.Store.GetUser(ctx, orgOf(ctx), uid)
	if err != nil {
		return nil, ErrUserInfoToken
	}
	out := map[string]any{"sub": u.ID}
	addProfileClaims(out, &u, scopes)
	return out, nil
}

// LogoutRedirect is where /v1/logout sends the browser: post_logout_redirect_uri (with state)
// only when it is registered for the client the id_token_hint was issued to, which may have
// expired; the org URL when none is asked for.
func (p *Provider) LogoutRedirect(ctx context.Context, s Server, hint, target, state string) (string, error) {
	claims, ok := p.verifyToken(ctx, s, hint, true)
	if hint == "" || !ok {
		return "", oauthErr(400, "invalid_request", "The 'id_token_hint' parameter is missing or invalid.")
	}
	if target == "" {
		return s.OrgURL, nil
	}
	aud, _ := claims["aud"].(string)
	if p.Clients == nil {
		return "", oauthErr(400, "invalid_request", "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.")
	}
	c, err := p.Clients.OAuthClient(ctx, aud)
	if err != nil || !slices.Contains(c.PostLogoutRedirectURIs, target) {
		return "", oauthErr(400, "invalid_request", "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.")
	}
	if state != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "state=" + url.QueryEscape(state)
	}
	return target, nil
}

// ManagementToken verifies an access token the org server issued for the Management API
// (https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/): signed by the
// org server's keys, iss and aud the org URL, unexpired and not revoked. It returns the client
// id and the granted scopes.
func (p *Provider) ManagementToken(ctx context.Context, orgURL, raw string) (string, []string, bool) {
	if err := p.ensureSeeded(ctx); err != nil {
		return "", nil, false
	}
	s := Server{KeyID: OrgServerID, Issuer: orgURL, OrgURL: orgURL}
	claims, ok := p.verify(ctx, s, raw)
	if !ok || claims["aud"] != orgURL {
		return "", nil, false
	}
	cid, _ := claims["cid"].(string)
	scp, _ := claims["scp"].([]any)
	scopes := make([]string, 0, len(scp))
	for _, x := range scp {
		if s, ok := x.(string); ok {
			scopes = append(scopes, s)
		}
	}
	return cid, scopes, cid != ""
}
