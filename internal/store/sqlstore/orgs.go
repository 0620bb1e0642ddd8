package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
)

// GetOrg implements store.OrgReader.
func (db *DB) GetOrg(ctx context.Context, id string) (domain.Org, error) {
	return db.readConn().GetOrg(ctx, id)
}

// GetOrgByName implements store.OrgReader.
func (db *DB) GetOrgByName(ctx context.Context, name string) (domain.Org, error) {
	return db.readConn().GetOrgByName(ctx, name)
}

// ListOrgs implements store.OrgReader.
func (db *DB) ListOrgs(ctx context.Context) ([]domain.Org, error) {
	return db.readConn().ListOrgs(ctx)
}

func (c *conn) GetOrg(ctx context.Context, id string) (domain.Org, error) {
	var o domain.Org
	var created int64
	err := c.queryRow(ctx, `SELECT id, name, created FROM orgs WHERE id = ?`, id).Scan(&o.ID, &o.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, "Org")
	}
	o.Created = domain.FromMillis(created)
	return o, err
}

func (c *conn) GetOrgByName(ctx context.Context, name string) (domain.Org, error) {
	var o domain.Org
	var created int64
	err := c.queryRow(ctx, `SELECT id, name, created FROM orgs WHERE name = ?`, name).Scan(&o.ID, &o.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(name, "Org")
	}
	o.Created = domain.FromMillis(created)
	return o, err
}

func (c *conn) ListOrgs(ctx context.Context) ([]domain.Org, error) {
	rows, err := c.query(ctx, `SELECT id, name, created FROM orgs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		var o domain.Org
		var created int64
		if err := rows.Scan(&o.ID, &o.Name, &created); err != nil {
			return nil, err
		}
		o.Created = domain.FromMillis(created)
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) CreateOrg(ctx context.Context, o domain.Org) error {
	_, err := c.exec(ctx, `INSERT INTO orgs (id, name, created) VALUES (?, ?, ?)`, o.ID, o.Name, o.Created.Millis())
	return c.conflict(err, "name")
}

func (c *conn) DeleteOrg(ctx context.Context, id string) error {
	// Children first (the registry's reverse order): memberships and log targets reference
	// other children, and not every backend cascades through composite keys in the order we need.
	for i := len(orgTables) - 1; i >= 0; i-- {
		if _, err := c.exec(ctx, `DELETE FROM `+orgTables[i].Name+` WHERE org_id = ?`, id); err != nil {
			return err
		}
	}
	res, err := c.exec(ctx, `DELETE FROM orgs WHERE id = ?`, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "Org")
}

// mustAffect turns "no row changed" into a not-found error.
func mustAffect(res sql.Result, id, kind string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.NotFound(id, kind)
	}
	return nil
}
