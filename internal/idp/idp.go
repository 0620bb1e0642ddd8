// Package idp holds Okta's identity providers: the IdP object and the rules a create or replace
// must pass, their signing keys and certificate signing requests (real X.509, from crypto/x509),
// and the links between okapi users and their accounts at an IdP. It knows nothing of HTTP or
// SQL. Source: Okta's Identity Providers API (operations createIdentityProvider,
// generateIdentityProviderSigningKey, generateCsrForIdentityProvider,
// linkUserToIdentityProvider...).
package idp

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDPrefix starts every IdP id, as Okta's do: "0oa" and 17 base62 characters.
const IDPrefix = "0oa"

// Statuses.
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
)

// Types okapi accepts: the spec's known values and the social IdPs Okta's documentation lists.
var Types = []string{"AMAZON", "APPLE", "AgentlessDSSO", "DISCORD", "FACEBOOK", "GITHUB", "GITLAB", "GOOGLE",
	"IWA", "LINKEDIN", "LOGINGOV", "LOGINGOV_SANDBOX", "MICROSOFT", "OIDC", "OKTA", "PAYPAL", "PAYPAL_SANDBOX",
	"SALESFORCE", "SAML2", "SPOTIFY", "X509", "XERO", "YAHOO", "YAHOOJP"}

// IdP is an identity provider. Protocol, Policy and Properties are kept as the client sent them
// (with Okta's defaults filled in): they are large, type-dependent documents that okapi validates
// but does not interpret.
type IdP struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Status      string         `json:"status"`
	IssuerMode  string         `json:"issuerMode"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
	Protocol    map[string]any `json:"protocol"`
	Policy      map[string]any `json:"policy"`
	Properties  map[string]any `json:"properties"`
}

// SetDefaults fills what Okta fills: issuerMode ORG_URL, a policy when none is given, and
// policy.transformedUsernameMatchingEnabled false. An explicit credentials.client.pkce_required
// null, as the Terraform provider sends it, is dropped.
func (p *IdP) SetDefaults() {
	if p.IssuerMode == "" {
		p.IssuerMode = "ORG_URL"
	}
	if p.Policy == nil {
		p.Policy = map[string]any{
			"provisioning": map[string]any{"action": "AUTO", "profileMaster": false,
				"groups":     map[string]any{"action": "NONE"},
				"conditions": map[string]any{"deprovisioned": map[string]any{"action": "NONE"}, "suspended": map[string]any{"action": "NONE"}}},
			"accountLink":  map[string]any{"action": "AUTO"},
			"subject":      map[string]any{"userNameTemplate": map[string]any{"template": "idpuser.email"}, "matchType": "USERNAME"},
			"maxClockSkew": 0,
		}
	}
	// Okta also answers accountLink.filter, subject.matchAttribute and settings.nameFormat as
	// null, but the spec does not allow null there and responses must validate against it; an
	// absent field reads the same to the SDKs and the Terraform provider.
	if _, ok := p.Policy["transformedUsernameMatchingEnabled"]; !ok {
		p.Policy["transformedUsernameMatchingEnabled"] = false
	}
	if p.Protocol != nil {
		if client := object(p.Protocol, "credentials", "client"); client != nil {
			if v, ok := client["pkce_required"]; ok && v == nil {
				delete(client, "pkce_required")
			}
		}
	}
}

// object follows keys through nested objects; nil when one is missing or not an object.
func object(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// str reads a string at a path of keys ("" when absent).
func str(m map[string]any, keys ...string) string {
	o := object(m, keys[:len(keys)-1]...)
	if o == nil {
		return ""
	}
	s, _ := o[keys[len(keys)-1]].(string)
	return s
}

// TrustKid is the org key a SAML IdP's signatures are checked with (protocol.credentials.trust.kid).
func (p IdP) TrustKid() string { return str(p.Protocol, "credentials", "trust", "kid") }

// Validate checks an IdP for create or replace: 400 E0000001 with one cause per problem.
func (p IdP) Validate() error {
	var fe domain.FieldErrors
	switch {
	case strings.TrimSpace(p.Name) == "":
		fe.Add("name", "The field cannot be left blank")
	case utf8.RuneCountInString(p.Name) > 100:
		fe.Add("name", "The field cannot exceed 100 characters")
	}
	if !slices.Contains(Types, p.Type) {
		fe.Add("type", "The type: "+strconv.Quote(p.Type)+" is not a supported identity provider type")
	}
	switch p.Status {
	case "", StatusActive, StatusInactive:
	default:
		fe.Add("status", "The status: "+p.Status+" is invalid. Use ACTIVE or INACTIVE.")
	}
	switch p.IssuerMode {
	case "", "ORG_URL", "CUSTOM_URL", "DYNAMIC":
	default:
		fe.Add("issuerMode", "The issuerMode: "+p.IssuerMode+" is invalid. Use ORG_URL, CUSTOM_URL or DYNAMIC.")
	}
	if p.Protocol == nil {
		fe.Add("protocol", "The field cannot be left blank")
		return fe.Err()
	}
	validateProtocol(&fe, p.Type, p.Protocol)
	return fe.Err()
}

func validateProtocol(fe *domain.FieldErrors, typ string, pr map[string]any) {
	ptype, _ := pr["type"].(string)
	want := map[string][]string{"SAML2": {"SAML2"}, "OIDC": {"OIDC"}, "X509": {"MTLS"}}[typ]
	if want == nil {
		want = []string{"OAUTH2", "OIDC"}
	}
	if !slices.Contains(want, ptype) {
		fe.Add("protocol.type", "The protocol type for a "+typ+" identity provider must be "+strings.Join(want, " or "))
		return
	}
	required := func(field string, keys ...string) {
		if str(pr, keys...) == "" {
			fe.Add("protocol."+field, "The field cannot be left blank")
		}
	}
	switch ptype {
	case "SAML2":
		required("endpoints.sso.url", "endpoints", "sso", "url")
		required("credentials.trust.issuer", "credentials", "trust", "issuer")
		required("credentials.trust.kid", "credentials", "trust", "kid")
	case "OIDC", "OAUTH2":
		required("credentials.client.client_id", "credentials", "client", "client_id")
		if ptype == "OIDC" && typ == "OIDC" {
			required("issuer.url", "issuer", "url")
			required("endpoints.authorization.url", "endpoints", "authorization", "url")
			required("endpoints.token.url", "endpoints", "token", "url")
		}
		scopes, _ := pr["scopes"].([]any)
		if len(scopes) == 0 {
			fe.Add("protocol.scopes", "At least one scope is required")
		} else if ptype == "OIDC" && !slices.Contains(scopes, any("openid")) {
			fe.Add("protocol.scopes", "The scopes of an OpenID Connect identity provider must include openid")
		}
	}
}

// Link is a user's account at an IdP (linkUserToIdentityProvider).
type Link struct {
	IdPID       string      `json:"idpId"`
	UserID      string      `json:"userId"`
	ExternalID  string      `json:"externalId"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
}
