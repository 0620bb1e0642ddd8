package policy

import (
	"testing"
	"time"
)

func TestForUser(t *testing.T) {
	people := func(inc, exc []any, users []any) map[string]any {
		return map[string]any{"people": map[string]any{"groups": map[string]any{"include": inc, "exclude": exc},
			"users": map[string]any{"exclude": users}}}
	}
	ps := []Policy{
		{ID: "default", Type: "PASSWORD", Status: StatusActive, Priority: 3, Conditions: people([]any{"everyone"}, nil, nil)},
		{ID: "eng", Type: "PASSWORD", Status: StatusActive, Priority: 1, Conditions: people([]any{"eng"}, []any{"contractors"}, []any{"00uboss"})},
		{ID: "off", Type: "PASSWORD", Status: StatusInactive, Priority: 0, Conditions: people(nil, nil, nil)},
		{ID: "signon", Type: "OKTA_SIGN_ON", Status: StatusActive, Priority: 0},
	}
	for _, c := range []struct {
		user   string
		groups []string
		want   string
	}{
		{"00ua", []string{"everyone"}, "default"},
		{"00ua", []string{"everyone", "eng"}, "eng"},
		{"00ua", []string{"everyone", "eng", "contractors"}, "default"},
		{"00uboss", []string{"everyone", "eng"}, "default"},
		{"00ua", nil, ""},
	} {
		set := map[string]bool{}
		for _, g := range c.groups {
			set[g] = true
		}
		got, ok := ForUser(ps, "PASSWORD", c.user, set)
		if !ok {
			got.ID = ""
		}
		if got.ID != c.want {
			t.Errorf("%s in %v: policy %q, want %q", c.user, c.groups, got.ID, c.want)
		}
	}
}

func TestPasswordRulesFillsOktaDefaults(t *testing.T) {
	r := PasswordRules(Policy{Settings: map[string]any{"password": map[string]any{
		"complexity": map[string]any{"minLength": float64(12), "minSymbol": float64(0)},
		"age":        map[string]any{"minAgeMinutes": float64(30), "maxAgeDays": float64(90)},
		"lockout":    map[string]any{"maxAttempts": float64(0), "autoUnlockMinutes": float64(15)}}}})
	if r.MinLength != 12 || r.MinUpperCase != 1 || r.HistoryCount != 4 || r.MinAge != 30*time.Minute ||
		r.MaxAge != 90*24*time.Hour || r.MaxAttempts != 0 || r.AutoUnlock != 15*time.Minute || !r.ExcludeUsername {
		t.Errorf("rules = %+v", r)
	}
}
