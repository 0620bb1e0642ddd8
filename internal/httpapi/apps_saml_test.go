package httpapi_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

// tfSAMLApp is the okta_app_saml create body of the provider's recorded
// TestAccResourceOktaAppSaml_crud, trimmed: no name (Okta generates one), *Override keys empty.
const tfSAMLApp = `{"label":"testAcc_2","signOnMode":"SAML_2_0","credentials":{"userNameTemplate":{"template":"${source.login}","type":"BUILT_IN"}},
 "settings":{"app":{},"signOn":{"acsEndpoints":[{"index":0,"url":"https://example.com"},{"index":1,"url":"https://okta.com"}],
  "allowMultipleAcsEndpoints":true,"audience":"http://audience.com","audienceOverride":"","ssoAcsUrl":"http://google.com",
  "attributeStatements":[{"name":"Attr One","namespace":"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified","type":"EXPRESSION","values":["val"]}]}}}`

// samlMetadata is the IdP metadata as a namespace-aware reader (the Terraform provider, a SAML
// library) decodes it: every element is matched in its namespace.
type samlMetadata struct {
	XMLName  xml.Name `xml:"urn:oasis:names:tc:SAML:2.0:metadata EntityDescriptor"`
	EntityID string   `xml:"entityID,attr"`
	IDP      []struct {
		WantAuthnRequestsSigned string `xml:"WantAuthnRequestsSigned,attr"`
		Protocols               string `xml:"protocolSupportEnumeration,attr"`
		Keys                    []struct {
			Use     string `xml:"use,attr"`
			KeyInfo struct {
				X509Data struct {
					Certs []string `xml:"http://www.w3.org/2000/09/xmldsig# X509Certificate"`
				} `xml:"http://www.w3.org/2000/09/xmldsig# X509Data"`
			} `xml:"http://www.w3.org/2000/09/xmldsig# KeyInfo"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:metadata KeyDescriptor"`
		NameIDFormats []string `xml:"urn:oasis:names:tc:SAML:2.0:metadata NameIDFormat"`
		SSO           []struct {
			Binding  string `xml:"Binding,attr"`
			Location string `xml:"Location,attr"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:metadata SingleSignOnService"`
	} `xml:"urn:oasis:names:tc:SAML:2.0:metadata IDPSSODescriptor"`
}

// samlApp is what the provider reads of a SAML app before it fetches the metadata.
type samlApp struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	LastUpdated string `json:"lastUpdated"`
	Credentials struct {
		Signing struct {
			Kid string `json:"kid"`
		} `json:"signing"`
	} `json:"credentials"`
	Links struct {
		Metadata struct {
			Href string `json:"href"`
			Type string `json:"type"`
		} `json:"metadata"`
	} `json:"_links"`
}

// getXML sends a GET with the token and the given Accept header (the provider sends
// application/xml) and returns the status, Content-Type and body.
func (e *groupsEnv) getXML(url, accept string) (int, string, []byte) {
	e.t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+e.token)
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

// metadata fetches an app's metadata as the provider does and decodes it, failing unless the
// answer is 200 XML.
func (e *groupsEnv) metadata(t *testing.T, url string) (samlMetadata, []byte) {
	t.Helper()
	status, ct, data := e.getXML(url, "application/xml")
	if status != 200 || !strings.Contains(ct, "application/xml") {
		t.Fatalf("GET %s: %d %q, want 200 application/xml: %s", url, status, ct, data)
	}
	var md samlMetadata
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	if err := d.Decode(&md); err != nil {
		t.Fatalf("metadata does not parse: %v\n%s", err, data)
	}
	return md, data
}

var exkID = regexp.MustCompile(`^exk[0-9A-Za-z]{17}$`)

// checkMetadata checks every field of the metadata of app for the key whose x5c[0] is cert,
// and returns the external key.
func checkMetadata(t *testing.T, e *groupsEnv, md samlMetadata, app samlApp, cert string) string {
	t.Helper()
	exk, ok := strings.CutPrefix(md.EntityID, "http://www.okta.com/")
	if !ok || !exkID.MatchString(exk) {
		t.Fatalf("entityID %q, want http://www.okta.com/exk...", md.EntityID)
	}
	if len(md.IDP) != 1 {
		t.Fatalf("%d IDPSSODescriptors, want 1", len(md.IDP))
	}
	idp := md.IDP[0]
	if idp.WantAuthnRequestsSigned != "false" || idp.Protocols != "urn:oasis:names:tc:SAML:2.0:protocol" {
		t.Errorf("IDPSSODescriptor WantAuthnRequestsSigned=%q protocolSupportEnumeration=%q", idp.WantAuthnRequestsSigned, idp.Protocols)
	}
	if len(idp.Keys) != 1 || idp.Keys[0].Use != "signing" || len(idp.Keys[0].KeyInfo.X509Data.Certs) != 1 {
		t.Fatalf("KeyDescriptors %+v, want one signing key with one certificate", idp.Keys)
	}
	// Okta wraps the base64 at 76 characters; readers ignore the whitespace.
	got := strings.Join(strings.Fields(idp.Keys[0].KeyInfo.X509Data.Certs[0]), "")
	if got != cert {
		t.Errorf("certificate %s..., want the key's x5c[0] %s...", got[:min(40, len(got))], cert[:40])
	}
	der, err := base64.StdEncoding.DecodeString(got)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCertificate(der); err != nil {
		t.Errorf("the certificate is not X.509: %v", err)
	}
	wantFormats := []string{"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}
	if strings.Join(idp.NameIDFormats, " ") != strings.Join(wantFormats, " ") {
		t.Errorf("NameIDFormats %v, want %v", idp.NameIDFormats, wantFormats)
	}
	sso := e.srv.URL + "/app/" + app.Name + "/" + exk + "/sso/saml"
	if len(idp.SSO) != 2 || idp.SSO[0].Binding != "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ||
		idp.SSO[1].Binding != "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" ||
		idp.SSO[0].Location != sso || idp.SSO[1].Location != sso {
		t.Errorf("SingleSignOnServices %+v, want HTTP-POST and HTTP-Redirect at %s", idp.SSO, sso)
	}
	return exk
}

// keyCert returns x5c[0] of one of an app's keys.
func keyCert(t *testing.T, e *groupsEnv, appID, kid string) string {
	t.Helper()
	k := decodeAs[struct {
		X5c []string `json:"x5c"`
	}](t, e.must(200, "GET", "/api/v1/apps/"+appID+"/credentials/keys/"+kid, nil))
	if len(k.X5c) == 0 {
		t.Fatalf("key %s has no x5c", kid)
	}
	return k.X5c[0]
}

// TestSAMLMetadataTerraformSequence replays okta_app_saml's create and read: POST the app, GET
// it, GET _links.metadata.href?kid=credentials.signing.kid as XML, GET the keys. The metadata
// names the app's key, its external key and SSO URL, and stays the same across reads and a
// replace.
func TestSAMLMetadataTerraformSequence(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		created := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps?activate=true", tfSAMLApp))
		raw := e.must(200, "GET", "/api/v1/apps/"+created.ID, nil)
		if strings.Contains(string(raw), "_externalKey") || strings.Contains(string(raw), `"exk`) {
			t.Errorf("the app shows its stored external key: %s", raw)
		}
		app := decodeAs[samlApp](t, raw)
		if want := e.srv.URL + "/api/v1/apps/" + app.ID + "/sso/saml/metadata"; app.Links.Metadata.Href != want || app.Links.Metadata.Type != "application/xml" {
			t.Errorf("_links.metadata %+v, want %s application/xml", app.Links.Metadata, want)
		}
		if app.Credentials.Signing.Kid == "" || app.Status != "ACTIVE" {
			t.Fatalf("app %+v: want ACTIVE with credentials.signing.kid", app)
		}
		md, doc := e.metadata(t, app.Links.Metadata.Href+"?kid="+app.Credentials.Signing.Kid)
		cert := keyCert(t, e, app.ID, app.Credentials.Signing.Kid)
		exk := checkMetadata(t, e, md, app, cert)
		if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"`)) {
			t.Errorf("the document does not start as Okta's does:\n%s", doc[:min(200, len(doc))])
		}
		keys := decodeAs[[]json.RawMessage](t, e.must(200, "GET", "/api/v1/apps/"+app.ID+"/credentials/keys", nil))
		if len(keys) != 1 {
			t.Errorf("%d keys, want the one made at creation", len(keys))
		}

		// Without kid: the active key. Any Accept that allows XML or JSON is served.
		for _, accept := range []string{"application/xml", "text/xml", "*/*", "application/json"} {
			status, _, data := e.getXML(app.Links.Metadata.Href, accept)
			if status != 200 || !bytes.Equal(data, doc) {
				t.Errorf("Accept %s: %d, want 200 and the same document:\n%s", accept, status, data)
			}
		}
		if status, _, _ := e.getXML(app.Links.Metadata.Href, "text/html"); status != 406 {
			t.Errorf("Accept text/html: %d, want 406", status)
		}

		// Update: a full PUT keeps the external key (a body cannot set it either).
		replaced := strings.Replace(tfSAMLApp, `"label":"testAcc_2"`, `"label":"testAcc_2b","_externalKey":"exkAAAAAAAAAAAAAAAAA"`, 1)
		e.must(200, "PUT", "/api/v1/apps/"+app.ID, replaced)
		md2, _ := e.metadata(t, app.Links.Metadata.Href+"?kid="+app.Credentials.Signing.Kid)
		if got := checkMetadata(t, e, md2, app, cert); got != exk {
			t.Errorf("after a replace the external key is %s, want %s", got, exk)
		}

		// A second SAML app has an external key of its own.
		other := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfSAMLApp))
		md3, _ := e.metadata(t, e.srv.URL+"/api/v1/apps/"+other.ID+"/sso/saml/metadata")
		if got := checkMetadata(t, e, md3, other, keyCert(t, e, other.ID, other.Credentials.Signing.Kid)); got == exk {
			t.Errorf("two apps share the external key %s", exk)
		}

		// A SAML 1.1 app (okta_app_saml with saml_version 1.1) is read the same way.
		saml11 := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", strings.Replace(tfSAMLApp, "SAML_2_0", "SAML_1_1", 1)))
		md4, _ := e.metadata(t, saml11.Links.Metadata.Href+"?kid="+saml11.Credentials.Signing.Kid)
		checkMetadata(t, e, md4, saml11, keyCert(t, e, saml11.ID, saml11.Credentials.Signing.Kid))
	})
}

// TestSAMLMetadataKidSelection: ?kid= picks one of the app's keys; without it the metadata
// names the active key (credentials.signing.kid), also once another key was generated.
func TestSAMLMetadataKidSelection(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		app := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfSAMLApp))
		href := e.srv.URL + "/api/v1/apps/" + app.ID + "/sso/saml/metadata"
		next := decodeAs[struct {
			Kid string `json:"kid"`
		}](t, e.must(201, "POST", "/api/v1/apps/"+app.ID+"/credentials/keys/generate?validityYears=2", nil)).Kid
		active, newer := keyCert(t, e, app.ID, app.Credentials.Signing.Kid), keyCert(t, e, app.ID, next)
		if active == newer {
			t.Fatal("the generated key has the active key's certificate")
		}
		md, _ := e.metadata(t, href)
		exk := checkMetadata(t, e, md, app, active)
		md, _ = e.metadata(t, href+"?kid="+next)
		if got := checkMetadata(t, e, md, app, newer); got != exk {
			t.Errorf("the external key depends on the kid: %s and %s", exk, got)
		}
		md, _ = e.metadata(t, href+"?kid="+app.Credentials.Signing.Kid)
		checkMetadata(t, e, md, app, active)
	})
}

// TestSAMLMetadataErrors: unknown apps and keys, a key of another app, and apps that do not
// sign on with SAML are 404 E0000007 in JSON, whatever the Accept header.
func TestSAMLMetadataErrors(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		app := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfSAMLApp))
		other := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfSAMLApp))
		bookmark := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps",
			`{"name":"bookmark","label":"Wiki","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://wiki.example.com"}}}`))
		oidc := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfOAuthApp))
		if bookmark.Links.Metadata.Href != "" || oidc.Links.Metadata.Href != "" {
			t.Errorf("a non-SAML app links metadata: %+v %+v", bookmark.Links, oidc.Links)
		}
		meta := func(id string) string { return "/api/v1/apps/" + id + "/sso/saml/metadata" }
		for _, tc := range []struct{ name, path, text string }{
			{"unknown app", meta("0oaNOSUCHAPP0000000"), "0oaNOSUCHAPP0000000 (Application)"},
			{"unknown kid", meta(app.ID) + "?kid=nope", "nope (AppInstanceKeyCredential)"},
			{"another app's kid", meta(app.ID) + "?kid=" + other.Credentials.Signing.Kid, "(AppInstanceKeyCredential)"},
			{"bookmark app", meta(bookmark.ID), bookmark.ID + " (AppInstance)"},
			{"OIDC app", meta(oidc.ID), oidc.ID + " (AppInstance)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantErr(t, e, "GET", tc.path, "", 404, "E0000007", tc.text)
				status, ct, _ := e.getXML(e.srv.URL+tc.path, "application/xml")
				if status != 404 || !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Accept application/xml: %d %s, want a 404 in JSON", status, ct)
				}
			})
		}
	})
}

// TestSAMLMetadataLegacyApp: a SAML app stored before okapi gave SAML apps an external key gets
// one on its first metadata read, the same ever after, without a change Okta would show.
func TestSAMLMetadataLegacyApp(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		app := decodeAs[samlApp](t, e.must(200, "POST", "/api/v1/apps", tfSAMLApp))
		ctx := context.Background()
		err := e.db.Update(ctx, func(tx store.Tx) error {
			o, err := tx.GetAppObject(ctx, e.org.ID, "app", "", app.ID, "Application")
			if err != nil {
				return err
			}
			var doc map[string]any
			if err := json.Unmarshal(o.Data, &doc); err != nil {
				return err
			}
			if _, ok := doc["_externalKey"]; !ok {
				t.Errorf("a new SAML app is stored without an external key: %s", o.Data)
			}
			delete(doc, "_externalKey")
			if o.Data, err = json.Marshal(doc); err != nil {
				return err
			}
			return tx.PutAppObject(ctx, e.org.ID, o)
		})
		if err != nil {
			t.Fatal(err)
		}
		before := len(e.events("application.lifecycle.update"))
		href := e.srv.URL + "/api/v1/apps/" + app.ID + "/sso/saml/metadata"
		cert := keyCert(t, e, app.ID, app.Credentials.Signing.Kid)
		md, _ := e.metadata(t, href)
		exk := checkMetadata(t, e, md, app, cert)
		md, _ = e.metadata(t, href)
		if got := checkMetadata(t, e, md, app, cert); got != exk {
			t.Errorf("the external key changed from %s to %s", exk, got)
		}
		after := decodeAs[samlApp](t, e.must(200, "GET", "/api/v1/apps/"+app.ID, nil))
		if after.LastUpdated != app.LastUpdated || len(e.events("application.lifecycle.update")) != before {
			t.Errorf("giving the external key changed the app (lastUpdated %s -> %s) or logged an update", app.LastUpdated, after.LastUpdated)
		}
	})
}
