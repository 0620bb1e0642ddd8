-- +goose Up
-- Users' MFA factors (Okta's User Factors API). secret is the TOTP shared secret or the hash of
-- a security answer, never shown; last_step is the TOTP time step of the last accepted code, so
-- a code is used once, on whichever instance it arrives.
CREATE TABLE signin_factors (
    org_id       TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    factor_type  TEXT NOT NULL,
    provider     TEXT NOT NULL,
    status       TEXT NOT NULL,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    profile      TEXT NOT NULL,
    secret       TEXT NOT NULL,
    last_step    INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX signin_factors_user ON signin_factors (org_id, user_id);

-- +goose Down
DROP TABLE signin_factors;
