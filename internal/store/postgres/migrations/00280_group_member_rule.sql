-- +goose Up
-- rule_id is the group rule that manages a membership ('' when it was added by hand, by
-- groupIds at user creation or by an import): Okta removes a user from a rule's groups when the
-- user stops matching the rule, but only the memberships the rule manages, never manual ones.
ALTER TABLE group_members ADD COLUMN rule_id TEXT COLLATE "C" NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE group_members DROP COLUMN rule_id;
