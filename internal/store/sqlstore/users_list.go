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

// args collects bind parameters and spells their placeholders for the backend. List queries
// are built per request, so they bypass conn.sql's cache of constant query texts.
type args struct {
	numbered bool
	vals     []any
}

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	if a.numbered {
		return "$" + strconv.Itoa(len(a.vals))
	}
	return "?"
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
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	a := &args{numbered: c.db.dialect.Numbered}
	// Placeholders are added in the order they appear in the text (SQLite's are positional):
	// FROM first, then WHERE.
	from, orderKey, orderID := "users", "sort_key", "id"
	var where []string
	if q.Q != "" {
		// q is a case-insensitive prefix of firstName, lastName or email. The candidates come
		// from the three index ranges of lower(column) the prefix spans (indexes on org_id,
		// lower(column), created, id), so a q reads its matches rather than every user; the
		// LIKE below keeps the result exact. The upper bound is the prefix + U+10FFFF, above
		// every character okapi stores (see the filter's sw).
		d := c.filterDialect()
		low := filter.FoldASCII(q.Q)
		var ranges []string
		for _, col := range []string{"first_name", "last_name", "email"} {
			x := d.Lower(col)
			r := "SELECT created AS q_created, id AS q_id FROM users WHERE org_id = " + a.add(org) + " AND " + x + " >= " +
				a.add(low) + " AND " + x + " < " + a.add(low+"\U0010FFFF")
			if key == "created" && q.After != nil {
				r += " AND (created, id) " + cmp + " (" + a.add(q.After.Key) + ", " + a.add(q.After.ID) + ")"
			}
			ranges = append(ranges, r)
		}
		if key == "created" {
			// In created order each range is read from its index already sorted, so a UNION of
			// the three merges them in order and the page stops after limit+1 joins, however
			// many users the prefix matches ("jen" over 1M users: ~1 s -> ~30 ms).
			from = "(" + strings.Join(ranges, " UNION ") + ") AS m JOIN users ON users.org_id = " + a.add(org) +
				" AND users.id = m.q_id"
			orderKey, orderID = "m.q_created", "m.q_id"
		} else {
			// Another sort key: the matches are read and sorted. Not the sort key's own index
			// (+key): SQLite would walk it in order and test every user against the subquery.
			where = append(where, "id IN (SELECT q_id FROM ("+strings.Join(ranges, " UNION ALL ")+") AS m)")
			if !a.numbered {
				orderKey = "+" + key
			}
		}
	}
	where = append(where, "org_id = "+a.add(org))
	if !q.IncludeDeprovisioned {
		where = append(where, "status <> "+a.add(string(domain.StatusDeprovisioned)))
	}
	if q.Q != "" {
		d := c.filterDialect()
		var likes []string
		for _, col := range []string{"first_name", "last_name", "email"} {
			likes = append(likes, d.Lower(col)+" LIKE "+a.add(likePrefix(q.Q))+` ESCAPE '\'`)
		}
		where = append(where, "("+strings.Join(likes, " OR ")+")")
	}
	if q.After != nil {
		where = append(where, "("+key+", id) "+cmp+" ("+a.add(q.After.Key)+", "+a.add(q.After.ID)+")")
	}
	if q.Where != nil {
		sql, fargs, err := filter.Compile(q.Where, q.Schema, c.filterDialect(), len(a.vals)+1)
		if err != nil {
			return nil, nil, err
		}
		where = append(where, "("+sql+")")
		a.vals = append(a.vals, fargs...)
	}
	limit := q.Limit
	if limit < 1 {
		limit = 1
	}
	query := `SELECT ` + userColumns + `, ` + key + ` AS sort_key FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + orderKey + ` ` + dir + `, ` + orderID + ` ` + dir + ` LIMIT ` + strconv.Itoa(limit+1)
	rows, err := c.q.QueryContext(ctx, query, a.vals...)
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
