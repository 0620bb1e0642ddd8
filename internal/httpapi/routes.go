package httpapi

import (
	"net/http"
	"slices"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// The route table is the whole API as data: one row per route with its method, ServeMux path
// pattern, handler, rate-limit family and (for the roles work) the permission it needs. The mux,
// the rate limiter (rateLimit reads the family of the matched row), Routes (the compatibility
// report, the conformance harness, oastest's route check) and the tests all read it.
//
// How a resource family adds its routes:
//
//  1. Write `func (s *Server) xxxRoutes() []endpoint` in the family's own file. Rows keep the
//     short positional form {method, path, handler}; the family's rate-limit bucket (one of the
//     ratelimit.Family* names, https://developer.okta.com/docs/reference/rl-global-mgmt/) is
//     declared once for all of them with inFamily:
//
//     func (s *Server) appRoutes() []endpoint {
//     	return inFamily(ratelimit.FamilyApps, []route{
//     		{"GET", "/api/v1/apps", s.authed(s.h(s.listApps))},
//     		{"POST", "/api/v1/apps", s.authed(s.h(s.createApp))},
//     	})
//     }
//
//     Rows of one family that count against different buckets are grouped per bucket and
//     joined with slices.Concat (see userRoutes). Routes outside the Okta API that the limiter
//     never counts (health probes, the operator API) use the family notLimited.
//  2. Add one line, s.xxxRoutes(), to routeTable. A routes function that returns plain []route
//     (written before rows had families) goes in as inFamily(ratelimit.FamilyX, s.xxxRoutes()).
//
// TestRouteTableRowsHaveAFamily fails for a row without a family. The permission column is
// filled from routePermissions (permissions.go), the one table of what each /api/v1 operation
// needs; TestEveryRouteHasAPermission fails for a new /api/v1 route that is not in it.

// route is the short form a family writes its rows in: a method, a ServeMux path pattern such
// as /api/v1/users/{id}, and the handler with its authentication wrapper.
type route struct {
	method  string
	path    string
	handler http.HandlerFunc
}

// endpoint is one row of the route table: a route with its rate-limit family and the
// permission it requires (from routePermissions; "" outside /api/v1).
type endpoint struct {
	route
	family     string
	permission string
}

// notLimited is the family of routes outside the Okta API that the rate limiter never counts.
const notLimited = "not-limited"

// inFamily stamps one rate-limit family onto every row of rs.
func inFamily(family string, rs []route) []endpoint {
	out := make([]endpoint, len(rs))
	for i, r := range rs {
		out[i] = endpoint{route: r, family: family}
	}
	return out
}

// routeTable is the whole API as data. Each resource family keeps its rows in a function of its
// own, next to its handlers (a new family adds its function here and nowhere else).
func (s *Server) routeTable() []endpoint {
	table := s.familyRows()
	for i := range table {
		table[i].permission = routePermissions[table[i].method+" "+table[i].path]
	}
	return table
}

// familyRows joins every family's rows.
func (s *Server) familyRows() []endpoint {
	return slices.Concat(
		s.healthRoutes(),
		s.tokenRoutes(),
		s.logRoutes(),
		s.originRoutes(),
		s.zoneRoutes(),
		s.userRoutes(),
		s.groupRoutes(),
		s.eventHookRoutes(),
		s.idpRoutes(),
		s.policyRoutes(),
		s.appRoutes(),
		s.logoRoutes(),
		s.appGrantRoutes(),
		s.appPolicyRoutes(),
		s.appLinkRoutes(),
		s.roleRoutes(),
		s.subscriptionRoutes(),
		s.customRoleRoutes(),
		s.resourceSetRoutes(),
		s.signinRoutes(),
		s.factorRoutes(),
		s.orgSettingRoutes(),
		s.featureRoutes(),
		inFamily(ratelimit.FamilyOther, s.schemaRoutes()),
		inFamily(ratelimit.FamilyOther, s.groupRuleRoutes()),
		inFamily(ratelimit.FamilyOther, s.linkedObjectRoutes()),
		inFamily(ratelimit.FamilyOther, s.userTypeRoutes()),
		s.operatorRoutes(),
		inFamily(ratelimit.FamilyOther, s.authServerRoutes()),
	)
}

// routes registers every row of the table on the server's mux and records each pattern's
// rate-limit family for rateLimit.
func (s *Server) routes() {
	s.families = map[string]string{}
	for _, rt := range s.routeTable() {
		pattern := rt.method + " " + rt.path
		s.mux.HandleFunc(pattern, rt.handler)
		s.families[pattern] = rt.family
	}
}

// healthRoutes lists the liveness and readiness probes, outside the Okta API.
func (s *Server) healthRoutes() []endpoint {
	return inFamily(ratelimit.FamilyHealth, []route{
		{"GET", "/healthz", s.probe(s.healthz)},
		{"GET", "/readyz", s.probe(s.readyz)},
	})
}

// tokenRoutes lists the API Tokens API.
func (s *Server) tokenRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/api-tokens", s.authed(s.h(s.listTokens))},
		{"DELETE", "/api/v1/api-tokens/current", s.authed(s.h(s.revokeCurrentToken))},
		{"GET", "/api/v1/api-tokens/{id}", s.authed(s.h(s.getToken))},
		{"PUT", "/api/v1/api-tokens/{id}", s.authed(s.h(s.upsertToken))},
		{"DELETE", "/api/v1/api-tokens/{id}", s.authed(s.h(s.revokeToken))},
	})
}

// logRoutes lists the System Log and the legacy Events API.
func (s *Server) logRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyLogs, []route{{"GET", "/api/v1/logs", s.authed(s.h(s.listLogs))}}),
		inFamily(ratelimit.FamilyEvents, []route{{"GET", "/api/v1/events", s.authed(s.h(s.listLegacyEvents))}}),
	)
}

// originRoutes lists the Trusted Origins API.
func (s *Server) originRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/trustedOrigins", s.authed(s.h(s.listTrustedOrigins))},
		{"POST", "/api/v1/trustedOrigins", s.authed(s.h(s.createTrustedOrigin))},
		{"GET", "/api/v1/trustedOrigins/{id}", s.authed(s.h(s.getTrustedOrigin))},
		{"PUT", "/api/v1/trustedOrigins/{id}", s.authed(s.h(s.replaceTrustedOrigin))},
		{"DELETE", "/api/v1/trustedOrigins/{id}", s.authed(s.h(s.deleteTrustedOrigin))},
		{"POST", "/api/v1/trustedOrigins/{id}/lifecycle/activate", s.authed(s.h(s.activateTrustedOrigin))},
		{"POST", "/api/v1/trustedOrigins/{id}/lifecycle/deactivate", s.authed(s.h(s.deactivateTrustedOrigin))},
	})
}

// zoneRoutes lists the Network Zones API.
func (s *Server) zoneRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/zones", s.authed(s.h(s.listZones))},
		{"POST", "/api/v1/zones", s.authed(s.h(s.createZone))},
		{"GET", "/api/v1/zones/{id}", s.authed(s.h(s.getZone))},
		{"PUT", "/api/v1/zones/{id}", s.authed(s.h(s.replaceZone))},
		{"DELETE", "/api/v1/zones/{id}", s.authed(s.h(s.deleteZone))},
		{"POST", "/api/v1/zones/{id}/lifecycle/activate", s.authed(s.h(s.activateZone))},
		{"POST", "/api/v1/zones/{id}/lifecycle/deactivate", s.authed(s.h(s.deactivateZone))},
	})
}

// userRoutes lists the Users API, with the user type and schema reads.
func (s *Server) userRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyUsers, []route{
			{"GET", "/api/v1/users", s.authed(s.h(s.listUsers))},
			{"POST", "/api/v1/users", s.authed(s.h(s.createUser))},
		}),
		inFamily(ratelimit.FamilyUserGet, []route{
			{"GET", "/api/v1/users/{id}", s.authed(s.h(s.getUser))},
		}),
		inFamily(ratelimit.FamilyUserWrite, []route{
			{"POST", "/api/v1/users/{id}", s.authed(s.h(s.updateUser))},
			{"PUT", "/api/v1/users/{id}", s.authed(s.h(s.updateUser))},
			{"DELETE", "/api/v1/users/{id}", s.authed(s.h(s.deleteUser))},
		}),
		// Lifecycle, credentials and the meta reads are "everything else" in Okta's table.
		inFamily(ratelimit.FamilyOther, []route{
			{"POST", "/api/v1/users/{id}/lifecycle/activate", s.authed(s.h(s.lifecycle(domain.OpActivate)))},
			{"POST", "/api/v1/users/{id}/lifecycle/reactivate", s.authed(s.h(s.lifecycle(domain.OpReactivate)))},
			{"POST", "/api/v1/users/{id}/lifecycle/deactivate", s.authed(s.h(s.lifecycle(domain.OpDeactivate)))},
			{"POST", "/api/v1/users/{id}/lifecycle/suspend", s.authed(s.h(s.lifecycle(domain.OpSuspend)))},
			{"POST", "/api/v1/users/{id}/lifecycle/unsuspend", s.authed(s.h(s.lifecycle(domain.OpUnsuspend)))},
			{"POST", "/api/v1/users/{id}/lifecycle/unlock", s.authed(s.h(s.lifecycle(domain.OpUnlock)))},
			{"POST", "/api/v1/users/{id}/lifecycle/reset_password", s.authed(s.h(s.lifecycle(domain.OpResetPassword)))},
			{"POST", "/api/v1/users/{id}/lifecycle/expire_password", s.authed(s.h(s.lifecycle(domain.OpExpirePassword)))},
			{"POST", "/api/v1/users/{id}/lifecycle/expire_password_with_temp_password", s.authed(s.h(s.expireWithTemp))},
			{"POST", "/api/v1/users/{id}/lifecycle/reset_factors", s.authed(s.h(s.lifecycle(domain.OpResetFactors)))},
			{"POST", "/api/v1/users/{id}/credentials/change_password", s.authed(s.h(s.changePassword))},
			{"POST", "/api/v1/users/{id}/credentials/change_recovery_question", s.authed(s.h(s.changeRecoveryQuestion))},
			{"POST", "/api/v1/users/{id}/credentials/forgot_password", s.authed(s.h(s.forgotPassword))},
			{"POST", "/api/v1/users/{id}/credentials/forgot_password_recovery_question", s.authed(s.h(s.forgotPasswordRecoveryQuestion))},
			{"GET", "/api/v1/meta/schemas/user/{schemaId}", s.authed(s.h(s.getUserSchema))},
		}),
	)
}

// groupRoutes lists the Groups API and group membership.
func (s *Server) groupRoutes() []endpoint {
	return slices.Concat(
		// "/api/v1/groups except /api/v1/groups/{id}": the collection and its sub-resources.
		inFamily(ratelimit.FamilyGroups, []route{
			{"GET", "/api/v1/groups", s.authed(s.h(s.listGroups))},
			{"POST", "/api/v1/groups", s.authed(s.h(s.createGroup))},
			{"GET", "/api/v1/groups/{id}/apps", s.authed(s.h(s.listGroupApps))},
			{"GET", "/api/v1/groups/{id}/users", s.authed(s.h(s.listGroupMembers))},
			{"PUT", "/api/v1/groups/{id}/users/{userId}", s.authed(s.h(s.addGroupMember))},
			{"DELETE", "/api/v1/groups/{id}/users/{userId}", s.authed(s.h(s.removeGroupMember))},
		}),
		inFamily(ratelimit.FamilyGroup, []route{
			{"GET", "/api/v1/groups/{id}", s.authed(s.h(s.getGroup))},
			{"PUT", "/api/v1/groups/{id}", s.authed(s.h(s.replaceGroup))},
			{"DELETE", "/api/v1/groups/{id}", s.authed(s.h(s.deleteGroup))},
		}),
		inFamily(ratelimit.FamilyOther, []route{
			{"GET", "/api/v1/users/{id}/groups", s.authed(s.h(s.listUserGroups))},
		}),
	)
}

// operatorRoutes lists okapi's operator API: orgs and their clocks, seeds and snapshots, outside the Okta API.
func (s *Server) operatorRoutes() []endpoint {
	return inFamily(notLimited, []route{
		{"GET", "/okapi/v1/orgs", s.operator(s.h(s.listOrgs))},
		{"POST", "/okapi/v1/orgs", s.operator(s.h(s.createOrg))},
		{"GET", "/okapi/v1/orgs/{name}", s.operator(s.h(s.getOrg))},
		{"DELETE", "/okapi/v1/orgs/{name}", s.operator(s.h(s.deleteOrg))},
		{"GET", "/okapi/v1/orgs/{name}/clock", s.operator(s.h(s.getOrgClock))},
		{"POST", "/okapi/v1/orgs/{name}/clock", s.operator(s.h(s.setOrgClock))},
		{"POST", "/okapi/v1/orgs/{name}/seed", s.operator(s.h(s.loadSeed))},
		{"POST", "/okapi/v1/orgs/{name}/tokens", s.operator(s.h(s.createOrgToken))},
		{"POST", "/okapi/v1/orgs/{name}/reset", s.operator(s.h(s.resetOrg))},
		{"GET", "/okapi/v1/orgs/{name}/snapshots", s.operator(s.h(s.listSnapshots))},
		{"POST", "/okapi/v1/orgs/{name}/snapshots", s.operator(s.h(s.saveSnapshot))},
		{"DELETE", "/okapi/v1/orgs/{name}/snapshots/{snap}", s.operator(s.h(s.deleteSnapshot))},
		{"POST", "/okapi/v1/orgs/{name}/snapshots/{snap}/restore", s.operator(s.h(s.restoreSnapshot))},
	})
}
