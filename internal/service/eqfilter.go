package service

import (
	"strings"
	"unicode"

	"github.com/okapi-dev/okapi/internal/domain"
)

// eqFilter is the part of Okta's filter language that the trusted-origin and zone lists accept:
// `attr eq "value"` joined by and/or, with parentheses; and binds tighter than or. It evaluates in
// memory over a whitelist of attributes. It stands in until internal/filter lands on main.
type eqFilter struct {
	or [][]eqTerm // disjunction of conjunctions (after distributing parentheses)
}

type eqTerm struct{ attr, value string }

// parseEqFilter parses expr against the allowed attribute names. Errors are 400 E0000031.
func parseEqFilter(expr string, attrs map[string]bool) (*eqFilter, error) {
	p := &eqParser{toks: eqTokens(expr), attrs: attrs}
	f, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, domain.InvalidSearch("Unexpected " + p.toks[p.i] + " in filter: " + expr)
	}
	return &eqFilter{or: f}, nil
}

// match reports whether the object whose attributes get returns (an attribute may have several
// values, like a trusted origin's scope types) satisfies the filter.
func (f *eqFilter) match(get func(attr string) []string) bool {
	if f == nil {
		return true
	}
	for _, and := range f.or {
		ok := true
		for _, t := range and {
			if !containsString(get(t.attr), t.value) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func containsString(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

type eqParser struct {
	toks  []string
	i     int
	attrs map[string]bool
}

func (p *eqParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *eqParser) or() ([][]eqTerm, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "or") {
		p.i++
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = append(left, right...)
	}
	return left, nil
}

func (p *eqParser) and() ([][]eqTerm, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "and") {
		p.i++
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		var out [][]eqTerm
		for _, l := range left {
			for _, r := range right {
				out = append(out, append(append([]eqTerm{}, l...), r...))
			}
		}
		if len(out) > 64 {
			return nil, domain.InvalidSearch("The filter is too complex.")
		}
		left = out
	}
	return left, nil
}

func (p *eqParser) primary() ([][]eqTerm, error) {
	if p.peek() == "(" {
		p.i++
		f, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, domain.InvalidSearch("Missing ) in filter.")
		}
		p.i++
		return f, nil
	}
	if p.i+3 > len(p.toks) {
		return nil, domain.InvalidSearch("Incomplete filter expression.")
	}
	attr, op, val := p.toks[p.i], p.toks[p.i+1], p.toks[p.i+2]
	if !p.attrs[attr] {
		return nil, domain.InvalidSearch("Unsupported attribute in filter: " + attr)
	}
	if !strings.EqualFold(op, "eq") {
		return nil, domain.InvalidSearch("Unsupported operator in filter: " + op + " (only eq is supported on " + attr + ")")
	}
	if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
		return nil, domain.InvalidSearch("The value for " + attr + " must be a quoted string.")
	}
	p.i += 3
	return [][]eqTerm{{{attr: attr, value: unescape(val[1 : len(val)-1])}}}, nil
}

func unescape(s string) string {
	return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(s)
}

// eqTokens splits on spaces and parentheses, keeping quoted strings (with \" escapes) whole.
func eqTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case unicode.IsSpace(rune(c)):
			i++
		case c == '(' || c == ')':
			out = append(out, string(c))
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				out = append(out, s[i:]) // unterminated: fails the quote check
				return out
			}
			out = append(out, s[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != '(' && s[j] != ')' && s[j] != '"' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}
