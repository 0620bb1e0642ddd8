-- +goose Up
-- Every text column is COLLATE "C" so PostgreSQL orders and folds case like SQLite's BINARY
-- collation (see 00001_init.sql); TestTextColumnsCollateC checks new columns keep to it.
ALTER TABLE log_events ALTER COLUMN search_text TYPE TEXT COLLATE "C";
ALTER TABLE trusted_origins ALTER COLUMN origin_norm TYPE TEXT COLLATE "C";

-- +goose Down
ALTER TABLE trusted_origins ALTER COLUMN origin_norm TYPE TEXT COLLATE "default";
ALTER TABLE log_events ALTER COLUMN search_text TYPE TEXT COLLATE "default";
