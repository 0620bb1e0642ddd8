-- +goose Up
-- What every okapi instance on this database shares and no org owns: the operator token's hash
-- and the local CA (see store.ServerSettingReader). Written once, never updated.
CREATE TABLE server_settings (
    name  TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- +goose Down
DROP TABLE server_settings;
