package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Okta's resource names in 404 summaries.
var kindNames = map[string]string{
	store.OAuthServer: "AuthorizationServer", store.OAuthScope: "OAuth2Scope", store.OAuthClaim: "OAuth2Claim",
	store.OAuthPolicy: "AuthorizationServerPolicy", store.OAuthRule: "AuthorizationServerPolicyRule", store.OAuthKey: "JsonWebKey",
}

// DefaultServerName is the path segment and name of the custom server every org has.
const DefaultServerName = "default"

// Id prefixes, as Okta's: aus (servers), scp (scopes), ocl (claims), 00p (policies), 0pr (rules).
const (
	prefixServer = "aus"
	prefixScope  = "scp"
	prefixClaim  = "ocl"
	prefixPolicy = "00p"
	prefixRule   = "0pr"
)

func notFound(kind, id string) error { return domain.NotFound(id, kindNames[kind]) }

// mapNotFound turns the store's kind into Okta's resource name.
func mapNotFound(err error, kind, id string) error {
	if errors.Is(err, domain.ErrNotFound) {
		return notFound(kind, id)
	}
	return err
}

func decodeObj[T any](o store.OAuthObject) (T, error) {
	var v T
	err := json.Unmarshal(o.Body, &v)
	return v, err
}

func encodeObj(kind, id, server, parent, name string, created domain.Time, v any) (store.OAuthObject, error) {
	b, err := json.Marshal(v)
	return store.OAuthObject{Kind: kind, ID: id, ServerID: server, ParentID: parent, Name: name, Body: b, Created: created.Millis()}, err
}

// seededOrgs remembers orgs whose default server exists, to skip the check on later requests.
type seededOrgs struct{ m sync.Map }

const seededMarker = "default-server"

// ensureSeeded creates the org's default authorization server and the org server's keys once
// per org, as every Okta org with API Access Management has them. Several instances may race:
// the marker row's primary key lets one win; the others find the marker on their retry.
func (p *Provider) ensureSeeded(ctx context.Context) error {
	org := orgOf(ctx)
	if org == "" {
		return domain.NotFound("org", "Org")
	}
	if _, ok := p.seeded.m.Load(org); ok {
		return nil
	}
	if _, err := p.Store.GetOAuthObject(ctx, org, store.OAuthMarker, seededMarker); err == nil {
		p.seeded.m.Store(org, true)
		return nil
	} else if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	now := p.now(ctx)
	srv := p.newServer(now, AuthServer{Name: DefaultServerName, Description: "Default Authorization Server for your Applications",
		Audiences: []string{"api://default"}, IssuerMode: "DYNAMIC", Default: true})
	srv.Credentials.Signing.RotationMode = "AUTO"
	orgKey, err := p.generateKey(now, StatusActive)
	if err != nil {
		return err
	}
	srvKey, err := p.generateKey(now, StatusActive)
	if err != nil {
		return err
	}
	srv.Credentials.Signing.Kid = srvKey.Kid
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOAuthObject(ctx, org, store.OAuthObject{Kind: store.OAuthMarker, ID: seededMarker, ServerID: "", ParentID: "", Name: seededMarker, Body: []byte(`{}`), Created: now.Millis()}); err != nil {
			return err
		}
		if err := p.putKey(ctx, tx, org, OrgServerID, orgKey); err != nil {
			return err
		}
		if err := p.createServerTx(ctx, tx, org, srv, srvKey); err != nil {
			return err
		}
		pol := Policy{ID: domain.NewID(p.IDs, prefixPolicy), Type: "OAUTH_AUTHORIZATION_POLICY", Name: "Default Policy",
			Description: "Default policy description", Priority: 1, Status: StatusActive,
			Conditions: PolicyConditions{Clients: IncludeList{Include: []string{"ALL_CLIENTS"}}}, Created: now, LastUpdated: now}
		if err := p.putNew(ctx, tx, org, store.OAuthPolicy, pol.ID, srv.ID, srv.ID, pol.Name, now, pol); err != nil {
			return err
		}
		rule := Rule{ID: domain.NewID(p.IDs, prefixRule), Type: "RESOURCE_ACCESS", Name: "Default Policy Rule", Priority: 1, Status: StatusActive,
			Conditions: RuleConditions{
				People:     RulePeople{Users: IncludeExclude{Exclude: []string{}}, Groups: IncludeExclude{Include: []string{"EVERYONE"}, Exclude: []string{}}},
				GrantTypes: IncludeList{Include: []string{"client_credentials", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "implicit", "password", "refresh_token"}},
				Scopes:     IncludeList{Include: []string{"*"}},
			},
			Actions: RuleActions{Token: TokenActions{AccessTokenLifetimeMinutes: 60, RefreshTokenLifetimeMinutes: 0, RefreshTokenWindowMinutes: 10080}},
			Created: now, LastUpdated: now}
		return p.putNew(ctx, tx, org, store.OAuthRule, rule.ID, srv.ID, pol.ID, rule.Name, now, rule)
	})
	if errors.Is(err, store.ErrConflict) {
		// Another request seeded the org first (or a server called default exists).
		err = nil
	}
	if err == nil {
		p.seeded.m.Store(org, true)
	}
	return err
}

func (p *Provider) putNew(ctx context.Context, tx store.Tx, org, kind, id, server, parent, name string, created domain.Time, v any) error {
	o, err := encodeObj(kind, id, server, parent, name, created, v)
	if err != nil {
		return err
	}
	return tx.CreateOAuthObject(ctx, org, o)
}

func (p *Provider) putUpdate(ctx context.Context, tx store.Tx, org, kind, id, server, parent, name string, v any) error {
	o, err := encodeObj(kind, id, server, parent, name, domain.Time{}, v)
	if err != nil {
		return err
	}
	return tx.UpdateOAuthObject(ctx, org, o)
}

func (p *Provider) newServer(now domain.Time, in AuthServer) AuthServer {
	in.ID = domain.NewID(p.IDs, prefixServer)
	in.Status = StatusActive
	in.Created, in.LastUpdated = now, now
	if in.IssuerMode == "" {
		in.IssuerMode = "ORG_URL"
	}
	if in.Credentials.Signing.RotationMode == "" {
		in.Credentials.Signing.RotationMode = "AUTO"
	}
	in.Credentials.Signing.Use = ""
	return in
}

// systemScopes are the scopes every new server gets.
var systemScopes = []string{"openid", "profile", "email", "address", "phone", "offline_access", "device_sso"}

var scopeDescriptions = map[string]string{
	"openid": "Signals that a request is an OpenID request.", "profile": "Allows access to end-user's default profile claims.",
	"email": "Allows access to end-user's email address.", "address": "Allows access to end-user's address.",
	"phone": "Allows access to end-user's phone number.", "offline_access": "Allows access to requested scopes even when the end-user is not logged in.",
	"device_sso": "Allows access to the device SSO.",
}

// systemClaims are the claims every new server gets: sub in access tokens, the OIDC standard
// claims in ID tokens gated by their scope. alwaysIncludeInToken as Okta seeds them.
var systemClaims = []struct {
	name, scope string
	always      bool
}{
	{"name", "profile", true}, {"preferred_username", "profile", true}, {"nickname", "profile", false},
	{"given_name", "profile", false}, {"middle_name", "profile", false}, {"family_name", "profile", false},
	{"profile", "profile", false}, {"picture", "profile", false}, {"website", "profile", false},
	{"gender", "profile", false}, {"birthdate", "profile", false}, {"zoneinfo", "profile", false},
	{"locale", "profile", false}, {"updated_at", "profile", false},
	{"email", "email", true}, {"email_verified", "email", false}, {"phone_number", "phone", false}, {"address", "address", false},
}

func (p *Provider) createServerTx(ctx context.Context, tx store.Tx, org string, srv AuthServer, key Key) error {
	now := srv.Created
	lr := now
	srv.Credentials.Signing.LastRotated = &lr
	if srv.Credentials.Signing.RotationMode == "AUTO" {
		next := domain.At(now.AddDate(0, 0, 90))
		srv.Credentials.Signing.NextRotation = &next
	}
	srv.Credentials.Signing.Kid = key.Kid
	if err := p.putNew(ctx, tx, org, store.OAuthServer, srv.ID, srv.ID, "", srv.Name, now, srv); err != nil {
		return err
	}
	if err := p.putKey(ctx, tx, org, srv.ID, key); err != nil {
		return err
	}
	for _, name := range systemScopes {
		sc := Scope{ID: domain.NewID(p.IDs, prefixScope), Name: name, DisplayName: name, Description: scopeDescriptions[name],
			Consent: "IMPLICIT", MetadataPublish: "ALL_CLIENTS", System: true}
		if err := p.putNew(ctx, tx, org, store.OAuthScope, sc.ID, srv.ID, srv.ID, sc.Name, now, sc); err != nil {
			return err
		}
	}
	claims := []Claim{{ID: domain.NewID(p.IDs, prefixClaim), Name: "sub", Status: StatusActive, ClaimType: "RESOURCE", ValueType: "EXPRESSION",
		Value: "(appuser != null) ? appuser.userName : app.clientId", AlwaysIncludeInToken: true, Conditions: ClaimConditions{Scopes: []string{}}, System: true}}
	for _, c := range systemClaims {
		claims = append(claims, Claim{ID: domain.NewID(p.IDs, prefixClaim), Name: c.name, Status: StatusActive, ClaimType: "IDENTITY", ValueType: "SYSTEM",
			AlwaysIncludeInToken: c.always, Conditions: ClaimConditions{Scopes: []string{c.scope}}, System: true})
	}
	for _, c := range claims {
		// Claim names are unique per token type, so the parent key carries the type.
		if err := p.putNew(ctx, tx, org, store.OAuthClaim, c.ID, srv.ID, srv.ID+"/"+c.ClaimType, c.Name, now, c); err != nil {
			return err
		}
	}
	return nil
}

// event builds a System Log event for the caller.
func (p *Provider) event(ctx context.Context, now domain.Time, eventType, message string, targets ...domain.LogTarget) domain.LogEvent {
	return domain.NewLogEvent(domain.CallerFrom(ctx), p.IDs, now, eventType, message, targets...)
}

func serverTarget(s AuthServer) domain.LogTarget {
	return domain.LogTarget{ID: s.ID, Type: "AuthorizationServer", AlternateID: s.Name, DisplayName: s.Name}
}

// server resolves id (an aus id, or "default" for the org's default server) in r.
func (p *Provider) server(ctx context.Context, r store.Reader, id string) (AuthServer, error) {
	org := orgOf(ctx)
	if id == DefaultServerName {
		all, err := r.ListOAuthObjects(ctx, org, store.OAuthServer, "")
		if err != nil {
			return AuthServer{}, err
		}
		for _, o := range all {
			s, err := decodeObj[AuthServer](o)
			if err != nil {
				return s, err
			}
			if s.Default {
				return s, nil
			}
		}
		return AuthServer{}, notFound(store.OAuthServer, id)
	}
	if !domain.ValidID(id, prefixServer) {
		return AuthServer{}, notFound(store.OAuthServer, id)
	}
	o, err := r.GetOAuthObject(ctx, org, store.OAuthServer, id)
	if err != nil {
		return AuthServer{}, mapNotFound(err, store.OAuthServer, id)
	}
	return decodeObj[AuthServer](o)
}

// ListServers returns every authorization server of the org, q filtering by name prefix.
func (p *Provider) ListServers(ctx context.Context, q string) ([]AuthServer, error) {
	if err := p.ensureSeeded(ctx); err != nil {
		return nil, err
	}
	all, err := p.Store.ListOAuthObjects(ctx, orgOf(ctx), store.OAuthServer, "")
	if err != nil {
		return nil, err
	}
	out := []AuthServer{}
	for _, o := range all {
		s, err := decodeObj[AuthServer](o)
		if err != nil {
			return nil, err
		}
		if q == "" || strings.HasPrefix(strings.ToLower(s.Name), strings.ToLower(q)) {
			out = append(out, s)
		}
	}
	return out, nil
}

// GetServer returns one server by id or "default".
func (p *Provider) GetServer(ctx context.Context, id string) (AuthServer, error) {
	if err := p.ensureSeeded(ctx); err != nil {
		return AuthServer{}, err
	}
	s, err := p.server(ctx, p.Store, id)
	if id == DefaultServerName && errors.Is(err, domain.ErrNotFound) && p.reseed(ctx) {
		s, err = p.server(ctx, p.Store, id)
	}
	return s, err
}

// reseed forgets that the org was seeded and seeds again if its marker is gone (a snapshot
// taken before the org's first OAuth request was restored); it reports whether it did.
func (p *Provider) reseed(ctx context.Context) bool {
	if _, err := p.Store.GetOAuthObject(ctx, orgOf(ctx), store.OAuthMarker, seededMarker); !errors.Is(err, domain.ErrNotFound) {
		return false
	}
	p.seeded.m.Delete(orgOf(ctx))
	return p.ensureSeeded(ctx) == nil
}

func validateServer(in AuthServer) error {
	var f domain.FieldErrors
	if strings.TrimSpace(in.Name) == "" {
		f.Add("name", "The field cannot be left blank")
	}
	if len(in.Audiences) == 0 {
		f.Add("audiences", "The field cannot be left blank")
	}
	for _, a := range in.Audiences {
		if strings.Contains(a, ":") {
			if u, err := url.Parse(a); err != nil || u.Scheme == "" {
				f.Add("audiences", "Audience must be a valid URI")
			}
		}
	}
	if in.IssuerMode != "" && !slices.Contains([]string{"ORG_URL", "CUSTOM_URL", "DYNAMIC"}, in.IssuerMode) {
		f.Add("issuerMode", "Invalid value")
	}
	if m := in.Credentials.Signing.RotationMode; m != "" && m != "AUTO" && m != "MANUAL" {
		f.Add("rotationMode", "Invalid value")
	}
	return f.Err()
}

func nameConflict(err error, what string) error {
	if errors.Is(err, store.ErrConflict) {
		return domain.Validation(what, what+": A "+what+" with the same name already exists.")
	}
	return err
}

// CreateServer creates a custom authorization server with the system scopes and claims and a
// fresh signing key (no policy: Okta's new servers have none).
func (p *Provider) CreateServer(ctx context.Context, in AuthServer) (AuthServer, error) {
	if err := p.ensureSeeded(ctx); err != nil {
		return in, err
	}
	if err := validateServer(in); err != nil {
		return in, err
	}
	now := p.now(ctx)
	in.Default = false
	srv := p.newServer(now, in)
	key, err := p.generateKey(now, StatusActive)
	if err != nil {
		return in, err
	}
	org := orgOf(ctx)
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		if err := p.createServerTx(ctx, tx, org, srv, key); err != nil {
			return nameConflict(err, "name")
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, "oauth2.as.created", "Create authorization server", serverTarget(srv)))
	})
	if err != nil {
		return in, err
	}
	return p.GetServer(ctx, srv.ID)
}

// ReplaceServer is PUT: name, description, audiences, issuerMode and rotationMode.
func (p *Provider) ReplaceServer(ctx context.Context, id string, in AuthServer) (AuthServer, error) {
	if err := p.ensureSeeded(ctx); err != nil {
		return in, err
	}
	if err := validateServer(in); err != nil {
		return in, err
	}
	org, now := orgOf(ctx), p.now(ctx)
	var srv AuthServer
	err := p.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if srv, err = p.server(ctx, tx, id); err != nil {
			return err
		}
		srv.Name, srv.Description, srv.Audiences = in.Name, in.Description, in.Audiences
		if in.IssuerMode != "" {
			srv.IssuerMode = in.IssuerMode
		}
		if m := in.Credentials.Signing.RotationMode; m != "" {
			srv.Credentials.Signing.RotationMode = m
			if m == "MANUAL" {
				srv.Credentials.Signing.NextRotation = nil
			} else if srv.Credentials.Signing.LastRotated != nil {
				next := domain.At(srv.Credentials.Signing.LastRotated.AddDate(0, 0, 90))
				srv.Credentials.Signing.NextRotation = &next
			}
		}
		if in.Status != "" && (in.Status == StatusActive || in.Status == StatusInactive) {
			srv.Status = in.Status
		}
		srv.LastUpdated = now
		if err := p.putUpdate(ctx, tx, org, store.OAuthServer, srv.ID, srv.ID, "", srv.Name, srv); err != nil {
			return nameConflict(err, "name")
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, "oauth2.as.updated", "Update authorization server", serverTarget(srv)))
	})
	return srv, err
}

// DeleteServer removes a server and everything under it. Okta refuses to delete an ACTIVE one.
func (p *Provider) DeleteServer(ctx context.Context, id string) error {
	if err := p.ensureSeeded(ctx); err != nil {
		return err
	}
	org, now := orgOf(ctx), p.now(ctx)
	return p.Store.Update(ctx, func(tx store.Tx) error {
		srv, err := p.server(ctx, tx, id)
		if err != nil {
			return err
		}
		if srv.Status == StatusActive {
			return domain.NewError(http.StatusForbidden, domain.CodeWrongStatus, "Cannot delete an active authorization server. Deactivate it first.")
		}
		if err := tx.DeleteOAuthServerObjects(ctx, org, srv.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, "oauth2.as.deleted", "Delete authorization server", serverTarget(srv)))
	})
}

// SetServerStatus activates or deactivates a server (204 either way, idempotent).
func (p *Provider) SetServerStatus(ctx context.Context, id, status string) error {
	if err := p.ensureSeeded(ctx); err != nil {
		return err
	}
	org, now := orgOf(ctx), p.now(ctx)
	return p.Store.Update(ctx, func(tx store.Tx) error {
		srv, err := p.server(ctx, tx, id)
		if err != nil {
			return err
		}
		if srv.Status == status {
			return nil
		}
		srv.Status, srv.LastUpdated = status, now
		if err := p.putUpdate(ctx, tx, org, store.OAuthServer, srv.ID, srv.ID, "", srv.Name, srv); err != nil {
			return err
		}
		typ, msg := "oauth2.as.activated", "Activate authorization server"
		if status == StatusInactive {
			typ, msg = "oauth2.as.deactivated", "Deactivate authorization server"
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, typ, msg, serverTarget(srv)))
	})
}
