package app

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// TestTokensStoredOnlyAsHashes: after a token has been created and used, no file in the data
// dir except bootstrap-token (which exists to hand it over) holds its value: not the database,
// not its WAL, not the log.
func TestTokensStoredOnlyAsHashes(t *testing.T) {
	dir := t.TempDir()
	s, logs := start(t, dir, true, envToken)
	if code, _ := listTokens(t, http.DefaultClient, s.URL, envToken); code != 200 {
		t.Fatalf("token refused: %d", code)
	}
	// Read the files while okapi runs (the WAL still holds recent writes), then after shutdown.
	// The hash is there, so the files read are the ones that hold the tokens.
	hash := []byte(domain.HashToken(envToken))
	check := func(when string) {
		found, hashed := 0, false
		err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() || filepath.Base(path) == "bootstrap-token" {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if strings.HasPrefix(filepath.Base(path), "okapi.db") {
				found++
				hashed = hashed || bytes.Contains(b, hash)
			}
			if bytes.Contains(b, []byte(envToken)) {
				t.Errorf("%s: %s holds the token value", when, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if found == 0 || !hashed {
			t.Fatalf("%s: no okapi.db* file in %s holds the token's hash", when, dir)
		}
	}
	check("running")
	if strings.Contains(logs.String(), envToken) {
		t.Error("the log holds the token value")
	}
	stop(t, s)
	check("stopped")
}

// TestTLSRefusesWeakCiphers: TLS 1.2 clients that offer only CBC or RSA key-exchange suites are
// refused; an ECDHE AEAD suite is served. (TestGeneratedCertReused covers the versions.)
func TestTLSRefusesWeakCiphers(t *testing.T) {
	dir := t.TempDir()
	s, _ := start(t, dir, false, envToken)
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(s.CAFile)
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("read the CA: %v", err)
	}
	get := func(suites ...uint16) error {
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: pool, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12, CipherSuites: suites}}}
		resp, err := c.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	for name, suite := range map[string]uint16{
		"ECDHE-ECDSA-AES128-CBC-SHA":    tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
		"ECDHE-ECDSA-AES128-CBC-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
		"RSA-AES128-GCM-SHA256":         tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		"RSA-AES256-CBC-SHA":            tls.TLS_RSA_WITH_AES_256_CBC_SHA,
		"ECDHE-ECDSA-RC4-SHA":           tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,
	} {
		if err := get(suite); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
	for name, suite := range map[string]uint16{
		"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,
		"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	} {
		if err := get(suite); err != nil {
			t.Errorf("%s refused: %v", name, err)
		}
	}
}
