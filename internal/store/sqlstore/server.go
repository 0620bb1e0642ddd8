package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
)

// ServerSetting implements store.ServerSettingReader.
func (db *DB) ServerSetting(ctx context.Context, name string) (string, error) {
	return db.readConn().ServerSetting(ctx, name)
}

func (c *conn) ServerSetting(ctx context.Context, name string) (string, error) {
	var v string
	err := c.queryRow(ctx, `SELECT value FROM server_settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.NotFound(name, "ServerSetting")
	}
	return v, err
}

func (c *conn) CreateServerSetting(ctx context.Context, name, value string) error {
	_, err := c.exec(ctx, `INSERT INTO server_settings (name, value) VALUES (?, ?)`, name, value)
	return c.conflict(err, "name")
}
