package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/netzone"
)

// ZoneReader reads network zones.
type ZoneReader interface {
	// GetZone returns one zone of org, or domain.NotFound(id, "NetworkZone").
	GetZone(ctx context.Context, org, id string) (netzone.Zone, error)
	// ListZones returns every zone of org, by id (Okta caps an org at a few hundred).
	ListZones(ctx context.Context, org string) ([]netzone.Zone, error)
}

// ZoneWriter writes network zones.
type ZoneWriter interface {
	// CreateZone inserts z; a taken name is a *ConflictError{"name"}.
	CreateZone(ctx context.Context, org string, z netzone.Zone) error
	// UpdateZone replaces z (by id); a taken name is a *ConflictError{"name"}, a missing zone
	// domain.NotFound.
	UpdateZone(ctx context.Context, org string, z netzone.Zone) error
	// DeleteZone removes one; domain.NotFound if absent.
	DeleteZone(ctx context.Context, org, id string) error
}
