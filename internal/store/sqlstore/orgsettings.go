package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GetOrgSettings implements store.OrgSettingsReader.
func (db *DB) GetOrgSettings(ctx context.Context, org string) (store.OrgSettings, error) {
	return db.readConn().GetOrgSettings(ctx, org)
}

func (c *conn) GetOrgSettings(ctx context.Context, org string) (store.OrgSettings, error) {
	var s store.OrgSettings
	var data string
	err := c.queryRow(ctx, `SELECT data, last_updated FROM org_settings WHERE org_id = ?`+c.forUpdate(), org).
		Scan(&data, &s.LastUpdated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, domain.NotFound(org, "OrgSetting")
	}
	s.Data = []byte(data)
	return s, err
}

func (c *conn) PutOrgSettings(ctx context.Context, org string, s store.OrgSettings) error {
	_, err := c.exec(ctx, `INSERT INTO org_settings (org_id, data, last_updated) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET data = excluded.data, last_updated = excluded.last_updated`,
		org, string(s.Data), s.LastUpdated)
	return err
}
