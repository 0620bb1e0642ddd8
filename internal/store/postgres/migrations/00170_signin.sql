-- +goose Up
-- Sign-in sessions (Okta's Sessions API) and the tokens of the Authn API. Both live in the
-- database, not in memory, so several okapi instances on one database answer as one: a
-- sessionToken issued by one instance is redeemed on another, a session created on one is read,
-- refreshed or closed on any. Tokens are kept by the hash of their secret, never the secret.
CREATE TABLE signin_sessions (
    org_id           TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id               TEXT COLLATE "C" NOT NULL,
    user_id          TEXT COLLATE "C" NOT NULL,
    login            TEXT COLLATE "C" NOT NULL,
    status           TEXT COLLATE "C" NOT NULL,
    created          BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    last_password    BIGINT NOT NULL,
    last_factor      BIGINT NOT NULL,
    amr              TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX signin_sessions_user ON signin_sessions (org_id, user_id);

CREATE TABLE signin_tokens (
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    hash          TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    factor_id     TEXT COLLATE "C" NOT NULL,
    relay_state   TEXT COLLATE "C" NOT NULL,
    created       BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    last_password BIGINT NOT NULL,
    last_factor   BIGINT NOT NULL,
    amr           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, hash)
);

-- +goose Down
DROP TABLE signin_tokens;
DROP TABLE signin_sessions;
