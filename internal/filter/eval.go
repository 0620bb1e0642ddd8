package filter

import (
	"strings"
	"time"
)

// Record gives Eval the value of an attribute of one resource. Values are string, float64
// (or any Go integer for Number/JSON attributes), bool, int64 Unix milliseconds (or time.Time)
// for Date attributes, []string for multi-valued (Exists) attributes, and nil or ok=false when
// absent.
type Record func(attr string) (value any, ok bool)

// MapRecord is a Record over a map keyed by attribute name.
func MapRecord(m map[string]any) Record {
	return func(attr string) (any, bool) {
		v, ok := m[attr]
		return v, ok
	}
}

// Eval reports whether rec matches expr, with the semantics of the SQL that Compile produces:
// the same case folding, byte-order string comparison, and missing values that match only ne.
func Eval(expr Expr, schema *Schema, rec Record) (bool, error) {
	if err := Check(expr, schema); err != nil {
		return false, err
	}
	return eval(expr, schema, rec), nil
}

func eval(e Expr, s *Schema, rec Record) bool {
	switch e := e.(type) {
	case *And:
		return eval(e.Left, s, rec) && eval(e.Right, s, rec)
	case *Or:
		return eval(e.Left, s, rec) || eval(e.Right, s, rec)
	case *Not:
		return !eval(e.X, s, rec)
	case *Compare:
		o, _ := resolve(e, s) // Check has vetted it
		v, ok := rec(e.Attr)
		if !ok {
			v = nil
		}
		if o.attr.Exists != "" {
			vals, _ := v.([]string)
			for _, x := range vals {
				if evalString(o, x, s.CaseInsensitive) {
					return true
				}
			}
			return false
		}
		return evalValue(o, v, s.CaseInsensitive)
	}
	return false
}

func evalValue(o operand, v any, fold bool) bool {
	switch o.attr.Type {
	case String:
		if x, ok := v.(string); ok {
			return evalString(o, x, fold)
		}
	case Number:
		if x, ok := toFloat(v); ok {
			return evalOrdered(o.op, x, o.num)
		}
	case Date:
		if t, ok := v.(time.Time); ok {
			v = t.UnixMilli()
		}
		if x, ok := v.(int64); ok {
			return evalOrdered(o.op, x, o.ms)
		}
	case Bool:
		if x, ok := v.(bool); ok {
			return o.op == OpPr || (x == o.boo) == (o.op == OpEq)
		}
	case JSON:
		return evalJSON(o, v, fold)
	}
	// Absent (or of a type the attribute cannot hold): only ne matches, as in SQL.
	return o.op == OpNe
}

func evalJSON(o operand, v any, fold bool) bool {
	if o.op == OpPr {
		if x, ok := v.(string); ok {
			return x != ""
		}
		return v != nil
	}
	match := false
	switch o.kind {
	case KindString:
		if x, ok := v.(string); ok {
			match = evalString(operand{op: eqFor(o.op), str: o.str}, x, fold)
		}
	case KindNumber:
		if x, ok := toFloat(v); ok {
			match = evalOrdered(eqFor(o.op), x, o.num)
		}
	case KindBool:
		if x, ok := v.(bool); ok {
			match = x == o.boo
		}
	}
	if o.op == OpNe {
		return !match
	}
	return match
}

// eqFor turns ne into eq; callers negate the result, as the SQL does.
func eqFor(op Op) Op {
	if op == OpNe {
		return OpEq
	}
	return op
}

func evalString(o operand, x string, fold bool) bool {
	if o.op == OpPr {
		return x != ""
	}
	if fold {
		x = FoldASCII(x)
	}
	switch o.op {
	case OpCo:
		return strings.Contains(x, o.str)
	case OpSw:
		return strings.HasPrefix(x, o.str)
	case OpEw:
		return strings.HasSuffix(x, o.str)
	}
	return evalOrdered(o.op, x, o.str)
}

func evalOrdered[T int64 | float64 | string](op Op, x, lit T) bool {
	switch op {
	case OpEq:
		return x == lit
	case OpNe:
		return x != lit
	case OpGt:
		return x > lit
	case OpGe:
		return x >= lit
	case OpLt:
		return x < lit
	case OpLe:
		return x <= lit
	case OpPr:
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}
