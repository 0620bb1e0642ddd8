package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOktaOrganization: GET /.well-known/okta-organization answers without a token with the
// org id and pipeline "idx" (Identity Engine), which clients read to tell Classic from OIE.
func TestOktaOrganization(t *testing.T) {
	e := newEnv(t, "")
	w := e.do(req{Method: "GET", Path: "/.well-known/okta-organization", NoAuth: true})
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc struct {
		ID       string `json:"id"`
		Pipeline string `json:"pipeline"`
		Links    struct {
			Organization struct {
				Href string `json:"href"`
			} `json:"organization"`
		} `json:"_links"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Pipeline != "idx" || !strings.HasPrefix(doc.ID, "00o") || !strings.HasPrefix(doc.Links.Organization.Href, "http") {
		t.Errorf("okta-organization %s", w.Body)
	}
}
