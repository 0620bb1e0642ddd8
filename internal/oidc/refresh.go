package oidc

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Refresh tokens as Okta's "Refresh access tokens and rotate refresh tokens" guide describes
// them. Every refresh token belongs to a family: the tokens rotated from one grant and the
// access tokens issued with them (an access token's revocation row "rev:<jti>" is written with
// the family id, so revoking the family revokes it too). All of it is in the database, so any
// instance sees a rotation or a revocation made on another.
//
//   - STATIC: the same refresh token is returned on each use and keeps working.
//   - ROTATE: each use returns a new refresh token; the used one still works for the app's
//     leeway (seconds, a grace period for a client whose response was lost). Used again after
//     that, Okta "detects the attempted reuse ... and invalidates the most recently issued
//     refresh token and all access tokens issued since the user authenticated": the whole
//     family is revoked and the request fails invalid_grant.
//
// Lifetimes come from the policy rule: refreshTokenLifetimeMinutes bounds the family from the
// first grant (0 = unlimited; a rotated token keeps the original expiry, as Okta's support
// article "Refresh Token Expiration Behavior" says) and refreshTokenWindowMinutes expires a
// token unused that long.

const (
	kindRefresh = "refresh"
	// kindAccess rows record an access token issued with a refresh token, under its
	// revocation id, so that revoking the family revokes it.
	kindAccess = "access"
)

// never is the expiry of a grant without one.
const never = int64(1<<62 - 1)

// spent is the refresh token a refresh_token grant presented.
type spent struct {
	raw  string
	row  store.OAuthGrant
	data grantData
}

// rotation is the client's refresh_token.rotation_type, Okta's default when unset: ROTATE for
// browser apps (SPAs), STATIC for the others (OpenIdConnectRefreshTokenRotationType).
func rotation(c domain.OAuthClient) string {
	if c.RefreshRotation != "" {
		return c.RefreshRotation
	}
	if c.ApplicationType == "browser" {
		return "ROTATE"
	}
	return "STATIC"
}

// idleExpiry is when a refresh token used (or issued) at now expires: the family's end or the
// end of the idle window, whichever is first.
func idleExpiry(now time.Time, familyExp int64, windowMins int) int64 {
	exp := never
	if familyExp > 0 {
		exp = familyExp
	}
	if windowMins > 0 {
		exp = min(exp, now.Add(time.Duration(windowMins)*time.Minute).UnixMilli())
	}
	return exp
}

// familyOf is the family id and end of a presented token; rows written before families
// existed start one of their own.
func (sp *spent) familyOf() (string, int64) {
	if sp.data.Family != "" {
		return sp.data.Family, sp.data.FamilyExp
	}
	if sp.row.ExpiresAt < never/2 {
		return sp.row.ID, sp.row.ExpiresAt
	}
	return sp.row.ID, 0
}

// storeRefresh writes the refresh token of a response, records the access token (jti,
// expiring at atExp) in its family and appends the grant's events evs, in one transaction.
// from is the presented token on a refresh_token grant, nil on a new grant.
func (p *Provider) storeRefresh(ctx context.Context, s Server, c domain.OAuthClient, user *domain.User, d decision, g grantData, from *spent, jti string, atExp int64, evs []domain.LogEvent) (string, error) {
	org, now := orgOf(ctx), p.Now(ctx)
	var family string
	var familyExp int64
	if from != nil {
		family, familyExp = from.familyOf()
		g.Scopes = from.data.Scopes
	} else if d.refresh > 0 {
		familyExp = now.Add(time.Duration(d.refresh) * time.Minute).UnixMilli()
	}
	expires := idleExpiry(now, familyExp, d.window)
	rt := ""
	err := p.Store.Update(ctx, func(tx store.Tx) error {
		if from != nil && rotation(c) == "STATIC" {
			rt = from.raw
			if err := tx.ExtendOAuthGrant(ctx, org, from.row.ID, expires); err != nil {
				return err
			}
		} else {
			rt = p.randomToken()
			id := grantID("rt", rt)
			if family == "" {
				family = id
			}
			body, _ := json.Marshal(grantData{Scopes: g.Scopes, AuthTime: g.AuthTime, AMR: g.AMR, RefreshMins: d.refresh,
				AccessMinutes: d.access, Family: family, FamilyExp: familyExp})
			if err := tx.CreateOAuthGrant(ctx, org, store.OAuthGrant{ID: id, Kind: kindRefresh, ServerID: s.KeyID,
				ClientID: c.ClientID, UserID: user.ID, Body: body, ExpiresAt: expires, FamilyID: family}); err != nil {
				return err
			}
		}
		if err := tx.CreateOAuthGrant(ctx, org, store.OAuthGrant{ID: revokedID(jti), Kind: kindAccess, ServerID: s.KeyID,
			ClientID: c.ClientID, UserID: user.ID, Body: []byte(`{}`), ExpiresAt: atExp, FamilyID: family}); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, evs...)
	})
	return rt, err
}

// redeemRefresh checks a presented refresh token and spends it (ROTATE), or answers
// invalid_grant, revoking the family when a rotated token comes back after its leeway.
func (p *Provider) redeemRefresh(ctx context.Context, s Server, c domain.OAuthClient, rt string) (*spent, *Error) {
	org, now := orgOf(ctx), p.Now(ctx)
	g, err := p.Store.GetOAuthGrant(ctx, org, grantID("rt", rt))
	if rt == "" || err != nil || g.Kind != kindRefresh || g.ServerID != s.KeyID || g.ClientID != c.ClientID || g.Revoked || now.UnixMilli() >= g.ExpiresAt {
		return nil, ErrBadRefresh
	}
	sp := &spent{raw: rt, row: g}
	if json.Unmarshal(g.Body, &sp.data) != nil {
		return nil, ErrBadRefresh
	}
	if rotation(c) != "ROTATE" {
		if g.Used {
			return nil, ErrBadRefresh
		}
		return sp, nil
	}
	if !g.Used {
		var won bool
		if err := p.Store.Update(ctx, func(tx store.Tx) error {
			var err error
			won, err = tx.UseOAuthGrant(ctx, org, g.ID, now.UnixMilli())
			return err
		}); err != nil {
			return nil, oauthErr(500, "server_error", err.Error())
		}
		if won {
			return sp, nil
		}
		// Another request rotated it meanwhile: judge it as a used token.
		if g, err = p.Store.GetOAuthGrant(ctx, org, g.ID); err != nil {
			return nil, ErrBadRefresh
		}
	}
	if now.UnixMilli() < g.UsedAt+int64(c.RefreshLeeway)*1000 {
		return sp, nil
	}
	p.detectReuse(ctx, s, c, sp)
	return nil, ErrBadRefresh
}

// detectReuse revokes the family of a rotated token presented after its leeway and logs
// app.oauth2.as.token.detect_reuse (custom servers) or app.oauth2.token.detect_reuse (org),
// the events Okta's guide names.
func (p *Provider) detectReuse(ctx context.Context, s Server, c domain.OAuthClient, sp *spent) {
	org, now := orgOf(ctx), p.now(ctx)
	family, _ := sp.familyOf()
	ev := p.clientEvent(ctx, now, c.ClientID, tokenEventType(s, "detect_reuse"), "OAuth2 refresh token reuse detected", nil)
	_ = p.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.RevokeOAuthFamily(ctx, org, family); err != nil {
			return err
		}
		if err := tx.RevokeOAuthGrant(ctx, org, sp.row.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, ev)
	})
}

func (p *Provider) refresh(ctx context.Context, s Server, c domain.OAuthClient, f url.Values) (TokenResponse, error) {
	sp, e := p.redeemRefresh(ctx, s, c, f.Get("refresh_token"))
	if e != nil {
		return TokenResponse{}, e
	}
	d := sp.data
	if req := strings.Fields(f.Get("scope")); len(req) > 0 {
		if !allIn(req, d.Scopes) {
			return TokenResponse{}, ErrInvalidScope
		}
		d.Scopes = req
	}
	user, err := p.Store.GetUser(ctx, orgOf(ctx), sp.row.UserID)
	if err != nil || user.Status != domain.StatusActive {
		return TokenResponse{}, ErrBadRefresh
	}
	dec, e := p.evaluate(ctx, s, c, "refresh_token", user.ID, d.Scopes)
	if e != nil {
		return TokenResponse{}, e
	}
	d.Nonce = ""
	return p.issue(ctx, s, c, &user, dec, d, "refresh_token", sp)
}

// wantsRefresh: a refresh token goes with a response when offline_access was granted and the
// client has the refresh_token grant; on a refresh_token grant the presented token's scopes
// decide, so asking for fewer scopes does not lose the token.
func wantsRefresh(c domain.OAuthClient, user *domain.User, scopes []string, from *spent) bool {
	if user == nil || !slices.Contains(c.GrantTypes, "refresh_token") {
		return false
	}
	if from != nil {
		scopes = from.data.Scopes
	}
	return slices.Contains(scopes, "offline_access")
}
