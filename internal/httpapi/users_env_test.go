package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
)

// fixturePassword is the password of every fixture user; its bcrypt hash is made once.
const fixturePassword = "Fixture-Pw-2024"

var fixtureHashes = sync.OnceValues(func() (string, string) {
	pw, err := password.Hash(fixturePassword)
	if err != nil {
		panic(err)
	}
	ans, err := password.HashAnswer("forty two")
	if err != nil {
		panic(err)
	}
	return pw, ans
})

// usersEnv is a running okapi on a fresh SQLite store.
type usersEnv struct {
	t     *testing.T
	srv   *app.Server
	org   string
	n     int
	mu    sync.Mutex
	local *http.Client
}

func newUsersEnv(t *testing.T) *usersEnv {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: true, LogLevel: "error",
		BootstrapToken: "00usersTestTokenAbcdefghijklmnopqrstuvwxyz", RateLimitProfile: "off", RateLimitWindow: time.Minute}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := app.Start(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	org, err := srv.Store().GetOrgByName(context.Background(), domain.DefaultOrgName)
	if err != nil {
		t.Fatal(err)
	}
	return &usersEnv{t: t, srv: srv, org: org.ID, local: &http.Client{Timeout: 30 * time.Second, Transport: oastest.Transport(t, nil)}}
}

// do sends a request with the API token; body is JSON-encoded unless it is nil or a string.
func (e *usersEnv) do(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+e.srv.Token)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.local.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// call sends a request, checks the status and decodes the JSON object answered.
func (e *usersEnv) call(method, path string, body any, want int) map[string]any {
	e.t.Helper()
	status, out := e.do(method, path, body)
	if status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, out)
	}
	var m map[string]any
	if len(out) > 0 {
		if err := json.Unmarshal(out, &m); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %s", method, path, out)
		}
	}
	return m
}

// wantError checks an Okta error object: status, errorCode and, when given, a cause.
func (e *usersEnv) wantError(method, path string, body any, status int, code, cause string) map[string]any {
	e.t.Helper()
	m := e.call(method, path, body, status)
	if m["errorCode"] != code {
		e.t.Fatalf("%s %s: errorCode %v, want %s: %v", method, path, m["errorCode"], code, m)
	}
	if cause != "" && !hasCause(m, cause) {
		e.t.Fatalf("%s %s: no cause %q in %v", method, path, cause, m["errorCauses"])
	}
	return m
}

func hasCause(m map[string]any, cause string) bool {
	cs, _ := m["errorCauses"].([]any)
	for _, c := range cs {
		if s, _ := c.(map[string]any)["errorSummary"].(string); s == cause {
			return true
		}
	}
	return false
}

// newLogin returns a login unique within the test.
func (e *usersEnv) newLogin() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	return "user" + string(rune('a'+e.n%26)) + strings.Repeat("x", e.n/26) + "@example.com"
}

func profileOf(login string) map[string]any {
	return map[string]any{"login": login, "email": login, "firstName": "Ada", "lastName": "Lovelace"}
}

// fixture stores a user directly in status, with the fixture password and recovery question
// when creds says so, bypassing the API (no API reaches LOCKED_OUT).
func (e *usersEnv) fixture(status domain.UserStatus, creds domain.Creds) domain.User {
	e.t.Helper()
	pw, ans := fixtureHashes()
	login := e.newLogin()
	// Strictly increasing creation times, so the default order (created, id) is creation order.
	now := domain.At(time.Now().Add(time.Duration(e.n) * time.Millisecond))
	u := domain.User{
		ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixUser), Status: status,
		Created: now, StatusChanged: now, LastUpdated: now, TypeID: service.DefaultUserTypeID(e.org),
		Profile: profileOf(login), Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
	}
	if status != domain.StatusStaged && status != domain.StatusProvisioned {
		u.Activated = now
	}
	if creds.Password {
		u.Secrets.PasswordHash, u.PasswordChanged = pw, now
	}
	if creds.RecoveryQuestion {
		u.RecoveryQuestion, u.Secrets.RecoveryAnswerHash = "What is the answer?", ans
	}
	err := e.srv.Store().Update(context.Background(), func(tx store.Tx) error {
		return tx.CreateUser(context.Background(), e.org, u)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// stored reads a user straight from the store.
func (e *usersEnv) stored(id string) (domain.User, error) {
	return e.srv.Store().GetUser(context.Background(), e.org, id)
}

// count runs a COUNT query on the store, for checks the API does not expose yet.
func (e *usersEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.srv.Store().ReadPool().QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events lists the event types recorded for a target id, oldest first.
func (e *usersEnv) events(targetID string) []string {
	e.t.Helper()
	rows, err := e.srv.Store().ReadPool().Query(`SELECT e.event_type FROM log_events e
		JOIN log_targets t ON t.event_seq = e.seq WHERE t.id = ? ORDER BY e.seq`, targetID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
