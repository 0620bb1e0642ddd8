package expr_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/expr"
	"github.com/okapi-dev/okapi/internal/filter"
)

// TestAgreesWithFilter checks the evaluator against a second, independent one: the System Log
// and user search filter engine (internal/filter, whose Eval agrees with the SQL it compiles
// to). Expressions built from ==, String.startsWith, &&, || and ! over lowercase values have the
// same meaning in both languages (the filter's case folding is moot on lowercase data).
func TestAgreesWithFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	attrs := []string{"department", "city", "costCenter"}
	vals := []string{"a", "ab", "b", "ba", "abc"}
	var gen func(depth int) (el, scim string)
	gen = func(depth int) (string, string) {
		if depth == 0 || rng.IntN(3) == 0 {
			a, v := attrs[rng.IntN(len(attrs))], vals[rng.IntN(len(vals))]
			if rng.IntN(2) == 0 {
				return `user.` + a + ` == "` + v + `"`, `profile.` + a + ` eq "` + v + `"`
			}
			return `String.startsWith(user.` + a + `, "` + v + `")`, `profile.` + a + ` sw "` + v + `"`
		}
		l1, r1 := gen(depth - 1)
		l2, r2 := gen(depth - 1)
		switch rng.IntN(3) {
		case 0:
			return "(" + l1 + " && " + l2 + ")", "(" + r1 + " and " + r2 + ")"
		case 1:
			return "(" + l1 + " || " + l2 + ")", "(" + r1 + " or " + r2 + ")"
		}
		return "(" + l1 + ")", "(" + r1 + ")"
	}
	for i := range 300 {
		el, scim := gen(3)
		n, err := expr.Parse(el)
		if err != nil {
			t.Fatalf("%s: %v", el, err)
		}
		f, err := filter.Parse(scim)
		if err != nil {
			t.Fatalf("%s: %v", scim, err)
		}
		for j := range 20 {
			profile, rec := map[string]any{}, map[string]any{}
			for _, a := range attrs {
				if rng.IntN(4) == 0 {
					continue // absent
				}
				v := vals[rng.IntN(len(vals))]
				profile[a], rec["profile."+a] = v, v
			}
			want, err := filter.Eval(f, filter.UsersSearch, filter.MapRecord(rec))
			if err != nil {
				t.Fatalf("%s: %v", scim, err)
			}
			if got := expr.Match(n, expr.Env{Profile: profile}); got != want {
				t.Fatalf("case %d/%d: %s = %v, filter %s = %v, profile %v", i, j, el, got, strings.TrimSpace(scim), want, profile)
			}
		}
	}
}
