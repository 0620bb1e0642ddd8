package oidc

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Error is an OAuth 2.0 error response (RFC 6749 section 5.2) in Okta's wording:
// {"error":"...","error_description":"..."}.
type Error struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

func oauthErr(status int, code, desc string) *Error {
	return &Error{Status: status, Code: code, Description: desc}
}

// Okta's OAuth errors (https://developer.okta.com/docs/reference/error-codes/#oauth-2-0-and-openid-connect-errors).
var (
	ErrNoClientCredentials = oauthErr(401, "invalid_client", "No client credentials found.")
	ErrClientAuth          = oauthErr(401, "invalid_client", "Client authentication failed. Either the client or the client credentials are invalid.")
	ErrBadCode             = oauthErr(400, "invalid_grant", "The authorization code is invalid or has expired.")
	ErrCodeOtherClient     = oauthErr(400, "invalid_grant", "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.")
	ErrRedirectMismatch    = oauthErr(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.")
	ErrBadRefresh          = oauthErr(400, "invalid_grant", "The refresh token is invalid or expired.")
	ErrPKCE                = oauthErr(400, "invalid_grant", "PKCE verification failed.")
	ErrInvalidScope        = oauthErr(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.")
	ErrOpenIDCC            = oauthErr(400, "invalid_scope", "Cannot request 'openid' scopes using client credentials.")
	ErrPolicy              = oauthErr(401, "access_denied", "Policy evaluation failed for this request, please check the policy configurations.")
	ErrOrgCC               = oauthErr(401, "invalid_client", "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.")
	ErrOrgCCKey            = oauthErr(401, "invalid_client", "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.")
	ErrMultipleCreds       = oauthErr(400, "invalid_request", "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.")
	ErrServerInactive      = oauthErr(400, "invalid_request", "The authorization server is not active.")
)

func unsupportedGrant(configured []string) *Error {
	return oauthErr(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server. Configured grant types: ["+strings.Join(configured, ", ")+"].")
}

func unauthorizedClient(configured []string) *Error {
	return oauthErr(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: ["+strings.Join(configured, ", ")+"].")
}

// Server is the authorization server a runtime request addresses: the org server (Custom false)
// or a custom one. Issuer is its iss as the HTTP layer computes it from the request.
type Server struct {
	Custom bool
	AS     AuthServer
	// KeyID is where its keys are stored: OrgServerID or the custom server's id.
	KeyID  string
	Issuer string
	// OrgURL is https://{org}: the org server's audience.
	OrgURL string
}

// Audience is the access token aud: the server's audiences (a string when there is one), or the
// org URL for the org server.
func (s Server) Audience() any {
	if !s.Custom {
		return s.OrgURL
	}
	if len(s.AS.Audiences) == 1 {
		return s.AS.Audiences[0]
	}
	return s.AS.Audiences
}

// Runtime resolves the server of a runtime path: ref "" is the org server, else "default" or an
// aus id. An unknown or (for tokens) inactive server is 404.
func (p *Provider) Runtime(ctx context.Context, ref, issuer, orgURL string) (Server, error) {
	if err := p.ensureSeeded(ctx); err != nil {
		return Server{}, err
	}
	if ref == "" {
		return Server{KeyID: OrgServerID, Issuer: issuer, OrgURL: orgURL}, nil
	}
	as, err := p.GetServer(ctx, ref)
	if err != nil {
		return Server{}, err
	}
	return Server{Custom: true, AS: as, KeyID: as.ID, Issuer: issuer, OrgURL: orgURL}, nil
}

// JWKS is the server's public key set for /v1/keys: the ACTIVE, NEXT and EXPIRED keys.
func (p *Provider) JWKS(ctx context.Context, s Server) ([]JWK, error) {
	keys, err := p.serverKeys(ctx, p.Store, s.KeyID)
	if err != nil {
		return nil, err
	}
	return p.jwks(keys, false)
}

// PublishedScopes are the scopes discovery lists: system scopes and the custom ones with
// metadataPublish ALL_CLIENTS.
func (p *Provider) PublishedScopes(ctx context.Context, s Server) ([]string, error) {
	if !s.Custom {
		return []string{"openid", "email", "profile", "address", "phone", "offline_access", "groups", "device_sso"}, nil
	}
	scopes, err := listUnder[Scope](ctx, p, store.OAuthScope, s.AS.ID)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, sc := range scopes {
		if sc.MetadataPublish == "ALL_CLIENTS" {
			out = append(out, sc.Name)
		}
	}
	return out, nil
}

// sign serialises claims as an RS256 JWT with the server's ACTIVE key; the header is Okta's
// {"kid","alg"}.
func (p *Provider) sign(ctx context.Context, s Server, claims map[string]any) (string, error) {
	k, priv, err := p.activeKey(ctx, s.KeyID)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: k.Kid}}, nil)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// verify checks a JWT this server issued: signature by one of its keys, iss, and exp; it returns
// the claims. Any failure is (nil, false): callers answer inactive or invalid_token.
func (p *Provider) verify(ctx context.Context, s Server, raw string) (map[string]any, bool) {
	return p.verifyToken(ctx, s, raw, false)
}

func (p *Provider) verifyToken(ctx context.Context, s Server, raw string, allowExpired bool) (map[string]any, bool) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(tok.Headers) != 1 {
		return nil, false
	}
	keys, err := p.serverKeys(ctx, p.Store, s.KeyID)
	if err != nil {
		return nil, false
	}
	var pub *rsa.PublicKey
	for _, k := range keys {
		if k.Kid == tok.Headers[0].KeyID {
			if priv, err := p.keys.private(k); err == nil {
				pub = &priv.PublicKey
			}
		}
	}
	if pub == nil {
		return nil, false
	}
	var claims map[string]any
	var std jwt.Claims
	if err := tok.Claims(pub, &claims, &std); err != nil {
		return nil, false
	}
	if std.Issuer != s.Issuer || std.Expiry == nil || (!allowExpired && !p.Now(ctx).Before(std.Expiry.Time())) {
		return nil, false
	}
	if jti, _ := claims["jti"].(string); jti != "" {
		// A "revoked" row revokes the token; an "access" row records one issued with a refresh
		// token, revoked with its family.
		if g, err := p.Store.GetOAuthGrant(ctx, orgOf(ctx), revokedID(jti)); err == nil && (g.Kind != kindAccess || g.Revoked) {
			return nil, false
		}
	}
	return claims, true
}

func revokedID(jti string) string { return "rev:" + jti }

// grantID is the stored id of an opaque code or refresh token: its SHA-256, never the secret.
func grantID(kind, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return kind + ":" + hex.EncodeToString(sum[:])
}

// randomToken is an opaque secret for codes and refresh tokens.
func (p *Provider) randomToken() string { return p.IDs.Random(43) }

// halfHash is at_hash (OIDC Core 3.1.3.6): the left half of SHA-256, base64url.
func halfHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// grantData is the body of a stored code or refresh token.
type grantData struct {
	RedirectURI   string   `json:"redirect_uri,omitempty"`
	Scopes        []string `json:"scopes"`
	Nonce         string   `json:"nonce,omitempty"`
	Challenge     string   `json:"challenge,omitempty"`
	AuthTime      int64    `json:"auth_time,omitempty"`
	AMR           []string `json:"amr,omitempty"`
	Login         string   `json:"login,omitempty"`
	RefreshMins   int      `json:"refresh_mins,omitempty"`
	AccessMinutes int      `json:"access_mins,omitempty"`
	// Family is the refresh token family (the first token's grant id) and FamilyExp its end in
	// milliseconds (0 = unlimited).
	Family    string `json:"family,omitempty"`
	FamilyExp int64  `json:"family_exp,omitempty"`
}

// decision is what the policy granted: the token lifetimes, in minutes. refresh 0 is
// unlimited; window is how long a refresh token may go unused (0 = no limit).
type decision struct {
	access, refresh, window int
}

// evaluate applies the server's policies (Okta: policies then rules by priority, first match
// wins; a rule must cover every requested scope). The org server has fixed lifetimes.
func (p *Provider) evaluate(ctx context.Context, s Server, client domain.OAuthClient, grant, userID string, scopes []string) (decision, *Error) {
	if e := p.checkAssigned(ctx, client, userID); e != nil {
		return decision{}, e
	}
	if !s.Custom {
		// The org server's lifetimes are fixed: refresh tokens 90 days, no idle window
		// (Okta's support article "Refresh Token Expiration Behavior").
		return decision{access: 60, refresh: 90 * 24 * 60}, nil
	}
	policies, err := listUnder[Policy](ctx, p, store.OAuthPolicy, s.AS.ID)
	slices.SortStableFunc(policies, func(a, b Policy) int { return a.Priority - b.Priority })
	if err != nil {
		return decision{}, oauthErr(500, "server_error", err.Error())
	}
	for _, pol := range policies {
		if pol.Status != StatusActive || !(slices.Contains(pol.Conditions.Clients.Include, "ALL_CLIENTS") || slices.Contains(pol.Conditions.Clients.Include, client.ClientID)) {
			continue
		}
		rules, err := listUnder[Rule](ctx, p, store.OAuthRule, pol.ID)
		slices.SortStableFunc(rules, func(a, b Rule) int { return a.Priority - b.Priority })
		if err != nil {
			return decision{}, oauthErr(500, "server_error", err.Error())
		}
		for _, r := range rules {
			if r.Status != StatusActive || !slices.Contains(r.Conditions.GrantTypes.Include, grant) {
				continue
			}
			if userID != "" && !p.peopleMatch(ctx, r.Conditions.People, userID) {
				continue
			}
			inc := r.Conditions.Scopes.Include
			if !slices.Contains(inc, "*") && !allIn(scopes, inc) {
				continue
			}
			t := r.Actions.Token
			return decision{access: t.AccessTokenLifetimeMinutes, refresh: t.RefreshTokenLifetimeMinutes, window: t.RefreshTokenWindowMinutes}, nil
		}
	}
	return decision{}, ErrPolicy
}

func allIn(xs, set []string) bool {
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

func (p *Provider) peopleMatch(ctx context.Context, people RulePeople, userID string) bool {
	if slices.Contains(people.Users.Exclude, userID) {
		return false
	}
	if slices.Contains(people.Users.Include, userID) {
		return true
	}
	groups := people.Groups.Include
	if slices.Contains(groups, "EVERYONE") {
		return true
	}
	if len(groups) == 0 {
		return len(people.Users.Include) == 0
	}
	mine, err := p.Store.ListUserGroups(ctx, orgOf(ctx), userID, "", 1000)
	if err != nil {
		return false
	}
	for _, g := range mine {
		if slices.Contains(people.Groups.Exclude, g.ID) {
			return false
		}
		if slices.Contains(groups, g.ID) {
			return true
		}
	}
	return false
}

// checkScopes validates requested scopes against the server: known scopes (custom server), or
// the OIDC scopes plus okta.* on the org server.
func (p *Provider) checkScopes(ctx context.Context, s Server, scopes []string) *Error {
	if !s.Custom {
		for _, sc := range scopes {
			if !strings.HasPrefix(sc, "okta.") && !slices.Contains([]string{"openid", "email", "profile", "address", "phone", "offline_access", "groups", "device_sso"}, sc) {
				return ErrInvalidScope
			}
		}
		return nil
	}
	known, err := listUnder[Scope](ctx, p, store.OAuthScope, s.AS.ID)
	if err != nil {
		return oauthErr(500, "server_error", err.Error())
	}
	for _, sc := range scopes {
		if !slices.ContainsFunc(known, func(k Scope) bool { return k.Name == sc }) {
			return ErrInvalidScope
		}
	}
	return nil
}

// defaultScopes are a custom server's default:true scopes, used when a client_credentials
// request names none.
func (p *Provider) defaultScopes(ctx context.Context, s Server) []string {
	if !s.Custom {
		return nil
	}
	known, _ := listUnder[Scope](ctx, p, store.OAuthScope, s.AS.ID)
	var out []string
	for _, k := range known {
		if k.Default {
			out = append(out, k.Name)
		}
	}
	return out
}

// TokenResponse is the /token success body.
type TokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

// issue mints the tokens of a grant; from is the refresh token a refresh_token grant presented.
func (p *Provider) issue(ctx context.Context, s Server, c domain.OAuthClient, user *domain.User, d decision, g grantData, grant string, from *spent) (TokenResponse, error) {
	now := p.Now(ctx)
	exp := now.Add(time.Duration(d.access) * time.Minute)
	at := map[string]any{"ver": 1, "jti": "AT." + p.IDs.Random(43), "iss": s.Issuer, "aud": s.Audience(),
		"iat": now.Unix(), "exp": exp.Unix(), "cid": c.ClientID, "scp": g.Scopes, "sub": c.ClientID}
	if user != nil {
		at["uid"], at["sub"] = user.ID, user.Login()
		if g.AuthTime != 0 {
			at["auth_time"] = g.AuthTime
		}
	}
	if s.Custom {
		if err := p.customClaims(ctx, s, "RESOURCE", c, user, g.Scopes, at); err != nil {
			return TokenResponse{}, err
		}
	}
	access, err := p.sign(ctx, s, at)
	if err != nil {
		return TokenResponse{}, err
	}
	out := TokenResponse{TokenType: "Bearer", ExpiresIn: d.access * 60, AccessToken: access, Scope: strings.Join(g.Scopes, " ")}
	if user != nil && slices.Contains(g.Scopes, "openid") {
		id := map[string]any{"ver": 1, "jti": "ID." + p.IDs.Random(43), "iss": s.Issuer, "aud": c.ClientID, "sub": user.ID,
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "idp": orgOf(ctx), "amr": orEmpty(g.AMR), "at_hash": halfHash(access)}
		if g.AuthTime != 0 {
			id["auth_time"] = g.AuthTime
		}
		if g.Nonce != "" {
			id["nonce"] = g.Nonce
		}
		addProfileClaims(id, user, g.Scopes)
		if s.Custom {
			if err := p.customClaims(ctx, s, "IDENTITY", c, user, g.Scopes, id); err != nil {
				return TokenResponse{}, err
			}
		}
		if out.IDToken, err = p.sign(ctx, s, id); err != nil {
			return TokenResponse{}, err
		}
	}
	refresh := wantsRefresh(c, user, g.Scopes, from)
	evs := p.grantEvents(ctx, s, c, user, grant, out.IDToken != "", refresh)
	if !refresh {
		p.logGrant(ctx, evs)
		return out, nil
	}
	// The refresh token's write carries the grant's events, so both commit or neither.
	if out.RefreshToken, err = p.storeRefresh(ctx, s, c, user, d, g, from, at["jti"].(string), exp.UnixMilli(), evs); err != nil {
		return TokenResponse{}, err
	}
	return out, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{"pwd"}
	}
	return s
}

// logGrant records the events of a grant that writes nothing else, in a transaction of its own
// (a failure to log does not fail the grant, whose tokens are already signed).
func (p *Provider) logGrant(ctx context.Context, evs []domain.LogEvent) {
	_ = p.Store.Update(ctx, func(tx store.Tx) error {
		return tx.AppendEvents(ctx, orgOf(ctx), evs...)
	})
}

// addProfileClaims adds the OIDC standard claims of the granted scopes from the user's profile.
func addProfileClaims(m map[string]any, u *domain.User, scopes []string) {
	prof := u.Profile
	str := func(k string) string { s, _ := prof[k].(string); return s }
	set := func(claim, attr string) {
		if v := str(attr); v != "" {
			m[claim] = v
		}
	}
	if slices.Contains(scopes, "profile") {
		m["name"] = strings.TrimSpace(str("firstName") + " " + str("lastName"))
		m["preferred_username"] = u.Login()
		set("given_name", "firstName")
		set("family_name", "lastName")
		set("middle_name", "middleName")
		set("nickname", "nickName")
		set("locale", "locale")
		set("zoneinfo", "timezone")
		set("profile", "profileUrl")
		m["updated_at"] = u.LastUpdated.Unix()
	}
	if slices.Contains(scopes, "email") {
		set("email", "email")
		m["email_verified"] = true
	}
	if slices.Contains(scopes, "phone") {
		set("phone_number", "mobilePhone")
	}
}

// customClaims adds the server's non-system claims of claimType whose scope condition matches:
// a quoted string literal, user.<attribute>, appuser.userName or app.clientId (the subset of
// Okta Expression Language this provider evaluates; other expressions are skipped).
func (p *Provider) customClaims(ctx context.Context, s Server, claimType string, c domain.OAuthClient, user *domain.User, scopes []string, m map[string]any) error {
	claims, err := listUnder[Claim](ctx, p, store.OAuthClaim, s.AS.ID+"/"+claimType)
	if err != nil {
		return err
	}
	for _, cl := range claims {
		if cl.System || cl.Status != StatusActive || cl.ClaimType != claimType {
			continue
		}
		if len(cl.Conditions.Scopes) > 0 && !slices.ContainsFunc(cl.Conditions.Scopes, func(sc string) bool { return slices.Contains(scopes, sc) }) {
			continue
		}
		if cl.ValueType == "GROUPS" {
			if user == nil {
				continue
			}
			groups, err := p.Store.ListUserGroups(ctx, orgOf(ctx), user.ID, "", 1000)
			if err != nil {
				return err
			}
			names := []string{}
			for _, g := range groups {
				if groupMatch(cl.GroupFilterType, cl.Value, g.Name()) {
					names = append(names, g.Name())
				}
			}
			m[cl.Name] = names
			continue
		}
		if v, ok := evalExpr(cl.Value, c, user); ok {
			m[cl.Name] = v
		}
	}
	return nil
}

func groupMatch(typ, value, name string) bool {
	switch typ {
	case "EQUALS":
		return name == value
	case "CONTAINS":
		return strings.Contains(name, value)
	case "STARTS_WITH":
		return strings.HasPrefix(name, value)
	case "REGEX":
		// Okta matches the whole name, as Java's String.matches does; a pattern Go's RE2
		// cannot compile (back-references, look-around) matches nothing.
		re, err := regexp.Compile(`^(?:` + value + `)$`)
		return err == nil && re.MatchString(name)
	}
	return false
}

func evalExpr(expr string, c domain.OAuthClient, user *domain.User) (any, bool) {
	expr = strings.TrimSpace(expr)
	if len(expr) >= 2 && expr[0] == '"' && expr[len(expr)-1] == '"' {
		return expr[1 : len(expr)-1], true
	}
	switch {
	case expr == "app.clientId":
		return c.ClientID, true
	case expr == "appuser.userName" && user != nil:
		return user.Login(), true
	case strings.HasPrefix(expr, "user.") && user != nil:
		v, ok := user.Profile[strings.TrimPrefix(expr, "user.")]
		return v, ok && v != nil
	}
	return nil, false
}

var _ = errors.Is
var _ = http.StatusOK

// listUnder reads the objects of kind under parent straight from the store: the runtime's
// server is already resolved, so the Management API's checks are not repeated per token.
func listUnder[T any](ctx context.Context, p *Provider, kind, parent string) ([]T, error) {
	objs, err := p.Store.ListOAuthObjects(ctx, orgOf(ctx), kind, parent)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		v, err := decodeObj[T](o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ErrNotAssigned is Okta's answer when the signed-in user is not assigned to the client's app
// (OAuth 2.0 error codes: access_denied).
var ErrNotAssigned = oauthErr(400, "access_denied", "User is not assigned to the client application.")

// checkAssigned refuses a user grant for an app the user is not assigned to (Assignments).
func (p *Provider) checkAssigned(ctx context.Context, client domain.OAuthClient, userID string) *Error {
	a, ok := p.Clients.(Assignments)
	if userID == "" || !ok {
		return nil
	}
	assigned, err := a.UserAssigned(ctx, client.ClientID, userID)
	if err != nil {
		return oauthErr(500, "server_error", err.Error())
	}
	if !assigned {
		return ErrNotAssigned
	}
	return nil
}
