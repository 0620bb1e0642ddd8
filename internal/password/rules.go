package password

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Rules are what a PASSWORD policy's settings.password asks of a new password (complexity and
// age). Okta's "Password policy" page (Okta admin documentation, Security > Authenticators >
// Password) describes each; the zero value asks nothing.
type Rules struct {
	MinLength, MinLowerCase, MinUpperCase, MinNumber, MinSymbol int
	// ExcludeUsername refuses a password containing a part of the login (see containsLoginPart).
	ExcludeUsername bool
	// ExcludeAttributes names profile attributes (Okta allows firstName and lastName) whose
	// values the password may not contain.
	ExcludeAttributes []string
	// ExcludeCommon refuses passwords in the common-password dictionary (dictionary.common).
	ExcludeCommon bool
	// HistoryCount refuses the user's last N passwords.
	HistoryCount int
	// MinAge is how long a user must keep a password before changing it (minAgeMinutes); Okta
	// applies it only to a user's own change with strict=true.
	MinAge time.Duration
	// MaxAge makes a password expire (maxAgeDays); ExpireWarn is how long before that the
	// sign-in warns (expireWarnDays).
	MaxAge, ExpireWarn time.Duration
	// Lockout: MaxAttempts consecutive failures lock the user (0: never); AutoUnlock unlocks
	// them after that long (0: only an admin or self-service unlock does); ShowLockoutFailures
	// makes the Authn API answer LOCKED_OUT instead of the generic failure.
	MaxAttempts         int
	AutoUnlock          time.Duration
	ShowLockoutFailures bool
}

// DefaultRules are the rules of the default password policy every Okta org has.
func DefaultRules() Rules {
	return Rules{MinLength: MinLength, MinLowerCase: 1, MinUpperCase: 1, MinNumber: 1, ExcludeUsername: true,
		HistoryCount: 4, MaxAttempts: 10}
}

// Subject is whose password is checked: the login and the profile the exclusions read.
type Subject struct {
	Login   string
	Profile map[string]any
}

// Check returns the complexity rules pw breaks (nothing when it complies), with Okta's reason
// codes and messages, one per rule. The 72-byte bcrypt limit is not a policy rule and is
// checked by Check (the default-policy entry point) and by the callers that hash.
func (r Rules) Check(pw string, who Subject) []Violation {
	var vs []Violation
	if r.MinLength > 0 && utf8.RuneCountInString(pw) < r.MinLength {
		vs = append(vs, Violation{"LENGTH_MINIMUM", fmt.Sprintf("Passwords must be at least %d characters in length", r.MinLength)})
	}
	var lower, upper, digit, symbol int
	for _, c := range pw {
		switch {
		case unicode.IsLower(c):
			lower++
		case unicode.IsUpper(c):
			upper++
		case unicode.IsDigit(c):
			digit++
		case !unicode.IsLetter(c) && !unicode.IsSpace(c):
			symbol++
		}
	}
	for _, c := range []struct {
		have, want   int
		reason, what string
	}{
		{lower, r.MinLowerCase, "LOWER_CASE", "lowercase letter"},
		{upper, r.MinUpperCase, "UPPER_CASE", "uppercase letter"},
		{digit, r.MinNumber, "NUMBER", "number"},
		{symbol, r.MinSymbol, "SYMBOL", "symbol"},
	} {
		if c.have < c.want {
			vs = append(vs, Violation{c.reason, fmt.Sprintf("Passwords must contain at least %s %s", count(c.want), c.what+plural(c.want))})
		}
	}
	if r.ExcludeUsername && containsLoginPart(pw, who.Login) {
		vs = append(vs, Violation{"USERNAME", "Passwords cannot contain your username or parts of it"})
	}
	for _, attr := range r.ExcludeAttributes {
		v, _ := who.Profile[attr].(string)
		if v != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(v)) {
			vs = append(vs, Violation{"EXCLUDED_ATTRIBUTE", "Passwords cannot contain your " + attributeName(attr)})
		}
	}
	if r.ExcludeCommon && IsCommon(pw) {
		vs = append(vs, Violation{"COMMON_PASSWORD", "This password was found in a list of commonly used passwords. Please try another password."})
	}
	return vs
}

func count(n int) string {
	if n == 1 {
		return "one"
	}
	return fmt.Sprint(n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// attributeName is how Okta's requirement text names an excluded attribute.
func attributeName(attr string) string {
	switch attr {
	case "firstName":
		return "first name"
	case "lastName":
		return "last name"
	}
	return attr
}

// Requirements is Okta's sentence listing the rules, as the Sign-In Widget and the Users API
// show it: "Password requirements: at least 8 characters, a lowercase letter, ... . Your
// password cannot be any of your last 4 passwords."
func (r Rules) Requirements() string {
	var parts []string
	if r.MinLength > 0 {
		parts = append(parts, fmt.Sprintf("at least %d characters", r.MinLength))
	}
	for _, c := range []struct {
		n    int
		text string
	}{{r.MinLowerCase, "a lowercase letter"}, {r.MinUpperCase, "an uppercase letter"}, {r.MinNumber, "a number"}, {r.MinSymbol, "a symbol"}} {
		if c.n > 0 {
			parts = append(parts, c.text)
		}
	}
	if r.ExcludeUsername {
		parts = append(parts, "no parts of your username")
	}
	for _, a := range r.ExcludeAttributes {
		parts = append(parts, "does not include your "+attributeName(a))
	}
	var out []string
	if len(parts) > 0 {
		out = append(out, "Password requirements: "+strings.Join(parts, ", ")+".")
	}
	if r.HistoryCount > 0 {
		out = append(out, fmt.Sprintf("Your password cannot be any of your last %d passwords.", r.HistoryCount))
	}
	if r.MinAge > 0 {
		out = append(out, fmt.Sprintf("At least %d minute(s) must have elapsed since you last changed your password.", int(r.MinAge/time.Minute)))
	}
	return strings.Join(out, " ")
}

// HistoryViolation is the rule a password from the user's history breaks.
func (r Rules) HistoryViolation() Violation {
	return Violation{"HISTORY", fmt.Sprintf("Password has been used too recently. Your password cannot be any of your last %d passwords.", r.HistoryCount)}
}

// MinAgeViolation is the rule a change too soon after the last one breaks.
func (r Rules) MinAgeViolation() Violation {
	return Violation{"MIN_AGE", fmt.Sprintf("At least %d minute(s) must have elapsed since you last changed your password.", int(r.MinAge/time.Minute))}
}
