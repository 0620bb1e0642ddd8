package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// tableCopy is one table's rows in a snapshot, values in column order.
type tableCopy struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// insertBatch is how many rows one INSERT restores: well under both backends' parameter limits
// for the widest table.
const insertBatch = 100

// ListSnapshots implements store.SnapshotReader.
func (db *DB) ListSnapshots(ctx context.Context, org string) ([]store.Snapshot, error) {
	return db.readConn().ListSnapshots(ctx, org)
}

func (c *conn) ListSnapshots(ctx context.Context, org string) ([]store.Snapshot, error) {
	rows, err := c.query(ctx, `SELECT name, created FROM org_snapshots WHERE org_id = ? ORDER BY name`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Snapshot{}
	for rows.Next() {
		var s store.Snapshot
		var created int64
		if err := rows.Scan(&s.Name, &created); err != nil {
			return nil, err
		}
		s.Created = domain.FromMillis(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveSnapshot implements store.SnapshotWriter.
func (c *conn) SaveSnapshot(ctx context.Context, org, name string, created domain.Time) error {
	snap := map[string]tableCopy{}
	for _, t := range snapshotTables() {
		tc, err := c.copyTable(ctx, t, org)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", t, err)
		}
		snap[t] = tc
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM org_snapshots WHERE org_id = ? AND name = ?`, org, name); err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO org_snapshots (org_id, name, created, data) VALUES (?, ?, ?, ?)`,
		org, name, created.Millis(), string(data))
	return err
}

// copyTable reads every row of org in table t, with values made JSON-safe: bytes become text
// (every column okapi stores is text or a number) and decoded JSON documents are re-encoded.
// Rows are ordered by the first four columns, which hold every org table's primary key (the
// document tables key on org, kind, parent and id; a narrower table names its own order), so a snapshot of the same rows is the same
// bytes on both backends.
func (c *conn) copyTable(ctx context.Context, t, org string) (tableCopy, error) {
	rows, err := c.query(ctx, `SELECT * FROM `+t+` WHERE org_id = ? ORDER BY `+snapshotOrder(t), org)
	if err != nil {
		return tableCopy{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return tableCopy{}, err
	}
	tc := tableCopy{Columns: cols, Rows: [][]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return tableCopy{}, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case map[string]any, []any:
				b, err := json.Marshal(x)
				if err != nil {
					return tableCopy{}, err
				}
				vals[i] = string(b)
			}
		}
		tc.Rows = append(tc.Rows, vals)
	}
	return tc, rows.Err()
}

// RestoreSnapshot implements store.SnapshotWriter.
func (c *conn) RestoreSnapshot(ctx context.Context, org, name string) error {
	var data string
	err := c.queryRow(ctx, `SELECT data FROM org_snapshots WHERE org_id = ? AND name = ?`, org, name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.NotFound(name, "Snapshot")
	}
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	var snap map[string]tableCopy
	if err := dec.Decode(&snap); err != nil {
		return fmt.Errorf("snapshot %q is damaged: %w", name, err)
	}
	if err := c.clearOrg(ctx, org); err != nil {
		return err
	}
	for _, t := range snapshotTables() {
		if err := c.restoreTable(ctx, t, org, snap[t]); err != nil {
			return fmt.Errorf("restore %s: %w", t, err)
		}
	}
	return nil
}

// restoreTable inserts a table's saved rows in batches.
func (c *conn) restoreTable(ctx context.Context, t, org string, tc tableCopy) error {
	orgCol := -1
	for i, col := range tc.Columns {
		if !validColumn(col) {
			return fmt.Errorf("bad column name %q", col)
		}
		if col == "org_id" {
			orgCol = i
		}
	}
	for start := 0; start < len(tc.Rows); start += insertBatch {
		rows := tc.Rows[start:min(start+insertBatch, len(tc.Rows))]
		var q strings.Builder
		q.WriteString("INSERT INTO " + t + " (" + strings.Join(tc.Columns, ", ") + ") VALUES ")
		placeholders := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(tc.Columns)), ", ") + ")"
		args := make([]any, 0, len(rows)*len(tc.Columns))
		for i, row := range rows {
			if len(row) != len(tc.Columns) {
				return fmt.Errorf("row of %d values for %d columns", len(row), len(tc.Columns))
			}
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(placeholders)
			for j, v := range row {
				if j == orgCol {
					v = org
				}
				args = append(args, jsonValue(v))
			}
		}
		if _, err := c.execBuilt(ctx, q.String(), args...); err != nil {
			return c.conflict(err, t)
		}
	}
	return nil
}

// jsonValue turns a decoded JSON number back into the integer it was stored as.
func jsonValue(v any) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	f, _ := n.Float64()
	return f
}

// validColumn guards the column names read back from a snapshot before they go into SQL.
func validColumn(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if ch := s[i]; !(ch >= 'a' && ch <= 'z' || ch == '_' || ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}

// execBuilt runs a statement assembled at run time, rebound without the query cache.
func (c *conn) execBuilt(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if c.db.dialect.Numbered {
		query = rebind(query)
	}
	return c.q.ExecContext(ctx, query, args...)
}

// clearOrg deletes every snapshotted row of org, children first.
func (c *conn) clearOrg(ctx context.Context, org string) error {
	for i := len(orgTables) - 1; i >= 0; i-- {
		if t := orgTables[i]; !t.NoSnapshot {
			if _, err := c.exec(ctx, `DELETE FROM `+t.Name+` WHERE org_id = ?`, org); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteSnapshot implements store.SnapshotWriter.
func (c *conn) DeleteSnapshot(ctx context.Context, org, name string) error {
	res, err := c.exec(ctx, `DELETE FROM org_snapshots WHERE org_id = ? AND name = ?`, org, name)
	if err != nil {
		return err
	}
	return mustAffect(res, name, "Snapshot")
}

// ResetOrg implements store.SnapshotWriter: every registered table loses the org's rows
// except those its Keep condition selects, children first.
func (c *conn) ResetOrg(ctx context.Context, org string) error {
	for i := len(orgTables) - 1; i >= 0; i-- {
		t := orgTables[i]
		if t.KeepAll {
			continue
		}
		q := `DELETE FROM ` + t.Name + ` WHERE org_id = ?`
		if t.Keep != "" {
			q += ` AND NOT (` + t.Keep + `)`
		}
		args := make([]any, 1+strings.Count(t.Keep, "?"))
		for i := range args {
			args[i] = org
		}
		if _, err := c.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
