package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
)

func (k *kit) rawPost(url, contentType, body string) (int, string) {
	k.t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "SSWS "+testOperator)
	req.Header.Set("Content-Type", contentType)
	resp, err := k.client.Do(req)
	if err != nil {
		k.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOperatorSeedAndSnapshots(t *testing.T) {
	k := startKit(t, nil)
	acme := k.createOrg("acme")
	seedURL := k.srv.URL + "/okapi/v1/orgs/acme/seed"
	yaml := "groups:\n  - profile: {name: Team}\nusers:\n  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B}\n    groups: [Team]\n"
	if st, body := k.rawPost(seedURL, "application/yaml", yaml+"  - profile: {login: b@x.test, email: nope, firstName: B, lastName: C}\n"); st != 400 ||
		!strings.Contains(body, "request body:6: users[1].profile.email") {
		t.Errorf("bad seed: %d %s", st, body)
	}
	if st, body := k.rawPost(seedURL, "text/plain", yaml); st != 415 {
		t.Errorf("seed as text/plain: %d %s", st, body)
	}
	if st, body := k.rawPost(seedURL, "application/yaml", yaml); st != 200 || !strings.Contains(body, `"users":1`) {
		t.Fatalf("seed: %d %s", st, body)
	}
	users := func() int {
		var out []map[string]any
		k.do("GET", k.hostURL("acme")+"/api/v1/users", acme.Token, nil, &out)
		return len(out)
	}
	if n := users(); n != 2 { // the admin and a@x.test
		t.Fatalf("acme users after seed: %d", n)
	}
	var snap map[string]any
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs/acme/snapshots", testOperator, map[string]string{"name": "s1"}, &snap); st != 200 || snap["name"] != "s1" {
		t.Fatalf("snapshot: %d %v", st, snap)
	}
	k.do("POST", k.hostURL("acme")+"/api/v1/users?activate=false", acme.Token,
		map[string]any{"profile": map[string]string{"login": "c@x.test", "email": "c@x.test", "firstName": "C", "lastName": "D"}}, nil)
	if n := users(); n != 3 {
		t.Fatalf("users before restore: %d", n)
	}
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs/acme/snapshots/s1/restore", testOperator, nil, nil); st != 204 {
		t.Fatalf("restore: %d", st)
	}
	if n := users(); n != 2 {
		t.Errorf("users after restore: %d, want 2", n)
	}
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs/acme/reset", testOperator, nil, nil); st != 204 || users() != 1 {
		t.Errorf("reset: %d, %d users", st, users())
	}
	if st := k.do("POST", k.srv.URL+"/okapi/v1/orgs/acme/reset", testOperator, map[string]string{"to": "seed"}, nil); st != 204 || users() != 2 {
		t.Errorf("reset to seed: %d, %d users", st, users())
	}
	var e oktaError
	for _, tc := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"POST", "/okapi/v1/orgs/acme/snapshots/nope/restore", nil, 404},
		{"POST", "/okapi/v1/orgs/nope/snapshots", map[string]string{"name": "x"}, 404},
		{"POST", "/okapi/v1/orgs/acme/snapshots", map[string]string{"name": "bad name"}, 400},
		{"POST", "/okapi/v1/orgs/acme/reset", map[string]string{"to": "yesterday"}, 400},
		{"POST", "/okapi/v1/orgs/default/reset", map[string]string{"to": "seed"}, 400},
		{"DELETE", "/okapi/v1/orgs/acme/snapshots/s1", nil, 204},
		{"DELETE", "/okapi/v1/orgs/acme/snapshots/s1", nil, 404},
	} {
		if st := k.do(tc.method, k.srv.URL+tc.path, testOperator, tc.body, &e); st != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, st, tc.want)
		}
	}
}

func TestServeSeedLoadsOnce(t *testing.T) {
	dir := t.TempDir()
	seedFile := filepath.Join(t.TempDir(), "seed.yaml")
	os.WriteFile(seedFile, []byte("users:\n  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B}\n"), 0o600)
	k := startKit(t, func(c *config.Config) { c.DataDir, c.Seed, c.HTTP = dir, seedFile, true })
	var users []map[string]any
	k.do("GET", k.srv.URL+"/api/v1/users", testBootstrap, nil, &users)
	if len(users) != 2 {
		t.Fatalf("users after --seed: %d", len(users))
	}
	k.do("DELETE", k.srv.URL+"/api/v1/users/a@x.test", testBootstrap, nil, nil) // deactivate
	k.do("DELETE", k.srv.URL+"/api/v1/users/a@x.test", testBootstrap, nil, nil) // delete
	_ = k.srv.Shutdown(context.Background())
	k2 := startKit(t, func(c *config.Config) { c.DataDir, c.Seed, c.HTTP = dir, seedFile, true })
	users = nil
	k2.do("GET", k2.srv.URL+"/api/v1/users", testBootstrap, nil, &users)
	if len(users) != 1 {
		t.Errorf("second start reseeded: %d users", len(users))
	}
	// A bad seed stops the server from starting, naming the line.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("users:\n  - profile: {login: a@x.test}\n"), 0o600)
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: true, LogLevel: "error", Seed: bad, OperatorToken: testOperator}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	_, err := app.Start(context.Background(), cfg, io.Discard)
	if err == nil || !strings.Contains(err.Error(), bad+":2: users[0]") {
		t.Errorf("bad --seed: %v", err)
	}
}

// TestServeSeedAppCredentials: the example seed's OIDC service app, with its client_id and
// secret fixed in the seed, gets a client_credentials token from the default authorization
// server at start-up with --seed (on PostgreSQL too when OKAPI_TEST_POSTGRES_URL is set); a bad
// app entry stops the start naming the entry's field.
func TestServeSeedAppCredentials(t *testing.T) {
	backends := map[string]func(t *testing.T) string{"sqlite": func(*testing.T) string { return "" }}
	if os.Getenv("OKAPI_TEST_POSTGRES_URL") != "" {
		backends["postgres"] = sharedDatabase
	}
	for name, database := range backends {
		t.Run(name, func(t *testing.T) {
			db := database(t)
			k := startKit(t, func(c *config.Config) { c.Seed, c.HTTP, c.Database = "../../examples/seed.yaml", true, db })
			const seedToken = "00seedCiToken0000000000000000000000000000" // examples/seed.yaml's apiTokens
			if st := k.do("POST", k.srv.URL+"/api/v1/authorizationServers/default/scopes", seedToken, map[string]string{"name": "builds:write"}, nil); st != 200 && st != 201 {
				t.Fatalf("create scope: %d", st)
			}
			token := func(secret string) (int, map[string]any) {
				form := url.Values{"grant_type": {"client_credentials"}, "scope": {"builds:write"}}
				req, _ := http.NewRequest("POST", k.srv.URL+"/oauth2/default/v1/token", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Accept", "application/json")
				req.SetBasicAuth("build-service", secret)
				resp, err := k.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var m map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&m)
				return resp.StatusCode, m
			}
			if st, m := token("build-service-secret-0123456789"); st != 200 || m["token_type"] != "Bearer" || m["access_token"] == nil {
				t.Errorf("client_credentials with the seeded secret: %d %v", st, m)
			}
			if st, m := token("not-the-secret-at-all"); st != 401 || m["error"] != "invalid_client" {
				t.Errorf("client_credentials with a wrong secret: %d %v", st, m)
			}
		})
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("apps:\n  - name: oidc_client\n    label: X\n    signOnMode: OPENID_CONNECT\n    settings:\n      oauthClient:\n        application_type: web\n        grant_types: [authorization_code]\n        redirect_uris: ['#x']\n"), 0o600)
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: true, LogLevel: "error", Seed: bad, OperatorToken: testOperator}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Start(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), bad+":9: apps[0].settings.oauthClient.redirect_uris") {
		t.Errorf("bad app in --seed: %v", err)
	}
}
