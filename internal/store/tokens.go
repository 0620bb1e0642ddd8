package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// TokenReader reads API tokens.
type TokenReader interface {
	// GetTokenByHash finds a token by the hash of its secret, in any org (the token picks the
	// org); domain.ErrNotFound if there is none.
	GetTokenByHash(ctx context.Context, hash string) (domain.APIToken, string, error)
	// GetToken returns one token of org, or domain.ErrNotFound.
	GetToken(ctx context.Context, org, id string) (domain.APIToken, error)
	// ListTokens returns up to limit tokens of org with id > after, by id.
	ListTokens(ctx context.Context, org, after string, limit int) ([]domain.APIToken, error)
}

// TokenWriter writes API tokens.
type TokenWriter interface {
	// CreateToken stores a token (with its hash); a taken hash is a *ConflictError{"token"}.
	CreateToken(ctx context.Context, org string, t domain.APIToken) error
	// DeleteToken revokes a token; domain.ErrNotFound if it does not exist.
	DeleteToken(ctx context.Context, org, id string) error
	// UpdateTokenNetwork replaces a token's name, network condition and lastUpdated;
	// domain.NotFound if the token is gone.
	UpdateTokenNetwork(ctx context.Context, org, id, name string, network *domain.TokenNetwork, lastUpdated domain.Time) error
	// TouchToken records the token's last use and new expiry.
	TouchToken(ctx context.Context, org, id string, lastUsed, expiresAt domain.Time) error
}
