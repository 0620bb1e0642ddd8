// Package expr parses and evaluates the subset of the Okta Expression Language that group
// rules accept (https://developer.okta.com/docs/reference/okta-expression-language/#expressions-in-group-rules):
// user attributes, String and Arrays functions, the group functions, comparisons, &&, ||, !,
// the ternary operator, literals and null.
package expr

import (
	"fmt"
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tOp
)

type token struct {
	kind tokKind
	text string
	pos  int
}

// MaxLength bounds an expression (Okta bounds the field; 1,024 here keeps evaluation cheap).
const MaxLength = 1024

// maxDepth bounds nesting so no input exhausts the stack.
const maxDepth = 64

// Error is a syntax or semantic error at a byte offset.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s at position %d", e.Msg, e.Pos) }

func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && (isIdentStart(src[j]) || isDigit(src[j])) {
				j++
			}
			out = append(out, token{tIdent, src[i:j], i})
			i = j
		case isDigit(c):
			j := i + 1
			for j < len(src) && (isDigit(src[j]) || src[j] == '.' && j+1 < len(src) && isDigit(src[j+1])) {
				j++
			}
			out = append(out, token{tNumber, src[i:j], i})
			i = j
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, &Error{i, "unterminated string"}
			}
			out = append(out, token{tString, b.String(), i})
			i = j + 1
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||", "?:":
				out = append(out, token{tOp, two, i})
				i += 2
				continue
			}
			if strings.IndexByte("<>!(),{}.?:+", c) < 0 {
				return nil, &Error{i, fmt.Sprintf("unexpected character %q", c)}
			}
			out = append(out, token{tOp, string(c), i})
			i++
		}
	}
	return append(out, token{tEOF, "", len(src)}), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
