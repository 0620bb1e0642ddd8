-- +goose Up
-- The Identity Providers family (Okta's Identity Providers API): IdPs, org keys, IdP signing
-- keys, CSRs and user links, each a JSON document keyed by kind, parent and id.
CREATE TABLE idp_objects (
    org_id    TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    data      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX idp_objects_parent ON idp_objects (org_id, parent_id);

-- +goose Down
DROP TABLE idp_objects;
