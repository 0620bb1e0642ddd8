-- +goose Up
-- Admin role assignments to users and groups and their group targets (Okta's Role Assignment
-- and Role Target APIs), each a JSON document keyed by kind, parent and id.
CREATE TABLE role_objects (
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    id        TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C" NOT NULL,
    created   BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX role_objects_id ON role_objects (org_id, kind, id);

-- +goose Down
DROP TABLE role_objects;
