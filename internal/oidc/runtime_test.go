package oidc

import "testing"

// TestGroupMatch: the groups claim's filters as Okta applies them; REGEX matches the whole
// group name (it used to strip .*^$ and look for a substring, so "^Eng" matched "Sales Eng").
func TestGroupMatch(t *testing.T) {
	for _, c := range []struct {
		typ, value, name string
		want             bool
	}{
		{"EQUALS", "Engineering", "Engineering", true},
		{"EQUALS", "Engineering", "Engineering EU", false},
		{"CONTAINS", "neer", "Engineering", true},
		{"STARTS_WITH", "Eng", "Engineering", true},
		{"STARTS_WITH", "Eng", "Sales Eng", false},
		{"REGEX", ".*", "anything", true},
		{"REGEX", "Eng.*", "Engineering", true},
		{"REGEX", "Eng.*", "Sales Eng", false},
		{"REGEX", "^Eng", "Engineering", false}, // the whole name must match
		{"REGEX", ".*(Admin|Ops)", "Cloud Ops", true},
		{"REGEX", "[0-9]+", "team-42", false},
		{"REGEX", "team-[0-9]+", "team-42", true},
		{"REGEX", "(", "(", false}, // not a pattern: nothing matches
		{"UNKNOWN", "x", "x", false},
	} {
		if got := groupMatch(c.typ, c.value, c.name); got != c.want {
			t.Errorf("groupMatch(%s, %q, %q) = %v, want %v", c.typ, c.value, c.name, got, c.want)
		}
	}
}
