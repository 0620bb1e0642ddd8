package app

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// run runs an okapi command with an empty environment plus env.
func run(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestVersionCommand(t *testing.T) {
	out, _, err := run(t, nil, "version")
	if err != nil || strings.TrimSpace(out) != "okapi "+Version {
		t.Errorf("version: %q %v", out, err)
	}
	if _, _, err := run(t, nil, "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
	if _, _, err := run(t, nil); err == nil {
		t.Error("no command succeeded")
	}
}

// TestMigrateCommand: migrate creates and migrates the database, and is idempotent.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		out, errOut, err := run(t, nil, "migrate", "--data-dir", dir)
		if err != nil {
			t.Fatalf("migrate %d: %v %s", i, err, errOut)
		}
		if !strings.Contains(out, "migrations applied") {
			t.Errorf("migrate output: %q", out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "okapi.db")); err != nil {
		t.Error(err)
	}
}

// TestTokenCreateCommand: `okapi token create --name N` prints a token that works against a
// server on the same data dir, running or started later; it still works after every token has
// been revoked (the CLI is how an operator gets back in).
func TestTokenCreateCommand(t *testing.T) {
	dir := t.TempDir()
	s, _ := start(t, dir, true, envToken)

	out, errOut, err := run(t, nil, "token", "create", "--name", "ci-robot", "--data-dir", dir)
	if err != nil {
		t.Fatalf("token create: %v %s", err, errOut)
	}
	secret := strings.TrimSpace(out)
	if !strings.HasPrefix(secret, "00") || len(secret) != 42 {
		t.Fatalf("printed %q", out)
	}
	if strings.Contains(errOut, secret) {
		t.Error("the token also went to stderr")
	}
	code, list := listTokens(t, http.DefaultClient, s.URL, secret)
	if code != 200 {
		t.Fatalf("new token refused by the running server: %d", code)
	}
	names := map[string]bool{}
	for _, tok := range list {
		names[tok["name"].(string)] = true
	}
	if !names["ci-robot"] || !names["bootstrap"] {
		t.Errorf("tokens = %v", names)
	}

	// Revoke every token, then the CLI must still mint one that works.
	ctx := domain.WithCaller(context.Background(), &domain.Caller{OrgID: orgOf(t, s)})
	for _, tok := range list {
		if err := s.Service.RevokeToken(ctx, tok["id"].(string)); err != nil {
			t.Fatal(err)
		}
	}
	if code, _ := listTokens(t, http.DefaultClient, s.URL, secret); code != 401 {
		t.Fatalf("revoked token: %d", code)
	}
	out, errOut, err = run(t, nil, "token", "create", "--name", "recovery", "--data-dir", dir)
	if err != nil {
		t.Fatalf("token create with no tokens left: %v %s", err, errOut)
	}
	if code, _ := listTokens(t, http.DefaultClient, s.URL, strings.TrimSpace(out)); code != 200 {
		t.Errorf("recovery token refused: %d", code)
	}

	if _, _, err := run(t, nil, "token"); err == nil {
		t.Error("`okapi token` without create succeeded")
	}
}

// TestTokenCreateOnFreshDataDir: with no server ever started, token create sets up the org.
func TestTokenCreateOnFreshDataDir(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := run(t, nil, "token", "create", "--name", "first", "--data-dir", dir)
	if err != nil {
		t.Fatalf("%v %s", err, errOut)
	}
	s, _ := start(t, dir, true, "")
	if code, _ := listTokens(t, http.DefaultClient, s.URL, strings.TrimSpace(out)); code != 200 {
		t.Errorf("token from a fresh data dir refused: %d", code)
	}
}

func orgOf(t *testing.T, s *Server) string {
	org, err := s.Store().GetOrgByName(context.Background(), domain.DefaultOrgName)
	if err != nil {
		t.Fatal(err)
	}
	return org.ID
}

// TestServeRefusesClearTextOnPublicAddr: --http beyond loopback needs --insecure-allow-http,
// and the refusal comes before anything is created.
func TestServeRefusesClearTextOnPublicAddr(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	_, _, err := run(t, nil, "serve", "--http", "--addr", "0.0.0.0:0", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "--insecure-allow-http") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("refused serve created the data dir: %v", err)
	}
	_, _, err = run(t, map[string]string{"OKAPI_BOOTSTRAP_TOKEN": "short"}, "serve", "--http", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "OKAPI_BOOTSTRAP_TOKEN") {
		t.Errorf("short bootstrap token: %v", err)
	}
}
