package ratelimit

import (
	"slices"
	"testing"
)

var familyCases = []struct {
	method, path, want string
}{
	// users: method- and path-exact rows
	{"GET", "/api/v1/users", FamilyUsers},
	{"POST", "/api/v1/users", FamilyUsers},
	{"HEAD", "/api/v1/users", FamilyUsers},
	{"GET", "/api/v1/users?limit=200&search=profile.lastName+eq+%22Doe%22", FamilyUsers},
	{"GET", "/api/v1/users/", FamilyUsers},
	{"DELETE", "/api/v1/users", FamilyOther},
	{"GET", "/api/v1/users/00u1abcdefghijklmno", FamilyUserGet},
	{"GET", "/api/v1/users/me", FamilyUserGet},
	{"GET", "/api/v1/users/jane.doe%40example.com", FamilyUserGet},
	{"GET", "/api/v1/users/a%2Fb", FamilyUserGet},
	{"POST", "/api/v1/users/00u1abcdefghijklmno", FamilyUserWrite},
	{"PUT", "/api/v1/users/00u1abcdefghijklmno", FamilyUserWrite},
	{"DELETE", "/api/v1/users/00u1abcdefghijklmno", FamilyUserWrite},
	{"PATCH", "/api/v1/users/00u1abcdefghijklmno", FamilyOther},
	{"POST", "/api/v1/users/00u1abcdefghijklmno/lifecycle/activate", FamilyOther},
	{"GET", "/api/v1/users/00u1abcdefghijklmno/groups", FamilyOther},
	{"POST", "/api/v1/users/00u1abcdefghijklmno/credentials/change_password", FamilyOther},
	// groups: prefix row with an exact exception
	{"GET", "/api/v1/groups", FamilyGroups},
	{"POST", "/api/v1/groups", FamilyGroups},
	{"GET", "/api/v1/groups/00g1abcdefghijklmno", FamilyGroup},
	{"PUT", "/api/v1/groups/00g1abcdefghijklmno", FamilyGroup},
	{"DELETE", "/api/v1/groups/00g1abcdefghijklmno/", FamilyGroup},
	{"GET", "/api/v1/groups/00g1abcdefghijklmno/users", FamilyGroups},
	{"PUT", "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno", FamilyGroups},
	{"GET", "/api/v1/groups/rules", FamilyGroups},
	{"PUT", "/api/v1/groups/rules/0pr1abcdefghijklmno", FamilyGroups},
	{"POST", "/api/v1/groups/rules/0pr1abcdefghijklmno/lifecycle/activate", FamilyGroups},
	// apps
	{"GET", "/api/v1/apps", FamilyApps},
	{"POST", "/api/v1/apps", FamilyApps},
	{"GET", "/api/v1/apps/0oa1abcdefghijklmno", FamilyApp},
	{"DELETE", "/api/v1/apps/0oa1abcdefghijklmno", FamilyApp},
	{"GET", "/api/v1/apps/0oa1abcdefghijklmno/users", FamilyApps},
	{"POST", "/api/v1/apps/0oa1abcdefghijklmno/lifecycle/activate", FamilyApps},
	// logs, events, sessions: prefix rows
	{"GET", "/api/v1/logs", FamilyLogs},
	{"GET", "/api/v1/logs?since=2024-01-01T00:00:00.000Z", FamilyLogs},
	{"GET", "/api/v1/events", FamilyEvents},
	{"POST", "/api/v1/sessions", FamilySessions},
	{"GET", "/api/v1/sessions/102abcdefghijklmnopqrstuvw", FamilySessions},
	{"DELETE", "/api/v1/sessions/me", FamilySessions},
	{"POST", "/api/v1/sessions/102abcdefghijklmnopqrstuvw/lifecycle/refresh", FamilySessions},
	// authn: prefix row plus the exact factor-verify row
	{"POST", "/api/v1/authn", FamilyAuthn},
	{"POST", "/api/v1/authn/factors/mbl1abcdefghijklmno/verify", FamilyAuthnVerify},
	{"POST", "/api/v1/authn/factors/mbl1abcdefghijklmno/verify/resend", FamilyAuthn},
	{"POST", "/api/v1/authn/recovery/password", FamilyAuthn},
	{"POST", "/api/v1/authn/cancel", FamilyAuthn},
	// oauth2 clients
	{"GET", "/oauth2/v1/clients", FamilyOAuth2Clients},
	{"DELETE", "/oauth2/v1/clients/0oa1abcdefghijklmno", FamilyOAuth2Clients},
	// everything else
	{"GET", "/api/v1/trustedOrigins", FamilyOther},
	{"POST", "/api/v1/zones/nzo1abcdefghijklmno/lifecycle/activate", FamilyOther},
	{"GET", "/api/v1/api-tokens", FamilyOther},
	{"GET", "/api/v1/meta/schemas/user/default", FamilyOther},
	{"GET", "/api/v1", FamilyOther},
	{"GET", "/api/v1/usersx", FamilyOther},
	{"GET", "/api/v1/logsx", FamilyOther},
	{"GET", "/api/v2/users", FamilyOther},
	{"GET", "/oauth2/v1/keys", FamilyOther},
	{"GET", "/", FamilyOther},
	{"GET", "", FamilyOther},
	{"GET", "/api/v1//users", FamilyOther},
}

func TestFamily(t *testing.T) {
	for _, c := range familyCases {
		if got := Family(c.method, c.path); got != c.want {
			t.Errorf("Family(%s, %s) = %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

func TestFamiliesAllReachable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range familyCases {
		seen[c.want] = true
	}
	for _, f := range Families() {
		if !seen[f] {
			t.Errorf("family %q has no test case", f)
		}
		if _, ok := publishedLimits[f]; !ok {
			t.Errorf("family %q has no published limits", f)
		}
	}
	if len(publishedLimits) != len(Families()) {
		t.Errorf("publishedLimits has %d families, Families() %d", len(publishedLimits), len(Families()))
	}
	for _, r := range routes {
		if !slices.Contains(Families(), r.family) {
			t.Errorf("route %v names unlisted family %q", r.pattern, r.family)
		}
	}
}

func TestFamilyDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		Family("POST", "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno")
	})
	if allocs != 0 {
		t.Errorf("Family allocates %v times per call", allocs)
	}
}

func BenchmarkFamily(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		c := familyCases[i%len(familyCases)]
		Family(c.method, c.path)
	}
}
