package filter

import (
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func cmp(attr string, op Op, v Value) *Compare { return &Compare{Attr: attr, Op: op, Value: v} }
func str(s string) Value                       { return Value{Kind: KindString, Str: s} }
func num(f float64) Value                      { return Value{Kind: KindNumber, Num: f} }

func TestParse(t *testing.T) {
	a, b, c := cmp("a", OpEq, str("1")), cmp("b", OpEq, str("2")), cmp("c", OpEq, str("3"))
	tests := []struct {
		in   string
		want Expr
	}{
		{`status eq "ACTIVE"`, cmp("status", OpEq, str("ACTIVE"))},
		{`x ne "v"`, cmp("x", OpNe, str("v"))},
		{`x co "v"`, cmp("x", OpCo, str("v"))},
		{`x sw "v"`, cmp("x", OpSw, str("v"))},
		{`x ew "v"`, cmp("x", OpEw, str("v"))},
		{`x pr`, cmp("x", OpPr, Value{})},
		{`x gt 1`, cmp("x", OpGt, num(1))},
		{`x ge -1.5`, cmp("x", OpGe, num(-1.5))},
		{`x lt 2e3`, cmp("x", OpLt, num(2000))},
		{`x le 0.25E-2`, cmp("x", OpLe, num(0.0025))},
		{`x eq 0`, cmp("x", OpEq, num(0))},
		{`x eq true`, cmp("x", OpEq, Value{Kind: KindBool, Bool: true})},
		{`x eq false`, cmp("x", OpEq, Value{Kind: KindBool})},
		{`x eq null`, cmp("x", OpEq, Value{Kind: KindNull})},
		// Operators and logical keywords are case-insensitive; attribute names are not.
		{`profile.firstName Eq "john"`, cmp("profile.firstName", OpEq, str("john"))},
		{`X EQ "v"`, cmp("X", OpEq, str("v"))},
		{`x PR`, cmp("x", OpPr, Value{})},
		{`a eq "1" AND b eq "2" Or c eq "3"`, &Or{&And{a, b}, c}},
		{`NOT (a eq "1")`, &Not{a}},
		// Escapes: every JSON escape, including surrogate pairs.
		{`x eq "q\" b\\ s\/ \b\f\n\r\t"`, cmp("x", OpEq, str("q\" b\\ s/ \b\f\n\r\t"))},
		{`x eq "\u00e9\u00C9"`, cmp("x", OpEq, str("éÉ"))},
		{`x eq "\ud83d\ude00"`, cmp("x", OpEq, str("😀"))},
		{`x eq "raw é 😀"`, cmp("x", OpEq, str("raw é 😀"))},
		{`x eq ""`, cmp("x", OpEq, str(""))},
		// Precedence: and binds tighter than or; parentheses override; left-associative.
		{`a eq "1" or b eq "2" and c eq "3"`, &Or{a, &And{b, c}}},
		{`(a eq "1" or b eq "2") and c eq "3"`, &And{&Or{a, b}, c}},
		{`a eq "1" and b eq "2" and c eq "3"`, &And{&And{a, b}, c}},
		{`a eq "1" or b eq "2" or c eq "3"`, &Or{&Or{a, b}, c}},
		{`a eq "1" and (b eq "2" and c eq "3")`, &And{a, &And{b, c}}},
		{`not (a eq "1") and b eq "2"`, &And{&Not{a}, b}},
		{`not (a eq "1" or b eq "2")`, &Not{&Or{a, b}}},
		{`not(not(a eq "1"))`, &Not{&Not{a}}},
		{`((a eq "1"))`, a},
		// Whitespace is free around parentheses and strings.
		{"\t(a eq\"1\")\n", a},
		// A keyword is an attribute name where an attribute is expected.
		{`not eq "1"`, cmp("not", OpEq, str("1"))},
		{`and eq "1" and or eq "2"`, &And{cmp("and", OpEq, str("1")), cmp("or", OpEq, str("2"))}},
		{`target.id eq "00u1"`, cmp("target.id", OpEq, str("00u1"))},
		{`debugContext.debugData.requestId eq "r"`, cmp("debugContext.debugData.requestId", OpEq, str("r"))},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Parse = %s, want %s", got, tc.want)
			}
			again, err := Parse(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("Parse(%q) = %v, %v; want %s", got.String(), again, err, got)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := map[string]string{
		`a EQ "x"`:                           `a eq "x"`,
		`a eq "1" AND (b eq "2" OR c pr)`:    `a eq "1" and (b eq "2" or c pr)`,
		`a eq "1" and (b eq "2" and c pr)`:   `a eq "1" and (b eq "2" and c pr)`,
		`(a eq 1 and b eq 2) or c eq 1e21`:   `a eq 1 and b eq 2 or c eq 1e+21`,
		`NOT (a eq "\u0001\u007f\"\\é")`:     `not (a eq "\u0001\u007f\"\\é")`,
		`x eq "\/"`:                          `x eq "/"`,
		`not (a eq true) or not (b eq null)`: `not (a eq true) or not (b eq null)`,
	}
	for in, want := range tests {
		e, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := e.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("(", MaxDepth+1) + `a eq "1"` + strings.Repeat(")", MaxDepth+1)
	okDeep := strings.Repeat("(", MaxDepth) + `a eq "1"` + strings.Repeat(")", MaxDepth)
	many := strings.TrimSuffix(strings.Repeat(`a eq "1" or `, MaxTerms+1), " or ")
	tests := []struct{ in, cause string }{
		{`x eqq "a"`, `Invalid filter 'x eqq "a"': Unrecognized attribute operator 'eqq' at position 3. Expected: eq,ne,co,sw,ew,pr,gt,ge,lt,le`},
		{``, `Unexpected end of expression at position 1. Expected: attribute name`},
		{`x`, `Missing attribute operator after 'x'`},
		{`x eq`, `Unexpected end of expression at position 5. Expected: a string, number, true, false or null`},
		{`x eq abc`, `Unexpected 'abc'`},
		{`x eq TRUE`, `Unexpected 'TRUE'`},
		{`x eq "a`, `Unterminated string at position 6`},
		{`x eq "a\x"`, `Invalid escape '\x' at position 8`},
		{`x eq "\u12"`, `Invalid escape '\u' at position 7`},
		{`x eq "\ud800"`, `Invalid surrogate escape at position 7`},
		{`x eq "\ude00\ud800"`, `Invalid surrogate escape`},
		{"x eq \"a\tb\"", `Control character in string at position 8`},
		{"x eq \"\xff\"", `Invalid UTF-8 at position 7`},
		{`x eq 01`, `Invalid number at position 6`},
		{`x eq 1.`, `Invalid number`},
		{`x eq .5`, `Unexpected character '.'`},
		{`x eq -`, `Invalid number`},
		{`x eq 12ab`, `Invalid number`},
		{`x eq 1e999`, `Number '1e999' out of range`},
		{`x eq "a" and`, `Unexpected end of expression at position 13. Expected: attribute name`},
		{`x eq "a" y eq "b"`, `Unexpected 'y' at position 10. Expected: and,or`},
		{`(x eq "a"`, `Unexpected end of expression at position 10. Expected: )`},
		{`x eq "a")`, `Unexpected ')' at position 9. Expected: and,or`},
		{`not x eq "a"`, `Unrecognized attribute operator 'x'`},
		{`x eq "a" [y]`, `Unexpected character '['`},
		{`x pr "a"`, `Unexpected string "a" at position 6. Expected: and,or`},
		{deep, `Nesting deeper than the limit of 32 at position 33`},
		{strings.Repeat("not (", MaxDepth+1) + "a pr" + strings.Repeat(")", MaxDepth+1), `Nesting deeper than the limit of 32`},
		{many, `More than the limit of 100 terms at position 1201`},
		{strings.Repeat(" ", MaxLength) + "a pr", `Invalid filter: the expression is 4100 bytes long; the limit is 4096`},
	}
	for _, tc := range tests {
		t.Run(tc.cause, func(t *testing.T) {
			_, err := Parse(tc.in)
			de, ok := domain.AsError(err)
			if !ok || de.Status != 400 || de.Code != "E0000031" || de.Summary != "Invalid search criteria." {
				t.Fatalf("Parse(%q) = %v, want 400 E0000031", tc.in, err)
			}
			if len(de.Causes) != 1 || !strings.Contains(de.Causes[0].Summary, tc.cause) {
				t.Fatalf("cause = %q, want it to contain %q", de.Causes, tc.cause)
			}
		})
	}
	if _, err := Parse(okDeep); err != nil {
		t.Errorf("nesting at the limit: %v", err)
	}
}

// Hostile input must fail fast and flat: deeply nested parentheses stop at the depth limit
// instead of recursing through the whole input.
func TestParseHostileInputIsCheap(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("(", MaxLength),
		strings.Repeat("not (", MaxLength/5),
		strings.Repeat(`"`, MaxLength),
		strings.Repeat(`\`, MaxLength),
		`x eq "` + strings.Repeat(`\u0041`, (MaxLength-8)/6) + `"`,
	} {
		if _, err := Parse(in); err == nil && !strings.HasPrefix(in, "x eq") {
			t.Errorf("Parse(%.20q...) succeeded", in)
		}
	}
}
