-- +goose Up
-- Linked object values: associated_user_id's primary (e.g. manager) in the relationship
-- primary_name is primary_user_id. A user has at most one primary per relationship.
CREATE TABLE linked_object_values (
    org_id             TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    primary_name       TEXT NOT NULL,
    associated_user_id TEXT NOT NULL,
    primary_user_id    TEXT NOT NULL,
    PRIMARY KEY (org_id, primary_name, associated_user_id),
    FOREIGN KEY (org_id, associated_user_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, primary_user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX linked_object_values_primary ON linked_object_values (org_id, primary_name, primary_user_id);

-- +goose Down
DROP TABLE linked_object_values;
