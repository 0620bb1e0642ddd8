-- +goose Up
-- search_text holds the lower-cased keywords of an event, each framed by spaces, so the
-- System Log `q` parameter matches whole keywords with one substring test per keyword.
ALTER TABLE log_events ADD COLUMN search_text TEXT;
-- Retention purges by age across all orgs.
CREATE INDEX log_events_published_all ON log_events (published);

-- +goose Down
DROP INDEX log_events_published_all;
ALTER TABLE log_events DROP COLUMN search_text;
