package policy

import (
	"slices"
	"time"

	"github.com/okapi-dev/okapi/internal/password"
)

// ForUser returns the policy of type typ that governs a user who is in groups (a set of group
// ids): the ACTIVE policy of lowest priority whose people condition includes the user. Okta
// evaluates policies in priority order and the first whose conditions match applies
// ("Policy evaluation" in Okta's policies concepts). ok is false when none applies.
func ForUser(ps []Policy, typ, userID string, groups map[string]bool) (Policy, bool) {
	var best Policy
	found := false
	for _, p := range ps {
		if p.Type != typ || p.Status != StatusActive || !peopleMatch(p.Conditions, userID, groups) {
			continue
		}
		if !found || p.Priority < best.Priority {
			best, found = p, true
		}
	}
	return best, found
}

// peopleMatch evaluates conditions.people: users.exclude and groups.exclude rule the user out;
// otherwise users.include or groups.include must name the user or one of their groups, and a
// policy with neither include applies to everyone.
func peopleMatch(conditions map[string]any, userID string, groups map[string]bool) bool {
	people, _ := conditions["people"].(map[string]any)
	users, _ := people["users"].(map[string]any)
	gs, _ := people["groups"].(map[string]any)
	if slices.Contains(stringList(users["exclude"]), userID) {
		return false
	}
	for _, g := range stringList(gs["exclude"]) {
		if groups[g] {
			return false
		}
	}
	incUsers, incGroups := stringList(users["include"]), stringList(gs["include"])
	if len(incUsers) == 0 && len(incGroups) == 0 {
		return true
	}
	if slices.Contains(incUsers, userID) {
		return true
	}
	for _, g := range incGroups {
		if groups[g] {
			return true
		}
	}
	return false
}

// stringList reads a JSON array of strings ([]any after decoding, []string when built in Go).
func stringList(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// PasswordRules reads a PASSWORD policy's settings.password (complexity, age, lockout; the
// spec's PasswordPolicyPasswordSettings) into the rules the password package applies. A field
// the policy leaves out has Okta's default value, as Okta fills it in on create.
func PasswordRules(p Policy) password.Rules {
	r := password.DefaultRules()
	pw := object(p.Settings, "password")
	c, age, lo := object(pw, "complexity"), object(pw, "age"), object(pw, "lockout")
	setInt(&r.MinLength, c, "minLength")
	setInt(&r.MinLowerCase, c, "minLowerCase")
	setInt(&r.MinUpperCase, c, "minUpperCase")
	setInt(&r.MinNumber, c, "minNumber")
	setInt(&r.MinSymbol, c, "minSymbol")
	setBool(&r.ExcludeUsername, c, "excludeUsername")
	if v, ok := c["excludeAttributes"]; ok {
		r.ExcludeAttributes = stringList(v)
	}
	setBool(&r.ExcludeCommon, object(object(c, "dictionary"), "common"), "exclude")
	setInt(&r.HistoryCount, age, "historyCount")
	setDuration(&r.MinAge, age, "minAgeMinutes", time.Minute)
	setDuration(&r.MaxAge, age, "maxAgeDays", 24*time.Hour)
	setDuration(&r.ExpireWarn, age, "expireWarnDays", 24*time.Hour)
	setInt(&r.MaxAttempts, lo, "maxAttempts")
	setDuration(&r.AutoUnlock, lo, "autoUnlockMinutes", time.Minute)
	setBool(&r.ShowLockoutFailures, lo, "showLockoutFailures")
	return r
}

func setInt(dst *int, m map[string]any, key string) {
	if v, ok := m[key]; ok && v != nil {
		*dst = number(v)
	}
}

func setBool(dst *bool, m map[string]any, key string) {
	if v, ok := m[key].(bool); ok {
		*dst = v
	}
}

func setDuration(dst *time.Duration, m map[string]any, key string, unit time.Duration) {
	if v, ok := m[key]; ok && v != nil {
		*dst = time.Duration(number(v)) * unit
	}
}

func object(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// number reads a JSON number (float64 after decoding, int when built in Go).
func number(v any) int {
	switch v := v.(type) {
	case float64:
		return int(v)
	case int:
		return v
	case int64:
		return int(v)
	}
	return 0
}
