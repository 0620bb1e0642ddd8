package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/origin"
)

// OriginReader reads trusted origins.
type OriginReader interface {
	// GetTrustedOrigin returns one trusted origin of org, or domain.NotFound(id, "TrustedOrigin").
	GetTrustedOrigin(ctx context.Context, org, id string) (origin.TrustedOrigin, error)
	// ListTrustedOrigins returns every trusted origin of org, by id. Orgs hold few of them, so
	// callers filter and page in memory.
	ListTrustedOrigins(ctx context.Context, org string) ([]origin.TrustedOrigin, error)
	// ListCORSOrigins returns the normalised origins of org's ACTIVE trusted origins with the CORS
	// scope: what a CORS check reads on every cross-origin request.
	ListCORSOrigins(ctx context.Context, org string) ([]string, error)
}

// OriginWriter writes trusted origins.
type OriginWriter interface {
	// CreateTrustedOrigin inserts o; norm is origin.Normalize(o.Origin). A taken name is a
	// *ConflictError{"name"}, a taken normalised origin a *ConflictError{"origin"}.
	CreateTrustedOrigin(ctx context.Context, org string, o origin.TrustedOrigin, norm string) error
	// UpdateTrustedOrigin replaces o (by id) with the same conflicts as create, or
	// domain.NotFound if it is gone.
	UpdateTrustedOrigin(ctx context.Context, org string, o origin.TrustedOrigin, norm string) error
	// DeleteTrustedOrigin removes one; domain.NotFound if absent.
	DeleteTrustedOrigin(ctx context.Context, org, id string) error
}
