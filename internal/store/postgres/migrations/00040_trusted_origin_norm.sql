-- +goose Up
-- Okta keeps origins unique per org as origins, not as strings: "https://A.example.com:443" and
-- "https://a.example.com" are the same origin. origin_norm holds origin.Normalize(origin) and
-- carries the unique index; origin keeps the value as the client wrote it.
ALTER TABLE trusted_origins ADD COLUMN origin_norm TEXT NOT NULL DEFAULT '';
UPDATE trusted_origins SET origin_norm = lower(origin);
DROP INDEX trusted_origins_origin;
CREATE UNIQUE INDEX trusted_origins_origin_norm ON trusted_origins (org_id, origin_norm);
CREATE INDEX zones_status ON zones (org_id, status, id);

-- +goose Down
DROP INDEX zones_status;
DROP INDEX trusted_origins_origin_norm;
CREATE UNIQUE INDEX trusted_origins_origin ON trusted_origins (org_id, origin);
ALTER TABLE trusted_origins DROP COLUMN origin_norm;
