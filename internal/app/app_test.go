package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/config"
)

const envToken = "00EnvBootstrapTokenForTests0000000000000000"

// start runs okapi in-process on a free loopback port and stops it when the test ends.
func start(t *testing.T, dataDir string, httpOnly bool, bootstrap string) (*Server, *syncBuffer) {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dataDir, HTTP: httpOnly, LogLevel: "info", BootstrapToken: bootstrap, AdminLogin: "admin@okapi.test"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	s, err := Start(context.Background(), cfg, logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(t, s) })
	return s, logs
}

func stop(t *testing.T, s *Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil && !strings.Contains(err.Error(), "closed") {
		t.Errorf("shutdown: %v", err)
	}
}

// listTokens calls GET /api/v1/api-tokens with secret and returns the status.
func listTokens(t *testing.T, client *http.Client, base, secret string) (int, []map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/api-tokens", nil)
	req.Header.Set("Authorization", "SSWS "+secret)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &list)
	return resp.StatusCode, list
}

// TestBootstrapTokenFile: the first start writes the token to <data-dir>/bootstrap-token with
// mode 0600 and logs the path, never the token; a restart keeps the org and the token.
func TestBootstrapTokenFile(t *testing.T) {
	dir := t.TempDir()
	// A leftover file with loose permissions must not keep them once it holds a secret.
	if err := os.WriteFile(filepath.Join(dir, "bootstrap-token"), []byte("stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, logs := start(t, dir, true, "")
	path := filepath.Join(dir, "bootstrap-token")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("bootstrap-token mode = %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	secret := strings.TrimSpace(string(b))
	if secret != s.Token || !strings.HasPrefix(secret, "00") || len(secret) != 42 {
		t.Fatalf("token file = %q, server token %q", secret, s.Token)
	}
	if !strings.Contains(logs.String(), path) {
		t.Errorf("the token file path is not logged:\n%s", logs)
	}
	if code, _ := listTokens(t, http.DefaultClient, s.URL, secret); code != 200 {
		t.Fatalf("bootstrap token refused: %d", code)
	}
	if code, _ := listTokens(t, http.DefaultClient, s.URL, secret); code != 200 {
		t.Fatal("second request refused")
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds the token:\n%s", logs)
	}
	stop(t, s)

	// Restart on the same data dir: same org, the old token still works, no new token made.
	s2, logs2 := start(t, dir, true, "")
	if code, list := listTokens(t, http.DefaultClient, s2.URL, secret); code != 200 || len(list) != 1 {
		t.Fatalf("after restart: %d, %d tokens", code, len(list))
	}
	if strings.Contains(logs2.String(), "first API token") {
		t.Errorf("restart created another org:\n%s", logs2)
	}
}

// TestBootstrapTokenFromEnv: OKAPI_BOOTSTRAP_TOKEN is the first token's secret, and is added
// to an existing org when a data dir already exists.
func TestBootstrapTokenFromEnv(t *testing.T) {
	dir := t.TempDir()
	s, logs := start(t, dir, true, envToken)
	if code, _ := listTokens(t, http.DefaultClient, s.URL, envToken); code != 200 {
		t.Fatalf("env token refused: %d", code)
	}
	if strings.Contains(logs.String(), envToken) {
		t.Errorf("the log holds the token")
	}
	stop(t, s)
	other := "00SecondEnvTokenOnAnExistingDataDir00000000"
	s2, _ := start(t, dir, true, other)
	for _, tok := range []string{envToken, other} {
		if code, _ := listTokens(t, http.DefaultClient, s2.URL, tok); code != 200 {
			t.Errorf("token %s… refused after restart: %d", tok[:8], code)
		}
	}
	// Starting again with the same env token does not add a duplicate.
	stop(t, s2)
	s3, _ := start(t, dir, true, other)
	if _, list := listTokens(t, http.DefaultClient, s3.URL, other); len(list) != 2 {
		t.Errorf("%d tokens after a third start, want 2", len(list))
	}
}

// TestGeneratedCertReused: the self-signed certificate is made once, reused on restart, its
// path and SHA-256 fingerprint logged; clients trust it through okapi-ca.pem; TLS < 1.2 is
// refused.
func TestGeneratedCertReused(t *testing.T) {
	dir := t.TempDir()
	s, logs := start(t, dir, false, envToken)
	if !strings.HasPrefix(s.URL, "https://") || s.CAFile != filepath.Join(dir, "okapi-ca.pem") {
		t.Fatalf("URL %s, CA %s", s.URL, s.CAFile)
	}
	certPath := filepath.Join(dir, "tls-cert.pem")
	first, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(first)
	sum := sha256.Sum256(block.Bytes)
	fp := hex.EncodeToString(sum[:])
	if !strings.Contains(logs.String(), fp) || !strings.Contains(logs.String(), certPath) {
		t.Errorf("log lacks the cert path or fingerprint %s:\n%s", fp, logs)
	}
	for _, f := range []string{"tls-key.pem", "okapi-ca-key.pem"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", f, fi.Mode(), err)
		}
	}

	pool := x509.NewCertPool()
	ca, _ := os.ReadFile(s.CAFile)
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("okapi-ca.pem holds no certificate")
	}
	client := func(min, max uint16) *http.Client {
		return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: min, MaxVersion: max}}}
	}
	if code, _ := listTokens(t, client(tls.VersionTLS12, tls.VersionTLS12), s.URL, envToken); code != 200 {
		t.Errorf("TLS 1.2: %d", code)
	}
	if code, _ := listTokens(t, client(tls.VersionTLS13, tls.VersionTLS13), s.URL, envToken); code != 200 {
		t.Errorf("TLS 1.3: %d", code)
	}
	req, _ := http.NewRequest("GET", s.URL+"/healthz", nil)
	if _, err := client(tls.VersionTLS10, tls.VersionTLS11).Do(req); err == nil {
		t.Error("a TLS 1.1 client was served")
	}
	if _, err := http.Get(s.URL + "/healthz"); err == nil {
		t.Error("a client that does not trust okapi-ca.pem was served")
	}
	stop(t, s)

	s2, logs2 := start(t, dir, false, "")
	again, _ := os.ReadFile(certPath)
	if !bytes.Equal(first, again) {
		t.Error("the certificate was regenerated on restart")
	}
	if !strings.Contains(logs2.String(), fp) {
		t.Errorf("restart logs another fingerprint:\n%s", logs2)
	}
	if code, _ := listTokens(t, client(tls.VersionTLS12, 0), s2.URL, envToken); code != 200 {
		t.Errorf("after restart: %d", code)
	}
}

// syncBuffer is a log sink the server may write to from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStartFailureReleasesWhatItOpened (issue 27.6): a Start that fails after opening the lock
// file, the store, the rate limiter or the listener closes them before returning, so the same
// data dir and port can be used at once by the next Start.
func TestStartFailureReleasesWhatItOpened(t *testing.T) {
	dir := t.TempDir()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	free := freeAddr(t)
	for _, tc := range []struct {
		name string
		set  func(*config.Config)
		want string
	}{
		{"port taken", func(c *config.Config) { c.Addr = taken.Addr().String() }, "address already in use"},
		{"certificate unreadable", func(c *config.Config) {
			c.Addr, c.HTTP = free, false
			c.TLSCert, c.TLSKey = filepath.Join(dir, "missing.pem"), filepath.Join(dir, "missing-key.pem")
		}, "missing.pem"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, HTTP: true, LogLevel: "info", AdminLogin: "admin@okapi.test"}
			tc.set(cfg)
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			_, err := Start(context.Background(), cfg, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Start = %v, want an error naming %q", err, tc.want)
			}
			// The listener is closed: its port can be bound again.
			if cfg.Addr == free {
				ln, err := net.Listen("tcp", free)
				if err != nil {
					t.Fatalf("port still held after the failed Start: %v", err)
				}
				ln.Close()
			}
			// The lock file and the store are released: the same data dir starts at once.
			s, _ := start(t, dir, true, "")
			stop(t, s)
		})
	}
}

// freeAddr returns a loopback address no one listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestCleanupStackRunsNewestFirstOnce(t *testing.T) {
	var c cleanupStack
	var order []int
	for i := range 3 {
		c.push(func() error {
			order = append(order, i)
			if i == 1 {
				return io.ErrClosedPipe
			}
			return nil
		})
	}
	c.pushCloser(42) // not a Closer: nothing to register
	if err := c.run(); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("run = %v, want the failing closer's error", err)
	}
	if fmt.Sprint(order) != "[2 1 0]" {
		t.Errorf("order = %v, want newest first", order)
	}
	if err := c.run(); err != nil || len(order) != 3 {
		t.Errorf("second run = %v, ran %d closers, want nothing run again", err, len(order))
	}
}
