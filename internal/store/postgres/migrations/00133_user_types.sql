-- +goose Up
-- Custom user types (/api/v1/meta/types/user); the default type is derived from the org id
-- and not stored. data holds displayName and description.
CREATE TABLE user_types (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    data         TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX user_types_name ON user_types (org_id, name);

-- +goose Down
DROP TABLE user_types;
