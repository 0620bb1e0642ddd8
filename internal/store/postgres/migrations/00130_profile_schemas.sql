-- +goose Up
-- The custom part of an org's user and group schemas (kind 'user' or 'group'), as JSON: the
-- base part is fixed, so one row per org and kind holds every custom property definition.
CREATE TABLE profile_schemas (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind         TEXT COLLATE "C" NOT NULL,
    data         TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- Group rules: the expression, target groups and exclusions live in data (JSON); status is a
-- column because every user write reads the org's ACTIVE rules.
CREATE TABLE group_rules (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL,
    data         TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX group_rules_status ON group_rules (org_id, status);

-- +goose Down
DROP TABLE group_rules;
DROP TABLE profile_schemas;
