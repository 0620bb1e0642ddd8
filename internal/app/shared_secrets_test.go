package app_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// startShared starts an HTTPS instance with its own data dir on database, without
// OKAPI_OPERATOR_TOKEN, and returns it with its log.
func startShared(t *testing.T, database, dataDir string) (*app.Server, *strings.Builder) {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dataDir, Database: database, LogLevel: "info",
		RateLimitProfile: "off", AdminLogin: "admin@okapi.test"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	srv, err := app.Start(context.Background(), cfg, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return srv, &logs
}

// trusting is a client that trusts only the CA in caFile.
func trusting(t *testing.T, caFile string) *http.Client {
	t.Helper()
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// operatorStatus calls GET /okapi/v1/orgs on base with token.
func operatorStatus(t *testing.T, c *http.Client, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/okapi/v1/orgs", nil)
	req.Header.Set("Authorization", "SSWS "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestInstancesShareOperatorTokenAndCA (issue 25.6): instances on one PostgreSQL database, each
// with its own data dir and no OKAPI_OPERATOR_TOKEN, accept the operator token the first one
// made, and serve certificates of one CA, so a client configured for one works with any.
func TestInstancesShareOperatorTokenAndCA(t *testing.T) {
	testgate.PostgresURL(t)
	database := sharedDatabase(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	a, _ := startShared(t, database, dirA)
	b, logsB := startShared(t, database, dirB)

	if a.OperatorToken == "" {
		t.Fatal("the first instance knows no operator token")
	}
	if b.OperatorToken != "" {
		t.Errorf("the second instance made its own operator token %q", b.OperatorToken)
	}
	if _, err := os.Stat(filepath.Join(dirB, "operator-token")); !os.IsNotExist(err) {
		t.Errorf("the second instance wrote an operator-token file (%v): it would not be accepted", err)
	}
	if !strings.Contains(logsB.String(), "accepting the operator token another instance made") {
		t.Errorf("the second instance does not say where its operator token is\n%s", logsB)
	}
	// One CA: A's CA file verifies B's certificate, and B's copy is the same certificate.
	caA, _ := os.ReadFile(a.CAFile)
	caB, _ := os.ReadFile(b.CAFile)
	if string(caA) != string(caB) {
		t.Error("the instances' CA files differ")
	}
	client := trusting(t, a.CAFile)
	for name, srv := range map[string]*app.Server{"A": a, "B": b} {
		if got := operatorStatus(t, client, srv.URL, a.OperatorToken); got != http.StatusOK {
			t.Errorf("instance %s: the operator token: %d, want 200", name, got)
		}
		if got := operatorStatus(t, client, srv.URL, "okop_not-the-token-0000000000"); got != http.StatusUnauthorized {
			t.Errorf("instance %s: a wrong operator token: %d, want 401", name, got)
		}
	}
}

// TestOperatorTokenFileFromBeforeIsKept: a data dir whose operator-token predates the database
// holding it (an upgrade) keeps that token, and the database learns it.
func TestOperatorTokenFileFromBeforeIsKept(t *testing.T) {
	dir := t.TempDir()
	const old = "okop_from-an-older-okapi-0000000000"
	if err := os.WriteFile(filepath.Join(dir, "operator-token"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, _ := startShared(t, "", dir)
	if srv.OperatorToken != old {
		t.Fatalf("operator token %q, want the file's", srv.OperatorToken)
	}
	if got := operatorStatus(t, trusting(t, srv.CAFile), srv.URL, old); got != http.StatusOK {
		t.Errorf("the file's token: %d, want 200", got)
	}
}
