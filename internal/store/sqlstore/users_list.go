package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/cursor"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// ListUsers implements store.UserReader.
func (db *DB) ListUsers(ctx context.Context, org string, q store.UserQuery) ([]domain.User, *cursor.Cursor, error) {
	return db.readConn().ListUsers(ctx, org, q)
}

// filterDialect is the filter compiler's dialect for this backend.
func (c *conn) filterDialect() filter.Dialect {
	if c.db.dialect.Name == "postgres" {
		return filter.Postgres
	}
	return filter.SQLite
}

// userSortKey is the SQL sort key of a sortable attribute. NULLs become a value below every
// real one, so the key is never NULL and row-value comparison works; text compares by bytes
// after ASCII folding (Okta: ASCII order, not case sensitive).
func (c *conn) userSortKey(field string) (expr string, isInt bool, err error) {
	if field == "" {
		return "created", true, nil
	}
	attr, ok := filter.UsersSearch.Attrs[field]
	if !ok {
		return "", false, fmt.Errorf("sqlstore: unsortable user attribute %q", field)
	}
	if attr.Type == filter.Date {
		if attr.Column == "created" || attr.Column == "last_updated" {
			// NOT NULL: the bare column lets the index on (org_id, column, id) give the order;
			// COALESCE would make SQLite sort every matching row first.
			return attr.Column, true, nil
		}
		return "COALESCE(" + attr.Column + ", -1)", true, nil
	}
	d := c.filterDialect()
	return d.Text(d.Lower("COALESCE(" + attr.Column + ", '')")), false, nil
}

func (c *conn) ListUsers(ctx context.Context, org string, q store.UserQuery) ([]domain.User, *cursor.Cursor, error) {
	key, isInt, err := c.userSortKey(q.SortBy)
	if err != nil {
		return nil, nil, err
	}
	if q.After != nil {
		switch q.After.Key.(type) {
		case int64:
			if !isInt {
				return nil, nil, cursor.Invalid()
			}
		case string:
			if isInt {
				return nil, nil, cursor.Invalid()
			}
		default:
			return nil, nil, cursor.Invalid()
		}
	}
	cmp := keysetCmp(q.Desc)
	limit := max(q.Limit, 1)
	// The query is written front to back; each parameter is bound where its text goes.
	b := c.builder()
	b.WriteString(`SELECT ` + userColumns + `, ` + key + ` AS sort_key FROM `)
	orderKey, orderID := "sort_key", "id"
	// ranges writes the candidates of q: the three index ranges of lower(column) the prefix
	// spans (indexes on org_id, lower(column), created, id), so a q reads its matches rather
	// than every user; the LIKE below keeps the result exact. The upper bound is the prefix +
	// U+10FFFF, above every character okapi stores (see the filter's sw).
	ranges := func(union string, keyset bool) {
		low := filter.FoldASCII(q.Q)
		for i, col := range []string{"first_name", "last_name", "email"} {
			if i > 0 {
				b.WriteString(union)
			}
			x := b.dialect.Lower(col)
			b.WriteString("SELECT created AS q_created, id AS q_id FROM users WHERE org_id = " + b.arg(org) + " AND " + x + " >= " +
				b.arg(low) + " AND " + x + " < " + b.arg(low+"\U0010FFFF"))
			if keyset {
				b.WriteString(" AND (created, id) " + cmp + " (" + b.arg(q.After.Key) + ", " + b.arg(q.After.ID) + ")")
			}
		}
	}
	switch {
	case q.Q != "" && key == "created":
		// In created order each range is read from its index already sorted, so a UNION of
		// the three merges them in order and the page stops after limit+1 joins, however
		// many users the prefix matches ("jen" over 1M users: ~1 s -> ~30 ms).
		b.WriteString("(")
		ranges(" UNION ", q.After != nil)
		b.WriteString(") AS m JOIN users ON users.org_id = " + b.arg(org) + " AND users.id = m.q_id")
		orderKey, orderID = "m.q_created", "m.q_id"
	case q.Q != "":
		// Another sort key: the matches are read and sorted. Not the sort key's own index
		// (+key): SQLite would walk it in order and test every user against the subquery.
		b.WriteString("users")
		b.and("id IN (SELECT q_id FROM (")
		ranges(" UNION ALL ", false)
		b.WriteString(") AS m)")
		if !b.numbered {
			orderKey = "+" + key
		}
	default:
		b.WriteString("users")
	}
	b.and("org_id = " + b.arg(org))
	if !q.IncludeDeprovisioned {
		b.and("status <> " + b.arg(string(domain.StatusDeprovisioned)))
	}
	if q.Q != "" {
		var likes []string
		for _, col := range []string{"first_name", "last_name", "email"} {
			likes = append(likes, b.dialect.Lower(col)+" LIKE "+b.arg(likePrefix(q.Q))+` ESCAPE '\'`)
		}
		b.and("(" + strings.Join(likes, " OR ") + ")")
	}
	if q.After != nil {
		b.after(key, q.Desc, q.After.Key, q.After.ID)
	}
	if q.Where != nil {
		if err := b.where(q.Where, q.Schema); err != nil {
			return nil, nil, err
		}
	}
	b.orderBy(q.Desc, orderKey, orderID)
	b.WriteString(` LIMIT ` + strconv.Itoa(limit+1))
	rows, err := c.q.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := make([]domain.User, 0, limit)
	var keys []any
	for rows.Next() {
		var ik int64
		var sk string
		dest := any(&sk)
		if isInt {
			dest = &ik
		}
		u, err := c.scanListedUser(rows, dest)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, u)
		if isInt {
			keys = append(keys, ik)
		} else {
			keys = append(keys, sk)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, &cursor.Cursor{Field: q.SortBy, Desc: q.Desc, Key: keys[limit-1], ID: last.ID}, nil
}

// likePrefix is s folded to lower case (ASCII, as SQL lower() does here) with LIKE's
// wildcards escaped, followed by %.
func likePrefix(s string) string {
	var b strings.Builder
	for _, r := range filter.FoldASCII(s) {
		if r == '%' || r == '_' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String() + "%"
}
