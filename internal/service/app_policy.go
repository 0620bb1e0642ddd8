package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/policy"
	"github.com/okapi-dev/okapi/internal/store"
)

// accessPolicyType is the policy type of authentication (app sign-on) policies.
const accessPolicyType = "ACCESS_POLICY"

// errNotAccessPolicy answers assignApplicationPolicy with a policy of another type: only
// authentication policies are assigned to apps. Okta's exact answer is unrecorded (the spec
// lists only 403, 404 and 429); okapi refuses it as invalid input.
func errNotAccessPolicy(p policy.Policy) error {
	return domain.Validation("policyId", "policyId: The policy "+p.ID+" is a "+p.Type+" policy, not an "+accessPolicyType)
}

// defaultAccessPolicy returns the org's default (system) authentication policy's id, "" when it
// has none.
func defaultAccessPolicy(ctx context.Context, r store.Reader, org string) (string, error) {
	objs, err := r.ListPolicyObjects(ctx, org, policyKind, "", accessPolicyType)
	if err != nil {
		return "", err
	}
	all, err := decodePolicies(objs)
	if err != nil {
		return "", err
	}
	for _, p := range all {
		if p.System {
			return p.ID, nil
		}
	}
	return "", nil
}

// attachDefaultAccessPolicy gives a new app the org's default authentication policy: on Okta
// Identity Engine every app has one, shown as _links.accessPolicy.
func attachDefaultAccessPolicy(ctx context.Context, tx store.Tx, org string, a application.App) error {
	id, err := defaultAccessPolicy(ctx, tx, org)
	a.SetAccessPolicy(id)
	return err
}

// AssignAppPolicy is assignApplicationPolicy: the app's authentication policy becomes policyID,
// replacing the one it had. An unknown app or policy is 404; a policy of another type 400.
// Assigning the policy the app already has changes nothing (the Terraform provider re-sends
// the call on every update).
func (s *Service) AssignAppPolicy(ctx context.Context, appID, policyID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		p, err := getPolicy(ctx, tx, org, policyID)
		if err != nil {
			return err
		}
		if p.Type != accessPolicyType {
			return errNotAccessPolicy(p)
		}
		if a.AccessPolicy() == p.ID {
			return nil
		}
		a.SetAccessPolicy(p.ID)
		if err := putApp(ctx, tx, org, a, domain.At(parseTime(a.Str("created")))); err != nil {
			return err
		}
		// application.policy.sign_on.update is the catalogue's event for a change of an app's
		// sign-on policy; that Okta writes it for this operation is unverified.
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.policy.sign_on.update",
			"Update application sign on policy", appTarget(a), policyTarget(p)))
	})
}

// idTokenKind stores an OIDC app's ID token settings, one object under the app (deleted with it).
const idTokenKind = "idtoken"

// errNoOAuthApp is the internal ID token endpoint's answer for an app that is not an OIDC app,
// or no app at all: Okta looks the id up as an OAuth 2.0 app instance.
func errNoOAuthApp(id string) error { return domain.NotFound(id, "OAuth2AppInstance") }

func (s *Service) getOAuthApp(ctx context.Context, r store.Reader, org, id string) (application.App, error) {
	a, err := s.getApp(ctx, r, org, id)
	if errors.Is(err, domain.ErrNotFound) || err == nil && a.SignOnMode() != application.OpenIDConnect {
		return nil, errNoOAuthApp(id)
	}
	return a, err
}

// IDTokenSettings returns an OIDC app's ID token settings (the internal endpoint
// /api/v1/internal/apps/{id}/settings/oauth/idToken): what was last set, else no groups claim
// and the app's issuer mode.
func (s *Service) IDTokenSettings(ctx context.Context, appID string) (application.IDTokenSettings, error) {
	org := orgID(ctx)
	a, err := s.getOAuthApp(ctx, s.Store, org, appID)
	if err != nil {
		return application.IDTokenSettings{}, err
	}
	o, err := s.Store.GetAppObject(ctx, org, idTokenKind, appID, appID, "OAuth2AppInstance")
	if errors.Is(err, domain.ErrNotFound) {
		return a.IDTokenDefaults(), nil
	}
	if err != nil {
		return application.IDTokenSettings{}, err
	}
	var t application.IDTokenSettings
	err = json.Unmarshal(o.Data, &t)
	return t, err
}

// SetIDTokenSettings replaces an OIDC app's ID token settings: a body without a claim removes
// the groups claim; an unset issuer mode is the app's.
func (s *Service) SetIDTokenSettings(ctx context.Context, appID string, in application.IDTokenSettings) (application.IDTokenSettings, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	var t application.IDTokenSettings
	err := s.update(ctx, func(tx store.Tx) error {
		a, err := s.getOAuthApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		t = a.WithIssuerMode(in)
		data, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if err := tx.PutAppObject(ctx, org, store.AppObject{Kind: idTokenKind, Parent: appID, ID: appID, Data: data, Created: now.Millis()}); err != nil {
			return err
		}
		// The endpoint is internal and its System Log event unrecorded; okapi logs it as the app
		// update it is.
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Update application ID token settings", appTarget(a)))
	})
	return t, err
}
