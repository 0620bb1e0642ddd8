package store

import "context"

// OAuth object kinds: an authorization server and what hangs off it (Okta's Authorization
// Servers API). Scopes, claims, policies and keys have the server as parent; rules the policy.
const (
	OAuthServer = "server"
	OAuthScope  = "scope"
	OAuthClaim  = "claim"
	OAuthPolicy = "policy"
	OAuthRule   = "rule"
	OAuthKey    = "key"
	// OAuthMarker rows record one-time work done for an org (the default server was seeded).
	OAuthMarker = "marker"
)

// OAuthObject is one stored object of an authorization server, its JSON body owned by the oidc
// package. Name is unique among the objects of the same kind and parent.
type OAuthObject struct {
	Kind, ID, ServerID, ParentID, Name string
	Body                               []byte
	// Created orders lists (milliseconds since the epoch).
	Created int64
}

// OAuthGrant is runtime state of the OAuth runtime that every instance must see: an
// authorization code, a refresh token, an access token issued with one, or a revoked token id.
// Used makes codes single-use and marks a rotated refresh token.
type OAuthGrant struct {
	ID, Kind, ServerID, ClientID, UserID string
	Body                                 []byte
	// ExpiresAt is in milliseconds since the epoch.
	ExpiresAt int64
	Used      bool
	// FamilyID ties the refresh tokens rotated from one grant and the access tokens issued
	// with them ("" for other grants): RevokeOAuthFamily revokes them together.
	FamilyID string
	// UsedAt is when Used was set (milliseconds since the epoch; 0 when never).
	UsedAt int64
	// Revoked is set by RevokeOAuthGrant and RevokeOAuthFamily: the grant no longer works.
	Revoked bool
}

// OAuthReader reads authorization servers and OAuth runtime state.
type OAuthReader interface {
	// GetOAuthObject returns one object, or domain.NotFound(id, kind).
	GetOAuthObject(ctx context.Context, org, kind, id string) (OAuthObject, error)
	// ListOAuthObjects returns the objects of kind under parent (every one of the org's when
	// parent is ""), by created then id.
	ListOAuthObjects(ctx context.Context, org, kind, parent string) ([]OAuthObject, error)
	// GetOAuthGrant returns one grant, or domain.NotFound(id, "OAuthGrant").
	GetOAuthGrant(ctx context.Context, org, id string) (OAuthGrant, error)
}

// OAuthWriter writes them.
type OAuthWriter interface {
	// CreateOAuthObject inserts o; a taken name is a *ConflictError{"name"}.
	CreateOAuthObject(ctx context.Context, org string, o OAuthObject) error
	// UpdateOAuthObject replaces the name and body of o (by kind and id), or domain.NotFound.
	UpdateOAuthObject(ctx context.Context, org string, o OAuthObject) error
	// DeleteOAuthObject removes one object; domain.NotFound if absent.
	DeleteOAuthObject(ctx context.Context, org, kind, id string) error
	// DeleteOAuthServerObjects removes every object and grant of a server (itself included).
	DeleteOAuthServerObjects(ctx context.Context, org, serverID string) error
	// CreateOAuthGrant inserts g; an id already taken is a *ConflictError{"id"}.
	CreateOAuthGrant(ctx context.Context, org string, g OAuthGrant) error
	// UseOAuthGrant marks an unused grant used at at (milliseconds) and reports whether this
	// call did it: false for one already used or absent, so two instances redeeming one code
	// cannot both win.
	UseOAuthGrant(ctx context.Context, org, id string, at int64) (bool, error)
	// ExtendOAuthGrant sets the expiry of a grant (a refresh token's idle window moves on each
	// use); a missing grant is not an error.
	ExtendOAuthGrant(ctx context.Context, org, id string, expiresAt int64) error
	// RevokeOAuthGrant sets Revoked on one grant; a missing grant is not an error.
	RevokeOAuthGrant(ctx context.Context, org, id string) error
	// RevokeOAuthFamily sets Revoked on every grant of a family and reports how many it changed.
	RevokeOAuthFamily(ctx context.Context, org, familyID string) (int64, error)
}
