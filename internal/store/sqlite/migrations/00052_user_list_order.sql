-- +goose Up
-- A filtered list is `<column> = ? ORDER BY created, id LIMIT n`. With indexes on the column
-- alone, SQLite's planner (which has no statistics) walks users_created in order and tests
-- every row, so `profile.lastName eq "Smith"` read thousands of rows per page and a rare value
-- the whole table. With the sort key after the equality column, one index seek yields the page
-- in order. These replace the single-column indexes (a prefix of each new one), so a write
-- maintains as many indexes as before.
DROP INDEX users_status;
DROP INDEX users_email;
DROP INDEX users_email_lower;
DROP INDEX users_first_name;
DROP INDEX users_first_name_lower;
DROP INDEX users_last_name;
DROP INDEX users_last_name_lower;
CREATE INDEX users_status ON users (org_id, status, created, id);
CREATE INDEX users_email ON users (org_id, email, created, id);
CREATE INDEX users_email_lower ON users (org_id, lower(email), created, id);
CREATE INDEX users_first_name ON users (org_id, first_name, created, id);
CREATE INDEX users_first_name_lower ON users (org_id, lower(first_name), created, id);
CREATE INDEX users_last_name ON users (org_id, last_name, created, id);
CREATE INDEX users_last_name_lower ON users (org_id, lower(last_name), created, id);

-- +goose Down
DROP INDEX users_status;
DROP INDEX users_email;
DROP INDEX users_email_lower;
DROP INDEX users_first_name;
DROP INDEX users_first_name_lower;
DROP INDEX users_last_name;
DROP INDEX users_last_name_lower;
CREATE INDEX users_status ON users (org_id, status, id);
CREATE INDEX users_email ON users (org_id, email);
CREATE INDEX users_email_lower ON users (org_id, lower(email));
CREATE INDEX users_first_name ON users (org_id, first_name);
CREATE INDEX users_first_name_lower ON users (org_id, lower(first_name));
CREATE INDEX users_last_name ON users (org_id, last_name);
CREATE INDEX users_last_name_lower ON users (org_id, lower(last_name));
