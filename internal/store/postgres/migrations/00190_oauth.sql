-- +goose Up
-- Authorization servers and what hangs off them (scopes, claims, policies, rules, signing keys),
-- one row per object with its JSON body: see Okta's Authorization Servers API.
CREATE TABLE oauth_objects (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind         TEXT COLLATE "C" NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    server_id    TEXT COLLATE "C" NOT NULL,
    parent_id    TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, id)
);
CREATE UNIQUE INDEX oauth_objects_name ON oauth_objects (org_id, kind, parent_id, name);
CREATE INDEX oauth_objects_server ON oauth_objects (org_id, server_id);

-- Runtime state every instance shares: authorization codes, refresh tokens, revoked token ids.
CREATE TABLE oauth_grants (
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    server_id  TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    body       TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id)
);

-- +goose Down
DROP TABLE oauth_grants;
DROP TABLE oauth_objects;
