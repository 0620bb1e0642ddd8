// Package oidc is okapi's OAuth 2.0 / OpenID Connect provider: Okta's authorization servers
// (the Authorization Servers API, https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/)
// and their runtime endpoints (https://developer.okta.com/docs/reference/api/oidc/): discovery,
// keys, authorize, token, introspect, revoke and userinfo.
package oidc

import (
	"context"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Clients is what the provider needs of the Applications API: OIDC apps are the OAuth clients.
type Clients interface {
	OAuthClient(ctx context.Context, clientID string) (domain.OAuthClient, error)
	VerifyClientSecret(ctx context.Context, clientID, secret string) error
}

// ScopeGrants is optional on Clients: the okta.* scopes granted to a client
// (POST /api/v1/apps/{id}/grants). The org server issues okta.* scopes only to a client whose
// Clients implementation has it, and only the granted ones.
type ScopeGrants interface {
	GrantedScopes(ctx context.Context, clientID string) ([]string, error)
}

// Assignments is optional on Clients: whether a user is assigned to the client's app, directly
// or through a group. With it, a user's grants (authorize, refresh) for an app the user is not
// assigned to are refused with access_denied, as Okta does; without it (tests) every user is.
type Assignments interface {
	UserAssigned(ctx context.Context, clientID, userID string) (bool, error)
}

// Passwords is optional on Sessions: the resource owner password grant signs a user in by
// username and password under sign-in's rules (lockout, password expiry, factors) and returns the
// session it opened; a sign-in it refuses is a zero Session and no error (the error is for a
// failure to check, such as the database being down). Without it the grant is not offered.
type Passwords interface {
	PasswordSession(ctx context.Context, username, password string) (domain.Session, error)
}

// Sessions is what the provider needs of sign-in: /authorize redeems a sessionToken or reads the
// session of okapi's cookie.
type Sessions interface {
	RedeemSessionToken(ctx context.Context, token string) (domain.Session, error)
	SessionByID(ctx context.Context, id string) (domain.Session, error)
}

// Provider is the OAuth 2.0 / OIDC provider over one store. The org of every call is the
// caller's in ctx (domain.CallerFrom).
type Provider struct {
	Store    store.Store
	IDs      domain.IDs
	Now      func(ctx context.Context) time.Time
	Clients  Clients
	Sessions Sessions
	keys     keyCache
	seeded   seededOrgs
	// failures throttles the events of refused client authentications.
	failures failureThrottle
}

// New returns a provider; clients and sessions may be nil until their families exist (every
// client is then unknown and every /authorize without a session answers login_required).
func New(s store.Store, ids domain.IDs, now func(context.Context) time.Time, clients Clients, sessions Sessions) *Provider {
	if ids == nil {
		ids = domain.CryptoIDs{}
	}
	if now == nil {
		now = func(context.Context) time.Time { return time.Now() }
	}
	return &Provider{Store: s, IDs: ids, Now: now, Clients: clients, Sessions: sessions}
}

func (p *Provider) now(ctx context.Context) domain.Time { return domain.At(p.Now(ctx)) }

func orgOf(ctx context.Context) string { return domain.CallerFrom(ctx).OrgID }

// Statuses of servers, policies, rules and claims.
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
)

// AuthServer is Okta's AuthorizationServer object without the request-dependent issuer and
// _links, which the HTTP layer adds.
type AuthServer struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Audiences   []string        `json:"audiences"`
	IssuerMode  string          `json:"issuerMode"`
	Status      string          `json:"status"`
	Created     domain.Time     `json:"created"`
	LastUpdated domain.Time     `json:"lastUpdated"`
	Credentials AuthCredentials `json:"credentials"`
	Default     bool            `json:"default"`
}

// AuthCredentials is the server's signing-key summary.
type AuthCredentials struct {
	Signing SigningSummary `json:"signing"`
}

// SigningSummary names the active key and the rotation schedule.
type SigningSummary struct {
	Kid          string       `json:"kid,omitempty"`
	RotationMode string       `json:"rotationMode"`
	LastRotated  *domain.Time `json:"lastRotated,omitempty"`
	NextRotation *domain.Time `json:"nextRotation,omitempty"`
	Use          string       `json:"use,omitempty"`
}

// Scope is Okta's OAuth2Scope.
type Scope struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	DisplayName     string `json:"displayName,omitempty"`
	Description     string `json:"description,omitempty"`
	Consent         string `json:"consent"`
	Default         bool   `json:"default"`
	MetadataPublish string `json:"metadataPublish"`
	Optional        bool   `json:"optional"`
	System          bool   `json:"system"`
}

// Claim is Okta's OAuth2Claim.
type Claim struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	Status               string          `json:"status"`
	ClaimType            string          `json:"claimType"`
	ValueType            string          `json:"valueType"`
	Value                string          `json:"value"`
	AlwaysIncludeInToken bool            `json:"alwaysIncludeInToken"`
	Conditions           ClaimConditions `json:"conditions"`
	GroupFilterType      string          `json:"group_filter_type,omitempty"`
	System               bool            `json:"system"`
}

// ClaimConditions limits a claim to tokens with one of the scopes.
type ClaimConditions struct {
	Scopes []string `json:"scopes"`
}

// Policy is Okta's AuthorizationServerPolicy.
type Policy struct {
	ID          string           `json:"id"`
	Type        string           `json:"type"`
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Priority    int              `json:"priority"`
	Status      string           `json:"status"`
	System      bool             `json:"system"`
	Conditions  PolicyConditions `json:"conditions"`
	Created     domain.Time      `json:"created"`
	LastUpdated domain.Time      `json:"lastUpdated"`
}

// PolicyConditions selects the clients a policy applies to.
type PolicyConditions struct {
	Clients IncludeList `json:"clients"`
}

// IncludeList is Okta's {"include":[...]}.
type IncludeList struct {
	Include []string `json:"include"`
}

// IncludeExclude is Okta's {"include":[...],"exclude":[...]}.
type IncludeExclude struct {
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude"`
}

// Rule is Okta's AuthorizationServerPolicyRule.
type Rule struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Priority    int            `json:"priority"`
	Status      string         `json:"status"`
	System      bool           `json:"system"`
	Conditions  RuleConditions `json:"conditions"`
	Actions     RuleActions    `json:"actions"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
}

// RuleConditions: who, which grants, which scopes.
type RuleConditions struct {
	People     RulePeople  `json:"people"`
	GrantTypes IncludeList `json:"grantTypes"`
	Scopes     IncludeList `json:"scopes"`
}

// RulePeople is users and groups, each included or excluded.
type RulePeople struct {
	Users  IncludeExclude `json:"users"`
	Groups IncludeExclude `json:"groups"`
}

// RuleActions sets the token lifetimes.
type RuleActions struct {
	Token TokenActions `json:"token"`
}

// TokenActions are the lifetimes in minutes.
type TokenActions struct {
	AccessTokenLifetimeMinutes  int `json:"accessTokenLifetimeMinutes"`
	RefreshTokenLifetimeMinutes int `json:"refreshTokenLifetimeMinutes"`
	RefreshTokenWindowMinutes   int `json:"refreshTokenWindowMinutes"`
}
