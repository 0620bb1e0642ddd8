package service

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

const (
	appKind      = "app"
	appUserKind  = "user"
	appGroupKind = "group"
	appKeyKind   = "key"
	appCSRKind   = "csr"
)

// appFilter is GET /apps?filter=: status and name, and user.id / group.id (the apps a user or
// group is assigned to), eq with and/or.
var appFilter = &filter.Schema{
	Attrs: map[string]filter.Attr{
		"status": {Type: filter.String, Ops: eqOnly, Column: "status"},
		"name":   {Type: filter.String, Ops: eqOnly, Column: "name"},
		// The app's signing key (listApplications: "credentials.signing.kid eq"), to find the
		// apps that sign with a key, e.g. before rotating it. In the data JSON (apps are
		// filtered in memory).
		"credentials.signing.kid": {Type: filter.String, Ops: eqOnly, Column: "data"},
		// Multi-valued: an app has many users and groups (Exists marks that; apps are filtered
		// in memory, so the SQL is what a store-side filter would run).
		"user.id":  {Type: filter.String, Ops: eqOnly, Column: "id", Exists: "EXISTS (SELECT 1 FROM app_objects u WHERE u.kind = 'user' AND u.parent_id = app_objects.id AND u.id = %s)"},
		"group.id": {Type: filter.String, Ops: eqOnly, Column: "id", Exists: "EXISTS (SELECT 1 FROM app_objects g WHERE g.kind = 'group' AND g.parent_id = app_objects.id AND g.id = %s)"},
	},
	AllowOr: true,
}

// errDeleteActiveApp is Okta's answer to deleting an ACTIVE app (deleteApplication).
var errDeleteActiveApp = domain.NewError(http.StatusForbidden, "E0000056", "Delete application forbidden.",
	domain.Cause{Summary: "The application must be deactivated before deletion."})

// AppQuery selects a page of apps (listApplications).
type AppQuery struct {
	Q, Filter, After string
	Limit            int
}

func decodeApp(o store.AppObject) (application.App, error) {
	var a application.App
	err := json.Unmarshal(o.Data, &a)
	return a, err
}

func putApp(ctx context.Context, tx store.Tx, org string, a application.App, created domain.Time) error {
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	err = tx.PutAppObject(ctx, org, store.AppObject{Kind: appKind, ID: a.ID(), Lookup: a.ClientID(), Data: data, Created: created.Millis()})
	if errors.Is(err, store.ErrConflict) {
		return domain.Validation("credentials.oauthClient.client_id", "credentials.oauthClient.client_id: An object with this field already exists in the current organization")
	}
	return err
}

func appTarget(a application.App) domain.LogTarget {
	return domain.LogTarget{ID: a.ID(), Type: "AppInstance", AlternateID: a.Label(), DisplayName: a.Label()}
}

func (s *Service) getApp(ctx context.Context, r store.Reader, org, id string) (application.App, error) {
	o, err := r.GetAppObject(ctx, org, appKind, "", id, "Application")
	if err != nil {
		return nil, err
	}
	return decodeApp(o)
}

// GetApp returns one app.
func (s *Service) GetApp(ctx context.Context, id string) (application.App, error) {
	return s.getApp(ctx, s.Store, orgID(ctx), id)
}

// ListApps returns one page of the org's apps, oldest first: q matches the start of label or
// name, ignoring case; filter as appFilter.
func (s *Service) ListApps(ctx context.Context, q AppQuery) ([]application.App, string, error) {
	f, err := parseFilter(q.Filter, appFilter)
	if err != nil {
		return nil, "", err
	}
	org := orgID(ctx)
	objs, err := s.Store.ListAppObjects(ctx, org, appKind, "", "*")
	if err != nil {
		return nil, "", err
	}
	prefix := strings.ToLower(q.Q)
	out := []application.App{}
	past := q.After == ""
	for _, o := range objs {
		if !past {
			past = o.ID == q.After
			continue
		}
		a, err := decodeApp(o)
		if err != nil {
			return nil, "", err
		}
		if prefix != "" && !strings.HasPrefix(strings.ToLower(a.Label()), prefix) && !strings.HasPrefix(strings.ToLower(a.Name()), prefix) {
			continue
		}
		if !matches(f, appFilter, func(attr string) (any, bool) { return s.appAttr(ctx, org, a, attr), true }) {
			continue
		}
		if len(out) == q.Limit {
			return out, out[len(out)-1].ID(), nil
		}
		out = append(out, a)
	}
	return out, "", nil
}

func (s *Service) appAttr(ctx context.Context, org string, a application.App, attr string) any {
	switch attr {
	case "status":
		return a.Status()
	case "name":
		return a.Name()
	case "credentials.signing.kid":
		return a.Str("credentials", "signing", "kid")
	case "user.id", "group.id":
		kind := appUserKind
		if attr == "group.id" {
			kind = appGroupKind
		}
		objs, _ := s.Store.ListAppObjects(ctx, org, kind, a.ID(), "*")
		ids := make([]string, len(objs))
		for i, o := range objs {
			ids[i] = o.ID
		}
		return ids
	}
	return nil
}

// CreateApp validates and stores an app (createApplication): ACTIVE unless activate is false,
// Okta's defaults filled in, an OIDC app's client_id (its app id unless given) and client
// secret generated, a SAML app's signing key and external key generated.
func (s *Service) CreateApp(ctx context.Context, in application.App, activate bool) (application.App, error) {
	org, now := orgID(ctx), s.now(ctx)
	id := domain.NewID(s.IDs, application.IDPrefix)
	a := application.App{}
	for k, v := range in {
		a[k] = v
	}
	delete(a, application.LogoKey) // only an upload sets the logo
	if a.Name() == "" && (a.SignOnMode() == application.AutoLogin || strings.HasPrefix(a.SignOnMode(), "SAML")) {
		if err := a.Validate(); err != nil {
			return nil, err
		}
		a["name"] = application.GeneratedName(a.Label(), s.IDs.Random(4))
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	status := application.StatusInactive
	if activate {
		status = application.StatusActive
	}
	a.Stamp(id, status, now, now)
	a.SetDefaults(s.IDs.Random(64))
	var key []byte
	if strings.HasPrefix(a.SignOnMode(), "SAML") || a.SignOnMode() == application.WSFederation {
		k, err := s.newAppKey(a.Label(), 10, now)
		if err != nil {
			return nil, err
		}
		a.Obj("credentials", "signing")["kid"] = k.Kid
		if key, err = json.Marshal(k); err != nil {
			return nil, err
		}
	}
	a.SetExternalKey("")
	if a.IsSAML() {
		// The exk... id the app's IdP metadata and SSO URL name (previewSAMLmetadataForApplication).
		a.SetExternalKey(domain.NewID(s.IDs, application.ExternalKeyPrefix))
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := attachDefaultAccessPolicy(ctx, tx, org, a); err != nil {
			return err
		}
		if err := putApp(ctx, tx, org, a, now); err != nil {
			return err
		}
		if key != nil {
			if err := tx.PutAppObject(ctx, org, store.AppObject{Kind: appKeyKind, Parent: id, ID: a.Str("credentials", "signing", "kid"), Data: key, Created: now.Millis()}); err != nil {
				return err
			}
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.create", "Add application", appTarget(a)))
	})
	return a, err
}

// ReplaceApp is replaceApplication: the body replaces the app; id, name, signOnMode, status,
// created, the uploaded logo, an OIDC app's client_id and a SAML app's external key stay, and
// secrets the body leaves out are kept.
func (s *Service) ReplaceApp(ctx context.Context, id string, in application.App) (application.App, error) {
	org, now := orgID(ctx), s.now(ctx)
	var a application.App
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := s.getApp(ctx, tx, org, id)
		if err != nil {
			return err
		}
		a = application.App{}
		for k, v := range in {
			a[k] = v
		}
		delete(a, application.LogoKey)
		if id, typ := old.Logo(); id != "" {
			a.SetLogo(id, typ) // the uploaded logo is not part of the body
		}
		if a.SignOnMode() != old.SignOnMode() {
			return domain.Validation("signOnMode", "signOnMode: The signOnMode of an app cannot be changed")
		}
		if a.Name() == "" {
			a["name"] = old.Name()
		}
		a.KeepRefreshSettings(old)
		if err := a.Validate(); err != nil {
			return err
		}
		created := domain.At(parseTime(old.Str("created")))
		a.Stamp(id, old.Status(), created, now)
		a.SetAccessPolicy(old.AccessPolicy())
		cc := a.Obj("credentials", "oauthClient")
		if old.ClientID() != "" {
			cc["client_id"] = old.ClientID()
			if _, ok := cc["client_secret"]; !ok {
				cc["client_secret"] = old.Str("credentials", "oauthClient", "client_secret")
			}
		} else if a.SignOnMode() != application.OpenIDConnect {
			delete(a.Obj("credentials"), "oauthClient")
		}
		if kid := old.Str("credentials", "signing", "kid"); kid != "" && a.Str("credentials", "signing", "kid") == "" {
			a.Obj("credentials", "signing")["kid"] = kid
		}
		a.SetExternalKey(old.ExternalKey()) // service providers trust the app by it: it never changes
		a.SetDefaults(s.IDs.Random(64))
		if err := putApp(ctx, tx, org, a, created); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Update application", appTarget(a)))
	})
	return a, err
}

// SetAppStatus activates or deactivates an app; the status it has changes nothing.
func (s *Service) SetAppStatus(ctx context.Context, id, status string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, id)
		if err != nil || a.Status() == status {
			return err
		}
		a["status"], a["lastUpdated"] = status, now
		if err := putApp(ctx, tx, org, a, domain.At(parseTime(a.Str("created")))); err != nil {
			return err
		}
		typ, msg := "application.lifecycle.activate", "Activate application"
		if status == application.StatusInactive {
			typ, msg = "application.lifecycle.deactivate", "Deactivate application"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, appTarget(a)))
	})
}

// DeleteApp removes an INACTIVE app with its assignments, keys, CSRs and logo.
func (s *Service) DeleteApp(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if a.Status() != application.StatusInactive {
			return errDeleteActiveApp
		}
		if err := tx.DeleteAppObjects(ctx, org, "*", id, ""); err != nil {
			return err
		}
		if err := tx.DeleteAppObject(ctx, org, appKind, "", id, "Application"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.delete", "Delete application", appTarget(a)))
	})
}

// OAuthClient returns the OIDC app whose client_id is clientID, for the OAuth/OIDC provider.
func (s *Service) OAuthClient(ctx context.Context, clientID string) (domain.OAuthClient, error) {
	org := orgID(ctx)
	o, err := s.Store.FindAppByLookup(ctx, org, clientID)
	if err != nil {
		return domain.OAuthClient{}, err
	}
	a, err := decodeApp(o)
	if err != nil {
		return domain.OAuthClient{}, err
	}
	return a.OAuthClient(org), nil
}

// errBadClientSecret is what VerifyClientSecret answers for any mismatch.
var errBadClientSecret = errors.New("service: the client secret does not match")

// VerifyClientSecret checks an OIDC client's secret in constant time.
func (s *Service) VerifyClientSecret(ctx context.Context, clientID, secret string) error {
	o, err := s.Store.FindAppByLookup(ctx, orgID(ctx), clientID)
	if err != nil {
		return err
	}
	a, err := decodeApp(o)
	if err != nil {
		return err
	}
	want := a.Str("credentials", "oauthClient", "client_secret")
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1 {
		return errBadClientSecret
	}
	return nil
}

// parseTime reads a stored timestamp in Okta's format (the zero time when it is not one).
func parseTime(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", s)
	return t
}

// ListGroupApps returns the apps a group is assigned to (listAssignedApplicationsForGroup).
func (s *Service) ListGroupApps(ctx context.Context, groupID, after string, limit int) ([]application.App, string, error) {
	if _, err := s.GetGroup(ctx, groupID); err != nil {
		return nil, "", err
	}
	org := orgID(ctx)
	objs, err := s.Store.ListAppObjects(ctx, org, appGroupKind, "*", groupID)
	if err != nil {
		return nil, "", err
	}
	out := []application.App{}
	past := after == ""
	for _, o := range objs {
		if !past {
			past = o.Parent == after
			continue
		}
		a, err := s.getApp(ctx, s.Store, org, o.Parent)
		if err != nil {
			return nil, "", err
		}
		if len(out) == limit {
			return out, out[len(out)-1].ID(), nil
		}
		out = append(out, a)
	}
	return out, "", nil
}
