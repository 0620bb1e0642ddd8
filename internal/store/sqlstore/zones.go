package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
)

// The columns hold what lists and lookups need; data holds the whole zone as JSON (its lists
// and dynamic conditions differ by type), and the columns win over it on read.
const zoneColumns = `id, name, type, usage, status, system, data, created, last_updated`

// GetZone implements store.ZoneReader.
func (db *DB) GetZone(ctx context.Context, org, id string) (netzone.Zone, error) {
	return db.readConn().GetZone(ctx, org, id)
}

// ListZones implements store.ZoneReader.
func (db *DB) ListZones(ctx context.Context, org string) ([]netzone.Zone, error) {
	return db.readConn().ListZones(ctx, org)
}

func (c *conn) GetZone(ctx context.Context, org, id string) (netzone.Zone, error) {
	z, err := scanZone(c.queryRow(ctx, `SELECT `+zoneColumns+` FROM zones WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return z, domain.NotFound(id, "NetworkZone")
	}
	return z, err
}

func (c *conn) ListZones(ctx context.Context, org string) ([]netzone.Zone, error) {
	rows, err := c.query(ctx, `SELECT `+zoneColumns+` FROM zones WHERE org_id = ? ORDER BY id`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []netzone.Zone{}
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

func scanZone(s scanner) (netzone.Zone, error) {
	var z netzone.Zone
	var id, name, typ, usage, status, data string
	var system bool
	var created, updated int64
	if err := s.Scan(&id, &name, &typ, &usage, &status, &system, &data, &created, &updated); err != nil {
		return z, err
	}
	if err := json.Unmarshal([]byte(data), &z); err != nil {
		return z, err
	}
	z.ID, z.Name, z.Type, z.Usage, z.Status, z.System = id, name, netzone.Type(typ), netzone.Usage(usage), netzone.Status(status), system
	z.Created, z.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	return z, nil
}

func (c *conn) CreateZone(ctx context.Context, org string, z netzone.Zone) error {
	data, err := json.Marshal(z)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO zones (org_id, `+zoneColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, z.ID, z.Name, z.Type, z.Usage, z.Status, z.System, string(data), z.Created.Millis(), z.LastUpdated.Millis())
	return c.conflict(err, "name")
}

func (c *conn) UpdateZone(ctx context.Context, org string, z netzone.Zone) error {
	data, err := json.Marshal(z)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE zones SET name = ?, type = ?, usage = ?, status = ?, data = ?, last_updated = ?
		WHERE org_id = ? AND id = ?`, z.Name, z.Type, z.Usage, z.Status, string(data), z.LastUpdated.Millis(), org, z.ID)
	if err != nil {
		return c.conflict(err, "name")
	}
	return mustAffect(res, z.ID, "NetworkZone")
}

func (c *conn) DeleteZone(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM zones WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "NetworkZone")
}
