-- +goose Up
-- Admin role assignments to users and groups and their group targets (Okta's Role Assignment
-- and Role Target APIs), each a JSON document keyed by kind, parent and id.
CREATE TABLE role_objects (
    org_id    TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    data      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX role_objects_id ON role_objects (org_id, kind, id);

-- +goose Down
DROP TABLE role_objects;
