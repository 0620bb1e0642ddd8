// Package okapitest runs okapi inside a Go test: a real okapi (HTTP API, SQLite in a temp dir)
// on a free loopback port, stopped by t.Cleanup. Point an Okta SDK or your own client at the
// URL it returns.
//
//	func TestSignup(t *testing.T) {
//		orgURL, token := okapitest.Start(t)
//		cfg, _ := okta.NewConfiguration(okta.WithOrgUrl(orgURL), okta.WithToken(token))
//		cfg.Host = strings.TrimPrefix(orgURL, "http://") // the v5 SDK drops the port
//		cfg.Scheme = "http"
//		...
//	}
package okapitest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
)

// Options configure StartServer. The zero value is what Start uses.
type Options struct {
	// TLS serves HTTPS with okapi's generated certificate; Server.CAFile is its CA and
	// Server.Client trusts it. Default: plain HTTP on 127.0.0.1.
	TLS bool
	// BaseDomain serves one org per host, <org>.<BaseDomain> (use "okapi.localhost"). Without
	// it every org shares the server's URL and its API token picks the org.
	BaseDomain string
	// Seed is a seed file (YAML or JSON) loaded into the default org.
	Seed string
	// Clock is "fixed:2026-01-01T00:00:00Z" to freeze okapi's clock.
	Clock string
	// DeterministicIDs, when non-zero, makes generated ids repeat from run to run.
	DeterministicIDs uint64
	// Log receives okapi's JSON log (default: only errors, to the test log).
	Log io.Writer
}

// Server is a running okapi.
type Server struct {
	// URL is the default org's base URL; Token its API token (SSWS).
	URL, Token string
	// OperatorToken authorises the operator API (/okapi/v1: orgs, seeds, snapshots, clocks).
	OperatorToken string
	// CAFile is the CA certificate to trust when TLS is on (for SSL_CERT_FILE).
	CAFile string
	// Client is an HTTP client for the server: it trusts CAFile and dials 127.0.0.1 for
	// *.localhost, which Go's resolver does not always do.
	Client *http.Client
	srv    *app.Server
	base   string
}

// Start starts okapi for the test and returns the default org's URL and API token.
func Start(t testing.TB) (orgURL, token string) {
	t.Helper()
	s := StartServer(t, Options{})
	return s.URL, s.Token
}

// StartServer starts okapi with options; t.Cleanup shuts it down.
func StartServer(t testing.TB, opt Options) *Server {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: !opt.TLS, LogLevel: "error",
		BootstrapToken: "00" + domain.CryptoIDs{}.Random(40), OperatorToken: "okop_" + domain.CryptoIDs{}.Random(40),
		BaseDomain: opt.BaseDomain, Seed: opt.Seed, Clock: opt.Clock, DeterministicIDs: opt.DeterministicIDs,
		RateLimitProfile: "off", AdminLogin: "admin@okapi.test", TokenIdleExpiry: 720 * time.Hour}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("okapitest: %v", err)
	}
	logOut := opt.Log
	if logOut == nil {
		logOut = testWriter{t}
	}
	srv, err := app.Start(context.Background(), cfg, logOut)
	if err != nil {
		t.Fatalf("okapitest: start okapi: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	s := &Server{URL: srv.URL, Token: srv.Token, OperatorToken: srv.OperatorToken, CAFile: srv.CAFile, srv: srv, base: opt.BaseDomain}
	tr := &http.Transport{DialContext: DialLoopback}
	if srv.CAFile != "" {
		pemBytes, err := os.ReadFile(srv.CAFile)
		if err != nil {
			t.Fatalf("okapitest: %v", err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pemBytes)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	s.Client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	if opt.BaseDomain != "" {
		_, port, _ := net.SplitHostPort(s.URL[strings.Index(s.URL, "://")+3:])
		s.URL = strings.SplitN(s.URL, "://", 2)[0] + "://" + opt.BaseDomain + ":" + port
	}
	return s
}

// DialLoopback dials 127.0.0.1 for localhost and *.localhost (RFC 6761 reserves them for
// loopback; Go's resolver only knows that where the system's nsswitch says so) and dials
// anything else as usual. Use it as http.Transport.DialContext for per-org hosts.
func DialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// NewOrg creates an org through the operator API and returns its URL and first API token.
// Tests that each make their own org share one server and see nothing of each other.
func (s *Server) NewOrg(t testing.TB, name string) (orgURL, token string) {
	t.Helper()
	var out struct{ URL, Token string }
	s.Operator(t, "POST", "/okapi/v1/orgs", map[string]string{"name": name}, &out)
	return out.URL, out.Token
}

// Operator calls the operator API (see the README) and decodes the answer into out (may be
// nil). Any status but 2xx fails the test.
func (s *Server) Operator(t testing.TB, method, path string, body, out any) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("okapitest: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		t.Fatalf("okapitest: %v", err)
	}
	req.Header.Set("Authorization", "SSWS "+s.OperatorToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("okapitest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("okapitest: %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("okapitest: %s %s: %v", method, path, err)
		}
	}
}

// Snapshot saves org (by name; "default" for the default org) as snapshot name.
func (s *Server) Snapshot(t testing.TB, org, name string) {
	t.Helper()
	s.Operator(t, "POST", "/okapi/v1/orgs/"+org+"/snapshots", map[string]string{"name": name}, nil)
}

// Restore puts org back as snapshot name saved it.
func (s *Server) Restore(t testing.TB, org, name string) {
	t.Helper()
	s.Operator(t, "POST", fmt.Sprintf("/okapi/v1/orgs/%s/snapshots/%s/restore", org, name), nil, nil)
}

// Reset empties org (Everyone, the admin and the API tokens stay), or with toSeed puts it back
// as its seed left it.
func (s *Server) Reset(t testing.TB, org string, toSeed bool) {
	t.Helper()
	to := "empty"
	if toSeed {
		to = "seed"
	}
	s.Operator(t, "POST", "/okapi/v1/orgs/"+org+"/reset", map[string]string{"to": to}, nil)
}

// AdvanceClock moves org's clock forward by d (token and password expiry, log retention).
func (s *Server) AdvanceClock(t testing.TB, org string, d time.Duration) {
	t.Helper()
	s.Operator(t, "POST", "/okapi/v1/orgs/"+org+"/clock", map[string]string{"advance": d.String()}, nil)
}

// testWriter sends okapi's log lines to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
