package sqlstore

import (
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/filter"
)

// builder writes a query whose parameters are numbered as they are added, so that a compiled
// filter fragment (which the filter package numbers itself on PostgreSQL) can sit between them.
// Its text does not go through conn.sql: it depends on the request, and conn.sql's rewrite cache
// is meant for the store's constant queries, not for an unbounded set of filter texts.
//
// Every list query of the store is written through it, front to back: each parameter is bound
// (arg) at the point its text is written, so placeholder order never depends on the order the
// parts of a query were prepared in, and filters (where), keyset cursors (after) and sorts
// (orderBy) compose the same way for every resource on both dialects.
type builder struct {
	strings.Builder
	args     []any
	numbered bool
	dialect  filter.Dialect
	// inWhere records that the WHERE clause is open, so and() joins with AND.
	inWhere bool
}

func (c *conn) builder() *builder {
	b := &builder{numbered: c.db.dialect.Numbered, dialect: filter.SQLite}
	if c.db.dialect.Name == "postgres" {
		b.dialect = filter.Postgres
	}
	return b
}

// arg binds v and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	if b.numbered {
		return "$" + strconv.Itoa(len(b.args))
	}
	return "?"
}

// and appends one condition to the WHERE clause, opening the clause on the first call. Bind
// the condition's parameters with arg in the expression passed: they are numbered before the
// text is written, after every earlier part of the query.
func (b *builder) and(cond string) {
	if b.inWhere {
		b.WriteString(" AND ")
	} else {
		b.WriteString(" WHERE ")
		b.inWhere = true
	}
	b.WriteString(cond)
}

// where appends the compiled filter expression as a condition, its literals as parameters.
func (b *builder) where(expr filter.Expr, schema *filter.Schema) error {
	frag, args, err := filter.Compile(expr, schema, b.dialect, len(b.args)+1)
	if err != nil {
		return err
	}
	b.and("(" + frag + ")")
	b.args = append(b.args, args...)
	return nil
}

// keysetCmp is the comparison that selects the rows after a cursor in the sort's direction.
func keysetCmp(desc bool) string {
	if desc {
		return "<"
	}
	return ">"
}

// after appends the keyset condition of a cursor: rows strictly after (key, id) of the previous
// page's last row in the sort's direction, or after id alone when the sort is by id.
func (b *builder) after(key string, desc bool, afterKey, afterID any) {
	if key == "id" {
		b.and("id " + keysetCmp(desc) + " " + b.arg(afterID))
		return
	}
	b.and("(" + key + ", id) " + keysetCmp(desc) + " (" + b.arg(afterKey) + ", " + b.arg(afterID) + ")")
}

// orderBy appends ORDER BY over cols, all in one direction (the keyset's tie-breaker, id,
// comes last).
func (b *builder) orderBy(desc bool, cols ...string) {
	dir := ""
	if desc {
		dir = " DESC"
	}
	for i, c := range cols {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c + dir)
	}
}
