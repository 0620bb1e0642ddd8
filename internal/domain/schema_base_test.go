package domain

import (
	"strings"
	"testing"
)

func TestValidLoginPattern(t *testing.T) {
	for _, tt := range []struct {
		p  string
		ok bool
	}{
		{".+", true}, {"[a-z]+", true}, {`[a-z13579\.]+`, true}, {"[-a-zA-Z0-9]+", true},
		{"", false}, {".*", false}, {"[a-z]*", false}, {"[a-z]+x", false}, {"^a.*$", false},
		{"[a-z]+[0-9]+", false}, {"[+", false}, {"[]+", false},
	} {
		if got := ValidLoginPattern(tt.p); got != tt.ok {
			t.Errorf("ValidLoginPattern(%q) = %v, want %v", tt.p, got, tt.ok)
		}
	}
}

// TestLoginPatternValidation follows the Schemas API's "Login pattern validation": no pattern
// means an email address; ".+" any username, without the minimum length; "[...]+" only the
// set's characters.
func TestLoginPatternValidation(t *testing.T) {
	withPattern := func(p string) ProfileSchema {
		if p == "" {
			return ProfileSchema{}
		}
		return ProfileSchema{Base: map[string]BaseOverride{"login": {Pattern: &p}}}
	}
	for _, tt := range []struct{ pattern, login, cause string }{
		{"", "a@example.com", ""},
		{"", "plainname", "Username must be in the form of an email address"},
		{".+", "ab", ""},
		{".+", strings.Repeat("a", 101), "too long"},
		{"[a-z]+", "abcdef", ""},
		{"[a-z]+", "abc-def", "Does not match required pattern"},
		{"[a-z]+", "abc", "too short"},
	} {
		p := map[string]any{"login": tt.login, "email": "e@example.com", "firstName": "F", "lastName": "L"}
		err := ValidateProfileSchema(p, withPattern(tt.pattern))
		if tt.cause == "" && err != nil || tt.cause != "" && (err == nil || !strings.Contains(errCauses(err), tt.cause)) {
			t.Errorf("pattern %q login %q: %v, want %q", tt.pattern, tt.login, err, tt.cause)
		}
	}
}

func errCauses(err error) string {
	e, ok := err.(*Error)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	for _, c := range e.Causes {
		b.WriteString(c.Summary + "; ")
	}
	return b.String()
}
