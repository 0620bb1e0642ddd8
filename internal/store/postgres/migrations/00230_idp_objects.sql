-- +goose Up
-- The Identity Providers family (Okta's Identity Providers API): IdPs, org keys, IdP signing
-- keys, CSRs and user links, each a JSON document keyed by kind, parent and id.
CREATE TABLE idp_objects (
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    id        TEXT COLLATE "C" NOT NULL,
    name      TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C" NOT NULL,
    created   BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE INDEX idp_objects_parent ON idp_objects (org_id, parent_id);

-- +goose Down
DROP TABLE idp_objects;
