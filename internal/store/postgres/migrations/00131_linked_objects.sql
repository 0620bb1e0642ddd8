-- +goose Up
-- Linked object definitions (/api/v1/meta/schemas/user/linkedObjects): one row per
-- primary/associated pair; data holds both sides as JSON.
CREATE TABLE linked_object_defs (
    org_id          TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    primary_name    TEXT COLLATE "C" NOT NULL,
    associated_name TEXT COLLATE "C" NOT NULL,
    data            TEXT COLLATE "C" NOT NULL,
    created         BIGINT NOT NULL,
    PRIMARY KEY (org_id, primary_name)
);
CREATE UNIQUE INDEX linked_object_defs_associated ON linked_object_defs (org_id, associated_name);

-- +goose Down
DROP TABLE linked_object_defs;
