package httpapi

// routes is the whole API as one table. Handlers under /api/v1 go through authed.
func (s *Server) routes() {
	m := s.mux
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

	// okapi's operator API: orgs and their clocks, seeds and snapshots, outside the Okta API.
	m.HandleFunc("GET /okapi/v1/orgs", s.operator(s.listOrgs))
	m.HandleFunc("POST /okapi/v1/orgs", s.operator(s.createOrg))
	m.HandleFunc("GET /okapi/v1/orgs/{name}", s.operator(s.getOrg))
	m.HandleFunc("DELETE /okapi/v1/orgs/{name}", s.operator(s.deleteOrg))
	m.HandleFunc("GET /okapi/v1/orgs/{name}/clock", s.operator(s.getOrgClock))
	m.HandleFunc("POST /okapi/v1/orgs/{name}/clock", s.operator(s.setOrgClock))
}
