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

	// System Log and the legacy Events API
	m.HandleFunc("GET /api/v1/logs", s.authed(s.listLogs))
	m.HandleFunc("GET /api/v1/events", s.authed(s.listLegacyEvents))
}
