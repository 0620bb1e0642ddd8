-- +goose Up
-- Event hooks (Okta's Event Hooks API) and their delivery state: the cursor into the org's
-- System Log (log_events.seq), the batch in flight, and the lease that lets one instance at a
-- time deliver a hook.
CREATE TABLE event_hooks (
    org_id              TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                  TEXT COLLATE "C" NOT NULL,
    name                TEXT COLLATE "C" NOT NULL,
    description         TEXT COLLATE "C",
    status              TEXT COLLATE "C" NOT NULL,
    verification_status TEXT COLLATE "C" NOT NULL,
    created             BIGINT NOT NULL,
    created_by          TEXT COLLATE "C",
    last_updated        BIGINT NOT NULL,
    data                TEXT COLLATE "C" NOT NULL,
    cursor_seq          BIGINT NOT NULL DEFAULT 0,
    pending_event_id    TEXT COLLATE "C",
    pending_to          BIGINT NOT NULL DEFAULT 0,
    lease_owner         TEXT COLLATE "C",
    lease_until         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX event_hooks_deliverable ON event_hooks (status, verification_status);

-- +goose Down
DROP TABLE event_hooks;
