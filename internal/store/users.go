package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// UserReader reads users.
type UserReader interface {
	// GetUser returns a user by id, or domain.ErrNotFound.
	GetUser(ctx context.Context, org, id string) (domain.User, error)
	// GetUserByLogin returns a user by login, ignoring case, or domain.ErrNotFound.
	GetUserByLogin(ctx context.Context, org, login string) (domain.User, error)
}

// UserWriter writes users.
type UserWriter interface {
	// CreateUser inserts u (Version 1); a login taken in org (ignoring case) is a
	// *ConflictError{"login"}.
	CreateUser(ctx context.Context, org string, u domain.User) error
	// UpdateUser writes u if the stored Version still equals u.Version, then stores
	// u.Version+1; otherwise ErrStale (or domain.ErrNotFound if the user is gone).
	UpdateUser(ctx context.Context, org string, u domain.User) error
	// DeleteUser removes a user and its group memberships; domain.ErrNotFound if absent.
	DeleteUser(ctx context.Context, org, id string) error
}
