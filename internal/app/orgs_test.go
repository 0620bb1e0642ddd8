package app_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
)

const (
	testOperator  = "op-secret-0123456789abcdef"
	testBootstrap = "00bootstrap0123456789abcdefghijklmnopqrstu"
)

// kit is a running okapi with per-org hosts under okapi.localhost, served over HTTPS with its
// generated certificate, and a client that trusts only okapi's CA.
type kit struct {
	t      *testing.T
	srv    *app.Server
	client *http.Client
	port   string
}

func startKit(t *testing.T, mutate func(*config.Config)) *kit {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), LogLevel: "error", BootstrapToken: testBootstrap,
		OperatorToken: testOperator, BaseDomain: "okapi.localhost", RateLimitProfile: "off", RateLimitWindow: time.Minute}
	if mutate != nil {
		mutate(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := app.Start(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
	tr := &http.Transport{DialContext: dialLoopback}
	if srv.CAFile != "" {
		tr.TLSClientConfig = &tls.Config{RootCAs: caPool(t, srv.CAFile)}
	}
	return &kit{t: t, srv: srv, port: port, client: &http.Client{Timeout: 10 * time.Second, Transport: tr}}
}

// dialLoopback dials 127.0.0.1 for localhost and *.localhost: RFC 6761 reserves them for
// loopback, but Go's resolver only knows that when the system's nsswitch says so.
func dialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func caPool(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("no CA certificate in " + path)
	}
	return pool
}

// hostURL is the URL of host (an org label, or "" for the base domain) on the kit's port.
func (k *kit) hostURL(label string) string {
	host := "okapi.localhost"
	if label != "" {
		host = label + "." + host
	}
	return "https://" + host + ":" + k.port
}

// do sends a request with an SSWS token and decodes a JSON answer into out (when not nil).
func (k *kit) do(method, url, token string, body any, out any) int {
	k.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		k.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else if method == http.MethodPost || method == http.MethodPut {
		req.ContentLength = 0
		req.Body = http.NoBody
		req.Header.Set("Content-Length", "0")
	}
	if token != "" {
		req.Header.Set("Authorization", "SSWS "+token)
	}
	resp, err := k.client.Do(req)
	if err != nil {
		k.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil && resp.StatusCode < 400 {
			k.t.Fatalf("%s %s: %v in %s", method, url, err, raw)
		}
	}
	return resp.StatusCode
}

// orgCreated is the operator API's answer to POST /okapi/v1/orgs.
type orgCreated struct {
	ID, Name, URL, Token string
}

func (k *kit) createOrg(name string) orgCreated {
	k.t.Helper()
	var org orgCreated
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs", testOperator, map[string]string{"name": name}, &org); st != 200 {
		k.t.Fatalf("create org %q: status %d", name, st)
	}
	return org
}

type oktaError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
}

func TestOperatorOrgs(t *testing.T) {
	k := startKit(t, nil)
	op := k.srv.URL + "/okapi/v1/orgs"
	var e oktaError
	for _, tok := range []string{"", "wrong-operator-token-xyz", testBootstrap} {
		if st := k.do("GET", op, tok, nil, &e); st != 401 || e.ErrorCode != "E0000011" {
			t.Errorf("operator API with token %q: %d %s, want 401 E0000011", tok, st, e.ErrorCode)
		}
	}
	start := time.Now()
	acme := k.createOrg("acme")
	t.Logf("POST /okapi/v1/orgs took %v (TLS request included)", time.Since(start))
	if acme.URL != k.hostURL("acme") || acme.Token == "" || acme.Name != "acme" {
		t.Fatalf("created org = %+v, want url %s and a token", acme, k.hostURL("acme"))
	}
	for _, tc := range []struct{ name, code string }{
		{"acme", "E0000001"}, {"Acme", "E0000001"}, {"-acme", "E0000001"}, {"a.b", "E0000001"}, {"", "E0000001"},
		{strings.Repeat("a", 64), "E0000001"},
	} {
		e = oktaError{}
		if st := k.do("POST", op, testOperator, map[string]string{"name": tc.name}, &e); st != 400 || e.ErrorCode != tc.code {
			t.Errorf("create org %q: %d %s, want 400 %s", tc.name, st, e.ErrorCode, tc.code)
		}
	}
	var list []orgCreated
	if st := k.do("GET", op, testOperator, nil, &list); st != 200 || len(list) != 2 || list[0].Name != "acme" || list[1].Name != "default" {
		t.Fatalf("list orgs: %d %+v", st, list)
	}
	if list[1].URL != k.hostURL("") || list[0].Token != "" {
		t.Errorf("listed orgs show %+v: want the base-domain URL for default and no tokens", list)
	}
	if st := k.do("DELETE", op+"/default", testOperator, nil, &e); st != 400 {
		t.Errorf("delete default org: %d, want 400", st)
	}
	if st := k.do("DELETE", op+"/acme", testOperator, nil, nil); st != 204 {
		t.Fatalf("delete acme: %d", st)
	}
	if st := k.do("GET", k.hostURL("acme")+"/api/v1/api-tokens", acme.Token, nil, &e); st != 404 || e.ErrorCode != "E0000007" {
		t.Errorf("deleted org's host: %d %s, want 404 E0000007", st, e.ErrorCode)
	}
	if st := k.do("DELETE", op+"/acme", testOperator, nil, &e); st != 404 {
		t.Errorf("delete acme twice: %d, want 404", st)
	}
	// A new org of the same name is a new org: the old token stays dead.
	again := k.createOrg("acme")
	if st := k.do("GET", k.hostURL("acme")+"/api/v1/api-tokens", acme.Token, nil, nil); st != 401 {
		t.Errorf("old acme token on the new acme: %d, want 401", st)
	}
	if st := k.do("GET", k.hostURL("acme")+"/api/v1/api-tokens", again.Token, nil, nil); st != 200 {
		t.Errorf("new acme token: %d, want 200", st)
	}
}

func TestOrgsAreIsolatedByHost(t *testing.T) {
	k := startKit(t, nil)
	acme := k.createOrg("acme")
	globex := k.createOrg("globex")
	tokens := func(url, tok string) (int, []map[string]any) {
		var out []map[string]any
		st := k.do("GET", url+"/api/v1/api-tokens", tok, nil, &out)
		return st, out
	}
	for _, tc := range []struct {
		name, url, token string
		want             int
	}{
		{"acme token on acme", k.hostURL("acme"), acme.Token, 200},
		{"globex token on globex", k.hostURL("globex"), globex.Token, 200},
		{"default token on base domain", k.hostURL(""), testBootstrap, 200},
		{"default token on 127.0.0.1", k.srv.URL, testBootstrap, 200},
		{"default token on localhost", "https://localhost:" + k.port, testBootstrap, 200},
		{"acme token on globex", k.hostURL("globex"), acme.Token, 401},
		{"globex token on acme", k.hostURL("acme"), globex.Token, 401},
		{"default token on acme", k.hostURL("acme"), testBootstrap, 401},
		{"acme token on 127.0.0.1", k.srv.URL, acme.Token, 401},
		{"acme token on base domain", k.hostURL(""), acme.Token, 401},
		{"unknown org", k.hostURL("initech"), acme.Token, 404},
	} {
		if st, _ := tokens(tc.url, tc.token); st != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, st, tc.want)
		}
	}
	// Each org sees its own tokens and log only.
	_, acmeTokens := tokens(k.hostURL("acme"), acme.Token)
	_, globexTokens := tokens(k.hostURL("globex"), globex.Token)
	if len(acmeTokens) != 1 || len(globexTokens) != 1 || acmeTokens[0]["id"] == globexTokens[0]["id"] {
		t.Fatalf("tokens: acme %v, globex %v", acmeTokens, globexTokens)
	}
	if href := acmeTokens[0]["_link"].(map[string]any)["self"].(map[string]any)["href"].(string); !strings.HasPrefix(href, k.hostURL("acme")+"/") {
		t.Errorf("acme token link %s is not on acme's host", href)
	}
	var origin map[string]any
	if st := k.do("POST", k.hostURL("acme")+"/api/v1/trustedOrigins", acme.Token,
		map[string]any{"name": "app", "origin": "https://app.example.com", "scopes": []map[string]string{{"type": "CORS"}}}, &origin); st != 200 {
		t.Fatalf("create trusted origin in acme: %d %v", st, origin)
	}
	var origins []map[string]any
	k.do("GET", k.hostURL("globex")+"/api/v1/trustedOrigins", globex.Token, nil, &origins)
	if len(origins) != 0 {
		t.Errorf("globex sees acme's trusted origins: %v", origins)
	}
	if st := k.do("GET", k.hostURL("globex")+"/api/v1/trustedOrigins/"+origin["id"].(string), globex.Token, nil, nil); st != 404 {
		t.Errorf("globex reads acme's trusted origin by id: %d, want 404", st)
	}
	var logs []map[string]any
	k.do("GET", k.hostURL("globex")+"/api/v1/logs", globex.Token, nil, &logs)
	for _, ev := range logs {
		if b, _ := json.Marshal(ev); bytes.Contains(b, []byte(origin["id"].(string))) || bytes.Contains(b, []byte(acmeTokens[0]["id"].(string))) {
			t.Errorf("globex's System Log shows an acme event: %s", b)
		}
	}
	// The refusal of acme's token on globex is logged in globex, naming no acme token.
	found := false
	for _, ev := range logs {
		if ev["eventType"] == "user.authentication.authenticate" && ev["outcome"].(map[string]any)["result"] == "FAILURE" {
			found = true
		}
	}
	if !found {
		t.Logf("globex log: %v", logs)
		t.Error("globex's System Log has no refused-token event for the foreign token")
	}
}

func TestOrgClock(t *testing.T) {
	k := startKit(t, func(c *config.Config) { c.TokenIdleExpiry = time.Hour })
	acme := k.createOrg("acme")
	clock := k.srv.URL + "/okapi/v1/orgs/acme/clock"
	var c struct {
		Now    string `json:"now"`
		Frozen bool   `json:"frozen"`
	}
	if st := k.do("POST", clock, testOperator, map[string]string{"freeze": "2030-01-01T00:00:00Z", "advance": "24h"}, &c); st != 200 ||
		c.Now != "2030-01-02T00:00:00.000Z" || !c.Frozen {
		t.Fatalf("freeze+advance: %d %+v", st, c)
	}
	var e oktaError
	for _, body := range []map[string]any{{"advance": "-1h"}, {"advance": "soon"}, {"freeze": "tomorrow"}, {"advance": 5}} {
		if st := k.do("POST", clock, testOperator, body, &e); st != 400 || e.ErrorCode != "E0000001" {
			t.Errorf("clock %v: %d %s, want 400 E0000001", body, st, e.ErrorCode)
		}
	}
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs/nope/clock", testOperator, map[string]string{"advance": "1h"}, nil); st != 404 {
		t.Errorf("clock of an unknown org: %d, want 404", st)
	}
	// Back to the server clock, then two hours on: acme's token has been idle past its hour,
	// while the default org's clock never moved.
	if st := k.do("POST", clock, testOperator, map[string]any{"reset": true, "advance": "2h"}, &c); st != 200 || c.Frozen {
		t.Fatalf("reset+advance: %d %+v", st, c)
	}
	if st := k.do("GET", k.hostURL("acme")+"/api/v1/api-tokens", acme.Token, nil, &e); st != 401 {
		t.Errorf("acme token after 2h idle on acme's clock: %d, want 401", st)
	}
	if st := k.do("GET", k.srv.URL+"/api/v1/api-tokens", testBootstrap, nil, nil); st != 200 {
		t.Errorf("default token: %d, want 200 (its org's clock did not move)", st)
	}
}

func TestFixedClockAndDeterministicIDs(t *testing.T) {
	ids := func() (string, string) {
		k := startKit(t, func(c *config.Config) {
			c.Clock, c.DeterministicIDs, c.HTTP = "fixed:2026-01-01T00:00:00Z", 42, true
		})
		org := k.createOrg("acme")
		var tokens []map[string]any
		k.do("GET", k.srv.URL+"/api/v1/api-tokens", testBootstrap, nil, &tokens)
		return org.ID + " " + org.Token, tokens[0]["id"].(string) + " " + tokens[0]["created"].(string)
	}
	org1, tok1 := ids()
	org2, tok2 := ids()
	if org1 != org2 || tok1 != tok2 {
		t.Errorf("two runs with --deterministic-ids 42 differ: %q/%q vs %q/%q", org1, tok1, org2, tok2)
	}
	if !strings.HasSuffix(tok1, "2026-01-01T00:00:00.000Z") {
		t.Errorf("token created %q, want the fixed clock's time", tok1)
	}
}

func TestCertificateCoversBaseDomainAndCAExport(t *testing.T) {
	dir := t.TempDir()
	k := startKit(t, func(c *config.Config) { c.DataDir = dir })
	caBefore, _ := os.ReadFile(k.srv.CAFile)
	out := filepath.Join(t.TempDir(), "ca.pem")
	if err := app.Run(context.Background(), []string{"ca", "export", "--data-dir", dir, "--out", out}, func(string) string { return "" }, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	exported, _ := os.ReadFile(out)
	if !bytes.Equal(exported, caBefore) {
		t.Error("okapi ca export wrote a different CA than the server uses")
	}
	// k.client trusts only the CA: these handshakes verify the leaf names.
	for _, u := range []string{k.hostURL(""), k.hostURL("acme"), k.srv.URL, "https://localhost:" + k.port} {
		if _, err := k.client.Get(u + "/healthz"); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	_ = k.srv.Shutdown(context.Background())
	// A new base domain: new leaf, same CA.
	k2 := startKit(t, func(c *config.Config) { c.DataDir = dir; c.BaseDomain = "example.test" })
	caAfter, _ := os.ReadFile(k2.srv.CAFile)
	if !bytes.Equal(caAfter, caBefore) {
		t.Error("the CA changed when the base domain did")
	}
	conn, err := tls.Dial("tcp", "127.0.0.1:"+k2.port, &tls.Config{RootCAs: caPool(t, out), ServerName: "acme.example.test"})
	if err != nil {
		t.Fatalf("leaf for the new base domain: %v", err)
	}
	conn.Close()
}

// TestOrgClockMovesRateLimitWindows: an org's rate-limit window follows the org's clock, so a
// test advances past a 429 instead of waiting for the window.
func TestOrgClockMovesRateLimitWindows(t *testing.T) {
	k := startKit(t, func(c *config.Config) { c.RateLimitProfile, c.RateLimitWindow = "test", time.Hour })
	acme := k.createOrg("acme")
	clock := k.srv.URL + "/okapi/v1/orgs/acme/clock"
	url := k.hostURL("acme") + "/api/v1/api-tokens"
	for i := range 5 {
		if st := k.do("GET", url, acme.Token, nil, nil); st != 200 {
			t.Fatalf("request %d: %d", i+1, st)
		}
	}
	if st := k.do("GET", url, acme.Token, nil, nil); st != 429 {
		t.Fatalf("sixth request in the window: %d, want 429", st)
	}
	if st := k.do("POST", clock, testOperator, map[string]string{"advance": "61m"}, nil); st != 200 {
		t.Fatalf("advance: %d", st)
	}
	if st := k.do("GET", url, acme.Token, nil, nil); st != 200 {
		t.Fatalf("after advancing the org clock past the window: %d, want 200", st)
	}
}
