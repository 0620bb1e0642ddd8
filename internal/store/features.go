package store

import "context"

// FeatureReader reads an org's self-service feature statuses (the Features API).
type FeatureReader interface {
	// ListFeatureStatuses returns the status (ENABLED or DISABLED) the org set for each feature
	// it changed, by feature id; a feature it never changed is absent and has its default.
	ListFeatureStatuses(ctx context.Context, org string) (map[string]string, error)
}

// FeatureWriter writes an org's self-service feature statuses.
type FeatureWriter interface {
	// PutFeatureStatus records the status of one feature of the org, replacing what it had.
	PutFeatureStatus(ctx context.Context, org, featureID, status string) error
}
