package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Compile turns a checked-or-not expression into a SQL boolean expression for dialect, with
// every literal (and every JSON key) as a bind parameter. PostgreSQL placeholders are numbered
// from firstArgIndex, so the caller can put its own parameters first; SQLite uses "?".
//
// Every comparison compiles to a two-valued expression (never NULL), so `not` means exactly
// "the comparison is false", as in Eval: a missing value never matches eq/gt/sw/..., and
// always matches ne.
func Compile(expr Expr, schema *Schema, dialect Dialect, firstArgIndex int) (string, []any, error) {
	if firstArgIndex < 1 {
		firstArgIndex = 1
	}
	c := &compiler{schema: schema, d: dialect, next: firstArgIndex}
	var b strings.Builder
	if err := c.expr(&b, expr); err != nil {
		return "", nil, err
	}
	return b.String(), c.args, nil
}

type compiler struct {
	schema *Schema
	d      Dialect
	args   []any
	next   int
}

// arg binds v and returns its placeholder. Callers must allocate placeholders in the order
// they appear in the SQL text, because SQLite's "?" is positional.
func (c *compiler) arg(v any, t ArgType) string {
	p := c.d.Placeholder(c.next, t)
	c.next++
	c.args = append(c.args, v)
	return p
}

func (c *compiler) expr(b *strings.Builder, e Expr) error {
	switch e := e.(type) {
	case *And:
		return c.binary(b, e.Left, e.Right, " AND ")
	case *Or:
		if !c.schema.AllowOr {
			return c.schema.fail("Logical operator 'or' is not supported")
		}
		return c.binary(b, e.Left, e.Right, " OR ")
	case *Not:
		if !c.schema.AllowNot {
			return c.schema.fail("Logical operator 'not' is not supported")
		}
		b.WriteString("NOT (")
		if err := c.expr(b, e.X); err != nil {
			return err
		}
		b.WriteString(")")
		return nil
	case *Compare:
		o, err := resolve(e, c.schema)
		if err != nil {
			return err
		}
		if o.attr.Exists != "" {
			// The subquery text is the schema author's; only the condition is ours.
			b.WriteString(strings.Replace(o.attr.Exists, "%s", c.compare(o, o.attr.Column), 1))
			return nil
		}
		b.WriteString(c.compare(o, o.attr.Column))
		return nil
	}
	return c.schema.fail(fmt.Sprintf("Unsupported expression %T", e))
}

func (c *compiler) binary(b *strings.Builder, l, r Expr, op string) error {
	b.WriteString("(")
	if err := c.expr(b, l); err != nil {
		return err
	}
	b.WriteString(op)
	if err := c.expr(b, r); err != nil {
		return err
	}
	b.WriteString(")")
	return nil
}

// compare compiles one comparison on a plain column.
func (c *compiler) compare(o operand, col string) string {
	switch o.attr.Type {
	case JSON:
		return c.json(o, col)
	case String:
		if o.op == OpPr {
			return "(" + col + " IS NOT NULL AND " + col + " <> '')"
		}
		x := col
		if c.schema.CaseInsensitive {
			x = c.d.Lower(x)
		}
		// The probe first: its placeholder comes first in the text, and SQLite's are positional.
		probe := c.probe(o, col)
		cond := c.guard(col, c.text(o, c.d.Text(x)), o.op)
		if probe != "" {
			return "(" + probe + " AND " + cond + ")"
		}
		return cond
	}
	if o.op == OpPr {
		return "(" + col + " IS NOT NULL)"
	}
	var p string
	switch o.attr.Type {
	case Number:
		p = c.arg(o.num, ArgFloat)
	case Bool:
		p = c.arg(o.boo, ArgBool)
	default: // Date
		p = c.arg(o.ms, ArgInt)
	}
	if o.op == OpNe {
		return "(" + col + " IS NULL OR " + col + " <> " + p + ")"
	}
	return "(" + col + " " + sqlOps[o.op] + " " + p + " AND " + col + " IS NOT NULL)"
}

var sqlOps = [numOps]string{OpEq: "=", OpNe: "=", OpGt: ">", OpGe: ">=", OpLt: "<", OpLe: "<="}

// text compiles a string comparison of expression x (already collated/folded) against the
// literal; ne is compiled as eq and negated by the caller. The result is NULL when x is NULL.
func (c *compiler) text(o operand, x string) string {
	if emptyAffix(o) {
		// Every string contains, starts and ends with ""; SQLite's substr(x, -0) would not say so.
		return "TRUE"
	}
	switch o.op {
	case OpCo:
		return c.d.Contains(x, c.arg(o.str, ArgText))
	case OpSw, OpEw:
		// On a plain column, sw also gets a range an index can answer; the exact check below
		// keeps the result right. Every string that starts with the literal sorts below
		// literal+U+10FFFF in byte order, since okapi stores no character beyond the BMP. An
		// expression with parameters of its own (a JSON key) is not repeated: SQLite's
		// positional placeholders must stay in order, and no index covers it anyway.
		rng := ""
		if o.op == OpSw && !strings.ContainsAny(x, "?$") {
			rng = x + " >= " + c.arg(o.str, ArgText) + " AND " + x + " < " + c.arg(o.str+"\U0010FFFF", ArgText) + " AND "
		}
		// The literal's length is computed here, so x appears once more and the placeholders
		// stay in order.
		n := c.arg(int64(utf8.RuneCountInString(o.str)), ArgInt)
		if o.op == OpSw {
			return "(" + rng + c.d.Prefix(x, n) + " = " + c.arg(o.str, ArgText) + ")"
		}
		return c.d.Suffix(x, n) + " = " + c.arg(o.str, ArgText)
	}
	return x + " " + sqlOps[o.op] + " " + c.arg(o.str, ArgText)
}

// probe is the condition on the attribute's case-folded index that an eq implies (see
// Attr.FoldedColumn), or "" when there is none or the comparison is that condition already.
// Equal strings fold equal, so adding it never changes the result; it only lets the database
// seek instead of scan.
func (c *compiler) probe(o operand, col string) string {
	if o.op != OpEq {
		return ""
	}
	switch {
	case o.attr.FoldedColumn != "":
		return o.attr.FoldedColumn + " = " + c.arg(strings.ToLower(o.str), ArgText)
	case o.attr.FoldedByLower && !c.schema.CaseInsensitive:
		return c.d.Lower(col) + " = " + c.arg(FoldASCII(o.str), ArgText)
	}
	return ""
}

// guard makes a comparison two-valued: NULL columns fail every operator except ne.
func (c *compiler) guard(col, cond string, op Op) string {
	if op == OpNe {
		return "(" + col + " IS NULL OR NOT (" + cond + "))"
	}
	return "(" + cond + " AND " + col + " IS NOT NULL)"
}

// json compiles a comparison on a key of a JSON column. A literal only matches a value of its
// own JSON type; CASE (not AND) guards the conversion because PostgreSQL does not promise to
// evaluate AND operands left to right, and a failed ::float8 cast would abort the query.
func (c *compiler) json(o operand, col string) string {
	key := c.d.JSONKeyArg(o.attr.key)
	typ := func() string { return c.d.JSONType(col, c.arg(key, ArgText)) }
	val := func() string { return c.d.JSONText(col, c.arg(key, ArgText)) }
	if o.op == OpPr {
		// Present: any value except JSON null and the empty string.
		isStr := c.d.JSONTypeIs(typ(), KindString)
		nonEmpty := c.d.Text(val()) + " <> ''"
		notNull := "NOT (" + c.d.JSONTypeIs(typ(), KindNull) + ")"
		return "COALESCE(CASE WHEN " + isStr + " THEN " + nonEmpty + " ELSE " + notNull + " END, FALSE)"
	}
	isKind := c.d.JSONTypeIs(typ(), o.kind)
	var cmp string
	switch o.kind {
	case KindNumber:
		cmp = c.d.JSONNumber(val()) + " " + sqlOps[o.op] + " " + c.arg(o.num, ArgFloat)
	case KindBool:
		cmp = c.d.JSONBool(col, c.arg(key, ArgText)) + " = " + c.arg(fmt.Sprint(o.boo), ArgText)
	default:
		if emptyAffix(o) {
			cmp = "TRUE" // before val(), which would bind a key that the SQL does not use
			break
		}
		x := val()
		if c.schema.CaseInsensitive {
			x = c.d.Lower(x)
		}
		cmp = c.text(o, c.d.Text(x))
	}
	s := "(CASE WHEN " + isKind + " THEN " + cmp + " ELSE FALSE END)"
	if o.op == OpNe {
		return "NOT " + s
	}
	return s
}

// emptyAffix is co/sw/ew with "", which every string satisfies.
func emptyAffix(o operand) bool {
	return o.str == "" && (o.op == OpCo || o.op == OpSw || o.op == OpEw)
}
