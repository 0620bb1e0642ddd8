package service

import "github.com/okapi-dev/okapi/internal/filter"

// The filter whitelists of the trusted-origin and zone lists. Both lists are small per org and
// are filtered in memory with filter.Eval; the columns name the store's for a later SQL
// compile.
var (
	eqOnly = filter.Ops(filter.OpEq)

	// originFilter is GET /trustedOrigins?filter=: name, origin, status and the scope types
	// (multi-valued), eq with and/or.
	originFilter = &filter.Schema{
		Attrs: map[string]filter.Attr{
			"name":   {Type: filter.String, Ops: eqOnly, Column: "name"},
			"origin": {Type: filter.String, Ops: eqOnly, Column: "origin"},
			"status": {Type: filter.String, Ops: eqOnly, Column: "status"},
			"type":   {Type: filter.String, Ops: eqOnly, Column: "value", Exists: "EXISTS (SELECT 1 FROM json_each(trusted_origins.scopes) WHERE json_extract(value, '$.type') = %s)"},
		},
		AllowOr: true,
	}

	// zoneFilter is GET /zones?filter=: id and usage, eq with or (and is accepted too).
	zoneFilter = &filter.Schema{
		Attrs: map[string]filter.Attr{
			"id":    {Type: filter.String, Ops: eqOnly, Column: "id"},
			"usage": {Type: filter.String, Ops: eqOnly, Column: "usage"},
		},
		AllowOr: true,
	}
)

// parseFilter parses an optional filter parameter; nil means no filter.
func parseFilter(s string, schema *filter.Schema) (filter.Expr, error) {
	if s == "" {
		return nil, nil
	}
	return filter.ParseFor(s, schema)
}

// matches evaluates a parsed filter (nil matches everything) against one record.
func matches(e filter.Expr, schema *filter.Schema, rec filter.Record) bool {
	if e == nil {
		return true
	}
	ok, _ := filter.Eval(e, schema, rec) // ParseFor has checked e against schema
	return ok
}
