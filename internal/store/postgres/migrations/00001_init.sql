-- +goose Up
-- Every timestamp is BIGINT Unix milliseconds; every row carries org_id.
CREATE TABLE orgs (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    created BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    org_id       TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL,
    client_name  TEXT NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    token_window TEXT NOT NULL,
    last_used    BIGINT NOT NULL,
    network      TEXT,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE users (
    org_id               TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                   TEXT NOT NULL,
    status               TEXT NOT NULL,
    transitioning        TEXT NOT NULL DEFAULT '',
    created              BIGINT NOT NULL,
    activated            BIGINT,
    status_changed       BIGINT,
    last_login           BIGINT,
    last_updated         BIGINT NOT NULL,
    password_changed     BIGINT,
    type_id              TEXT NOT NULL,
    profile              JSONB NOT NULL,
    login                TEXT NOT NULL,
    login_lower          TEXT NOT NULL,
    email                TEXT,
    first_name           TEXT,
    last_name            TEXT,
    provider_type        TEXT NOT NULL,
    provider_name        TEXT NOT NULL,
    recovery_question    TEXT,
    password_hash        TEXT,
    recovery_answer_hash TEXT,
    version              BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX users_login_lower ON users (org_id, login_lower);
CREATE INDEX users_login ON users (org_id, login);
CREATE INDEX users_status ON users (org_id, status, id);
CREATE INDEX users_created ON users (org_id, created, id);
CREATE INDEX users_last_updated ON users (org_id, last_updated, id);
CREATE INDEX users_email ON users (org_id, email);
CREATE INDEX users_email_lower ON users (org_id, lower(email));
CREATE INDEX users_first_name ON users (org_id, first_name);
CREATE INDEX users_first_name_lower ON users (org_id, lower(first_name));
CREATE INDEX users_last_name ON users (org_id, last_name);
CREATE INDEX users_last_name_lower ON users (org_id, lower(last_name));

CREATE TABLE groups (
    org_id                  TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                      TEXT NOT NULL,
    type                    TEXT NOT NULL,
    name                    TEXT NOT NULL,
    name_lower              TEXT NOT NULL,
    description             TEXT,
    profile                 JSONB NOT NULL,
    created                 BIGINT NOT NULL,
    last_updated            BIGINT NOT NULL,
    last_membership_updated BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
-- Okta keeps OKTA_GROUP names unique; app groups may repeat a name.
CREATE UNIQUE INDEX groups_okta_name ON groups (org_id, name_lower) WHERE type <> 'APP_GROUP';
CREATE INDEX groups_name ON groups (org_id, name);
CREATE INDEX groups_last_updated ON groups (org_id, last_updated, id);
CREATE INDEX groups_last_membership_updated ON groups (org_id, last_membership_updated, id);

CREATE TABLE group_members (
    org_id   TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    created  BIGINT NOT NULL,
    PRIMARY KEY (org_id, group_id, user_id),
    FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_user ON group_members (org_id, user_id, group_id);

-- seq is the commit sequence: appends are serialised, so seq order is commit order and a
-- poller paging by seq never skips an event that commits late.
CREATE TABLE log_events (
    seq                BIGSERIAL PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    uuid               TEXT NOT NULL,
    published          BIGINT NOT NULL,
    event_type         TEXT NOT NULL,
    severity           TEXT NOT NULL,
    legacy_event_type  TEXT,
    display_message    TEXT,
    outcome_result     TEXT,
    outcome_reason     TEXT,
    actor_id           TEXT,
    actor_type         TEXT,
    actor_alternate_id TEXT,
    actor_display_name TEXT,
    client_ip          TEXT,
    client_zone        TEXT,
    transaction_id     TEXT,
    request_id         TEXT,
    data               TEXT NOT NULL
);
CREATE INDEX log_events_org_seq ON log_events (org_id, seq);
CREATE INDEX log_events_published ON log_events (org_id, published, seq);
CREATE INDEX log_events_type ON log_events (org_id, event_type, seq);

CREATE TABLE log_targets (
    org_id       TEXT NOT NULL,
    event_seq    BIGINT NOT NULL REFERENCES log_events(seq) ON DELETE CASCADE,
    idx          BIGINT NOT NULL,
    id           TEXT,
    type         TEXT,
    alternate_id TEXT,
    display_name TEXT,
    PRIMARY KEY (event_seq, idx)
);
CREATE INDEX log_targets_id ON log_targets (org_id, id, event_seq);

CREATE TABLE trusted_origins (
    org_id          TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    origin          TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    status          TEXT NOT NULL,
    created         BIGINT NOT NULL,
    created_by      TEXT,
    last_updated    BIGINT NOT NULL,
    last_updated_by TEXT,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX trusted_origins_name ON trusted_origins (org_id, name);
CREATE UNIQUE INDEX trusted_origins_origin ON trusted_origins (org_id, origin);

CREATE TABLE zones (
    org_id       TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    usage        TEXT NOT NULL,
    status       TEXT NOT NULL,
    system       BOOLEAN NOT NULL DEFAULT false,
    data         TEXT NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX zones_name ON zones (org_id, name);

-- +goose Down
DROP TABLE zones;
DROP TABLE trusted_origins;
DROP TABLE log_targets;
DROP TABLE log_events;
DROP TABLE group_members;
DROP TABLE groups;
DROP TABLE users;
DROP TABLE api_tokens;
DROP TABLE orgs;
