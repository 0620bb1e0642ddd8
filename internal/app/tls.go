package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/okapi-dev/okapi/internal/store"
)

// TLS file names in the data dir.
const (
	caCertFile = "okapi-ca.pem"
	caKeyFile  = "okapi-ca-key.pem"
	certFile   = "tls-cert.pem"
	keyFile    = "tls-key.pem"
)

// ensureCert returns the cert and key paths to serve with: a leaf for hosts signed by a local CA,
// both kept in dataDir. The CA is made once and kept, so a client that trusts it (SSL_CERT_FILE,
// `okapi ca export`) keeps trusting okapi; the leaf is made again when the names it must cover
// change (a new --base-domain) or it nears its end.
func ensureCert(dataDir string, hosts []string, shared sharedSetting) (cert, key, caPath string, err error) {
	cert, key, caPath = filepath.Join(dataDir, certFile), filepath.Join(dataDir, keyFile), filepath.Join(dataDir, caCertFile)
	caCert, caKey, err := ensureCA(dataDir, shared)
	if err != nil {
		return "", "", "", err
	}
	if leafCovers(cert, key, caCert, hosts) {
		return cert, key, caPath, nil
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", "", err
	}
	now := time.Now()
	leaf := &x509.Certificate{
		SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(2, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leaf.IPAddresses = append(leaf.IPAddresses, ip)
		} else {
			leaf.DNSNames = append(leaf.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return "", "", "", err
	}
	leafKeyDER, _ := x509.MarshalECPrivateKey(leafKey)
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: leafKeyDER}), 0o600); err != nil {
		return "", "", "", err
	}
	// The served chain is leaf then CA.
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw})...)
	if err := os.WriteFile(cert, chain, 0o644); err != nil {
		return "", "", "", err
	}
	return cert, key, caPath, nil
}

// sharedSetting returns the server setting name that every instance on the database shares,
// storing newValue()'s first when there is none (service.EnsureServerSetting).
type sharedSetting func(name string, newValue func() (string, error)) (string, error)

// ensureCA returns the local CA (ten years) that signs the generated certificates. Every
// instance on one database shares it (store.SettingLocalCA), so a client that trusts the CA
// of one trusts them all: the first instance stores the CA it finds in its data dir (made before
// the database held it) or makes one; every instance keeps a copy in its data dir
// (okapi-ca.pem, for clients, and the key, 0600), replacing a different one it finds there.
func ensureCA(dataDir string, shared sharedSetting) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	caPath, caKeyPath := filepath.Join(dataDir, caCertFile), filepath.Join(dataDir, caKeyFile)
	local, err := readCAFiles(caPath, caKeyPath)
	if err != nil {
		return nil, nil, err
	}
	stored, err := shared(store.SettingLocalCA, func() (string, error) {
		if local != "" {
			return local, nil
		}
		return newCA()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("local CA: %w", err)
	}
	cert, key, err := parseCA(stored)
	if err != nil {
		return nil, nil, fmt.Errorf("the local CA in the database: %w", err)
	}
	if stored != local {
		if err := writeCAFiles(dataDir, caPath, caKeyPath, cert, key); err != nil {
			return nil, nil, err
		}
	}
	return cert, key, nil
}

// readCAFiles returns the CA certificate and key PEM in the data dir, concatenated, or "" when
// either file is missing.
func readCAFiles(caPath, caKeyPath string) (string, error) {
	if !fileExists(caPath) || !fileExists(caKeyPath) {
		return "", nil
	}
	certPEM, err := os.ReadFile(caPath)
	if err != nil {
		return "", err
	}
	keyPEM, err := os.ReadFile(caKeyPath)
	if err != nil {
		return "", err
	}
	both := string(certPEM) + string(keyPEM)
	if _, _, err := parseCA(both); err != nil {
		return "", fmt.Errorf("%s or %s: %w: delete both to have a new CA made", caPath, caKeyPath, err)
	}
	return both, nil
}

// parseCA reads a CA certificate and its EC private key from PEM (in either order).
func parseCA(pemText string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	var cert *x509.Certificate
	var key *ecdsa.PrivateKey
	rest := []byte(pemText)
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		var err error
		switch b.Type {
		case "CERTIFICATE":
			cert, err = x509.ParseCertificate(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if cert == nil || key == nil {
		return nil, nil, errors.New("not a PEM certificate and EC private key")
	}
	return cert, key, nil
}

// newCA makes a CA and returns its certificate and key, PEM.
func newCA() (string, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "okapi local CA", Organization: []string{"okapi"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(caKey)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})), nil
}

// writeCAFiles writes the CA's certificate (for clients to trust) and key (0600) to the data dir.
func writeCAFiles(dataDir, caPath, caKeyPath string, cert *x509.Certificate, key *ecdsa.PrivateKey) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writeSecretFile(caKeyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})); err != nil {
		return err
	}
	return os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644)
}

// leafCovers reports whether the leaf in certPath (with its key) was signed by ca, is good for
// another 30 days, and names exactly hosts.
func leafCovers(certPath, keyPath string, ca *x509.Certificate, hosts []string) bool {
	if !fileExists(keyPath) {
		return false
	}
	b, err := os.ReadFile(certPath)
	if err != nil {
		return false
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return false
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil || leaf.CheckSignatureFrom(ca) != nil || time.Until(leaf.NotAfter) < 30*24*time.Hour {
		return false
	}
	var have []string
	have = append(have, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		have = append(have, ip.String())
	}
	want := make([]string, 0, len(hosts))
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			h = ip.String()
		}
		want = append(want, h)
	}
	slices.Sort(have)
	slices.Sort(want)
	return slices.Equal(have, want)
}

// fingerprint is the SHA-256 of the first certificate in a PEM file, as hex.
func fingerprint(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return "", errors.New("no PEM certificate in " + path)
	}
	sum := sha256.Sum256(block.Bytes)
	return hex.EncodeToString(sum[:]), nil
}

// tlsConfig is TLS 1.2+ with AEAD ciphers only.
func tlsConfig(certPath, keyPath string) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{pair},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,
		},
	}, nil
}

func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	return n
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
