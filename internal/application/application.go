// Package application holds Okta's applications: the per-signOnMode rules a create or replace
// must pass, the defaults Okta fills in, OAuth client credentials, and app user and group
// assignments. An application is kept as the JSON document Okta shows (its shape depends on
// signOnMode and the SDKs decode it by that discriminator), with typed accessors for what okapi
// reads. It knows nothing of HTTP or SQL. Source: Okta's Applications API (createApplication,
// replaceApplication, assignUserToApplication, assignGroupToApplication...) and "Apps" in Okta's
// API reference for the per-mode settings and OAuth client defaults.
package application

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// ReadOnlyFields are ignored in a create or replace body (createApplication,
// replaceApplication): the server sets them.
var ReadOnlyFields = []string{"id", "status", "created", "lastUpdated", "_links", "_embedded", "orn", LogoKey, ExternalKeyField}

// IDPrefix starts app ids as Okta's do: "0oa" and 17 base62 characters.
const IDPrefix = "0oa"

// Statuses.
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
)

// Sign-on modes (the spec's Application discriminator).
const (
	Bookmark            = "BOOKMARK"
	BasicAuth           = "BASIC_AUTH"
	AutoLogin           = "AUTO_LOGIN"
	BrowserPlugin       = "BROWSER_PLUGIN"
	SecurePasswordStore = "SECURE_PASSWORD_STORE"
	WSFederation        = "WS_FEDERATION"
	SAML11              = "SAML_1_1"
	SAML20              = "SAML_2_0"
	OpenIDConnect       = "OPENID_CONNECT"
)

// templateNames are the names a template app must have, per mode ("" = any, generated when absent).
var templateNames = map[string][]string{
	Bookmark:            {"bookmark"},
	BasicAuth:           {"template_basic_auth"},
	BrowserPlugin:       {"template_swa", "template_swa3field"},
	SecurePasswordStore: {"template_sps"},
	WSFederation:        {"template_wsfed"},
	OpenIDConnect:       {"oidc_client"},
	AutoLogin:           nil,
	SAML11:              nil,
	SAML20:              nil,
}

// App is an application document (the Application schema, signOnMode-specific).
type App map[string]any

// Obj returns the object at a path of keys, creating missing objects along the way.
func (a App) Obj(keys ...string) map[string]any {
	m := map[string]any(a)
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	return m
}

// peek is Obj without creating anything (nil when absent).
func (a App) peek(keys ...string) map[string]any {
	m := map[string]any(a)
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// Str reads a string at a path ("" when absent).
func (a App) Str(keys ...string) string {
	m := a.peek(keys[:len(keys)-1]...)
	if m == nil {
		return ""
	}
	s, _ := m[keys[len(keys)-1]].(string)
	return s
}

// Strings reads a string list at a path.
func (a App) Strings(keys ...string) []string {
	m := a.peek(keys[:len(keys)-1]...)
	if m == nil {
		return nil
	}
	list, _ := m[keys[len(keys)-1]].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// ID, Label, Name, Status and SignOnMode are the base fields.
func (a App) ID() string         { return a.Str("id") }
func (a App) Label() string      { return a.Str("label") }
func (a App) Name() string       { return a.Str("name") }
func (a App) Status() string     { return a.Str("status") }
func (a App) SignOnMode() string { return a.Str("signOnMode") }

// ClientID is an OIDC app's client id ("" for other modes).
func (a App) ClientID() string { return a.Str("credentials", "oauthClient", "client_id") }

// Validate checks an app for create or replace: 400 E0000001 with one cause per problem.
func (a App) Validate() error {
	var fe domain.FieldErrors
	switch label := a.Label(); {
	case strings.TrimSpace(label) == "":
		fe.Add("label", "The field cannot be left blank")
	case utf8.RuneCountInString(label) > 100:
		fe.Add("label", "The field cannot exceed 100 characters")
	}
	mode := a.SignOnMode()
	names, known := templateNames[mode]
	switch {
	case mode == "":
		fe.Add("signOnMode", "The field cannot be left blank")
		return fe.Err()
	case !known:
		fe.Add("signOnMode", "The signOnMode: "+mode+" is not supported")
		return fe.Err()
	case names != nil && !slices.Contains(names, a.Name()):
		fe.Add("name", "The name of a "+mode+" app must be "+strings.Join(names, " or "))
	}
	url := func(field string, keys ...string) {
		switch v := a.Str(keys...); {
		case v == "":
			fe.Add(field, "The field cannot be left blank")
		case !absoluteURL(v):
			fe.Add(field, "The value must be an absolute URL")
		}
	}
	switch mode {
	case Bookmark:
		url("settings.app.url", "settings", "app", "url")
	case BasicAuth:
		url("settings.app.url", "settings", "app", "url")
		url("settings.app.authURL", "settings", "app", "authURL")
	case AutoLogin:
		url("settings.signOn.loginUrl", "settings", "signOn", "loginUrl")
	case BrowserPlugin:
		if a.Name() == "template_swa" {
			url("settings.app.url", "settings", "app", "url")
		} else {
			url("settings.app.targetURL", "settings", "app", "targetURL")
		}
	case SecurePasswordStore:
		url("settings.app.url", "settings", "app", "url")
	case WSFederation:
		url("settings.app.siteURL", "settings", "app", "siteURL")
	case SAML20, SAML11:
		// A custom SAML app (no OIN template name) needs its ACS URL; an OIN app brings its own.
		if a.Name() == "" {
			url("settings.signOn.ssoAcsUrl", "settings", "signOn", "ssoAcsUrl")
		}
	case OpenIDConnect:
		validateOAuthClient(&fe, a)
	}
	return fe.Err()
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

var grantsByType = map[string][]string{
	"browser": {"authorization_code", "implicit", "refresh_token", "interaction_code"},
	"native":  {"authorization_code", "implicit", "password", "refresh_token", "interaction_code", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"},
	"web":     {"authorization_code", "implicit", "refresh_token", "client_credentials", "password", "interaction_code", "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:saml2-bearer"},
	"service": {"client_credentials", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange"},
}

var clientIDChars = regexp.MustCompile(`^[A-Za-z0-9$\-_.+!*'(),]{6,100}$`)

func validateOAuthClient(fe *domain.FieldErrors, a App) {
	oc := a.peek("settings", "oauthClient")
	if oc == nil {
		fe.Add("settings.oauthClient", "The field cannot be left blank")
		return
	}
	typ := a.Str("settings", "oauthClient", "application_type")
	allowed, ok := grantsByType[typ]
	if !ok {
		fe.Add("settings.oauthClient.application_type", "The application_type must be web, native, browser or service")
		return
	}
	grants := a.Strings("settings", "oauthClient", "grant_types")
	if len(grants) == 0 {
		fe.Add("settings.oauthClient.grant_types", "At least one grant type is required")
	}
	for _, g := range grants {
		if !slices.Contains(allowed, g) {
			fe.Add("settings.oauthClient.grant_types", "The grant type "+g+" is not allowed for a "+typ+" application")
		}
	}
	machine := slices.Contains(grants, "client_credentials") || slices.Contains(grants, "password")
	redirects := a.Strings("settings", "oauthClient", "redirect_uris")
	if len(redirects) == 0 && !machine {
		fe.Add("settings.oauthClient.redirect_uris", "At least one redirect URI is required")
	}
	for _, r := range redirects {
		u, err := url.Parse(r)
		if err != nil || u.Scheme == "" || u.Fragment != "" {
			fe.Add("settings.oauthClient.redirect_uris", "The redirect URI "+r+" must be absolute and have no fragment")
		}
	}
	responses := a.Strings("settings", "oauthClient", "response_types")
	if slices.Contains(grants, "authorization_code") && !slices.Contains(responses, "code") && len(responses) > 0 {
		fe.Add("settings.oauthClient.response_types", "The response type code is required for the authorization_code grant")
	}
	validateRefreshToken(fe, oc)
	method := a.Str("credentials", "oauthClient", "token_endpoint_auth_method")
	switch method {
	case "", "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none":
	default:
		fe.Add("credentials.oauthClient.token_endpoint_auth_method", "The token_endpoint_auth_method "+method+" is not supported")
	}
	if id := a.ClientID(); id != "" && (!clientIDChars.MatchString(id) || id == "ALL_CLIENTS") {
		fe.Add("credentials.oauthClient.client_id", "The client_id must be 6 to 100 characters of letters, digits and $-_.+!*'(),")
	}
	secret := a.Str("credentials", "oauthClient", "client_secret")
	switch {
	case secret == "":
	case method == "private_key_jwt" || method == "none":
		fe.Add("credentials.oauthClient.client_secret", "'client_secret' cannot be used when 'token_endpoint_auth_method' is '"+method+"'.")
	case len(secret) < 14 || len(secret) > 100:
		fe.Add("credentials.oauthClient.client_secret", "'client_secret' must be at least '14' characters long.")
	case method == "client_secret_jwt" && len(secret) < 32:
		fe.Add("credentials.oauthClient.client_secret", "'client_secret' must be at least '32' characters long when 'token_endpoint_auth_method' is 'client_secret_jwt'.")
	}
}

// Refresh token rotation types (OpenIdConnectRefreshTokenRotationType).
const (
	RotationRotate = "ROTATE"
	RotationStatic = "STATIC"
)

// DefaultLeeway is refresh_token.leeway when the app does not set it (Okta's default, seconds).
const DefaultLeeway = 30

// validateRefreshToken checks settings.oauthClient.refresh_token
// (OpenIdConnectApplicationSettingsRefreshToken): rotation_type is required in the object and
// is ROTATE or STATIC; leeway is an integer from 0 to 60. The wordings are those Okta answers
// with ("'rotation_type' is required.", "rotationType: The field has an invalid value").
func validateRefreshToken(fe *domain.FieldErrors, oc map[string]any) {
	raw, ok := oc["refresh_token"]
	if !ok || raw == nil {
		return
	}
	rt, ok := raw.(map[string]any)
	if !ok {
		fe.Add("refresh_token", "The field has an invalid value")
		return
	}
	switch typ, present := rt["rotation_type"]; {
	case !present || typ == nil || typ == "":
		fe.AddSummary("rotation_type", "'rotation_type' is required.")
	case typ != RotationRotate && typ != RotationStatic:
		fe.Add("rotationType", "The field has an invalid value")
	}
	if v, present := rt["leeway"]; present && v != nil {
		if n, ok := intValue(v); !ok || n < 0 || n > 60 {
			fe.Add("leeway", "The leeway must be an integer between 0 and 60 seconds.")
		}
	}
}

// intValue reads a JSON number that is a whole number.
func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		return int(n), n == float64(int(n))
	case int:
		return n, true
	case int64:
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// RefreshSettings is the app's refresh token rotation and leeway, Okta's defaults filled in
// (ROTATE for browser apps, STATIC for the others; 30 seconds).
func (a App) RefreshSettings() (string, int) {
	typ := RotationStatic
	if a.Str("settings", "oauthClient", "application_type") == "browser" {
		typ = RotationRotate
	}
	leeway := DefaultLeeway
	rt := a.peek("settings", "oauthClient", "refresh_token")
	if s, _ := rt["rotation_type"].(string); s != "" {
		typ = s
	}
	if n, ok := intValue(rt["leeway"]); ok {
		leeway = n
	}
	return typ, leeway
}

// KeepRefreshSettings carries old's refresh_token settings into a replacement that has none:
// "When you update an app integration, your previously configured values are used"
// (OpenIdConnectApplicationSettingsRefreshToken).
func (a App) KeepRefreshSettings(old App) {
	oc := a.peek("settings", "oauthClient")
	prev := old.peek("settings", "oauthClient", "refresh_token")
	if oc == nil || prev == nil {
		return
	}
	if v, ok := oc["refresh_token"]; !ok || v == nil {
		oc["refresh_token"] = prev
	}
}

// OAuthClient is what the OAuth/OIDC provider needs of an OIDC app (domain.OAuthClient).
func (a App) OAuthClient(org string) domain.OAuthClient {
	jwks := []byte(nil)
	if k := a.peek("settings", "oauthClient", "jwks"); k != nil {
		jwks, _ = jsonMarshal(k)
	}
	pkce, _ := a.peek("credentials", "oauthClient")["pkce_required"].(bool)
	rotation, leeway := a.RefreshSettings()
	return domain.OAuthClient{
		OrgID: org, AppID: a.ID(), ClientID: a.ClientID(), Status: a.Status(),
		ApplicationType:         a.Str("settings", "oauthClient", "application_type"),
		TokenEndpointAuthMethod: a.Str("credentials", "oauthClient", "token_endpoint_auth_method"),
		GrantTypes:              a.Strings("settings", "oauthClient", "grant_types"),
		ResponseTypes:           a.Strings("settings", "oauthClient", "response_types"),
		RedirectURIs:            a.Strings("settings", "oauthClient", "redirect_uris"),
		PostLogoutRedirectURIs:  a.Strings("settings", "oauthClient", "post_logout_redirect_uris"),
		InitiateLoginURI:        a.Str("settings", "oauthClient", "initiate_login_uri"),
		ConsentMethod:           a.Str("settings", "oauthClient", "consent_method"),
		JWKS:                    jwks,
		PKCERequired:            pkce,
		RefreshRotation:         rotation,
		RefreshLeeway:           leeway,
	}
}

// LinkNames are the names of the app's dashboard links that are on (visibility.appLinks),
// sorted.
func (a App) LinkNames() []string {
	var names []string
	for name, on := range a.peek("visibility", "appLinks") {
		if b, _ := on.(bool); b {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// HiddenOnWeb reports visibility.hide.web: the app's links are not shown on the dashboard.
func (a App) HiddenOnWeb() bool {
	hidden, _ := a.peek("visibility", "hide")["web"].(bool)
	return hidden
}
