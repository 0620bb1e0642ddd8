-- +goose Up
-- Each org's self-service feature statuses (the Features API) that differ from okapi's
-- catalog default: one row per feature the org enabled or disabled. An org without rows has
-- the catalog's defaults, so a reset deletes them.
CREATE TABLE org_features (
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    feature_id TEXT COLLATE "C" NOT NULL,
    status     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, feature_id)
);

-- +goose Down
DROP TABLE org_features;
