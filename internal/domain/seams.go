package domain

// The types below are the seams between the resource families that wave 2 builds in parallel: the
// Applications API owns OAuth clients, the sign-in flow owns sessions, and the OAuth/OIDC provider
// reads both. Each owner fills them in; the reader depends only on these shapes.

// OAuthClient is what the OAuth 2.0 / OpenID Connect runtime needs of an OIDC application: in Okta
// the application is the client (see "Create an app integration" in Okta's Apps API and
// "OAuth 2.0 client authentication" in Okta's OAuth docs).
type OAuthClient struct {
	OrgID    string
	AppID    string
	ClientID string
	// Status is the application's status: ACTIVE or INACTIVE. Only ACTIVE clients may get tokens.
	Status string
	// ApplicationType is web, native, browser or service.
	ApplicationType string
	// TokenEndpointAuthMethod is client_secret_basic, client_secret_post, client_secret_jwt,
	// private_key_jwt or none.
	TokenEndpointAuthMethod string
	GrantTypes              []string
	ResponseTypes           []string
	RedirectURIs            []string
	PostLogoutRedirectURIs  []string
	InitiateLoginURI        string
	// ConsentMethod is REQUIRED or TRUSTED.
	ConsentMethod string
	// JWKS is the client's public key set (raw JSON of {"keys":[...]}) for private_key_jwt, or nil.
	JWKS []byte
	// PKCERequired mirrors settings.oauthClient.pkce_required.
	PKCERequired bool
	// RefreshRotation is settings.oauthClient.refresh_token.rotation_type: ROTATE (a new
	// refresh token on each use) or STATIC (the same one); "" means Okta's default for the
	// application type (ROTATE for browser apps, STATIC for the others).
	RefreshRotation string
	// RefreshLeeway is refresh_token.leeway: the seconds a rotated refresh token still works.
	RefreshLeeway int
}

// Session is a user's sign-in session, as Okta's Sessions API describes it (GET /api/v1/sessions/{id}).
type Session struct {
	ID     string
	OrgID  string
	UserID string
	Login  string
	// Status is ACTIVE or MFA_REQUIRED (Okta's session statuses).
	Status                   string
	CreatedAt                Time
	ExpiresAt                Time
	LastPasswordVerification Time
	LastFactorVerification   Time
	// AMR lists the authentication methods used: pwd, mfa, otp, sms, ... (RFC 8176 values).
	AMR []string
}
