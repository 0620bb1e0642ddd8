-- +goose Up
-- Each org's Org Settings (the Org Settings API: company details, billing and technical
-- contacts, end-user footer preference) as one JSON document. An org without a row has
-- Okta's defaults for a new org, so a reset deletes the row.
CREATE TABLE org_settings (
    org_id       TEXT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    data         TEXT NOT NULL,
    last_updated INTEGER NOT NULL
);

-- +goose Down
DROP TABLE org_settings;
