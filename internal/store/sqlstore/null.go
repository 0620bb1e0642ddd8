package sqlstore

import (
	"database/sql"

	"github.com/okapi-dev/okapi/internal/domain"
)

// millis stores a time as Unix milliseconds, and the zero time as NULL.
func millis(t domain.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Millis()
}

// timeOf reads a nullable millisecond column.
func timeOf(v sql.NullInt64) domain.Time {
	if !v.Valid {
		return domain.Time{}
	}
	return domain.FromMillis(v.Int64)
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
