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
type builder struct {
	strings.Builder
	args     []any
	numbered bool
	dialect  filter.Dialect
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

// where appends " AND (<compiled expr>)" with the expression's literals as parameters.
func (b *builder) where(expr filter.Expr, schema *filter.Schema) error {
	frag, args, err := filter.Compile(expr, schema, b.dialect, len(b.args)+1)
	if err != nil {
		return err
	}
	b.WriteString(" AND (" + frag + ")")
	b.args = append(b.args, args...)
	return nil
}
