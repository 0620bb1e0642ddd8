package okapitest_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/okapi-dev/okapi/okapitest"
)

// sdkClient is the official v5 client for an org URL. v5 keeps only the host name of the org
// URL, so Host (with the port) is set again after NewConfiguration.
func sdkClient(t *testing.T, orgURL, token string, hc *http.Client) (*okta.APIClient, *okta.Configuration) {
	t.Helper()
	cfg, err := okta.NewConfiguration(okta.WithOrgUrl(orgURL), okta.WithToken(token), okta.WithCache(false))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(orgURL)
	cfg.Host, cfg.Scheme = u.Host, u.Scheme
	if hc != nil {
		cfg.HTTPClient = hc
	}
	return okta.NewAPIClient(cfg), cfg
}

func createUser(t *testing.T, c *okta.APIClient, cfg *okta.Configuration, login string) string {
	t.Helper()
	profile := okta.NewUserProfile()
	profile.SetLogin(login)
	profile.SetEmail(login)
	profile.SetFirstName("Test")
	profile.SetLastName("User")
	body := okta.CreateUserRequest{Profile: *profile}
	u, _, err := c.UserAPI.CreateUser(cfg.Context).Body(body).Activate(false).Execute()
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u.GetId()
}

// TestStart is the one-liner: a default org over HTTP, driven by the v5 SDK.
func TestStart(t *testing.T) {
	orgURL, token := okapitest.Start(t)
	c, cfg := sdkClient(t, orgURL, token, nil)
	id := createUser(t, c, cfg, "start@example.com")
	u, _, err := c.UserAPI.GetUser(cfg.Context, id).Execute()
	if err != nil || u.GetStatus() != "STAGED" {
		t.Fatalf("GetUser: %+v %v", u, err)
	}
}

// TestSDKOverVerifiedHTTPS: the v5 SDK on https://acme.okapi.localhost:PORT, trusting okapi's CA
// through SSL_CERT_FILE, with no HTTPS check turned off: only the dialer is told that
// *.localhost is loopback.
func TestSDKOverVerifiedHTTPS(t *testing.T) {
	s := okapitest.StartServer(t, okapitest.Options{TLS: true, BaseDomain: "okapi.localhost"})
	t.Setenv("SSL_CERT_FILE", s.CAFile) // read when the system roots first load: no TLS happened before
	orgURL, token := s.NewOrg(t, "acme")
	if u, _ := url.Parse(orgURL); u.Hostname() != "acme.okapi.localhost" || u.Scheme != "https" {
		t.Fatalf("org URL %s", orgURL)
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: okapitest.DialLoopback}}
	c, cfg := sdkClient(t, orgURL, token, hc)
	id := createUser(t, c, cfg, "ada@example.com")
	u, _, err := c.UserAPI.GetUser(cfg.Context, "ada@example.com").Execute()
	if err != nil || u.GetId() != id {
		t.Fatalf("GetUser: %+v %v", u, err)
	}
	// The default org's token is refused on acme, and the default org has no ada.
	other, ocfg := sdkClient(t, orgURL, s.Token, hc)
	if _, resp, err := other.UserAPI.GetUser(ocfg.Context, id).Execute(); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("default token on acme: %v", err)
	}
	def, dcfg := sdkClient(t, s.URL, s.Token, hc)
	if _, resp, err := def.UserAPI.GetUser(dcfg.Context, id).Execute(); err == nil || resp == nil || resp.StatusCode != 404 {
		t.Errorf("acme's user in the default org: %v", err)
	}
}

// TestSnapshotHelpers: per-test state through the operator API.
func TestSnapshotHelpers(t *testing.T) {
	s := okapitest.StartServer(t, okapitest.Options{Seed: "../examples/seed.yaml"})
	c, cfg := sdkClient(t, s.URL, s.Token, nil)
	if _, _, err := c.UserAPI.GetUser(cfg.Context, "ada@example.com").Execute(); err != nil {
		t.Fatalf("seeded user: %v", err)
	}
	s.Snapshot(t, "default", "clean")
	createUser(t, c, cfg, "temp@example.com")
	s.Restore(t, "default", "clean")
	if _, resp, err := c.UserAPI.GetUser(cfg.Context, "temp@example.com").Execute(); err == nil || resp.StatusCode != 404 {
		t.Errorf("user created after the snapshot survives restore: %v", err)
	}
	s.Reset(t, "default", false)
	if _, resp, err := c.UserAPI.GetUser(cfg.Context, "ada@example.com").Execute(); err == nil || resp.StatusCode != 404 {
		t.Errorf("seeded user survives reset: %v", err)
	}
	s.Reset(t, "default", true)
	if _, _, err := c.UserAPI.GetUser(cfg.Context, "ada@example.com").Execute(); err != nil {
		t.Errorf("reset to seed: %v", err)
	}
	// The seeded fixed token works as written in the seed.
	seeded, scfg := sdkClient(t, s.URL, "00seedCiToken0000000000000000000000000000", nil)
	if _, _, err := seeded.UserAPI.GetUser(scfg.Context, "ada@example.com").Execute(); err != nil {
		t.Errorf("seeded token: %v", err)
	}
	// Two orgs on one server without per-org hosts: the token picks the org.
	_, acmeToken := s.NewOrg(t, "acme")
	ac, acfg := sdkClient(t, s.URL, acmeToken, nil)
	if _, resp, err := ac.UserAPI.GetUser(acfg.Context, "ada@example.com").Execute(); err == nil || resp.StatusCode != 404 {
		t.Errorf("acme sees the default org's user: %v", err)
	}
}
