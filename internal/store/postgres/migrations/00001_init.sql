-- +goose Up
-- PostgreSQL twin of the SQLite schema; the store's queries run unchanged on both, so the
-- differences are only where PostgreSQL needs them:
--   * Every timestamp is BIGINT Unix milliseconds; every row carries org_id.
--   * Every TEXT column is COLLATE "C": comparisons, ORDER BY, keyset cursors (id > ?) and
--     lower() then behave like SQLite's BINARY collation (byte order, ASCII-only case folding)
--     whatever the database's default locale is, so a cursor or filter gives the same rows on
--     both backends and LIKE 'prefix%' can use the btree indexes.
--   * Profiles are JSONB (queried with ->> by the filter compiler); log_events.data stays TEXT
--     because it is served back verbatim and JSONB would reorder its keys.
--   * log_events.seq is BIGSERIAL; appends hold an advisory transaction lock until commit
--     (Dialect.LockLog), so seq order is commit order across instances.
CREATE TABLE orgs (
    id      TEXT COLLATE "C" PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL UNIQUE,
    created BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    hash         TEXT COLLATE "C" NOT NULL UNIQUE,
    user_id      TEXT COLLATE "C" NOT NULL,
    client_name  TEXT COLLATE "C" NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    token_window TEXT COLLATE "C" NOT NULL,
    last_used    BIGINT NOT NULL,
    network      TEXT COLLATE "C",
    PRIMARY KEY (org_id, id)
);

CREATE TABLE users (
    org_id               TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                   TEXT COLLATE "C" NOT NULL,
    status               TEXT COLLATE "C" NOT NULL,
    transitioning        TEXT COLLATE "C" NOT NULL DEFAULT '',
    created              BIGINT NOT NULL,
    activated            BIGINT,
    status_changed       BIGINT,
    last_login           BIGINT,
    last_updated         BIGINT NOT NULL,
    password_changed     BIGINT,
    type_id              TEXT COLLATE "C" NOT NULL,
    profile              JSONB NOT NULL,
    login                TEXT COLLATE "C" NOT NULL,
    login_lower          TEXT COLLATE "C" NOT NULL,
    email                TEXT COLLATE "C",
    first_name           TEXT COLLATE "C",
    last_name            TEXT COLLATE "C",
    provider_type        TEXT COLLATE "C" NOT NULL,
    provider_name        TEXT COLLATE "C" NOT NULL,
    recovery_question    TEXT COLLATE "C",
    password_hash        TEXT COLLATE "C",
    recovery_answer_hash TEXT COLLATE "C",
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
    org_id                  TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                      TEXT COLLATE "C" NOT NULL,
    type                    TEXT COLLATE "C" NOT NULL,
    name                    TEXT COLLATE "C" NOT NULL,
    name_lower              TEXT COLLATE "C" NOT NULL,
    description             TEXT COLLATE "C",
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
    org_id   TEXT COLLATE "C" NOT NULL,
    group_id TEXT COLLATE "C" NOT NULL,
    user_id  TEXT COLLATE "C" NOT NULL,
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
    org_id             TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    uuid               TEXT COLLATE "C" NOT NULL,
    published          BIGINT NOT NULL,
    event_type         TEXT COLLATE "C" NOT NULL,
    severity           TEXT COLLATE "C" NOT NULL,
    legacy_event_type  TEXT COLLATE "C",
    display_message    TEXT COLLATE "C",
    outcome_result     TEXT COLLATE "C",
    outcome_reason     TEXT COLLATE "C",
    actor_id           TEXT COLLATE "C",
    actor_type         TEXT COLLATE "C",
    actor_alternate_id TEXT COLLATE "C",
    actor_display_name TEXT COLLATE "C",
    client_ip          TEXT COLLATE "C",
    client_zone        TEXT COLLATE "C",
    transaction_id     TEXT COLLATE "C",
    request_id         TEXT COLLATE "C",
    data               TEXT COLLATE "C" NOT NULL
);
CREATE INDEX log_events_org_seq ON log_events (org_id, seq);
CREATE INDEX log_events_published ON log_events (org_id, published, seq);
CREATE INDEX log_events_type ON log_events (org_id, event_type, seq);

CREATE TABLE log_targets (
    org_id       TEXT COLLATE "C" NOT NULL,
    event_seq    BIGINT NOT NULL REFERENCES log_events(seq) ON DELETE CASCADE,
    idx          BIGINT NOT NULL,
    id           TEXT COLLATE "C",
    type         TEXT COLLATE "C",
    alternate_id TEXT COLLATE "C",
    display_name TEXT COLLATE "C",
    PRIMARY KEY (event_seq, idx)
);
CREATE INDEX log_targets_id ON log_targets (org_id, id, event_seq);

CREATE TABLE trusted_origins (
    org_id          TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id              TEXT COLLATE "C" NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    origin          TEXT COLLATE "C" NOT NULL,
    scopes          TEXT COLLATE "C" NOT NULL,
    status          TEXT COLLATE "C" NOT NULL,
    created         BIGINT NOT NULL,
    created_by      TEXT COLLATE "C",
    last_updated    BIGINT NOT NULL,
    last_updated_by TEXT COLLATE "C",
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX trusted_origins_name ON trusted_origins (org_id, name);
CREATE UNIQUE INDEX trusted_origins_origin ON trusted_origins (org_id, origin);

CREATE TABLE zones (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    type         TEXT COLLATE "C" NOT NULL,
    usage        TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL,
    system       BOOLEAN NOT NULL DEFAULT false,
    data         TEXT COLLATE "C" NOT NULL,
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
