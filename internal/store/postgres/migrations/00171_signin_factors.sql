-- +goose Up
-- Users' MFA factors (Okta's User Factors API). secret is the TOTP shared secret or the hash of
-- a security answer, never shown; last_step is the TOTP time step of the last accepted code, so
-- a code is used once, on whichever instance it arrives.
CREATE TABLE signin_factors (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    user_id      TEXT COLLATE "C" NOT NULL,
    factor_type  TEXT COLLATE "C" NOT NULL,
    provider     TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    profile      TEXT COLLATE "C" NOT NULL,
    secret       TEXT COLLATE "C" NOT NULL,
    last_step    BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX signin_factors_user ON signin_factors (org_id, user_id);

-- +goose Down
DROP TABLE signin_factors;
