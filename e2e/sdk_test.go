package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

const bootstrap = "00E2eBootstrapTokenForTheOktaSdk0000000000"

// sdk returns an official v5 client for a running okapi. v5 keeps only the host name of the
// org URL (it drops the port), so Host is set again after NewConfiguration
// (okta-sdk-golang v5, okta/configuration.go: cfg.Host = purl.Hostname()).
func sdk(t *testing.T, p *process, token string, httpClient *http.Client) (*okta.APIClient, *okta.Configuration) {
	t.Helper()
	cfg, err := okta.NewConfiguration(okta.WithOrgUrl(p.url.String()), okta.WithToken(token), okta.WithCache(false))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Host = p.url.Host
	cfg.Scheme = p.url.Scheme
	if httpClient != nil {
		cfg.HTTPClient = httpClient
	}
	return okta.NewAPIClient(cfg), cfg
}

// TestSDKOverHTTP: `okapi serve --http` with OKAPI_BOOTSTRAP_TOKEN, driven by the official v5
// SDK: list, get, revoke, and a revoked token refused on the next call.
func TestSDKOverHTTP(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, []string{"OKAPI_BOOTSTRAP_TOKEN=" + bootstrap}, "--http", "--data-dir", dir)
	client, cfg := sdk(t, p, bootstrap, nil)

	tokens, resp, err := client.ApiTokenAPI.ListApiTokens(cfg.Context).Execute()
	if err != nil {
		t.Fatalf("ListApiTokens: %v", err)
	}
	if len(tokens) != 1 || tokens[0].GetName() != "bootstrap" || !strings.HasPrefix(tokens[0].GetId(), "00T") {
		t.Fatalf("tokens = %+v", tokens)
	}
	if resp.Header.Get("X-Okta-Request-Id") == "" {
		t.Error("no X-Okta-Request-Id")
	}
	if tokens[0].GetCreated().IsZero() || tokens[0].GetExpiresAt().Before(time.Now()) {
		t.Errorf("dates: created %v expires %v", tokens[0].GetCreated(), tokens[0].GetExpiresAt())
	}

	got, _, err := client.ApiTokenAPI.GetApiToken(cfg.Context, tokens[0].GetId()).Execute()
	if err != nil {
		t.Fatalf("GetApiToken: %v", err)
	}
	if got.GetId() != tokens[0].GetId() || !strings.HasSuffix(got.GetLink().Self.GetHref(), "/api/v1/api-tokens/"+got.GetId()) {
		t.Errorf("token = %+v, self %q", got, got.GetLink().Self.GetHref())
	}

	_, _, err = client.ApiTokenAPI.GetApiToken(cfg.Context, "00Tnonexistent00000").Execute()
	var oe *okta.GenericOpenAPIError
	if !errors.As(err, &oe) {
		t.Fatalf("unknown token: err = %v", err)
	}
	if e, ok := oe.Model().(okta.Error); !ok || e.GetErrorCode() != "E0000007" {
		t.Errorf("unknown token: model %#v, body %s", oe.Model(), oe.Body())
	}

	// A token minted by the CLI while the server runs (two processes on one SQLite file).
	out, _ := okapi(t, nil, "token", "create", "--name", "cli", "--data-dir", dir)
	cli := strings.TrimSpace(out)
	cliClient, _ := sdk(t, p, cli, nil)
	list, _, err := cliClient.ApiTokenAPI.ListApiTokens(cfg.Context).Execute()
	if err != nil || len(list) != 2 {
		t.Fatalf("CLI token: %v, %d tokens", err, len(list))
	}
	if _, err := cliClient.ApiTokenAPI.RevokeCurrentApiToken(cfg.Context).Execute(); err != nil {
		t.Fatalf("RevokeCurrentApiToken: %v", err)
	}
	_, resp, err = cliClient.ApiTokenAPI.ListApiTokens(cfg.Context).Execute()
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("revoked CLI token: err %v, resp %v", err, resp)
	}
	if _, _, err := client.ApiTokenAPI.ListApiTokens(cfg.Context).Execute(); err != nil {
		t.Errorf("bootstrap token after revoking another: %v", err)
	}
}

// TestSDKOverTLS: the default HTTPS mode with the generated certificate, trusted through
// <data-dir>/okapi-ca.pem; no verification is switched off.
func TestSDKOverTLS(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, []string{"OKAPI_BOOTSTRAP_TOKEN=" + bootstrap}, "--data-dir", dir)
	if p.url.Scheme != "https" {
		t.Fatalf("default mode serves %s", p.url)
	}
	ca, err := os.ReadFile(filepath.Join(dir, "okapi-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("no certificate in okapi-ca.pem")
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	client, cfg := sdk(t, p, bootstrap, hc)
	tokens, _, err := client.ApiTokenAPI.ListApiTokens(cfg.Context).Execute()
	if err != nil || len(tokens) != 1 {
		t.Fatalf("ListApiTokens over TLS: %v %v", err, tokens)
	}
	if m := p.logs.find("serving with a generated certificate"); m == nil || m["sha256"] == "" || m["cert"] != filepath.Join(dir, "tls-cert.pem") {
		t.Errorf("certificate log line = %v", m)
	}

	// Without the CA, the SDK's default client refuses the connection.
	plain, cfg2 := sdk(t, p, bootstrap, &http.Client{Timeout: 5 * time.Second})
	if _, _, err := plain.ApiTokenAPI.ListApiTokens(cfg2.Context).Execute(); err == nil {
		t.Error("a client that does not trust okapi-ca.pem was served")
	}
}
