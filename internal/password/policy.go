package password

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Violation is one rule of the password policy a password breaks. Reason is the machine code
// Okta puts in the error cause.
type Violation struct {
	Reason  string
	Message string
}

// MinLength is the default policy's minimum length.
const MinLength = 8

// Requirements is Okta's one-line description of the default policy.
const Requirements = "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username."

// Check applies Okta's default password policy: at least 8 characters (72 at most), a lower
// case letter, an upper case letter and a digit, and no part of the login of 4 or more
// characters (the login split on , . _ # @ -, the top-level domain ignored). It returns nothing
// when pw complies.
func Check(pw, login string) []Violation {
	var vs []Violation
	n := utf8.RuneCountInString(pw)
	if n < MinLength {
		vs = append(vs, Violation{"LENGTH_MINIMUM", "Passwords must be at least 8 characters in length"})
	}
	if len(pw) > MaxLength {
		vs = append(vs, Violation{"LENGTH_MAXIMUM", "Passwords must be at most 72 characters in length"})
	}
	var lower, upper, digit bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !lower {
		vs = append(vs, Violation{"LOWER_CASE", "Passwords must contain at least one lowercase letter"})
	}
	if !upper {
		vs = append(vs, Violation{"UPPER_CASE", "Passwords must contain at least one uppercase letter"})
	}
	if !digit {
		vs = append(vs, Violation{"NUMBER", "Passwords must contain at least one number"})
	}
	if containsLoginPart(pw, login) {
		vs = append(vs, Violation{"USERNAME", "Passwords cannot contain your username or parts of it"})
	}
	return vs
}

// containsLoginPart reports whether pw contains, ignoring case, a part of login of 4 or more
// characters.
func containsLoginPart(pw, login string) bool {
	lp := strings.ToLower(pw)
	login = strings.ToLower(login)
	if at := strings.LastIndexByte(login, '@'); at >= 0 {
		// The parent domain ("com") is not a part; the rest of the domain is.
		if dot := strings.LastIndexByte(login, '.'); dot > at {
			login = login[:dot]
		}
	}
	parts := strings.FieldsFunc(login, func(r rune) bool { return strings.ContainsRune(",._#@-", r) })
	for _, p := range parts {
		if utf8.RuneCountInString(p) >= 4 && strings.Contains(lp, p) {
			return true
		}
	}
	return false
}
