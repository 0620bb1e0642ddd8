package expr

import (
	"strconv"
	"strings"
)

// Node is a parsed expression.
type Node interface{ node() }

type (
	// Lit is a string, float64, bool or nil literal.
	Lit struct{ V any }
	// Attr is user.<Name>.
	Attr struct{ Name string }
	// List is an array literal {a, b}.
	List struct{ Elems []Node }
	// Call is a function call; Fn is the dotted name (String.stringContains, isMemberOfAnyGroup).
	Call struct {
		Fn   string
		Args []Node
	}
	// Unary is !x.
	Unary struct{ X Node }
	// Binary is x op y, op one of == != < <= > >= && || + matches ?: (Elvis).
	Binary struct {
		Op   string
		X, Y Node
	}
	// Cond is c ? x : y.
	Cond struct{ C, X, Y Node }
)

func (Lit) node()    {}
func (Attr) node()   {}
func (List) node()   {}
func (Call) node()   {}
func (Unary) node()  {}
func (Binary) node() {}
func (Cond) node()   {}

type parser struct {
	toks  []token
	i     int
	depth int
}

// Parse parses and checks src: every attribute is user.<name>, every function one that group
// rules allow, with its number of arguments.
func Parse(src string) (Node, error) {
	if len(src) > MaxLength {
		return nil, &Error{MaxLength, "expression too long"}
	}
	if strings.TrimSpace(src) == "" {
		return nil, &Error{0, "empty expression"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &Error{t.pos, "unexpected " + strconv.Quote(t.text)}
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) isOp(ops ...string) (string, bool) {
	t := p.peek()
	for _, op := range ops {
		if t.kind == tOp && t.text == op {
			return op, true
		}
		if t.kind == tIdent && t.text == op {
			return op, true
		}
	}
	return "", false
}

func (p *parser) expect(op string) error {
	if _, ok := p.isOp(op); !ok {
		t := p.peek()
		return &Error{t.pos, "expected " + strconv.Quote(op)}
	}
	p.i++
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return &Error{p.peek().pos, "expression nested too deeply"}
	}
	return nil
}

func (p *parser) expr() (Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if _, ok := p.isOp("?:"); ok {
		p.i++
		y, err := p.expr()
		if err != nil {
			return nil, err
		}
		return Binary{"?:", c, y}, nil
	}
	if _, ok := p.isOp("?"); !ok {
		return c, nil
	}
	p.i++
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	y, err := p.expr()
	if err != nil {
		return nil, err
	}
	return Cond{c, x, y}, nil
}

func (p *parser) or() (Node, error) {
	x, err := p.and()
	for err == nil {
		if _, ok := p.isOp("||", "OR"); !ok {
			break
		}
		p.i++
		var y Node
		if y, err = p.and(); err == nil {
			x = Binary{"||", x, y}
		}
	}
	return x, err
}

func (p *parser) and() (Node, error) {
	x, err := p.unary()
	for err == nil {
		if _, ok := p.isOp("&&", "AND"); !ok {
			break
		}
		p.i++
		var y Node
		if y, err = p.unary(); err == nil {
			x = Binary{"&&", x, y}
		}
	}
	return x, err
}

func (p *parser) unary() (Node, error) {
	if _, ok := p.isOp("!", "NOT"); ok {
		p.i++
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.unary()
		return Unary{x}, err
	}
	return p.comparison()
}

func (p *parser) comparison() (Node, error) {
	x, err := p.additive()
	if err != nil {
		return nil, err
	}
	if op, ok := p.isOp("==", "!=", "<=", ">=", "<", ">", "matches"); ok {
		p.i++
		y, err := p.additive()
		if err != nil {
			return nil, err
		}
		return Binary{op, x, y}, nil
	}
	return x, nil
}

func (p *parser) additive() (Node, error) {
	x, err := p.primary()
	for err == nil {
		if _, ok := p.isOp("+"); !ok {
			break
		}
		p.i++
		var y Node
		if y, err = p.primary(); err == nil {
			x = Binary{"+", x, y}
		}
	}
	return x, err
}

func (p *parser) primary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return Lit{t.text}, nil
	case tNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, &Error{t.pos, "bad number"}
		}
		return Lit{f}, nil
	case tOp:
		switch t.text {
		case "(":
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			return x, p.expect(")")
		case "{":
			elems, err := p.args("}")
			return List{elems}, err
		}
		return nil, &Error{t.pos, "unexpected " + strconv.Quote(t.text)}
	case tIdent:
		switch t.text {
		case "true", "false":
			return Lit{t.text == "true"}, nil
		case "null":
			return Lit{nil}, nil
		}
		parts := []string{t.text}
		for {
			if _, ok := p.isOp("."); !ok {
				break
			}
			p.i++
			n := p.next()
			if n.kind != tIdent {
				return nil, &Error{n.pos, "expected a name after '.'"}
			}
			parts = append(parts, n.text)
		}
		name := strings.Join(parts, ".")
		if _, ok := p.isOp("("); ok {
			p.i++
			args, err := p.args(")")
			if err != nil {
				return nil, err
			}
			return p.call(t.pos, name, args)
		}
		if len(parts) != 2 || parts[0] != "user" {
			return nil, &Error{t.pos, "Invalid property " + name + " in expression (only user.<attribute> is allowed)"}
		}
		return Attr{parts[1]}, nil
	}
	return nil, &Error{t.pos, "unexpected end of expression"}
}

func (p *parser) args(closer string) ([]Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var out []Node
	if _, ok := p.isOp(closer); ok {
		p.i++
		return out, nil
	}
	for {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		if _, ok := p.isOp(","); ok {
			p.i++
			continue
		}
		return out, p.expect(closer)
	}
}

// arity is each allowed function's argument count (min, max; -1 for any).
var arity = map[string][2]int{
	"String.stringContains":    {2, 2},
	"String.startsWith":        {2, 2},
	"String.endsWith":          {2, 2},
	"String.toUpperCase":       {1, 1},
	"String.toLowerCase":       {1, 1},
	"String.len":               {1, 1},
	"String.removeSpaces":      {1, 1},
	"String.append":            {2, 2},
	"String.replace":           {3, 3},
	"String.substringAfter":    {2, 2},
	"String.substringBefore":   {2, 2},
	"String.join":              {1, -1},
	"Arrays.contains":          {2, 2},
	"Arrays.size":              {1, 1},
	"Arrays.isEmpty":           {1, 1},
	"Arrays.toCsvString":       {1, 1},
	"isMemberOfGroup":          {1, 1},
	"isMemberOfAnyGroup":       {1, -1},
	"user.getInternalProperty": {1, 1},
}

func (p *parser) call(pos int, name string, args []Node) (Node, error) {
	a, ok := arity[name]
	if !ok {
		return nil, &Error{pos, "Function " + name + " is not allowed in group rules"}
	}
	if len(args) < a[0] || a[1] >= 0 && len(args) > a[1] {
		return nil, &Error{pos, "wrong number of arguments to " + name}
	}
	return Call{name, args}, nil
}
