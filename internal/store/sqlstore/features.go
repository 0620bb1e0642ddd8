package sqlstore

import (
	"context"
	"database/sql"
	"errors"
)

// ListFeatureStatuses implements store.FeatureReader.
func (db *DB) ListFeatureStatuses(ctx context.Context, org string) (map[string]string, error) {
	return db.readConn().ListFeatureStatuses(ctx, org)
}

func (c *conn) ListFeatureStatuses(ctx context.Context, org string) (map[string]string, error) {
	if err := c.lockFeatures(ctx, org); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT feature_id, status FROM org_features WHERE org_id = ?`+c.forUpdate(), org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, err
		}
		out[id] = status
	}
	return out, rows.Err()
}

func (c *conn) PutFeatureStatus(ctx context.Context, org, featureID, status string) error {
	_, err := c.exec(ctx, `INSERT INTO org_features (org_id, feature_id, status) VALUES (?, ?, ?)
		ON CONFLICT (org_id, feature_id) DO UPDATE SET status = excluded.status`, org, featureID, status)
	return err
}

// lockFeatures serializes the transactions that change an org's features: each checks the
// statuses of other features (dependencies, dependents) before it writes, and a row that does
// not exist yet cannot be locked, so on PostgreSQL the org's row is locked instead (NO KEY
// UPDATE, which leaves inserts referencing the org alone). SQLite has one writer at a time.
func (c *conn) lockFeatures(ctx context.Context, org string) error {
	if !c.inTx || !c.db.dialect.Numbered {
		return nil
	}
	var id string
	err := c.queryRow(ctx, `SELECT id FROM orgs WHERE id = ? FOR NO KEY UPDATE`, org).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}
