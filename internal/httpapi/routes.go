package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// route is one row of the route table: a method, a ServeMux path pattern such as
// /api/v1/users/{id}, and the handler with its authentication wrapper.
type route struct {
	method  string
	path    string
	handler http.HandlerFunc
}

// routeTable is the whole API as data. Each resource family keeps its rows in a function of its
// own, next to its handlers (a new family adds its function here and nowhere else); the mux,
// Routes (the compatibility report, the conformance harness) and the tests all read this table.
func (s *Server) routeTable() []route {
	families := [][]route{
		s.healthRoutes(),
		s.tokenRoutes(),
		s.logRoutes(),
		s.originRoutes(),
		s.zoneRoutes(),
		s.userRoutes(),
		s.groupRoutes(),
		s.schemaRoutes(),
		s.groupRuleRoutes(),
		s.linkedObjectRoutes(),
		s.userTypeRoutes(),
		s.eventHookRoutes(),
		s.idpRoutes(),
		s.policyRoutes(),
		s.appRoutes(),
		s.operatorRoutes(),
		s.authServerRoutes(),
	}
	var rows []route
	for _, f := range families {
		rows = append(rows, f...)
	}
	return rows
}

// routes registers every row of the table on the server's mux.
func (s *Server) routes() {
	for _, rt := range s.routeTable() {
		s.mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
}

// healthRoutes lists the liveness and readiness probes, outside the Okta API.
func (s *Server) healthRoutes() []route {
	return []route{
		{"GET", "/healthz", s.healthz},
		{"GET", "/readyz", s.readyz},
	}
}

// tokenRoutes lists the API Tokens API.
func (s *Server) tokenRoutes() []route {
	return []route{
		{"GET", "/api/v1/api-tokens", s.authed(s.h(s.listTokens))},
		{"DELETE", "/api/v1/api-tokens/current", s.authed(s.h(s.revokeCurrentToken))},
		{"GET", "/api/v1/api-tokens/{id}", s.authed(s.h(s.getToken))},
		{"PUT", "/api/v1/api-tokens/{id}", s.authed(s.h(s.upsertToken))},
		{"DELETE", "/api/v1/api-tokens/{id}", s.authed(s.h(s.revokeToken))},
	}
}

// logRoutes lists the System Log and the legacy Events API.
func (s *Server) logRoutes() []route {
	return []route{
		{"GET", "/api/v1/logs", s.authed(s.listLogs)},
		{"GET", "/api/v1/events", s.authed(s.listLegacyEvents)},
	}
}

// originRoutes lists the Trusted Origins API.
func (s *Server) originRoutes() []route {
	return []route{
		{"GET", "/api/v1/trustedOrigins", s.authed(s.listTrustedOrigins)},
		{"POST", "/api/v1/trustedOrigins", s.authed(s.createTrustedOrigin)},
		{"GET", "/api/v1/trustedOrigins/{id}", s.authed(s.getTrustedOrigin)},
		{"PUT", "/api/v1/trustedOrigins/{id}", s.authed(s.replaceTrustedOrigin)},
		{"DELETE", "/api/v1/trustedOrigins/{id}", s.authed(s.deleteTrustedOrigin)},
		{"POST", "/api/v1/trustedOrigins/{id}/lifecycle/activate", s.authed(s.activateTrustedOrigin)},
		{"POST", "/api/v1/trustedOrigins/{id}/lifecycle/deactivate", s.authed(s.deactivateTrustedOrigin)},
	}
}

// zoneRoutes lists the Network Zones API.
func (s *Server) zoneRoutes() []route {
	return []route{
		{"GET", "/api/v1/zones", s.authed(s.listZones)},
		{"POST", "/api/v1/zones", s.authed(s.createZone)},
		{"GET", "/api/v1/zones/{id}", s.authed(s.getZone)},
		{"PUT", "/api/v1/zones/{id}", s.authed(s.replaceZone)},
		{"DELETE", "/api/v1/zones/{id}", s.authed(s.deleteZone)},
		{"POST", "/api/v1/zones/{id}/lifecycle/activate", s.authed(s.activateZone)},
		{"POST", "/api/v1/zones/{id}/lifecycle/deactivate", s.authed(s.deactivateZone)},
	}
}

// userRoutes lists the Users API, with the user type and schema reads.
func (s *Server) userRoutes() []route {
	return []route{
		{"GET", "/api/v1/users", s.authed(s.listUsers)},
		{"POST", "/api/v1/users", s.authed(s.createUser)},
		{"GET", "/api/v1/users/{id}", s.authed(s.getUser)},
		{"POST", "/api/v1/users/{id}", s.authed(s.updateUser)},
		{"PUT", "/api/v1/users/{id}", s.authed(s.updateUser)},
		{"DELETE", "/api/v1/users/{id}", s.authed(s.deleteUser)},
		{"POST", "/api/v1/users/{id}/lifecycle/activate", s.authed(s.lifecycle(domain.OpActivate))},
		{"POST", "/api/v1/users/{id}/lifecycle/reactivate", s.authed(s.lifecycle(domain.OpReactivate))},
		{"POST", "/api/v1/users/{id}/lifecycle/deactivate", s.authed(s.lifecycle(domain.OpDeactivate))},
		{"POST", "/api/v1/users/{id}/lifecycle/suspend", s.authed(s.lifecycle(domain.OpSuspend))},
		{"POST", "/api/v1/users/{id}/lifecycle/unsuspend", s.authed(s.lifecycle(domain.OpUnsuspend))},
		{"POST", "/api/v1/users/{id}/lifecycle/unlock", s.authed(s.lifecycle(domain.OpUnlock))},
		{"POST", "/api/v1/users/{id}/lifecycle/reset_password", s.authed(s.lifecycle(domain.OpResetPassword))},
		{"POST", "/api/v1/users/{id}/lifecycle/expire_password", s.authed(s.lifecycle(domain.OpExpirePassword))},
		{"POST", "/api/v1/users/{id}/lifecycle/expire_password_with_temp_password", s.authed(s.expireWithTemp)},
		{"POST", "/api/v1/users/{id}/lifecycle/reset_factors", s.authed(s.lifecycle(domain.OpResetFactors))},
		{"POST", "/api/v1/users/{id}/credentials/change_password", s.authed(s.changePassword)},
		{"POST", "/api/v1/users/{id}/credentials/change_recovery_question", s.authed(s.changeRecoveryQuestion)},
		{"POST", "/api/v1/users/{id}/credentials/forgot_password", s.authed(s.forgotPassword)},
		{"POST", "/api/v1/users/{id}/credentials/forgot_password_recovery_question", s.authed(s.forgotPasswordRecoveryQuestion)},
		{"GET", "/api/v1/meta/schemas/user/{schemaId}", s.authed(s.getUserSchema)},
	}
}

// groupRoutes lists the Groups API and group membership.
func (s *Server) groupRoutes() []route {
	return []route{
		{"GET", "/api/v1/groups", s.authed(s.listGroups)},
		{"POST", "/api/v1/groups", s.authed(s.createGroup)},
		{"GET", "/api/v1/groups/{id}", s.authed(s.getGroup)},
		{"PUT", "/api/v1/groups/{id}", s.authed(s.replaceGroup)},
		{"DELETE", "/api/v1/groups/{id}", s.authed(s.deleteGroup)},
		{"GET", "/api/v1/groups/{id}/apps", s.authed(s.listGroupApps)},
		{"GET", "/api/v1/groups/{id}/users", s.authed(s.listGroupMembers)},
		{"PUT", "/api/v1/groups/{id}/users/{userId}", s.authed(s.addGroupMember)},
		{"DELETE", "/api/v1/groups/{id}/users/{userId}", s.authed(s.removeGroupMember)},
		{"GET", "/api/v1/users/{id}/groups", s.authed(s.listUserGroups)},
	}
}

// operatorRoutes lists okapi's operator API: orgs and their clocks, seeds and snapshots, outside the Okta API.
func (s *Server) operatorRoutes() []route {
	return []route{
		{"GET", "/okapi/v1/orgs", s.operator(s.listOrgs)},
		{"POST", "/okapi/v1/orgs", s.operator(s.createOrg)},
		{"GET", "/okapi/v1/orgs/{name}", s.operator(s.getOrg)},
		{"DELETE", "/okapi/v1/orgs/{name}", s.operator(s.deleteOrg)},
		{"GET", "/okapi/v1/orgs/{name}/clock", s.operator(s.getOrgClock)},
		{"POST", "/okapi/v1/orgs/{name}/clock", s.operator(s.setOrgClock)},
		{"POST", "/okapi/v1/orgs/{name}/seed", s.operator(s.loadSeed)},
		{"POST", "/okapi/v1/orgs/{name}/reset", s.operator(s.resetOrg)},
		{"GET", "/okapi/v1/orgs/{name}/snapshots", s.operator(s.listSnapshots)},
		{"POST", "/okapi/v1/orgs/{name}/snapshots", s.operator(s.saveSnapshot)},
		{"DELETE", "/okapi/v1/orgs/{name}/snapshots/{snap}", s.operator(s.deleteSnapshot)},
		{"POST", "/okapi/v1/orgs/{name}/snapshots/{snap}/restore", s.operator(s.restoreSnapshot)},
	}
}
