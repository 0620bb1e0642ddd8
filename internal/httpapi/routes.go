package httpapi

import "github.com/okapi-dev/okapi/internal/domain"

// routes is the whole API as one table. Handlers under /api/v1 go through authed.
func (s *Server) routes() {
	m := s.table()
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)

	// API tokens
	m.HandleFunc("GET /api/v1/api-tokens", s.authed(s.listTokens))
	m.HandleFunc("DELETE /api/v1/api-tokens/current", s.authed(s.revokeCurrentToken))
	m.HandleFunc("GET /api/v1/api-tokens/{id}", s.authed(s.getToken))
	m.HandleFunc("PUT /api/v1/api-tokens/{id}", s.authed(s.upsertToken))
	m.HandleFunc("DELETE /api/v1/api-tokens/{id}", s.authed(s.revokeToken))

	// System Log and the legacy Events API
	m.HandleFunc("GET /api/v1/logs", s.authed(s.listLogs))
	m.HandleFunc("GET /api/v1/events", s.authed(s.listLegacyEvents))
	// Trusted origins
	m.HandleFunc("GET /api/v1/trustedOrigins", s.authed(s.listTrustedOrigins))
	m.HandleFunc("POST /api/v1/trustedOrigins", s.authed(s.createTrustedOrigin))
	m.HandleFunc("GET /api/v1/trustedOrigins/{id}", s.authed(s.getTrustedOrigin))
	m.HandleFunc("PUT /api/v1/trustedOrigins/{id}", s.authed(s.replaceTrustedOrigin))
	m.HandleFunc("DELETE /api/v1/trustedOrigins/{id}", s.authed(s.deleteTrustedOrigin))
	m.HandleFunc("POST /api/v1/trustedOrigins/{id}/lifecycle/activate", s.authed(s.activateTrustedOrigin))
	m.HandleFunc("POST /api/v1/trustedOrigins/{id}/lifecycle/deactivate", s.authed(s.deactivateTrustedOrigin))

	// Network zones
	m.HandleFunc("GET /api/v1/zones", s.authed(s.listZones))
	m.HandleFunc("POST /api/v1/zones", s.authed(s.createZone))
	m.HandleFunc("GET /api/v1/zones/{id}", s.authed(s.getZone))
	m.HandleFunc("PUT /api/v1/zones/{id}", s.authed(s.replaceZone))
	m.HandleFunc("DELETE /api/v1/zones/{id}", s.authed(s.deleteZone))
	m.HandleFunc("POST /api/v1/zones/{id}/lifecycle/activate", s.authed(s.activateZone))
	m.HandleFunc("POST /api/v1/zones/{id}/lifecycle/deactivate", s.authed(s.deactivateZone))
	// Users
	m.HandleFunc("GET /api/v1/users", s.authed(s.listUsers))
	m.HandleFunc("POST /api/v1/users", s.authed(s.createUser))
	m.HandleFunc("GET /api/v1/users/{id}", s.authed(s.getUser))
	m.HandleFunc("POST /api/v1/users/{id}", s.authed(s.updateUser))
	m.HandleFunc("PUT /api/v1/users/{id}", s.authed(s.updateUser))
	m.HandleFunc("DELETE /api/v1/users/{id}", s.authed(s.deleteUser))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/activate", s.authed(s.lifecycle(domain.OpActivate)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/reactivate", s.authed(s.lifecycle(domain.OpReactivate)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/deactivate", s.authed(s.lifecycle(domain.OpDeactivate)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/suspend", s.authed(s.lifecycle(domain.OpSuspend)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/unsuspend", s.authed(s.lifecycle(domain.OpUnsuspend)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/unlock", s.authed(s.lifecycle(domain.OpUnlock)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/reset_password", s.authed(s.lifecycle(domain.OpResetPassword)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/expire_password", s.authed(s.lifecycle(domain.OpExpirePassword)))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/expire_password_with_temp_password", s.authed(s.expireWithTemp))
	m.HandleFunc("POST /api/v1/users/{id}/lifecycle/reset_factors", s.authed(s.lifecycle(domain.OpResetFactors)))
	m.HandleFunc("POST /api/v1/users/{id}/credentials/change_password", s.authed(s.changePassword))
	m.HandleFunc("POST /api/v1/users/{id}/credentials/change_recovery_question", s.authed(s.changeRecoveryQuestion))
	m.HandleFunc("POST /api/v1/users/{id}/credentials/forgot_password", s.authed(s.forgotPassword))
	m.HandleFunc("POST /api/v1/users/{id}/credentials/forgot_password_recovery_question", s.authed(s.forgotPasswordRecoveryQuestion))
	m.HandleFunc("GET /api/v1/meta/types/user/{typeId}", s.authed(s.getUserType))
	m.HandleFunc("GET /api/v1/meta/schemas/user/{schemaId}", s.authed(s.getUserSchema))

	// Groups
	m.HandleFunc("GET /api/v1/groups", s.authed(s.listGroups))
	m.HandleFunc("POST /api/v1/groups", s.authed(s.createGroup))
	m.HandleFunc("GET /api/v1/groups/{id}", s.authed(s.getGroup))
	m.HandleFunc("PUT /api/v1/groups/{id}", s.authed(s.replaceGroup))
	m.HandleFunc("DELETE /api/v1/groups/{id}", s.authed(s.deleteGroup))
	m.HandleFunc("GET /api/v1/groups/{id}/apps", s.authed(s.listGroupApps))
	m.HandleFunc("GET /api/v1/groups/{id}/users", s.authed(s.listGroupMembers))
	m.HandleFunc("PUT /api/v1/groups/{id}/users/{userId}", s.authed(s.addGroupMember))
	m.HandleFunc("DELETE /api/v1/groups/{id}/users/{userId}", s.authed(s.removeGroupMember))
	m.HandleFunc("GET /api/v1/users/{id}/groups", s.authed(s.listUserGroups))

	// okapi's operator API: orgs and their clocks, seeds and snapshots, outside the Okta API.
	m.HandleFunc("GET /okapi/v1/orgs", s.operator(s.listOrgs))
	m.HandleFunc("POST /okapi/v1/orgs", s.operator(s.createOrg))
	m.HandleFunc("GET /okapi/v1/orgs/{name}", s.operator(s.getOrg))
	m.HandleFunc("DELETE /okapi/v1/orgs/{name}", s.operator(s.deleteOrg))
	m.HandleFunc("GET /okapi/v1/orgs/{name}/clock", s.operator(s.getOrgClock))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/clock", s.operator(s.setOrgClock))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/seed", s.operator(s.loadSeed))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/reset", s.operator(s.resetOrg))
	m.HandleFunc("GET /okapi/v1/orgs/{name}/snapshots", s.operator(s.listSnapshots))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/snapshots", s.operator(s.saveSnapshot))
	m.HandleFunc("DELETE /okapi/v1/orgs/{name}/snapshots/{snap}", s.operator(s.deleteSnapshot))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/snapshots/{snap}/restore", s.operator(s.restoreSnapshot))
}
