package store

import "context"

// OrgSettings is an org's stored Org Settings document (company details, contacts,
// preferences; the service owns its JSON shape) and when it last changed, in epoch millis.
type OrgSettings struct {
	Data        []byte
	LastUpdated int64
}

// OrgSettingsReader reads an org's settings.
type OrgSettingsReader interface {
	// GetOrgSettings returns the org's stored settings, or domain.ErrNotFound when it has none
	// (a new or reset org, which has Okta's defaults).
	GetOrgSettings(ctx context.Context, org string) (OrgSettings, error)
}

// OrgSettingsWriter writes an org's settings.
type OrgSettingsWriter interface {
	// PutOrgSettings stores the org's settings, replacing what it had.
	PutOrgSettings(ctx context.Context, org string, s OrgSettings) error
}
