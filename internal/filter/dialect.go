package filter

import "strconv"

// ArgType is the Go type of a bind parameter, which PostgreSQL needs spelled out because an
// untyped $n in length() or -> is ambiguous.
type ArgType uint8

// Bind parameter types: string, float64, int64 and bool respectively.
const (
	ArgText ArgType = iota
	ArgFloat
	ArgInt
	ArgBool
)

// Dialect spells the SQL that differs between engines. Every method returns an expression;
// arguments named param are placeholders the compiler has already allocated.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Placeholder is the text of the n-th bind parameter (1-based).
	Placeholder(n int, t ArgType) string
	// JSONKeyArg is the bind value that selects top-level key in JSONText and JSONType.
	JSONKeyArg(key string) string
	// JSONText is the value under key as text (strings unquoted), NULL when missing.
	JSONText(col, keyParam string) string
	// JSONType is the JSON type name of the value under key, NULL when missing.
	JSONType(col, keyParam string) string
	// JSONTypeIs tests a JSONType expression against a literal kind (KindNull for JSON null).
	JSONTypeIs(typeExpr string, k Kind) string
	// JSONNumber converts JSONText of a number to a comparable number.
	JSONNumber(textExpr string) string
	// JSONBool is 'true' or 'false' for a boolean under key.
	JSONBool(col, keyParam string) string
	// Text makes a text expression compare by bytes, whatever the column's collation.
	Text(expr string) string
	// Lower folds ASCII letters only.
	Lower(expr string) string
	// Prefix and Suffix are the first and last nParam characters of expr.
	Prefix(expr, nParam string) string
	Suffix(expr, nParam string) string
	// Contains is true when needle occurs in hay.
	Contains(hay, needle string) string
}

// SQLite is the dialect of modernc.org/sqlite (no ICU, so lower() is ASCII-only).
var SQLite Dialect = sqliteDialect{}

// Postgres is the dialect of PostgreSQL with JSONB profile columns.
var Postgres Dialect = postgresDialect{}

type sqliteDialect struct{}

func (sqliteDialect) Name() string                    { return "sqlite" }
func (sqliteDialect) Placeholder(int, ArgType) string { return "?" }

// JSONKeyArg quotes the key so that a name such as "a.b" could never be read as a path; names are
// validated anyway.
func (sqliteDialect) JSONKeyArg(key string) string   { return `$."` + key + `"` }
func (sqliteDialect) JSONText(col, k string) string  { return "json_extract(" + col + ", " + k + ")" }
func (sqliteDialect) JSONType(col, k string) string  { return "json_type(" + col + ", " + k + ")" }
func (sqliteDialect) JSONNumber(text string) string  { return text }
func (sqliteDialect) JSONBool(col, k string) string  { return "json_type(" + col + ", " + k + ")" }
func (sqliteDialect) Text(e string) string           { return e + " COLLATE BINARY" }
func (sqliteDialect) Lower(e string) string          { return "lower(" + e + ")" }
func (sqliteDialect) Prefix(e, n string) string      { return "substr(" + e + ", 1, " + n + ")" }
func (sqliteDialect) Suffix(e, n string) string      { return "substr(" + e + ", -" + n + ")" }
func (sqliteDialect) Contains(hay, nd string) string { return "instr(" + hay + ", " + nd + ") > 0" }
func (sqliteDialect) JSONTypeIs(t string, k Kind) string {
	switch k {
	case KindString:
		return t + " = 'text'"
	case KindNumber:
		return t + " IN ('integer', 'real')"
	case KindBool:
		return t + " IN ('true', 'false')"
	}
	return t + " = 'null'"
}

type postgresDialect struct{}

var pgCasts = [...]string{ArgText: "::text", ArgFloat: "::float8", ArgInt: "::bigint", ArgBool: "::boolean"}

func (postgresDialect) Name() string { return "postgres" }
func (postgresDialect) Placeholder(n int, t ArgType) string {
	return "$" + strconv.Itoa(n) + pgCasts[t]
}
func (postgresDialect) JSONKeyArg(key string) string  { return key }
func (postgresDialect) JSONText(col, k string) string { return "(" + col + " ->> " + k + ")" }
func (postgresDialect) JSONType(col, k string) string {
	return "jsonb_typeof(" + col + " -> " + k + ")"
}

// JSONNumber uses float8 so that PostgreSQL compares exactly like Go's float64 in Eval.
func (postgresDialect) JSONNumber(text string) string { return "(" + text + ")::float8" }
func (postgresDialect) JSONBool(col, k string) string { return "(" + col + " ->> " + k + ")" }

// Text uses the "C" collation: byte order, like SQLite's BINARY and Go's string comparison,
// whatever the database's default collation is.
func (postgresDialect) Text(e string) string { return "(" + e + `) COLLATE "C"` }

// Lower under "C" folds ASCII only (PostgreSQL's asc_tolower), matching SQLite.
func (postgresDialect) Lower(e string) string          { return "lower((" + e + `) COLLATE "C")` }
func (postgresDialect) Prefix(e, n string) string      { return "left(" + e + ", (" + n + ")::int)" }
func (postgresDialect) Suffix(e, n string) string      { return "right(" + e + ", (" + n + ")::int)" }
func (postgresDialect) Contains(hay, nd string) string { return "strpos(" + hay + ", " + nd + ") > 0" }
func (postgresDialect) JSONTypeIs(t string, k Kind) string {
	switch k {
	case KindString:
		return t + " = 'string'"
	case KindNumber:
		return t + " = 'number'"
	case KindBool:
		return t + " = 'boolean'"
	}
	return t + " = 'null'"
}
