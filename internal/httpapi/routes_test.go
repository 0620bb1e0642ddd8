package httpapi

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// TestRouteTableRowsHaveAFamily fails when a row of the route table names no rate-limit family
// (wrap the family's rows in inFamily, see the comment at the top of routes.go), names one
// that ratelimit does not know, or exempts a route of the Okta API from the limiter.
func TestRouteTableRowsHaveAFamily(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		pattern := rt.method + " " + rt.path
		if seen[pattern] {
			t.Errorf("%s: two rows in the route table", pattern)
		}
		seen[pattern] = true
		switch {
		case rt.family == "":
			t.Errorf("%s has no rate-limit family: declare it with inFamily(ratelimit.FamilyX, ...) in its routes function", pattern)
		case rt.family == notLimited:
			if strings.HasPrefix(rt.path, "/api/") || strings.HasPrefix(rt.path, "/oauth2/") {
				t.Errorf("%s is an Okta API route but is not rate-limited", pattern)
			}
		case !slices.Contains(ratelimit.Families(), rt.family):
			t.Errorf("%s names unknown rate-limit family %q", pattern, rt.family)
		}
	}
	if es := inFamily(ratelimit.FamilyOther, []route{{"GET", "/x", nil}}); es[0].family != ratelimit.FamilyOther {
		t.Errorf("inFamily = %+v", es[0])
	}
}

// familyCases is Okta's management rate-limit table
// (https://developer.okta.com/docs/reference/rl-global-mgmt/) as requests and the bucket each
// counts against. Cases whose path okapi does not serve yet are checked as soon as a route
// serves them; until then such requests are answered 404 and counted as "other".
var familyCases = []struct {
	method, path, want string
}{
	// users: method- and path-exact rows
	{"GET", "/api/v1/users", ratelimit.FamilyUsers},
	{"POST", "/api/v1/users", ratelimit.FamilyUsers},
	{"HEAD", "/api/v1/users", ratelimit.FamilyUsers},
	{"GET", "/api/v1/users?limit=200&search=profile.lastName+eq+%22Doe%22", ratelimit.FamilyUsers},
	{"GET", "/api/v1/users/", ratelimit.FamilyUsers},
	{"DELETE", "/api/v1/users", ratelimit.FamilyOther},
	{"GET", "/api/v1/users/00u1abcdefghijklmno", ratelimit.FamilyUserGet},
	{"GET", "/api/v1/users/me", ratelimit.FamilyUserGet},
	{"GET", "/api/v1/users/jane.doe%40example.com", ratelimit.FamilyUserGet},
	{"GET", "/api/v1/users/a%2Fb", ratelimit.FamilyUserGet},
	{"POST", "/api/v1/users/00u1abcdefghijklmno", ratelimit.FamilyUserWrite},
	{"PUT", "/api/v1/users/00u1abcdefghijklmno", ratelimit.FamilyUserWrite},
	{"DELETE", "/api/v1/users/00u1abcdefghijklmno", ratelimit.FamilyUserWrite},
	{"PATCH", "/api/v1/users/00u1abcdefghijklmno", ratelimit.FamilyOther},
	{"POST", "/api/v1/users/00u1abcdefghijklmno/lifecycle/activate", ratelimit.FamilyOther},
	{"GET", "/api/v1/users/00u1abcdefghijklmno/groups", ratelimit.FamilyOther},
	{"POST", "/api/v1/users/00u1abcdefghijklmno/credentials/change_password", ratelimit.FamilyOther},
	// groups: prefix row with an exact exception
	{"GET", "/api/v1/groups", ratelimit.FamilyGroups},
	{"POST", "/api/v1/groups", ratelimit.FamilyGroups},
	{"GET", "/api/v1/groups/00g1abcdefghijklmno", ratelimit.FamilyGroup},
	{"PUT", "/api/v1/groups/00g1abcdefghijklmno", ratelimit.FamilyGroup},
	{"DELETE", "/api/v1/groups/00g1abcdefghijklmno/", ratelimit.FamilyGroup},
	{"GET", "/api/v1/groups/00g1abcdefghijklmno/users", ratelimit.FamilyGroups},
	{"PUT", "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno", ratelimit.FamilyGroups},
	{"GET", "/api/v1/groups/rules", ratelimit.FamilyGroups},
	{"PUT", "/api/v1/groups/rules/0pr1abcdefghijklmno", ratelimit.FamilyGroups},
	{"POST", "/api/v1/groups/rules/0pr1abcdefghijklmno/lifecycle/activate", ratelimit.FamilyGroups},
	// apps
	{"GET", "/api/v1/apps", ratelimit.FamilyApps},
	{"POST", "/api/v1/apps", ratelimit.FamilyApps},
	{"GET", "/api/v1/apps/0oa1abcdefghijklmno", ratelimit.FamilyApp},
	{"DELETE", "/api/v1/apps/0oa1abcdefghijklmno", ratelimit.FamilyApp},
	{"GET", "/api/v1/apps/0oa1abcdefghijklmno/users", ratelimit.FamilyApps},
	{"POST", "/api/v1/apps/0oa1abcdefghijklmno/lifecycle/activate", ratelimit.FamilyApps},
	// logs, events, sessions: prefix rows
	{"GET", "/api/v1/logs", ratelimit.FamilyLogs},
	{"GET", "/api/v1/logs?since=2024-01-01T00:00:00.000Z", ratelimit.FamilyLogs},
	{"GET", "/api/v1/events", ratelimit.FamilyEvents},
	{"POST", "/api/v1/sessions", ratelimit.FamilySessions},
	{"GET", "/api/v1/sessions/102abcdefghijklmnopqrstuvw", ratelimit.FamilySessions},
	{"DELETE", "/api/v1/sessions/me", ratelimit.FamilySessions},
	{"POST", "/api/v1/sessions/102abcdefghijklmnopqrstuvw/lifecycle/refresh", ratelimit.FamilySessions},
	// authn: prefix row plus the exact factor-verify row
	{"POST", "/api/v1/authn", ratelimit.FamilyAuthn},
	{"POST", "/api/v1/authn/factors/mbl1abcdefghijklmno/verify", ratelimit.FamilyAuthnVerify},
	{"POST", "/api/v1/authn/factors/mbl1abcdefghijklmno/verify/resend", ratelimit.FamilyAuthn},
	{"POST", "/api/v1/authn/recovery/password", ratelimit.FamilyAuthn},
	{"POST", "/api/v1/authn/cancel", ratelimit.FamilyAuthn},
	// oauth2 clients
	{"GET", "/oauth2/v1/clients", ratelimit.FamilyOAuth2Clients},
	{"DELETE", "/oauth2/v1/clients/0oa1abcdefghijklmno", ratelimit.FamilyOAuth2Clients},
	// everything else
	{"GET", "/api/v1/trustedOrigins", ratelimit.FamilyOther},
	{"POST", "/api/v1/zones/nzo1abcdefghijklmno/lifecycle/activate", ratelimit.FamilyOther},
	{"GET", "/api/v1/api-tokens", ratelimit.FamilyOther},
	{"GET", "/api/v1/meta/schemas/user/default", ratelimit.FamilyOther},
	{"GET", "/api/v1", ratelimit.FamilyOther},
	{"GET", "/api/v1/usersx", ratelimit.FamilyOther},
	{"GET", "/api/v1/logsx", ratelimit.FamilyOther},
	{"GET", "/api/v2/users", ratelimit.FamilyOther},
	{"GET", "/oauth2/v1/keys", ratelimit.FamilyOther},
	{"GET", "/", ratelimit.FamilyOther},
	{"GET", "", ratelimit.FamilyOther},
	{"GET", "/api/v1//users", ratelimit.FamilyOther},
}

// TestRouteFamilies checks that the row the mux picks for each request carries Okta's family.
func TestRouteFamilies(t *testing.T) {
	s := New(Config{})
	covered := map[string]bool{}
	for _, c := range familyCases {
		// An unclean path is redirected by the mux before any handler counts it; the group-rules
		// collection is matched by /api/v1/groups/{id} until its own row exists.
		if c.path == "" || strings.Contains(c.path, "//") || strings.HasPrefix(c.path, "/api/v1/groups/rules") {
			continue
		}
		req := httptest.NewRequest(c.method, c.path, nil)
		_, pattern := s.mux.Handler(req)
		fam, served := s.families[pattern]
		if !served {
			continue
		}
		covered[c.want] = true
		if fam != c.want {
			t.Errorf("%s %s is served by %q in family %q, want %q", c.method, c.path, pattern, fam, c.want)
		}
	}
	for _, f := range []string{ratelimit.FamilyUsers, ratelimit.FamilyUserGet, ratelimit.FamilyUserWrite,
		ratelimit.FamilyGroups, ratelimit.FamilyGroup, ratelimit.FamilyLogs, ratelimit.FamilyEvents, ratelimit.FamilyOther} {
		if !covered[f] {
			t.Errorf("no served case checks family %q", f)
		}
	}
}

// TestRoutesCarryTheirFamily checks that Routes, which the compatibility report reads, exposes
// the table's families.
func TestRoutesCarryTheirFamily(t *testing.T) {
	for _, r := range Routes() {
		if r.Family == "" {
			t.Errorf("Routes(): %s has no family", r.Pattern())
		}
	}
}

// TestServerIsAnOASRouter checks that oastest validates against the route table: the server
// tells it which row serves a request, and the spec template found from a row agrees with the
// one request matching finds.
func TestServerIsAnOASRouter(t *testing.T) {
	var h http.Handler = New(Config{})
	rt, ok := h.(oastest.Router)
	if !ok {
		t.Fatal("*Server is not an oastest.Router")
	}
	for path, want := range map[string]string{
		"/api/v1/users/00u1abcdefghijklmno":        "/api/v1/users/{id}",
		"/api/v1/groups/00g1abcdefghijklmno/users": "/api/v1/groups/{id}/users",
		"/api/v1/nope": "",
	} {
		if got := rt.RoutePath(httptest.NewRequest("GET", path, nil)); got != want {
			t.Errorf("RoutePath(GET %s) = %q, want %q", path, got, want)
		}
	}
	doc, err := oastest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || slices.ContainsFunc(oastest.Unspecified, func(u oastest.UnspecifiedPath) bool {
			return strings.HasPrefix(r.Path, strings.TrimSuffix(u.Prefix, "/"))
		}) {
			continue
		}
		if byRoute, _ := doc.Route(r.Path); byRoute != "" {
			if byPath, _ := doc.Match(r.Path); byPath != byRoute {
				t.Errorf("%s: the route's spec template is %q, request matching finds %q", r.Pattern(), byRoute, byPath)
			}
		}
	}
}
