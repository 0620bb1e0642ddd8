package password

import (
	"strings"
	"testing"
	"time"
)

func reasons(vs []Violation) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Reason)
	}
	return strings.Join(out, " ")
}

func TestRulesCheck(t *testing.T) {
	strict := Rules{MinLength: 10, MinLowerCase: 2, MinUpperCase: 1, MinNumber: 2, MinSymbol: 1, ExcludeUsername: true,
		ExcludeAttributes: []string{"firstName", "lastName"}, ExcludeCommon: true}
	who := Subject{Login: "ada.lovelace@example.com", Profile: map[string]any{"firstName": "Ada", "lastName": "Lovelace"}}
	for _, c := range []struct {
		name  string
		rules Rules
		pw    string
		want  string
	}{
		{"zero rules ask nothing", Rules{}, "a", ""},
		{"default ok", DefaultRules(), "Abcdefg1", ""},
		{"default short", DefaultRules(), "Ab1", "LENGTH_MINIMUM"},
		{"length counts characters, not bytes", Rules{MinLength: 4}, "ééé", "LENGTH_MINIMUM"},
		{"counts per class", strict, "Xy-9-zzzzz", "NUMBER"},
		{"symbol", strict, "Xyz99zzzzz", "SYMBOL"},
		{"login part", strict, "Xy-99-loveLACE", "USERNAME EXCLUDED_ATTRIBUTE"},
		{"first name any case", strict, "Xy-99-ADAzz", "EXCLUDED_ATTRIBUTE"},
		{"common, ignoring case", Rules{ExcludeCommon: true}, "PASSWORD123", "COMMON_PASSWORD"},
		{"strict ok", strict, "Xy-99-zzzzz", ""},
	} {
		if got := reasons(c.rules.Check(c.pw, who)); got != c.want {
			t.Errorf("%s: %q gives %q, want %q", c.name, c.pw, got, c.want)
		}
	}
}

func TestRulesRequirements(t *testing.T) {
	if got, want := DefaultRules().Requirements(), "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords."; got != want {
		t.Errorf("default = %q\nwant %q", got, want)
	}
	r := Rules{MinLength: 12, MinSymbol: 1, ExcludeAttributes: []string{"firstName"}, MinAge: 90 * time.Minute}
	if got, want := r.Requirements(), "Password requirements: at least 12 characters, a symbol, does not include your first name. At least 90 minute(s) must have elapsed since you last changed your password."; got != want {
		t.Errorf("custom = %q\nwant %q", got, want)
	}
}
