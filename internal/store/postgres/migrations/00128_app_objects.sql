-- +goose Up
-- Okta's applications (the Applications API) and what hangs off them: app users, group
-- assignments, signing keys and CSRs, each a JSON document keyed by kind, parent (the app) and
-- id. lookup holds an OIDC app's client_id, unique per org.
CREATE TABLE app_objects (
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    id        TEXT COLLATE "C" NOT NULL,
    lookup    TEXT COLLATE "C",
    data      TEXT COLLATE "C" NOT NULL,
    created   BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE UNIQUE INDEX app_objects_lookup ON app_objects (org_id, lookup) WHERE lookup IS NOT NULL;
CREATE INDEX app_objects_id ON app_objects (org_id, kind, id);

-- +goose Down
DROP TABLE app_objects;
