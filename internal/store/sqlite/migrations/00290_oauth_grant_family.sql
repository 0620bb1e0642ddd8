-- +goose Up
-- Refresh token rotation (Okta's "Refresh access tokens and rotate refresh tokens" guide):
-- family_id ties every refresh token rotated from one grant, and the access tokens issued with
-- them, so reuse of a rotated token revokes them all; used_at is when a token was rotated (its
-- leeway runs from then); revoked marks tokens that no longer work at all.
ALTER TABLE oauth_grants ADD COLUMN family_id TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_grants ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE oauth_grants ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX oauth_grants_family ON oauth_grants (org_id, family_id);

-- +goose Down
DROP INDEX oauth_grants_family;
ALTER TABLE oauth_grants DROP COLUMN revoked;
ALTER TABLE oauth_grants DROP COLUMN used_at;
ALTER TABLE oauth_grants DROP COLUMN family_id;
