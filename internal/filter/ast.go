// Package filter implements the SCIM-like expression language of Okta's `filter` and `search`
// query parameters: a bounded parser to an AST, a check against a per-resource whitelist
// (Schema), a compiler to parameterised SQL for SQLite and PostgreSQL, and an in-memory
// evaluator with the same semantics as the SQL.
package filter

import (
	"strconv"
	"strings"
)

// Op is an attribute operator.
type Op uint8

// Attribute operators, in the order error messages list them.
const (
	OpEq Op = iota
	OpNe
	OpCo
	OpSw
	OpEw
	OpPr
	OpGt
	OpGe
	OpLt
	OpLe
	numOps
)

var opNames = [numOps]string{"eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// OpSet is a set of operators.
type OpSet uint16

// Ops builds an OpSet.
func Ops(ops ...Op) OpSet {
	var s OpSet
	for _, o := range ops {
		s |= 1 << o
	}
	return s
}

// Has reports whether o is in the set.
func (s OpSet) Has(o Op) bool { return s&(1<<o) != 0 }

// String lists the operators as Okta's error messages do: "eq,sw,pr".
func (s OpSet) String() string {
	var names []string
	for o := Op(0); o < numOps; o++ {
		if s.Has(o) {
			names = append(names, o.String())
		}
	}
	return strings.Join(names, ",")
}

// AllOps is every attribute operator.
var AllOps = Ops(OpEq, OpNe, OpCo, OpSw, OpEw, OpPr, OpGt, OpGe, OpLt, OpLe)

// Kind is the type of a literal as written in the expression.
type Kind uint8

// Literal kinds. Dates are KindString literals typed by the attribute they are compared with.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
)

// Value is a literal.
type Value struct {
	Kind Kind
	Str  string
	Num  float64
	Bool bool
}

// String prints the literal so that the lexer reads back the same value.
func (v Value) String() string {
	switch v.Kind {
	case KindString:
		return quote(v.Str)
	case KindNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	case KindBool:
		return strconv.FormatBool(v.Bool)
	default:
		return "null"
	}
}

// Expr is a node of a parsed expression: *Compare, *And, *Or or *Not.
type Expr interface {
	String() string
	// prec orders nodes for printing: or < and < not/compare.
	prec() int
}

// Compare is `attr op value`, or `attr pr` (Value is then the zero Value).
type Compare struct {
	Attr  string
	Op    Op
	Value Value
}

// And is `Left and Right`.
type And struct{ Left, Right Expr }

// Or is `Left or Right`.
type Or struct{ Left, Right Expr }

// Not is `not (X)`.
type Not struct{ X Expr }

func (*Or) prec() int      { return 1 }
func (*And) prec() int     { return 2 }
func (*Not) prec() int     { return 3 }
func (*Compare) prec() int { return 3 }

func (c *Compare) String() string {
	if c.Op == OpPr {
		return c.Attr + " pr"
	}
	return c.Attr + " " + c.Op.String() + " " + c.Value.String()
}

func (a *And) String() string { return binary(a, a.Left, a.Right, " and ") }
func (o *Or) String() string  { return binary(o, o.Left, o.Right, " or ") }
func (n *Not) String() string { return "not (" + n.X.String() + ")" }

// binary parenthesises a child that binds looser than its parent, and a right child of equal
// precedence, because the parser is left-associative: that is what makes Parse(e.String())
// rebuild exactly e.
func binary(parent, l, r Expr, op string) string {
	ls, rs := l.String(), r.String()
	if l.prec() < parent.prec() {
		ls = "(" + ls + ")"
	}
	if r.prec() <= parent.prec() {
		rs = "(" + rs + ")"
	}
	return ls + op + rs
}

// quote writes s as a JSON string. Non-ASCII text stays as is; control characters are escaped.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&0xf])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
