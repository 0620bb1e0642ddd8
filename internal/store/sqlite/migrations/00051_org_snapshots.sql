-- +goose Up
-- A snapshot is a copy of every org-scoped row of one org, as JSON ({"table": {"columns": [...],
-- "rows": [[...]]}}), so a test suite can save an org and restore it. JSON instead of shadow
-- tables keeps the copy generic: a table added later needs one line in sqlstore, not a twin.
CREATE TABLE org_snapshots (
    org_id  TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    created INTEGER NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (org_id, name)
);

-- +goose Down
DROP TABLE org_snapshots;
