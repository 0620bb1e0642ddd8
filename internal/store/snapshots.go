package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Snapshot names a saved copy of an org.
type Snapshot struct {
	Name    string      `json:"name"`
	Created domain.Time `json:"created"`
}

// SnapshotReader reads snapshots.
type SnapshotReader interface {
	// ListSnapshots returns the snapshots of org, by name. Only backend errors.
	ListSnapshots(ctx context.Context, org string) ([]Snapshot, error)
}

// SnapshotWriter saves and restores orgs. Each method works on every org-scoped table, so a
// restore brings back users, groups, memberships, tokens, origins, zones and the System Log
// exactly as they were.
type SnapshotWriter interface {
	// SaveSnapshot copies every row of org into the snapshot called name, replacing one of that
	// name. Only backend errors.
	SaveSnapshot(ctx context.Context, org, name string, created domain.Time) error
	// RestoreSnapshot replaces every row of org with the snapshot's; domain.NotFound(name,
	// "Snapshot") if there is none. A row that clashes with another org's (a token hash) is a
	// *ConflictError.
	RestoreSnapshot(ctx context.Context, org, name string) error
	// DeleteSnapshot removes one; domain.NotFound if absent.
	DeleteSnapshot(ctx context.Context, org, name string) error
	// ResetOrg empties org the way a new Okta org is empty: it keeps the API tokens, the users
	// who own them, the BUILT_IN groups (with just those users) and the system zones, and deletes
	// everything else, the System Log included. Only backend errors.
	ResetOrg(ctx context.Context, org string) error
}
