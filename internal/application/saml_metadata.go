package application

import (
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
)

// ExternalKeyField holds, in a stored SAML app, its external key: the "exk..." id Okta gives
// every SAML app besides its app id. It names the app to service providers (the metadata's
// entityID http://www.okta.com/{externalKey} and the SSO URL /app/{name}/{externalKey}/sso/saml,
// see previewSAMLmetadataForApplication). Okta does not show it in the Application object, so
// Public leaves it out and a create or replace body cannot set it.
const ExternalKeyField = "_externalKey"

// ExternalKeyPrefix starts an external key, as Okta's do: "exk" and 17 base62 characters.
const ExternalKeyPrefix = "exk"

// IsSAML reports whether the app signs on with SAML (2.0 or 1.1): the modes with IdP metadata.
func (a App) IsSAML() bool { return a.SignOnMode() == SAML20 || a.SignOnMode() == SAML11 }

// ExternalKey is a SAML app's external key ("" when it has none yet).
func (a App) ExternalKey() string { return a.Str(ExternalKeyField) }

// SetExternalKey records the external key; "" removes it.
func (a App) SetExternalKey(key string) {
	if key == "" {
		delete(a, ExternalKeyField)
		return
	}
	a[ExternalKeyField] = key
}

// EntityID is the IdP entity id a SAML app's service provider trusts: Okta's
// "http://www.okta.com/{externalKey}".
func (a App) EntityID() string { return "http://www.okta.com/" + a.ExternalKey() }

// SSOURL is the app's SAML single sign-on endpoint under the org's base URL:
// {base}/app/{app name}/{externalKey}/sso/saml. The name is path-escaped, so the URL is ASCII.
func (a App) SSOURL(base string) string {
	return strings.TrimSuffix(base, "/") + "/app/" + url.PathEscape(a.Name()) + "/" + url.PathEscape(a.ExternalKey()) + "/sso/saml"
}

// SAML constants the metadata names (SAML 2.0 core and bindings, XML-DSig).
const (
	mdNamespace     = "urn:oasis:names:tc:SAML:2.0:metadata"
	dsNamespace     = "http://www.w3.org/2000/09/xmldsig#"
	SAMLProtocol    = "urn:oasis:names:tc:SAML:2.0:protocol"
	BindingHTTPPost = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	BindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	NameIDEmail     = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDUnspec    = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
)

// The metadata document, in Okta's form: the md: and ds: prefixes are written as the element
// names with their xmlns declarations as attributes, so the output reads as Okta's does
// (encoding/xml would otherwise declare a default namespace on every element). All values are
// attributes or character data, which encoding/xml escapes.
type mdEntityDescriptor struct {
	XMLName  xml.Name        `xml:"md:EntityDescriptor"`
	XMLNS    string          `xml:"xmlns:md,attr"`
	EntityID string          `xml:"entityID,attr"`
	IDP      mdIDPDescriptor `xml:"md:IDPSSODescriptor"`
}

type mdIDPDescriptor struct {
	WantAuthnRequestsSigned string            `xml:"WantAuthnRequestsSigned,attr"`
	Protocols               string            `xml:"protocolSupportEnumeration,attr"`
	Keys                    []mdKeyDescriptor `xml:"md:KeyDescriptor"`
	NameIDFormats           []string          `xml:"md:NameIDFormat"`
	SSO                     []mdEndpoint      `xml:"md:SingleSignOnService"`
}

type mdKeyDescriptor struct {
	Use     string    `xml:"use,attr"`
	KeyInfo dsKeyInfo `xml:"ds:KeyInfo"`
}

type dsKeyInfo struct {
	XMLNS string `xml:"xmlns:ds,attr"`
	Cert  string `xml:"ds:X509Data>ds:X509Certificate"`
}

type mdEndpoint struct {
	Binding  string `xml:"Binding,attr"`
	Location string `xml:"Location,attr"`
}

// IdPMetadata is the SAML 2.0 IdP metadata Okta serves for a SAML app
// (previewSAMLmetadataForApplication): its entityID, unsigned AuthnRequests accepted, one
// signing KeyDescriptor per certificate (base64 DER, x5c[0] of the app's key), the name id
// formats Okta lists, and the HTTP-POST and HTTP-Redirect SSO endpoints under base.
func (a App) IdPMetadata(base string, certs ...string) ([]byte, error) {
	if a.ExternalKey() == "" {
		return nil, errors.New("application: the SAML app has no external key")
	}
	sso := a.SSOURL(base)
	d := mdEntityDescriptor{XMLNS: mdNamespace, EntityID: a.EntityID(), IDP: mdIDPDescriptor{
		WantAuthnRequestsSigned: "false",
		Protocols:               SAMLProtocol,
		NameIDFormats:           []string{NameIDUnspec, NameIDEmail},
		SSO:                     []mdEndpoint{{BindingHTTPPost, sso}, {BindingRedirect, sso}},
	}}
	for _, c := range certs {
		d.IDP.Keys = append(d.IDP.Keys, mdKeyDescriptor{Use: "signing", KeyInfo: dsKeyInfo{XMLNS: dsNamespace, Cert: wrap76(c)}})
	}
	out, err := xml.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// wrap76 breaks base64 into lines of 76 characters, as Okta's metadata shows certificates
// (MIME line length; XML-DSig readers ignore the whitespace).
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76])
		b.WriteByte('\n')
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}
