package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// GroupReader reads groups and memberships.
type GroupReader interface {
	// GetGroup returns a group by id, or domain.ErrNotFound.
	GetGroup(ctx context.Context, org, id string) (domain.Group, error)
	// GetBuiltInGroup returns the org's Everyone group, or domain.ErrNotFound.
	GetBuiltInGroup(ctx context.Context, org string) (domain.Group, error)
}

// GroupWriter writes groups and memberships.
type GroupWriter interface {
	// CreateGroup inserts g; an OKTA_GROUP name taken in org (ignoring case) is a
	// *ConflictError{"name"}.
	CreateGroup(ctx context.Context, org string, g domain.Group) error
	// AddMember puts a user in a group; it reports whether the membership is new (adding an
	// existing member is not an error). Unknown group or user is domain.ErrNotFound.
	AddMember(ctx context.Context, org, groupID, userID string, at domain.Time) (bool, error)
}
