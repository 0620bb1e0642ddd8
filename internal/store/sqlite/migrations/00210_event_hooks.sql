-- +goose Up
-- Event hooks (Okta's Event Hooks API) and their delivery state: the cursor into the org's
-- System Log (log_events.seq), the batch in flight, and the lease that lets one instance at a
-- time deliver a hook.
CREATE TABLE event_hooks (
    org_id              TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT,
    status              TEXT NOT NULL,
    verification_status TEXT NOT NULL,
    created             INTEGER NOT NULL,
    created_by          TEXT,
    last_updated        INTEGER NOT NULL,
    data                TEXT NOT NULL,
    cursor_seq          INTEGER NOT NULL DEFAULT 0,
    pending_event_id    TEXT,
    pending_to          INTEGER NOT NULL DEFAULT 0,
    lease_owner         TEXT,
    lease_until         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX event_hooks_deliverable ON event_hooks (status, verification_status);

-- +goose Down
DROP TABLE event_hooks;
