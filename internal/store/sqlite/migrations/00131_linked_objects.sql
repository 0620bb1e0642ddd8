-- +goose Up
-- Linked object definitions (/api/v1/meta/schemas/user/linkedObjects): one row per
-- primary/associated pair; data holds both sides as JSON.
CREATE TABLE linked_object_defs (
    org_id          TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    primary_name    TEXT NOT NULL,
    associated_name TEXT NOT NULL,
    data            TEXT NOT NULL,
    created         INTEGER NOT NULL,
    PRIMARY KEY (org_id, primary_name)
);
CREATE UNIQUE INDEX linked_object_defs_associated ON linked_object_defs (org_id, associated_name);

-- +goose Down
DROP TABLE linked_object_defs;
