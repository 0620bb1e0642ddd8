package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
)

// SigninReader reads sign-in sessions and Authn tokens.
type SigninReader interface {
	// GetSession returns one session of org, or domain.ErrNotFound.
	GetSession(ctx context.Context, org, id string) (domain.Session, error)
	// GetSigninToken returns the stateToken or sessionToken with this hash, or domain.ErrNotFound.
	GetSigninToken(ctx context.Context, org, hash string) (signin.Token, error)
	// ListFactors returns a user's factors by id.
	ListFactors(ctx context.Context, org, userID string) ([]signin.Factor, error)
	// GetFactor returns one factor of a user, or domain.ErrNotFound.
	GetFactor(ctx context.Context, org, userID, id string) (signin.Factor, error)
}

// SigninWriter writes sign-in sessions and Authn tokens.
type SigninWriter interface {
	// CreateSession stores a session; a taken id is a *ConflictError{"id"}.
	CreateSession(ctx context.Context, org string, s domain.Session) error
	// RefreshSession sets a session's expiry; domain.ErrNotFound if it does not exist.
	RefreshSession(ctx context.Context, org, id string, expiresAt domain.Time) error
	// DeleteSession ends a session; domain.ErrNotFound if it does not exist.
	DeleteSession(ctx context.Context, org, id string) error
	// DeleteUserSessions ends every session of a user and returns how many there were.
	DeleteUserSessions(ctx context.Context, org, userID string) (int, error)
	// PutSigninToken stores a token, or replaces the one with the same hash.
	PutSigninToken(ctx context.Context, org string, t signin.Token) error
	// DeleteSigninToken removes a token; domain.ErrNotFound if it is gone, so of two
	// transactions redeeming one token only one succeeds.
	DeleteSigninToken(ctx context.Context, org, hash string) error
	// PutFactor stores a factor, or replaces the one with the same id.
	PutFactor(ctx context.Context, org string, f signin.Factor) error
	// DeleteFactor removes a factor; domain.ErrNotFound if it does not exist.
	DeleteFactor(ctx context.Context, org, userID, id string) error
	// AddSigninFailure counts one more consecutive failed sign-in of a user and returns the count.
	AddSigninFailure(ctx context.Context, org, userID string, at domain.Time) (int, error)
	// ResetSigninFailures sets a user's count back to zero.
	ResetSigninFailures(ctx context.Context, org, userID string) error
}
