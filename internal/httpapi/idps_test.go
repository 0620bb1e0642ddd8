package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

const oidcIdP = `{"type":"OIDC","name":"%s","status":"ACTIVE","issuerMode":"ORG_URL",
 "policy":{"accountLink":{"action":"AUTO"},"maxClockSkew":0,"trustClaims":true,
  "provisioning":{"action":"AUTO","conditions":{"deprovisioned":{"action":"NONE"},"suspended":{"action":"NONE"}},"groups":{"action":"NONE"},"profileMaster":false},
  "subject":{"filter":"abc","matchType":"USERNAME","userNameTemplate":{"template":"idpuser.email"}}},
 "protocol":{"type":"OIDC","scopes":["openid"],"issuer":{"url":"https://id.example.com"},
  "credentials":{"client":{"client_id":"efg456","client_secret":"aaaa","pkce_required":null}},
  "endpoints":{"authorization":{"binding":"HTTP-REDIRECT","url":"https://id.example.com/authorize"},"token":{"binding":"HTTP-POST","url":"https://id.example.com/token"}},
  "algorithms":{"request":{"signature":{"algorithm":"HS256","scope":"REQUEST"}}},"settings":{"honorPersistentNameId":false}}}`

func createIdP(t *testing.T, e *env, body string) map[string]any {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/idps", Body: body})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)
}

// testCert is a self-signed RSA certificate, base64 DER, as an admin uploads it.
func testCert(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example.com"},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func TestIdPCreateShapeAndLifecycle(t *testing.T) {
	e := newEnv(t, "")
	// The Terraform provider's okta_idp_oidc create body.
	p := createIdP(t, e, fmt.Sprintf(oidcIdP, "testAcc_13"))
	id, _ := p["id"].(string)
	if !strings.HasPrefix(id, "0oa") || len(id) != 20 || p["status"] != "ACTIVE" || p["issuerMode"] != "ORG_URL" || p["created"] == nil {
		t.Fatalf("created %v", p)
	}
	pol := p["policy"].(map[string]any)
	if al := pol["accountLink"].(map[string]any); al["action"] != "AUTO" {
		t.Errorf("accountLink %v", al)
	}
	if pol["transformedUsernameMatchingEnabled"] != false {
		t.Errorf("policy defaults missing: %v", pol)
	}
	client := p["protocol"].(map[string]any)["credentials"].(map[string]any)["client"].(map[string]any)
	if client["client_secret"] != "aaaa" {
		t.Errorf("client_secret %v: Okta returns it and the Terraform provider compares it", client["client_secret"])
	}
	if _, ok := client["pkce_required"]; ok {
		t.Error("pkce_required:null should be dropped")
	}
	links := p["_links"].(map[string]any)
	if links["deactivate"] == nil || links["users"] == nil || links["authorize"] == nil {
		t.Errorf("links %v", links)
	}
	path := "/api/v1/idps/" + id
	if got := obj(t, e.do(req{Method: "POST", Path: path + "/lifecycle/deactivate"})); got["status"] != "INACTIVE" {
		t.Fatalf("deactivate %v", got)
	}
	body := strings.Replace(fmt.Sprintf(oidcIdP, "renamed"), `"status":"ACTIVE",`, "", 1)
	if got := obj(t, e.do(req{Method: "PUT", Path: path, Body: body})); got["name"] != "renamed" || got["status"] != "INACTIVE" || got["created"] != p["created"] {
		t.Fatalf("replace %v: want the new name, the status kept and created unchanged", got)
	}
	createIdP(t, e, fmt.Sprintf(oidcIdP, "second"))
	var list []map[string]any
	json.Unmarshal(e.do(req{Method: "GET", Path: "/api/v1/idps?q=REN&type=OIDC"}).Body.Bytes(), &list)
	if len(list) != 1 || list[0]["id"] != id {
		t.Errorf("q=REN&type=OIDC gave %d IdPs", len(list))
	}
	json.Unmarshal(e.do(req{Method: "GET", Path: "/api/v1/idps?type=SAML2"}).Body.Bytes(), &list)
	if len(list) != 0 {
		t.Errorf("type=SAML2 gave %d IdPs", len(list))
	}
	w := e.do(req{Method: "GET", Path: "/api/v1/idps?limit=1"})
	if json.Unmarshal(w.Body.Bytes(), &list); len(list) != 1 || !strings.Contains(strings.Join(w.Header().Values("Link"), " "), `rel="next"`) {
		t.Errorf("limit=1: %d IdPs, links %v", len(list), w.Header().Values("Link"))
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: path}), 204)
	wantError(t, e.do(req{Method: "GET", Path: path}), 404, "E0000007")
	for _, typ := range []string{"create", "deactivate", "update", "delete"} {
		if e.countEvents("system.idp.lifecycle."+typ) == 0 {
			t.Errorf("no system.idp.lifecycle.%s event", typ)
		}
	}
}

func TestIdPValidation(t *testing.T) {
	e := newEnv(t, "")
	tests := []struct{ name, body, cause string }{
		{"no name", `{"type":"OIDC","protocol":{"type":"OIDC"}}`, "name: The field cannot be left blank"},
		{"bad type", `{"name":"x","type":"CARRIER_PIGEON","protocol":{"type":"OIDC"}}`, `type: The type: "CARRIER_PIGEON" is not a supported identity provider type`},
		{"no protocol", `{"name":"x","type":"OIDC"}`, "protocol: The field cannot be left blank"},
		{"wrong protocol", `{"name":"x","type":"SAML2","protocol":{"type":"OIDC"}}`, "protocol.type: The protocol type for a SAML2 identity provider must be SAML2"},
		{"oidc without endpoints", `{"name":"x","type":"OIDC","protocol":{"type":"OIDC","scopes":["openid"],"credentials":{"client":{"client_id":"c"}}}}`, "protocol.endpoints.token.url: The field cannot be left blank"},
		{"oidc without openid", `{"name":"x","type":"GOOGLE","protocol":{"type":"OIDC","scopes":["email"],"credentials":{"client":{"client_id":"c"}}}}`, "protocol.scopes: The scopes of an OpenID Connect identity provider must include openid"},
		{"saml with unknown kid", `{"name":"x","type":"SAML2","protocol":{"type":"SAML2","endpoints":{"sso":{"url":"https://idp.example.com/sso"}},"credentials":{"trust":{"issuer":"urn:x","kid":"nope"}}}}`, "protocol.credentials.trust.kid: No IdP key with kid nope exists in the org"},
		{"bad status", `{"name":"x","type":"GOOGLE","status":"ON","protocol":{"type":"OAUTH2","scopes":["email"],"credentials":{"client":{"client_id":"c"}}}}`, "status: The status: ON is invalid. Use ACTIVE or INACTIVE."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps", Body: tt.body}), 400, "E0000001")
			if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps", Body: `{"name":`}), 400, "E0000003")
	if n := e.countEvents("system.idp.lifecycle.create"); n != 0 {
		t.Errorf("%d create events for refused creates", n)
	}
}

func TestIdPKeysAndSAML(t *testing.T) {
	e := newEnv(t, "")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/credentials/keys", Body: `{"x5c":["@\"MIID not a cert"]}`}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/credentials/keys", Body: `{"x5c":["` + base64.StdEncoding.EncodeToString([]byte("not DER")) + `"]}`}), 400, "E0000001")
	cert := testCert(t)
	k := obj(t, e.do(req{Method: "POST", Path: "/api/v1/idps/credentials/keys", Body: `{"x5c":["` + cert + `"]}`}))
	kid, _ := k["kid"].(string)
	if len(kid) != 36 || k["kty"] != "RSA" || k["use"] != "sig" || k["n"] == "" || k["e"] != "AQAB" || k["x5t#S256"] == "" || k["expiresAt"] == nil {
		t.Fatalf("org key %v", k)
	}
	if got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/idps/credentials/keys/" + kid})); got["kid"] != kid {
		t.Errorf("get key %v", got)
	}
	saml := createIdP(t, e, `{"name":"corp","type":"SAML2","protocol":{"type":"SAML2",
		"endpoints":{"sso":{"url":"https://idp.example.com/sso","binding":"HTTP-POST"},"acs":{"binding":"HTTP-POST","type":"INSTANCE"}},
		"credentials":{"trust":{"issuer":"urn:example:idp","audience":"urn:okapi","kid":"`+kid+`"}}}}`)
	if saml["_links"].(map[string]any)["acs"] == nil {
		t.Errorf("SAML IdP links %v", saml["_links"])
	}
	m := wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/idps/credentials/keys/" + kid}), 400, "E0000001")
	if !strings.Contains(fmt.Sprint(m["errorCauses"]), "in use") {
		t.Errorf("delete a key in use: %v", m)
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/idps/" + saml["id"].(string)}), 204)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/idps/credentials/keys/" + kid}), 204)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/idps/credentials/keys/" + kid}), 404, "E0000007")
}

func TestIdPSigningKeysAndCSRs(t *testing.T) {
	e := newEnv(t, "")
	a := createIdP(t, e, fmt.Sprintf(oidcIdP, "a"))["id"].(string)
	b := createIdP(t, e, fmt.Sprintf(oidcIdP, "b"))["id"].(string)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/generate?validityYears=1"}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/generate?validityYears=x"}), 400, "E0000001")
	k := obj(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/generate?validityYears=2"}))
	x5c := k["x5c"].([]any)
	der, _ := base64.StdEncoding.DecodeString(x5c[0].(string))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("generated x5c is not a certificate: %v", err)
	}
	if years := cert.NotAfter.Sub(cert.NotBefore).Hours() / 24 / 365; years < 1.99 || years > 2.01 {
		t.Errorf("certificate valid %.2f years, want 2", years)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
	if strings.Contains(e.do(req{Method: "GET", Path: "/api/v1/idps/" + a + "/credentials/keys"}).Body.String(), "privateKey") {
		t.Error("a private key is listed")
	}
	kid := k["kid"].(string)
	w := e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/" + kid + "/clone?targetIdpId=" + b})
	wantStatus(t, w, 201)
	if got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/idps/" + b + "/credentials/keys/" + kid})); got["kid"] != kid {
		t.Errorf("cloned key %v", got)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/" + kid + "/clone"}), 400, "E0000028")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/keys/" + kid + "/clone?targetIdpId=0oanope"}), 404, "E0000007")

	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/csrs", Body: `{"subject":{}}`}), 400, "E0000001")
	w = e.do(req{Method: "POST", Path: "/api/v1/idps/" + a + "/credentials/csrs",
		Body: `{"subject":{"countryName":"US","organizationName":"Okta, Inc.","commonName":"SP Issuer"},"subjectAltNames":{"dnsNames":["dev.example.com"]}}`})
	wantStatus(t, w, 201)
	c := obj(t, w)
	der, _ = base64.StdEncoding.DecodeString(c["csr"].(string))
	req509, err := x509.ParseCertificateRequest(der)
	if err != nil || req509.CheckSignature() != nil || req509.Subject.CommonName != "SP Issuer" || req509.DNSNames[0] != "dev.example.com" {
		t.Fatalf("CSR %v: %v", req509, err)
	}
	csrPath := "/api/v1/idps/" + a + "/credentials/csrs/" + c["id"].(string)
	wantStatus(t, e.do(req{Method: "GET", Path: csrPath}), 200)
	wantStatus(t, e.do(req{Method: "DELETE", Path: csrPath}), 204)
	wantError(t, e.do(req{Method: "GET", Path: csrPath}), 404, "E0000007")

	// Deleting the IdP deletes its keys; the clone in b stays.
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/idps/" + a}), 204)
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/idps/" + b + "/credentials/keys/" + kid}), 200)
}

func TestIdPUserLinks(t *testing.T) {
	e := newEnv(t, "")
	id := createIdP(t, e, fmt.Sprintf(oidcIdP, "links"))["id"].(string)
	u := obj(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Ida","lastName":"Link","email":"ida@example.com","login":"ida@example.com"}}`}))
	uid := u["id"].(string)
	path := "/api/v1/idps/" + id + "/users/" + uid
	wantError(t, e.do(req{Method: "POST", Path: path, Body: `{}`}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/idps/" + id + "/users/00unope", Body: `{"externalId":"x"}`}), 404, "E0000007")
	l := obj(t, e.do(req{Method: "POST", Path: path, Body: `{"externalId":"ext-1"}`}))
	if l["id"] != uid || l["externalId"] != "ext-1" || !strings.Contains(fmt.Sprint(l["_links"]), id) {
		t.Fatalf("link %v", l)
	}
	var list []any
	json.Unmarshal(e.do(req{Method: "GET", Path: "/api/v1/idps/" + id + "/users"}).Body.Bytes(), &list)
	if len(list) != 1 {
		t.Errorf("%d linked users, want 1", len(list))
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: path}), 204)
	wantError(t, e.do(req{Method: "GET", Path: path}), 404, "E0000007")
	if e.countEvents("user.identity_provider.link") != 1 || e.countEvents("user.identity_provider.unlink") != 1 {
		t.Error("link events missing")
	}
}
