package application

import (
	"regexp"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok || m[key] == nil {
		m[key] = v
	}
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]`)

// GeneratedName is the name Okta gives a custom app created without one: the label lower-cased
// without its other characters, and a suffix that keeps it unique.
func GeneratedName(label, suffix string) string {
	return "okapi_" + nonAlnum.ReplaceAllString(strings.ToLower(label), "") + "_" + strings.ToLower(suffix)
}

// SetDefaults fills what Okta fills in an app it creates or replaces (see the package comment's
// sources): accessibility, visibility with the default app link, features, the user name
// template, notification and provisioning settings, and per mode the SAML sign-on defaults or the
// OAuth client defaults. secret is the client secret to use when an OIDC app needs one and the
// client sent none.
func (a App) SetDefaults(secret string) {
	mode := a.SignOnMode()
	setDefault(a.Obj("accessibility"), "selfService", false)
	vis := a.Obj("visibility")
	setDefault(vis, "autoLaunch", false)
	setDefault(vis, "autoSubmitToolbar", false)
	hide := a.Obj("visibility", "hide")
	setDefault(hide, "iOS", false)
	setDefault(hide, "web", false)
	if links := a.Obj("visibility", "appLinks"); len(links) == 0 {
		link := a.Name() + "_link"
		if strings.HasPrefix(a.Name(), "template_") || a.Name() == "bookmark" {
			link = "login"
		}
		links[link] = true
	}
	setDefault(a, "features", []any{})
	cred := a.Obj("credentials")
	setDefault(cred, "userNameTemplate", map[string]any{"template": "${source.login}", "type": "BUILT_IN"})
	a.Obj("credentials", "signing")
	if mode == BasicAuth || mode == AutoLogin || mode == BrowserPlugin || mode == SecurePasswordStore {
		setDefault(cred, "scheme", "EDIT_USERNAME_AND_PASSWORD")
		setDefault(cred, "revealPassword", false)
	}
	settings := a.Obj("settings")
	a.Obj("settings", "app")
	setDefault(settings, "manualProvisioning", false)
	setDefault(settings, "implicitAssignment", false)
	setDefault(a.Obj("settings", "notifications", "vpn", "network"), "connection", "DISABLED")
	switch mode {
	case SAML20, SAML11:
		so := a.Obj("settings", "signOn")
		setDefault(so, "idpIssuer", "http://www.okta.com/${org.externalKey}")
		setDefault(so, "requestCompressed", false)
		setDefault(so, "attributeStatements", []any{})
		setDefault(so, "inlineHooks", []any{})
		setDefault(so, "acsEndpoints", []any{})
		setDefault(so, "allowMultipleAcsEndpoints", false)
		setDefault(so, "subjectNameIdTemplate", "${user.userName}")
		setDefault(so, "subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
		setDefault(so, "responseSigned", true)
		setDefault(so, "assertionSigned", true)
		setDefault(so, "signatureAlgorithm", "RSA_SHA256")
		setDefault(so, "digestAlgorithm", "SHA256")
		setDefault(so, "honorForceAuthn", true)
		setDefault(so, "authnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	case OpenIDConnect:
		a.setOAuthDefaults(secret)
	}
}

func (a App) setOAuthDefaults(secret string) {
	oc := a.Obj("settings", "oauthClient")
	typ, _ := oc["application_type"].(string)
	setDefault(oc, "consent_method", "TRUSTED")
	setDefault(oc, "issuer_mode", "ORG_URL")
	setDefault(oc, "wildcard_redirect", "DISABLED")
	setDefault(oc, "redirect_uris", []any{})
	setDefault(oc, "post_logout_redirect_uris", []any{})
	setDefault(oc, "response_types", []any{"code"})
	setDefault(oc, "idp_initiated_login", map[string]any{"mode": "DISABLED", "default_scope": []any{}})
	setDefault(oc, "participate_slo", false)
	setRefreshDefaults(oc, typ)
	cc := a.Obj("credentials", "oauthClient")
	setDefault(cc, "token_endpoint_auth_method", "client_secret_basic")
	setDefault(cc, "autoKeyRotation", true)
	setDefault(cc, "client_id", a.ID())
	method, _ := cc["token_endpoint_auth_method"].(string)
	setDefault(cc, "pkce_required", typ == "browser" || typ == "native" || method == "none")
	if method == "none" {
		cc["pkce_required"] = true
	}
	if strings.HasPrefix(method, "client_secret_") {
		setDefault(cc, "client_secret", secret)
	} else {
		delete(cc, "client_secret")
	}
}

// setRefreshDefaults fills refresh_token for an app with the refresh_token grant, as Okta
// shows it: rotation ROTATE for browser apps (SPAs) and STATIC for the others, leeway 30
// seconds ("Refresh access tokens and rotate refresh tokens"; OpenIdConnectRefreshTokenRotationType).
// Apps without the grant get none, as the Terraform provider expects (it sends the object only
// with the grant and reads it back whenever rotation_type is set).
func setRefreshDefaults(oc map[string]any, typ string) {
	grants, _ := oc["grant_types"].([]any)
	if !slices.Contains(grants, any("refresh_token")) {
		return
	}
	rotation := RotationStatic
	if typ == "browser" {
		rotation = RotationRotate
	}
	rt, ok := oc["refresh_token"].(map[string]any)
	if !ok {
		rt = map[string]any{"rotation_type": rotation}
		oc["refresh_token"] = rt
	}
	setDefault(rt, "leeway", DefaultLeeway)
}

// Public returns the app as Okta shows it: scheme apps' shared credentials (userName, password)
// are write-only. An OIDC app's client_secret is shown, as Okta does on every read. The logo
// record (LogoKey) is okapi's own and shows as _links.logo instead; the access policy is left
// out: Okta shows it only as a link; and so is a SAML app's external key (ExternalKeyField),
// which Okta shows only inside the metadata.
func (a App) Public() App {
	out := App{}
	for k, v := range a {
		out[k] = v
	}
	delete(out, LogoKey)
	delete(out, accessPolicyKey)
	delete(out, ExternalKeyField)
	if cred, ok := a["credentials"].(map[string]any); ok {
		c := map[string]any{}
		for k, v := range cred {
			if k != "password" && k != "userName" {
				c[k] = v
			}
		}
		out["credentials"] = c
	}
	return out
}

// Stamp sets the read-only fields of a stored app.
func (a App) Stamp(id, status string, created, updated domain.Time) {
	a["id"], a["status"] = id, status
	a["created"], a["lastUpdated"] = created, updated
}
