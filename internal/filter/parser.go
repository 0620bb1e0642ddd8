package filter

import (
	"errors"
	"fmt"
	"strings"
)

// Limits that keep hostile input cheap: parsing is linear in the input and the recursion depth
// is bounded, so no expression can exhaust the stack or take long to reject.
const (
	MaxLength = 4096 // bytes of expression text
	MaxDepth  = 32   // nested parentheses and `not`
	MaxTerms  = 100  // attribute comparisons
)

// Parse parses s into an AST without checking attributes against a schema. Errors are
// 400 E0000031 (*domain.Error) whose cause names the problem and its 1-based byte position.
func Parse(s string) (Expr, error) {
	e, cause := parse(s)
	if cause != "" {
		return nil, defaultFail(cause)
	}
	return e, nil
}

// ParseFor parses s and checks it against schema in one call; errors use the schema's code.
func ParseFor(s string, schema *Schema) (Expr, error) {
	e, cause := parse(s)
	if cause != "" {
		return nil, schema.fail(cause)
	}
	if err := Check(e, schema); err != nil {
		return nil, err
	}
	return e, nil
}

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	terms int
}

// parseError unwinds the parser with the cause to report.
type parseError struct{ cause string }

func (e *parseError) Error() string { return e.cause }

// parse returns the AST or a non-empty cause.
func parse(s string) (Expr, string) {
	if len(s) > MaxLength {
		return nil, fmt.Sprintf("Invalid filter: the expression is %d bytes long; the limit is %d", len(s), MaxLength)
	}
	toks, err := lex(s)
	if err != nil {
		return nil, fmt.Sprintf("Invalid filter '%s': %v", s, err)
	}
	p := &parser{src: s, toks: toks}
	e, err := p.parseOr()
	if err == nil && p.peek().kind != tEOF {
		err = p.errorf(p.peek().pos, "and,or", "Unexpected %s", describe(p.peek()))
	}
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			return nil, pe.cause
		}
		return nil, err.Error()
	}
	return e, ""
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// errorf words a syntax error as Okta does: "<problem> at position N. Expected: <what>".
func (p *parser) errorf(pos int, expected, format string, args ...any) error {
	msg := fmt.Sprintf("Invalid filter '%s': %s at position %d", p.src, fmt.Sprintf(format, args...), pos+1)
	if expected != "" {
		msg += ". Expected: " + expected
	}
	return &parseError{msg}
}

// isKeyword reports whether t is the case-insensitive keyword kw.
func isKeyword(t token, kw string) bool {
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) parseOr() (Expr, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for isKeyword(p.peek(), "or") {
		p.next()
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &Or{left, right}
	}
	return left, nil
}

func (p *parser) parseAnd() (Expr, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for isKeyword(p.peek(), "and") {
		p.next()
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = &And{left, right}
	}
	return left, nil
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errorf(pos, "", "Nesting deeper than the limit of %d", MaxDepth)
	}
	return nil
}

func (p *parser) parseUnary() (Expr, error) {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errorf(c.pos, ")", "Unexpected %s", describe(c))
		}
		p.depth--
		return e, nil
	// `not` is an operator only when a parenthesis follows; otherwise it is an attribute name.
	case isKeyword(t, "not") && p.toks[p.i+1].kind == tLParen:
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		p.next()
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		p.depth--
		return &Not{x}, nil
	case t.kind == tIdent:
		return p.parseCompare()
	default:
		return nil, p.errorf(t.pos, "attribute name", "Unexpected %s", describe(t))
	}
}

func (p *parser) parseCompare() (Expr, error) {
	attr := p.next()
	p.terms++
	if p.terms > MaxTerms {
		return nil, p.errorf(attr.pos, "", "More than the limit of %d terms", MaxTerms)
	}
	opTok := p.next()
	if opTok.kind != tIdent {
		return nil, p.errorf(opTok.pos, AllOps.String(), "Missing attribute operator after '%s'", attr.text)
	}
	op, ok := lookupOp(opTok.text)
	if !ok {
		return nil, p.errorf(opTok.pos, AllOps.String(), "Unrecognized attribute operator '%s'", opTok.text)
	}
	c := &Compare{Attr: attr.text, Op: op}
	if op == OpPr {
		return c, nil
	}
	v := p.next()
	switch {
	case v.kind == tString:
		c.Value = Value{Kind: KindString, Str: v.text}
	case v.kind == tNumber:
		c.Value = Value{Kind: KindNumber, Num: v.num}
	case v.kind == tIdent && (v.text == "true" || v.text == "false"):
		c.Value = Value{Kind: KindBool, Bool: v.text == "true"}
	case v.kind == tIdent && v.text == "null":
		c.Value = Value{Kind: KindNull}
	default:
		return nil, p.errorf(v.pos, "a string, number, true, false or null", "Unexpected %s", describe(v))
	}
	return c, nil
}

func lookupOp(s string) (Op, bool) {
	if len(s) != 2 {
		return 0, false
	}
	for o, name := range opNames {
		if strings.EqualFold(s, name) {
			return Op(o), true
		}
	}
	return 0, false
}

func describe(t token) string {
	if t.kind == tEOF {
		return "end of expression"
	}
	if t.kind == tString {
		return "string " + quote(t.text)
	}
	return "'" + t.text + "'"
}
