package password

import (
	"strings"
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

// Check applies Okta's default password policy (DefaultRules: at least 8 characters, a lower
// case letter, an upper case letter and a digit, and no part of the login of 4 or more
// characters). It returns nothing when pw complies.
func Check(pw, login string) []Violation {
	return CheckRules(DefaultRules(), pw, Subject{Login: login})
}

// CheckRules is Check with the rules of the policy that applies to the user. There is no
// maximum length, as in Okta (see MaxLength).
func CheckRules(r Rules, pw string, who Subject) []Violation {
	return r.Check(pw, who)
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
