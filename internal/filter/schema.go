package filter

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Type is the type of an attribute, which decides how literals are read and compared.
type Type uint8

// Attribute types.
const (
	// String compares bytewise (or ASCII-case-folded when the schema says so).
	String Type = iota + 1
	// Number compares numerically; literals must be numbers.
	Number
	// Bool accepts true/false literals.
	Bool
	// Date literals are RFC 3339 strings; values are stored as Unix milliseconds (int64).
	Date
	// JSON is a value of unknown type in a JSON column (custom profile properties): a literal
	// matches values of its own JSON type only.
	JSON
)

func (t Type) String() string {
	switch t {
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "boolean"
	case Date:
		return "date"
	case JSON:
		return "json"
	}
	return "unknown"
}

// Attr describes one filterable attribute.
type Attr struct {
	Type Type
	Ops  OpSet
	// Column is the SQL expression holding the value (a column of the listed table, or of the
	// Exists subquery). For JSON attributes it is the JSON column.
	Column string
	// Exists makes the attribute multi-valued: the SQL is this correlated subquery text with %s
	// replaced by the condition on Column, and the comparison matches when any value matches. In
	// Eval the record returns a []string.
	Exists string
	// FoldedColumn names a stored column holding strings.ToLower(Column) with an index, and
	// FoldedByLower says the dialect's lower(Column) has one: an eq on the attribute probes
	// that index first and then compares exactly, so one index per column serves both the
	// case-sensitive filter and the case-insensitive search.
	FoldedColumn  string
	FoldedByLower bool
	// key is the JSON key for JSON attributes.
	key string
}

// Dynamic admits `Prefix<name>` attributes stored under key <name> of the JSON column Column.
type Dynamic struct {
	Prefix string
	Column string
	Ops    OpSet
}

// Schema is the whitelist of one list endpoint's filter or search parameter.
type Schema struct {
	Attrs   map[string]Attr
	Dynamic *Dynamic
	// CaseInsensitive folds ASCII letters in string comparisons (Okta `search`); diacritics and
	// other scripts stay significant, which is also what SQLite's lower() does.
	CaseInsensitive bool
	AllowOr         bool
	AllowNot        bool
	// Code and Summary are the Okta error this endpoint reports (default E0000031).
	Code    string
	Summary string
}

var dynamicName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// fail builds the schema's 400 error with one cause.
func (s *Schema) fail(cause string) error {
	if s == nil || s.Code == "" {
		return defaultFail(cause)
	}
	return domain.NewError(http.StatusBadRequest, s.Code, s.Summary, domain.Cause{Summary: cause})
}

func defaultFail(cause string) error { return domain.InvalidSearch(cause) }

// Lookup returns the attribute definition for name, including dynamic ones.
func (s *Schema) Lookup(name string) (Attr, bool) {
	if a, ok := s.Attrs[name]; ok {
		return a, true
	}
	if d := s.Dynamic; d != nil && strings.HasPrefix(name, d.Prefix) {
		key := name[len(d.Prefix):]
		if dynamicName.MatchString(key) {
			return Attr{Type: JSON, Ops: d.Ops, Column: d.Column, key: key}, true
		}
	}
	return Attr{}, false
}

// operand is a comparison whose literal is already converted to the attribute's type.
type operand struct {
	attr Attr
	op   Op
	kind Kind   // literal kind (KindNull for pr)
	str  string // folded already when the schema is case-insensitive
	num  float64
	boo  bool
	ms   int64 // Date literals
}

// Check verifies that expr only uses attributes, operators, literals and logical operators the
// schema allows. Errors are the schema's 400 error naming the offending attribute or operator.
func Check(expr Expr, schema *Schema) error {
	switch e := expr.(type) {
	case *Compare:
		_, err := resolve(e, schema)
		return err
	case *And:
		if err := Check(e.Left, schema); err != nil {
			return err
		}
		return Check(e.Right, schema)
	case *Or:
		if !schema.AllowOr {
			return schema.fail("Logical operator 'or' is not supported")
		}
		if err := Check(e.Left, schema); err != nil {
			return err
		}
		return Check(e.Right, schema)
	case *Not:
		if !schema.AllowNot {
			return schema.fail("Logical operator 'not' is not supported")
		}
		return Check(e.X, schema)
	}
	return schema.fail(fmt.Sprintf("Unsupported expression %T", expr))
}

// resolve checks one comparison and converts its literal.
func resolve(c *Compare, s *Schema) (operand, error) {
	a, ok := s.Lookup(c.Attr)
	if !ok {
		return operand{}, s.fail("field is not valid: " + c.Attr)
	}
	if !a.Ops.Has(c.Op) {
		return operand{}, s.fail(fmt.Sprintf("Unsupported operator '%s' for attribute '%s'. Expected: %s", c.Op, c.Attr, a.Ops))
	}
	o := operand{attr: a, op: c.Op, kind: c.Value.Kind}
	if c.Op == OpPr {
		return o, nil
	}
	bad := func(why string) (operand, error) {
		return operand{}, s.fail(fmt.Sprintf("Invalid value %s for attribute '%s': %s", c.Value, c.Attr, why))
	}
	v := c.Value
	if v.Kind == KindNull {
		return bad("null is not supported")
	}
	if v.Kind == KindString && strings.IndexByte(v.Str, 0) >= 0 {
		// Neither PostgreSQL text nor SQLite's string functions handle NUL.
		return bad("NUL characters are not supported")
	}
	stringOp := c.Op == OpCo || c.Op == OpSw || c.Op == OpEw
	switch a.Type {
	case String:
		if v.Kind != KindString {
			return bad("expected a string")
		}
	case Number:
		if v.Kind != KindNumber {
			return bad("expected a number")
		}
	case Bool:
		if v.Kind != KindBool {
			return bad("expected true or false")
		}
	case Date:
		if v.Kind != KindString {
			return bad("expected a date string")
		}
		t, err := time.Parse(time.RFC3339Nano, v.Str)
		if err != nil {
			return bad("expected a date like 2024-01-02T03:04:05.000Z")
		}
		o.ms = t.UnixMilli()
	case JSON:
		if stringOp && v.Kind != KindString {
			return bad("expected a string")
		}
	}
	if a.Type != String && a.Type != JSON && stringOp {
		return bad("'" + c.Op.String() + "' needs a string attribute")
	}
	if v.Kind == KindBool && c.Op != OpEq && c.Op != OpNe {
		return bad("booleans support eq and ne only")
	}
	o.str, o.num, o.boo = v.Str, v.Num, v.Bool
	if s.CaseInsensitive && v.Kind == KindString {
		o.str = FoldASCII(o.str)
	}
	return o, nil
}

// FoldASCII lowercases A-Z only, which is exactly what SQLite's built-in lower() and
// PostgreSQL's lower() under COLLATE "C" do, so SQL and Eval agree.
func FoldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
