-- +goose Up
-- Consecutive failed sign-ins per user, counted against the password policy's
-- lockout.maxAttempts on every instance alike.
CREATE TABLE signin_failures (
    org_id  TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    count   INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

-- +goose Down
DROP TABLE signin_failures;
