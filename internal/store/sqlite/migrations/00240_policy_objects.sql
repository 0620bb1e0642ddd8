-- +goose Up
-- Okta's policies and policy rules (the Policies API), each a JSON document keyed by kind,
-- parent (a rule's policy) and id.
CREATE TABLE policy_objects (
    org_id    TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    type      TEXT NOT NULL,
    data      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX policy_objects_type ON policy_objects (org_id, kind, type);

-- +goose Down
DROP TABLE policy_objects;
