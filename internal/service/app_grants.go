package service

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

const appGrantKind = "grant"

// ScopeGrant is an admin's consent that an app may get an okta.* scope from the org
// authorization server (OAuth2ScopeConsentGrant; grantConsentToScope).
type ScopeGrant struct {
	ID          string      `json:"id"`
	AppID       string      `json:"appId"`
	ClientID    string      `json:"clientId"`
	Issuer      string      `json:"issuer"`
	ScopeID     string      `json:"scopeId"`
	Status      string      `json:"status"`
	Source      string      `json:"source"`
	CreatedBy   string      `json:"createdBy"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
}

// GrantScope records a scope consent grant for an OIDC app.
func (s *Service) GrantScope(ctx context.Context, appID, issuer, scopeID string) (ScopeGrant, error) {
	var fe domain.FieldErrors
	if strings.TrimSpace(issuer) == "" {
		fe.Add("issuer", "The field cannot be left blank")
	}
	if !strings.HasPrefix(scopeID, "okta.") {
		fe.Add("scopeId", "The scope "+scopeID+" is not an Okta API scope (okta.*)")
	}
	if err := fe.Err(); err != nil {
		return ScopeGrant{}, err
	}
	c := domain.CallerFrom(ctx)
	org, now := c.OrgID, s.now(ctx)
	var g ScopeGrant
	err := s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if a.ClientID() == "" {
			return domain.Validation("appId", "appId: Scope consent grants apply to OpenID Connect apps only")
		}
		g = ScopeGrant{ID: domain.NewID(s.IDs, "oag"), AppID: appID, ClientID: a.ClientID(), Issuer: strings.TrimRight(issuer, "/"),
			ScopeID: scopeID, Status: "ACTIVE", Source: "ADMIN", CreatedBy: c.UserID, Created: now, LastUpdated: now}
		if err := putJSON(ctx, tx, org, appGrantKind, appID, g.ID, g, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "app.oauth2.admin.consent.grant", "Grant scope consent to app", appTarget(a),
			domain.LogTarget{ID: scopeID, Type: "Scope", AlternateID: scopeID, DisplayName: scopeID}))
	})
	return g, err
}

func (s *Service) listGrants(ctx context.Context, org, appID string) ([]ScopeGrant, error) {
	objs, err := s.Store.ListAppObjects(ctx, org, appGrantKind, appID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]ScopeGrant, 0, len(objs))
	for _, o := range objs {
		var g ScopeGrant
		if err := json.Unmarshal(o.Data, &g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// ListScopeGrants returns an app's scope consent grants.
func (s *Service) ListScopeGrants(ctx context.Context, appID string) ([]ScopeGrant, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return nil, err
	}
	return s.listGrants(ctx, org, appID)
}

// GetScopeGrant returns one grant.
func (s *Service) GetScopeGrant(ctx context.Context, appID, id string) (ScopeGrant, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return ScopeGrant{}, err
	}
	o, err := s.Store.GetAppObject(ctx, org, appGrantKind, appID, id, "OAuth2ScopeConsentGrant")
	if err != nil {
		return ScopeGrant{}, err
	}
	var g ScopeGrant
	err = json.Unmarshal(o.Data, &g)
	return g, err
}

// RevokeScopeGrant deletes a grant (revokeScopeConsentGrant).
func (s *Service) RevokeScopeGrant(ctx context.Context, appID, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAppObject(ctx, org, appGrantKind, appID, id, "OAuth2ScopeConsentGrant"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "app.oauth2.admin.consent.revoke", "Revoke scope consent from app", appTarget(a)))
	})
}

// GrantedScopes returns the okta.* scopes granted to the OIDC client clientID, for the org
// authorization server (oidc.ScopeGrants).
func (s *Service) GrantedScopes(ctx context.Context, clientID string) ([]string, error) {
	org := orgID(ctx)
	o, err := s.Store.FindAppByLookup(ctx, org, clientID)
	if err != nil {
		return nil, err
	}
	grants, err := s.listGrants(ctx, org, o.ID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(grants))
	for _, g := range grants {
		if g.Status == "ACTIVE" {
			out = append(out, g.ScopeID)
		}
	}
	return out, nil
}
