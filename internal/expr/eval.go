package expr

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Env is what an expression can see of one user.
type Env struct {
	// Profile is the user's profile (user.<attr>).
	Profile map[string]any
	// Internal holds user.getInternalProperty values: "id", "status".
	Internal map[string]string
	// Groups are the ids of the user's groups (isMemberOfAnyGroup).
	Groups map[string]bool
}

// Eval evaluates n for env. Values are nil, string, float64, bool or []any (JSON's); a
// function given a value of the wrong kind yields null, as Okta's evaluator does for null.
func Eval(n Node, env Env) any {
	switch n := n.(type) {
	case Lit:
		return n.V
	case Attr:
		return normalize(env.Profile[n.Name])
	case List:
		out := make([]any, len(n.Elems))
		for i, e := range n.Elems {
			out[i] = Eval(e, env)
		}
		return out
	case Unary:
		return !truthy(Eval(n.X, env))
	case Cond:
		if truthy(Eval(n.C, env)) {
			return Eval(n.X, env)
		}
		return Eval(n.Y, env)
	case Binary:
		switch n.Op {
		case "&&":
			return truthy(Eval(n.X, env)) && truthy(Eval(n.Y, env))
		case "||":
			return truthy(Eval(n.X, env)) || truthy(Eval(n.Y, env))
		case "?:":
			if x := Eval(n.X, env); x != nil {
				return x
			}
			return Eval(n.Y, env)
		}
		return binary(n.Op, Eval(n.X, env), Eval(n.Y, env))
	case Call:
		args := make([]any, len(n.Args))
		for i, a := range n.Args {
			args[i] = Eval(a, env)
		}
		return call(n.Fn, args, env)
	}
	return nil
}

// Match evaluates n as a rule condition: true only for a boolean true.
func Match(n Node, env Env) bool { return Eval(n, env) == true }

func normalize(v any) any {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = s
		}
		return out
	}
	return v
}

func truthy(v any) bool { b, _ := v.(bool); return b }

func binary(op string, x, y any) any {
	switch op {
	case "==":
		return equal(x, y)
	case "!=":
		return !equal(x, y)
	case "+":
		xf, xok := x.(float64)
		yf, yok := y.(float64)
		if xok && yok {
			return xf + yf
		}
		if x == nil && y == nil {
			return nil
		}
		return str(x) + str(y)
	case "matches":
		s, ok1 := x.(string)
		pat, ok2 := y.(string)
		if !ok1 || !ok2 {
			return false
		}
		re, err := compileRegexp(pat)
		return err == nil && re.MatchString(s)
	}
	// Ordering: numbers with numbers, strings with strings; anything else (null) is false.
	var c int
	switch xv := x.(type) {
	case float64:
		yv, ok := y.(float64)
		if !ok {
			return false
		}
		c = cmpFloat(xv, yv)
	case string:
		yv, ok := y.(string)
		if !ok {
			return false
		}
		c = strings.Compare(xv, yv)
	default:
		return false
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func equal(x, y any) bool {
	xa, xok := x.([]any)
	ya, yok := y.([]any)
	if xok || yok {
		if !xok || !yok || len(xa) != len(ya) {
			return false
		}
		for i := range xa {
			if !equal(xa[i], ya[i]) {
				return false
			}
		}
		return true
	}
	return x == y
}

func str(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return fmt.Sprintf("%d", int64(t))
		}
		return fmt.Sprint(t)
	}
	return fmt.Sprint(v)
}

// compileRegexp compiles an EL (Java) pattern, which must match the whole string.
func compileRegexp(p string) (*regexp.Regexp, error) { return regexp.Compile("^(?:" + p + ")$") }

func call(fn string, a []any, env Env) any {
	s0, isStr0 := "", false
	if len(a) > 0 {
		s0, isStr0 = a[0].(string)
	}
	s1, isStr1 := "", false
	if len(a) > 1 {
		s1, isStr1 = a[1].(string)
	}
	switch fn {
	case "String.stringContains", "String.startsWith", "String.endsWith":
		if !isStr0 || !isStr1 {
			return false
		}
		switch fn {
		case "String.stringContains":
			return strings.Contains(s0, s1)
		case "String.startsWith":
			return strings.HasPrefix(s0, s1)
		}
		return strings.HasSuffix(s0, s1)
	case "String.toUpperCase", "String.toLowerCase", "String.removeSpaces", "String.len":
		if !isStr0 {
			return nil
		}
		switch fn {
		case "String.toUpperCase":
			return strings.ToUpper(s0)
		case "String.toLowerCase":
			return strings.ToLower(s0)
		case "String.removeSpaces":
			return strings.ReplaceAll(s0, " ", "")
		}
		return float64(len([]rune(s0)))
	case "String.append":
		return str(a[0]) + str(a[1])
	case "String.replace":
		s2, ok := a[2].(string)
		if !isStr0 || !isStr1 || !ok {
			return nil
		}
		return strings.ReplaceAll(s0, s1, s2)
	case "String.substringAfter", "String.substringBefore":
		if !isStr0 || !isStr1 {
			return nil
		}
		before, after, found := strings.Cut(s0, s1)
		if !found {
			return ""
		}
		if fn == "String.substringAfter" {
			return after
		}
		return before
	case "String.join":
		if !isStr0 {
			return nil
		}
		parts := make([]string, 0, len(a)-1)
		for _, v := range a[1:] {
			parts = append(parts, str(v))
		}
		return strings.Join(parts, s0)
	case "Arrays.contains":
		arr, ok := a[0].([]any)
		if !ok {
			return false
		}
		for _, e := range arr {
			if equal(e, a[1]) {
				return true
			}
		}
		return false
	case "Arrays.size", "Arrays.isEmpty", "Arrays.toCsvString":
		arr, ok := a[0].([]any)
		if !ok {
			if fn == "Arrays.isEmpty" {
				return true
			}
			return nil
		}
		switch fn {
		case "Arrays.size":
			return float64(len(arr))
		case "Arrays.isEmpty":
			return len(arr) == 0
		}
		parts := make([]string, len(arr))
		for i, e := range arr {
			parts[i] = str(e)
		}
		return strings.Join(parts, ",")
	case "isMemberOfGroup", "isMemberOfAnyGroup":
		for _, v := range a {
			ids, ok := v.([]any)
			if !ok {
				ids = []any{v}
			}
			for _, id := range ids {
				if s, ok := id.(string); ok && env.Groups[s] {
					return true
				}
			}
		}
		return false
	case "user.getInternalProperty":
		if v, ok := env.Internal[s0]; ok && isStr0 {
			return v
		}
		return nil
	}
	return nil
}

// Attributes lists the user attributes n reads, and GroupIDs the group ids its group
// functions name with literals: what a rule depends on.
func Attributes(n Node) (attrs []string) {
	walk(n, func(m Node) {
		if a, ok := m.(Attr); ok {
			attrs = append(attrs, a.Name)
		}
	})
	return attrs
}

// UsesGroups reports whether n calls a group function (so a membership change re-evaluates it).
func UsesGroups(n Node) (uses bool) {
	walk(n, func(m Node) {
		if c, ok := m.(Call); ok && strings.HasPrefix(c.Fn, "isMemberOf") {
			uses = true
		}
	})
	return uses
}

func walk(n Node, f func(Node)) {
	f(n)
	switch n := n.(type) {
	case List:
		for _, e := range n.Elems {
			walk(e, f)
		}
	case Call:
		for _, e := range n.Args {
			walk(e, f)
		}
	case Unary:
		walk(n.X, f)
	case Binary:
		walk(n.X, f)
		walk(n.Y, f)
	case Cond:
		walk(n.C, f)
		walk(n.X, f)
		walk(n.Y, f)
	}
}
