-- +goose Up
-- Okta's policies and policy rules (the Policies API), each a JSON document keyed by kind,
-- parent (a rule's policy) and id.
CREATE TABLE policy_objects (
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    id        TEXT COLLATE "C" NOT NULL,
    type      TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C" NOT NULL,
    created   BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX policy_objects_type ON policy_objects (org_id, kind, type);

-- +goose Down
DROP TABLE policy_objects;
