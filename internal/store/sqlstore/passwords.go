package sqlstore

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// PasswordHistory implements store.PasswordHistoryReader.
func (db *DB) PasswordHistory(ctx context.Context, org, userID string, n int) ([]string, error) {
	return db.readConn().PasswordHistory(ctx, org, userID, n)
}

func (c *conn) PasswordHistory(ctx context.Context, org, userID string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := c.query(ctx, `SELECT hash FROM password_history WHERE org_id = ? AND user_id = ?
		ORDER BY seq DESC LIMIT ?`, org, userID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

func (c *conn) AddPasswordHistory(ctx context.Context, org, userID, hash string, at domain.Time, keep int) error {
	if _, err := c.exec(ctx, `INSERT INTO password_history (org_id, user_id, seq, hash, set_at)
		SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM password_history WHERE org_id = ? AND user_id = ?`,
		org, userID, hash, at.Millis(), org, userID); err != nil {
		return err
	}
	// Older entries than the policy can ask about are of no use; keep at least the newest.
	_, err := c.exec(ctx, `DELETE FROM password_history WHERE org_id = ? AND user_id = ? AND seq <= (
		SELECT MAX(seq) FROM password_history WHERE org_id = ? AND user_id = ?) - ?`,
		org, userID, org, userID, max(keep, 1))
	return err
}
