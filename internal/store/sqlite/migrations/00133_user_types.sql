-- +goose Up
-- Custom user types (/api/v1/meta/types/user); the default type is derived from the org id
-- and not stored. data holds displayName and description.
CREATE TABLE user_types (
    org_id       TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    data         TEXT NOT NULL,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX user_types_name ON user_types (org_id, name);

-- +goose Down
DROP TABLE user_types;
