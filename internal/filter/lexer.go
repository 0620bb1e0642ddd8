package filter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tLParen
	tRParen
)

// token is one lexeme; pos is its 0-based byte offset (messages show it 1-based).
type token struct {
	kind tokKind
	pos  int
	text string // source text for idents and numbers, decoded value for strings
	num  float64
}

// lexError is a syntax problem at a byte offset; the parser turns it into the caller's error.
type lexError struct {
	pos int
	msg string
}

func (e *lexError) Error() string { return fmt.Sprintf("%s at position %d", e.msg, e.pos+1) }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':'
}

// lex splits s into tokens. The caller has already bounded len(s), so the slice is small.
func lex(s string) ([]token, error) {
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return nil, &lexError{i, "Invalid UTF-8"}
			}
			i += n
		}
	}
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{kind: tLParen, pos: i, text: "("})
			i++
		case c == ')':
			toks = append(toks, token{kind: tRParen, pos: i, text: ")"})
			i++
		case c == '"':
			str, end, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, pos: i, text: str})
			i = end
		case c == '-' || c >= '0' && c <= '9':
			end, err := scanNumber(s, i)
			if err != nil {
				return nil, err
			}
			f, perr := strconv.ParseFloat(s[i:end], 64)
			if perr != nil {
				return nil, &lexError{i, fmt.Sprintf("Number '%s' out of range", s[i:end])}
			}
			toks = append(toks, token{kind: tNumber, pos: i, text: s[i:end], num: f})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tIdent, pos: i, text: s[i:j]})
			i = j
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, &lexError{i, fmt.Sprintf("Unexpected character '%c'", r)}
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

// scanNumber accepts exactly the JSON number grammar, so "01", "1." and ".5" are errors.
func scanNumber(s string, i int) (int, error) {
	start := i
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return 0, &lexError{start, "Invalid number"}
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return 0, &lexError{start, "Invalid number"}
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return 0, &lexError{start, "Invalid number"}
		}
	}
	// A number glued to a name ("12ab") is a typo, not two tokens.
	if i < len(s) && isIdentPart(s[i]) {
		return 0, &lexError{start, "Invalid number"}
	}
	return i, nil
}

// lexString decodes the JSON string starting at s[start] == '"'. It returns the value and the
// offset just past the closing quote.
func lexString(s string, start int) (string, int, error) {
	i := start + 1
	// Fast path: no escapes.
	for j := i; j < len(s); j++ {
		c := s[j]
		if c == '"' {
			return s[i:j], j + 1, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c < 0x20:
			return "", 0, &lexError{i, "Control character in string"}
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			break
		}
		esc := s[i+1]
		switch esc {
		case '"', '\\', '/':
			b.WriteByte(esc)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				return "", 0, &lexError{i, "Invalid escape '\\u'"}
			}
			n := 6
			if utf16.IsSurrogate(r) {
				// Only a high surrogate followed by a low one encodes a character; a lone
				// surrogate has no UTF-8 form, so it is an error rather than a silent U+FFFD.
				r2, ok2 := rune(0), false
				if r < 0xdc00 && i+7 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
					r2, ok2 = hex4(s, i+8)
				}
				dec := utf16.DecodeRune(r, r2)
				if !ok2 || dec == utf8.RuneError {
					return "", 0, &lexError{i, "Invalid surrogate escape"}
				}
				r, n = dec, 12
			}
			b.WriteRune(r)
			i += n
			continue
		default:
			r, _ := utf8.DecodeRuneInString(s[i+1:])
			return "", 0, &lexError{i, fmt.Sprintf("Invalid escape '\\%c'", r)}
		}
		i += 2
	}
	return "", 0, &lexError{start, "Unterminated string"}
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}
