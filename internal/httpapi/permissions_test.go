package httpapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/authz"
)

// TestEveryRouteHasAPermission keeps routePermissions and the route table in step: every
// /api/v1 route has a row naming a permission authz knows, and no row outlives its route.
func TestEveryRouteHasAPermission(t *testing.T) {
	served := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		pattern := rt.method + " " + rt.path
		if !strings.HasPrefix(rt.path, "/api/v1/") {
			continue
		}
		served[pattern] = true
		switch p := routePermissions[pattern]; {
		case p == "":
			t.Errorf("%s has no row in routePermissions", pattern)
		case p != public && p != anyAdmin && !slices.Contains(authz.All, p):
			t.Errorf("%s needs %q, which authz does not know", pattern, p)
		}
	}
	for pattern := range routePermissions {
		if !served[pattern] {
			t.Errorf("routePermissions has %s, which no route serves", pattern)
		}
	}
}

// TestPublicRowsAreTheUnauthenticatedOnes checks the rows marked public are exactly the Authn
// API and the browser's own session, the operations Okta serves without an API token.
func TestPublicRowsAreTheUnauthenticatedOnes(t *testing.T) {
	for pattern, p := range routePermissions {
		_, path, _ := strings.Cut(pattern, " ")
		open := strings.HasPrefix(path, "/api/v1/authn") || strings.HasPrefix(path, "/api/v1/sessions/me")
		if open != (p == public) {
			t.Errorf("%s: permission %q, unauthenticated %v", pattern, p, open)
		}
	}
}
