-- +goose Up
-- Twin of PostgreSQL's 00050, which gives log_events.search_text and trusted_origins.origin_norm COLLATE "C". SQLite's
-- default BINARY collation already compares bytewise, so there is nothing to change here.
SELECT 1;

-- +goose Down
SELECT 1;
