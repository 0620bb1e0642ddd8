package service

import (
	"context"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/idp"
	"github.com/okapi-dev/okapi/internal/store"
)

// errNotSAMLApp answers the SAML metadata of an app that does not sign on with SAML. Okta's
// exact wording here is unverified; it is the not-found Okta gives other mode-specific app
// sub-resources (the OIDC ID token settings of a non-OIDC app answer 404 E0000007 likewise).
func errNotSAMLApp(id string) error { return domain.NotFound(id, "AppInstance") }

// SAMLMetadata returns what previewSAMLmetadataForApplication shows of a SAML app: the app,
// with its external key, and the signing key kid names (the app's active key,
// credentials.signing.kid, when kid is ""). An unknown app or kid is 404 E0000007.
func (s *Service) SAMLMetadata(ctx context.Context, appID, kid string) (application.App, idp.Key, error) {
	org := orgID(ctx)
	a, err := s.getApp(ctx, s.Store, org, appID)
	if err != nil {
		return nil, idp.Key{}, err
	}
	if !a.IsSAML() {
		return nil, idp.Key{}, errNotSAMLApp(appID)
	}
	if kid == "" {
		kid = a.Str("credentials", "signing", "kid")
	}
	if kid == "" {
		return nil, idp.Key{}, domain.NotFound(appID, "AppInstanceKeyCredential")
	}
	o, err := s.Store.GetAppObject(ctx, org, appKeyKind, appID, kid, "AppInstanceKeyCredential")
	if err != nil {
		return nil, idp.Key{}, err
	}
	k, err := decodeAppKey(o)
	if err != nil {
		return nil, idp.Key{}, err
	}
	if a, err = s.samlExternalKey(ctx, a); err != nil {
		return nil, idp.Key{}, err
	}
	return a, k.Public(), nil
}

// samlExternalKey returns a with its external key, giving one to a SAML app stored before
// okapi made them at creation. It is okapi's own bookkeeping, not a change Okta would show or
// log: lastUpdated stays and no System Log event is written. The app is read again inside the
// transaction, so two first requests agree on one key.
func (s *Service) samlExternalKey(ctx context.Context, a application.App) (application.App, error) {
	if a.ExternalKey() != "" {
		return a, nil
	}
	org := orgID(ctx)
	var out application.App
	err := s.update(ctx, func(tx store.Tx) error {
		cur, err := s.getApp(ctx, tx, org, a.ID())
		if err != nil {
			return err
		}
		out = cur
		if cur.ExternalKey() != "" {
			return nil
		}
		cur.SetExternalKey(domain.NewID(s.IDs, application.ExternalKeyPrefix))
		return putApp(ctx, tx, org, cur, domain.At(parseTime(cur.Str("created"))))
	})
	return out, err
}
