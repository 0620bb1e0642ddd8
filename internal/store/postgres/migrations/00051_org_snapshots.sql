-- +goose Up
-- A snapshot is a copy of every org-scoped row of one org, as JSON ({"table": {"columns": [...],
-- "rows": [[...]]}}), so a test suite can save an org and restore it. JSON instead of shadow
-- tables keeps the copy generic: a table added later needs one line in sqlstore, not a twin.
-- data is TEXT, not JSONB: it is never queried inside, only written and read whole.
CREATE TABLE org_snapshots (
    org_id  TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name    TEXT COLLATE "C" NOT NULL,
    created BIGINT NOT NULL,
    data    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, name)
);

-- +goose Down
DROP TABLE org_snapshots;
