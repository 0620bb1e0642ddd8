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
	m.HandleFunc("DELETE /api/v1/api-tokens/{id}", s.authed(s.revokeToken))

	// Groups
	m.HandleFunc("GET /api/v1/groups", s.authed(s.listGroups))
	m.HandleFunc("POST /api/v1/groups", s.authed(s.createGroup))
	m.HandleFunc("GET /api/v1/groups/{id}", s.authed(s.getGroup))
	m.HandleFunc("PUT /api/v1/groups/{id}", s.authed(s.replaceGroup))
	m.HandleFunc("DELETE /api/v1/groups/{id}", s.authed(s.deleteGroup))
	m.HandleFunc("GET /api/v1/groups/{id}/users", s.authed(s.listGroupMembers))
	m.HandleFunc("PUT /api/v1/groups/{id}/users/{userId}", s.authed(s.addGroupMember))
	m.HandleFunc("DELETE /api/v1/groups/{id}/users/{userId}", s.authed(s.removeGroupMember))
	m.HandleFunc("GET /api/v1/users/{id}/groups", s.authed(s.listUserGroups))
}
