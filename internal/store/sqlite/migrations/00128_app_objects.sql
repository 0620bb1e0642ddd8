-- +goose Up
-- Okta's applications (the Applications API) and what hangs off them: app users, group
-- assignments, signing keys and CSRs, each a JSON document keyed by kind, parent (the app) and
-- id. lookup holds an OIDC app's client_id, unique per org.
CREATE TABLE app_objects (
    org_id    TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    lookup    TEXT,
    data      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, parent_id, id)
);
CREATE UNIQUE INDEX app_objects_lookup ON app_objects (org_id, lookup) WHERE lookup IS NOT NULL;
CREATE INDEX app_objects_id ON app_objects (org_id, kind, id);

-- +goose Down
DROP TABLE app_objects;
