-- +goose Up
-- The hashes of the passwords each user set, newest last, so the password policy's
-- historyCount can refuse a recent one (Okta: "Password history"). Rows go with their user.
CREATE TABLE password_history (
    org_id  TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id TEXT COLLATE "C" NOT NULL,
    seq     BIGINT NOT NULL,
    hash    TEXT COLLATE "C" NOT NULL,
    set_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id, seq),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE password_history;
