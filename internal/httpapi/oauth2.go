package httpapi

// oauthRuntimeRoutes lists the OAuth 2.0 / OIDC runtime endpoints.
func (s *Server) oauthRuntimeRoutes() []route { return nil }
