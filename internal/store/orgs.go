package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// OrgReader reads orgs.
type OrgReader interface {
	// GetOrg returns the org with id, or domain.ErrNotFound.
	GetOrg(ctx context.Context, id string) (domain.Org, error)
	// GetOrgByName returns the org called name, or domain.ErrNotFound.
	GetOrgByName(ctx context.Context, name string) (domain.Org, error)
	// ListOrgs returns every org, by name.
	ListOrgs(ctx context.Context) ([]domain.Org, error)
}

// OrgWriter writes orgs.
type OrgWriter interface {
	// CreateOrg inserts an org; a taken name is a *ConflictError{"name"}.
	CreateOrg(ctx context.Context, org domain.Org) error
	// DeleteOrg removes an org and every row that belongs to it; unknown is domain.ErrNotFound.
	DeleteOrg(ctx context.Context, id string) error
}
