package ratelimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProfilePolicy(t *testing.T) {
	cases := []struct {
		profile string
		family  string
		limit   int
		enforce bool
	}{
		{"", FamilyUserGet, 1000, true},
		{ProfileEnterprise, FamilyUsers, 600, true},
		{ProfileEnterprise, FamilyApps, 100, true},
		{ProfileFree, FamilyApps, 20, true},
		{ProfileFree, FamilyOAuth2Clients, 25, true},
		{ProfileOneApp, FamilyLogs, 50, true},
		{ProfileWorkforce, FamilyUserGet, 2000, true},
		{ProfileWorkforce, FamilyGroup, 1000, true},
		{ProfileWorkforce, FamilySessions, 750, true},
		{ProfileWorkforce, FamilyOther, 1200, true},
		{ProfileOff, FamilyLogs, 50, false},
		{ProfileOff, FamilyOther, 600, false},
		{ProfileTest, FamilyUserGet, 5, true},
		{ProfileTest, FamilyOther, 5, true},
	}
	for _, c := range cases {
		p, err := ProfilePolicy(c.profile, 0)
		if err != nil {
			t.Fatalf("%q: %v", c.profile, err)
		}
		if p.Limits[c.family] != c.limit || p.Enforce != c.enforce || p.Window != DefaultWindow {
			t.Errorf("%q %s: limit %d enforce %v window %v; want %d %v %v",
				c.profile, c.family, p.Limits[c.family], p.Enforce, p.Window, c.limit, c.enforce, DefaultWindow)
		}
	}
	for _, name := range Profiles() {
		p, err := ProfilePolicy(name, 0)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		for _, f := range families {
			if p.Limits[f] < 1 {
				t.Errorf("profile %q family %q: limit %d", name, f, p.Limits[f])
			}
		}
	}
}

func TestProfilePolicyRejects(t *testing.T) {
	if _, err := ProfilePolicy("Enterprise", 0); err == nil || !strings.Contains(err.Error(), `unknown profile "Enterprise"`) {
		t.Errorf("unknown profile: %v", err)
	}
	if _, err := New(Config{Profile: "gold"}); err == nil || !strings.Contains(err.Error(), `"gold"`) {
		t.Errorf("New with unknown profile: %v", err)
	}
	if _, err := ProfilePolicy(ProfileEnterprise, -time.Second); err == nil {
		t.Error("negative window accepted")
	}
	if _, err := New(Config{RedisURL: "http://127.0.0.1:6379"}); err == nil {
		t.Error("New accepted a non-redis URL")
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ratelimits.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOverrides(t *testing.T) {
	path := writeFile(t, `{"families": {"logs": 7, "users-id-get": 3}}`)
	l, err := New(Config{OverridesFile: path})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	for family, want := range map[string]int{FamilyLogs: 7, FamilyUserGet: 3, FamilyUsers: 600} {
		if d := take(t, l, "org1", family, now); d.Limit != want {
			t.Errorf("%s: limit %d, want %d", family, d.Limit, want)
		}
	}
	for range 3 {
		take(t, l, "org1", FamilyUserGet, now)
	}
	if d := take(t, l, "org1", FamilyUserGet, now); d.Allowed {
		t.Errorf("overridden limit not enforced: %+v", d)
	}
}

func TestOverridesRejects(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"unknown family", `{"families": {"logs": 7, "user": 3}}`, `unknown family "user"`},
		{"zero limit", `{"families": {"logs": 0}}`, `family "logs": limit 0`},
		{"negative limit", `{"families": {"apps": -1}}`, `family "apps": limit -1`},
		{"unknown field", `{"family": {"logs": 7}}`, `unknown field "family"`},
		{"malformed", `{"families": {"logs": "7"}}`, `cannot unmarshal`},
		{"not json", `logs=7`, `invalid character`},
	}
	for _, c := range cases {
		_, err := New(Config{OverridesFile: writeFile(t, c.body)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %s", c.name, err, c.want)
		}
	}
	if _, err := New(Config{OverridesFile: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("missing overrides file accepted")
	}
}
