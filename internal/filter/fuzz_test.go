package filter

import (
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// FuzzParse checks that no input panics, that every error is a *domain.Error, and that
// String is canonical: Parse(String(Parse(x))) == Parse(x). Accepted expressions are also
// pushed through Check, Compile and Eval to catch panics there.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`status eq "ACTIVE"`,
		`profile.firstName Eq "john" and (lastUpdated gt "2024-01-02T03:04:05.000Z" OR id pr)`,
		`not (a eq 1) or not (b ne -2.5e3)`,
		`x eq "\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"`,
		`target.id eq "00u1" and outcome.result ne "FAILURE"`,
		`profile.age ge 18 and profile.admin eq true and profile.nick eq null`,
		`((((a pr))))`,
		`a eq "x" b`,
		`x eqq "a"`,
		`not eq "1"`,
		`x eq 01`,
		"x eq \"\xff\"",
	} {
		f.Add(s)
	}
	schemas := []*Schema{UsersSearch, UsersFilter, GroupsSearch, LogsFilter}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			if _, ok := domain.AsError(err); !ok {
				t.Fatalf("Parse(%q) error %T is not a *domain.Error", s, err)
			}
			return
		}
		printed := e.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) = %v; it printed from Parse(%q)", printed, err, s)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("Parse(String(Parse(%q))) = %s, want %s", s, again, e)
		}
		empty := MapRecord(nil)
		for _, sc := range schemas {
			if Check(e, sc) != nil {
				continue
			}
			for _, d := range []Dialect{SQLite, Postgres} {
				if _, _, err := Compile(e, sc, d, 1); err != nil {
					t.Fatalf("Compile(%q) after Check: %v", s, err)
				}
			}
			if _, err := Eval(e, sc, empty); err != nil {
				t.Fatalf("Eval(%q) after Check: %v", s, err)
			}
		}
	})
}
