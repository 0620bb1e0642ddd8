package config

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseValidation(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring; "" means valid
	}{
		{name: "defaults", args: nil},
		{name: "connection limits", args: []string{"--max-connections", "100", "--max-connections-per-ip", "0"}},
		{name: "connection limit from env", env: map[string]string{"OKAPI_MAX_CONNECTIONS_PER_IP": "16"}},
		{name: "negative connection limit", args: []string{"--max-connections", "-1"}, wantErr: "--max-connections"},
		{name: "connection limit env not a number", env: map[string]string{"OKAPI_MAX_CONNECTIONS": "lots"}, wantErr: `OKAPI_MAX_CONNECTIONS "lots"`},
		{name: "http on loopback v4", args: []string{"--http", "--addr", "127.0.0.1:8080"}},
		{name: "http on loopback v6", args: []string{"--http", "--addr", "[::1]:8080"}},
		{name: "http on localhost", args: []string{"--http", "--addr", "localhost:8080"}},
		{name: "http on 127.0.0.2", args: []string{"--http", "--addr", "127.0.0.2:8080"}},
		{name: "http on all interfaces", args: []string{"--http", "--addr", "0.0.0.0:8080"}, wantErr: "--insecure-allow-http"},
		{name: "http on empty host", args: []string{"--http", "--addr", ":8080"}, wantErr: "--insecure-allow-http"},
		{name: "http on a LAN address", args: []string{"--http", "--addr", "192.168.1.10:8080"}, wantErr: "clear text"},
		{name: "http on a host name", args: []string{"--http", "--addr", "okapi.example.com:80"}, wantErr: "--insecure-allow-http"},
		{name: "http on all interfaces, allowed", args: []string{"--http", "--insecure-allow-http", "--addr", "0.0.0.0:8080"}},
		{name: "https on all interfaces", args: []string{"--addr", "0.0.0.0:8443"}},
		{name: "http from env", env: map[string]string{"OKAPI_HTTP": "true", "OKAPI_ADDR": "0.0.0.0:80"}, wantErr: "--insecure-allow-http"},
		{name: "http allowed from env", env: map[string]string{"OKAPI_HTTP": "1", "OKAPI_INSECURE_ALLOW_HTTP": "yes", "OKAPI_ADDR": "0.0.0.0:80"}},
		{name: "flag wins over env", args: []string{"--addr", "127.0.0.1:9"}, env: map[string]string{"OKAPI_HTTP": "on", "OKAPI_ADDR": "0.0.0.0:80"}},
		{name: "addr without port", args: []string{"--addr", "127.0.0.1"}, wantErr: "--addr"},
		{name: "cert without key", args: []string{"--tls-cert", "c.pem"}, wantErr: "go together"},
		{name: "key without cert", args: []string{"--tls-key", "k.pem"}, wantErr: "go together"},
		{name: "cert and key", args: []string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}},
		{name: "public url", args: []string{"--public-url", "https://okapi.example.com"}},
		{name: "public url with port and slash", args: []string{"--public-url", "http://okapi.example.com:8080/"}},
		{name: "public url with a path", args: []string{"--public-url", "https://okapi.example.com/okta"}, wantErr: "--public-url"},
		{name: "public url with a query", args: []string{"--public-url", "https://okapi.example.com?x=1"}, wantErr: "--public-url"},
		{name: "public url with a fragment", args: []string{"--public-url", "https://okapi.example.com#x"}, wantErr: "--public-url"},
		{name: "public url with user info", args: []string{"--public-url", "https://u:p@okapi.example.com"}, wantErr: "--public-url"},
		{name: "public url without scheme", args: []string{"--public-url", "okapi.example.com"}, wantErr: "--public-url"},
		{name: "public url ftp", args: []string{"--public-url", "ftp://okapi.example.com"}, wantErr: "--public-url"},
		{name: "log level", args: []string{"--log-level", "debug"}},
		{name: "bad log level", args: []string{"--log-level", "verbose"}, wantErr: "--log-level"},
		{name: "bad log level from env", env: map[string]string{"OKAPI_LOG_LEVEL": "trace"}, wantErr: "--log-level"},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "nope"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unexpected argument"},
		{name: "bootstrap token", env: map[string]string{"OKAPI_BOOTSTRAP_TOKEN": "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"}},
		{name: "bootstrap token too short", env: map[string]string{"OKAPI_BOOTSTRAP_TOKEN": "00abc"}, wantErr: "OKAPI_BOOTSTRAP_TOKEN"},
		{name: "bootstrap token too long", env: map[string]string{"OKAPI_BOOTSTRAP_TOKEN": strings.Repeat("a", 201)}, wantErr: "OKAPI_BOOTSTRAP_TOKEN"},
		{name: "bootstrap token with newline", env: map[string]string{"OKAPI_BOOTSTRAP_TOKEN": "00abcdefghijklmnop\n"}, wantErr: "OKAPI_BOOTSTRAP_TOKEN"},
		{name: "bootstrap token with space", env: map[string]string{"OKAPI_BOOTSTRAP_TOKEN": "00abcdefgh ijklmnop"}, wantErr: "OKAPI_BOOTSTRAP_TOKEN"},
		{name: "bootstrap token is not a flag", args: []string{"--bootstrap-token", "00abcdefghijklmnop"}, wantErr: "bootstrap-token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.args, env(tc.env), io.Discard)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	c, err := Parse([]string{"--data-dir", "/srv/okapi", "--addr", "127.0.0.1:9"},
		env(map[string]string{"OKAPI_ADDR": "127.0.0.1:1", "OKAPI_HTTP": "TRUE", "OKAPI_BOOTSTRAP_TOKEN": "00abcdefghijklmnop", "OKAPI_TRUSTED_PROXIES": "10.0.0.0/8"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9" || !c.HTTP || c.BootstrapToken != "00abcdefghijklmnop" || c.TrustedProxies != "10.0.0.0/8" {
		t.Errorf("config = %+v", c)
	}
	if c.Database != filepath.Join("/srv/okapi", "okapi.db") || c.IsPostgres() {
		t.Errorf("database = %q", c.Database)
	}
	if c.LogLevel != "info" || c.AdminLogin == "" {
		t.Errorf("defaults: %+v", c)
	}
	for dsn, pg := range map[string]bool{"postgres://u@h/db": true, "postgresql://h/db": true, "/tmp/okapi.db": false, "file:x.db": false} {
		c := &Config{Database: dsn}
		if c.IsPostgres() != pg {
			t.Errorf("IsPostgres(%q) = %v", dsn, !pg)
		}
	}
}
