-- +goose Up
-- Sign-in sessions (Okta's Sessions API) and the tokens of the Authn API. Both live in the
-- database, not in memory, so several okapi instances on one database answer as one: a
-- sessionToken issued by one instance is redeemed on another, a session created on one is read,
-- refreshed or closed on any. Tokens are kept by the hash of their secret, never the secret.
CREATE TABLE signin_sessions (
    org_id           TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    login            TEXT NOT NULL,
    status           TEXT NOT NULL,
    created          INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    last_password    INTEGER NOT NULL,
    last_factor      INTEGER NOT NULL,
    amr              TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX signin_sessions_user ON signin_sessions (org_id, user_id);

CREATE TABLE signin_tokens (
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    hash          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    status        TEXT NOT NULL,
    factor_id     TEXT NOT NULL,
    relay_state   TEXT NOT NULL,
    created       INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    last_password INTEGER NOT NULL,
    last_factor   INTEGER NOT NULL,
    amr           TEXT NOT NULL,
    PRIMARY KEY (org_id, hash)
);

-- +goose Down
DROP TABLE signin_tokens;
DROP TABLE signin_sessions;
