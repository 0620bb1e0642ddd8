package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// groupsEnv is an okapi HTTP API over a real SQLite store in a temp dir, with a fixed clock.
type groupsEnv struct {
	t        *testing.T
	srv      *httptest.Server
	db       *sqlstore.DB
	svc      *service.Service
	clock    *domain.FixedClock
	org      domain.Org
	token    string
	everyone domain.Group
	// byHost serves the org by host name (<org>.okapi.test), for the APIs without a token.
	byHost *httptest.Server
}

var groupsEpoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// bothBackends runs f over SQLite, then over PostgreSQL when OKAPI_TEST_POSTGRES_URL is set
// (scripts/test.sh sets it), each test in an org of its own.
func bothBackends(t *testing.T, f func(t *testing.T, e *groupsEnv)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newGroupsEnvOn(t, "")) })
	t.Run("postgres", func(t *testing.T) {
		url := testgate.PostgresURL(t)
		f(t, newGroupsEnvOn(t, url))
	})
}

// newGroupsEnvOn opens SQLite in a temp dir (pgURL "") or PostgreSQL, and makes a fresh org.
func newGroupsEnvOn(t *testing.T, pgURL string) *groupsEnv {
	t.Helper()
	ctx := context.Background()
	var db *sqlstore.DB
	var err error
	if pgURL == "" {
		db, err = sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	} else {
		db, err = postgres.Open(ctx, pgURL)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := domain.NewFixedClock(groupsEpoch)
	// Seeded ids keep SQLite runs repeatable; PostgreSQL tests share a database, so their orgs,
	// ids and tokens must differ from run to run.
	var ids domain.IDs = domain.NewSeededIDs(7)
	orgName := domain.DefaultOrgName
	if pgURL != "" {
		ids = domain.CryptoIDs{}
		orgName = "groups-" + strings.ToLower(domain.CryptoIDs{}.Random(12))
	}
	svc := service.New(db, clock, ids, slog.New(slog.DiscardHandler))
	token := "00" + ids.Random(40)
	org, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: orgName, TokenSecret: token})
	if err != nil {
		t.Fatal(err)
	}
	if pgURL != "" {
		t.Cleanup(func() {
			_ = db.Update(ctx, func(tx store.Tx) error { return tx.DeleteOrg(ctx, org.ID) })
		})
	}
	everyone, err := db.GetBuiltInGroup(ctx, org.ID, domain.EveryoneGroupName)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(oastest.Handler(t, httpapi.New(httpapi.Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})))
	t.Cleanup(srv.Close)
	return &groupsEnv{t: t, srv: srv, db: db, svc: svc, clock: clock, org: org, token: token, everyone: everyone}
}

// do sends a request with the SSWS token; body is JSON-encoded unless it is a string (sent as
// is) or nil (no body, Content-Length: 0).
func (e *groupsEnv) do(method, path string, body any) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader = http.NoBody
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+e.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

// must sends a request and fails the test unless the status is want; it returns the body.
func (e *groupsEnv) must(want int, method, path string, body any) []byte {
	e.t.Helper()
	resp, data := e.do(method, path, body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	return data
}

// jsonGroup is the decoded Group resource.
type jsonGroup struct {
	ID                    string         `json:"id"`
	Created               string         `json:"created"`
	LastUpdated           string         `json:"lastUpdated"`
	LastMembershipUpdated string         `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               map[string]any `json:"profile"`
	Embedded              map[string]any `json:"_embedded"`
	Links                 map[string]any `json:"_links"`
}

// jsonError is Okta's error object.
type jsonError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
	ErrorCauses  []struct {
		ErrorSummary string `json:"errorSummary"`
	} `json:"errorCauses"`
}

func decodeAs[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}

// createGroup makes an OKTA_GROUP through the API.
func (e *groupsEnv) createGroup(name string) jsonGroup {
	e.t.Helper()
	return decodeAs[jsonGroup](e.t, e.must(200, "POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": name}}))
}

// createUser stores an ACTIVE user and puts it in Everyone, as user creation does.
func (e *groupsEnv) createUser(login string) domain.User {
	e.t.Helper()
	now := domain.At(e.clock.Now())
	u := domain.User{
		ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixUser), Status: domain.StatusActive,
		Created: now, Activated: now, StatusChanged: now, LastUpdated: now,
		TypeID: service.DefaultUserTypeID(e.org.ID), Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
		Profile: map[string]any{"login": login, "email": login, "firstName": "Test", "lastName": login},
	}
	ctx := context.Background()
	err := e.db.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, e.org.ID, u); err != nil {
			return err
		}
		_, err := tx.AddMember(ctx, e.org.ID, e.everyone.ID, u.ID, now)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// storeGroup inserts a group of any type directly (the API creates only OKTA_GROUPs).
func (e *groupsEnv) storeGroup(typ, name string) domain.Group {
	e.t.Helper()
	now := domain.At(e.clock.Now())
	g := domain.Group{ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixGroup), Type: typ,
		Created: now, LastUpdated: now, LastMembershipUpdated: now, Profile: map[string]any{"name": name}}
	ctx := context.Background()
	if err := e.db.Update(ctx, func(tx store.Tx) error { return tx.CreateGroup(ctx, e.org.ID, g) }); err != nil {
		e.t.Fatal(err)
	}
	return g
}

// loggedEvent is one stored System Log event.
type loggedEvent struct {
	EventType string             `json:"eventType"`
	Target    []domain.LogTarget `json:"target"`
}

// events returns the stored events of a type, in commit order.
func (e *groupsEnv) events(eventType string) []loggedEvent {
	e.t.Helper()
	rows, err := e.db.ReadPool().Query(e.sql(`SELECT data FROM log_events WHERE org_id = ? AND event_type = ? ORDER BY seq`), e.org.ID, eventType)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []loggedEvent
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, decodeAs[loggedEvent](e.t, data))
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// memberRows counts stored membership rows of a (group, user) pair.
func (e *groupsEnv) memberRows(groupID, userID string) int {
	e.t.Helper()
	var n int
	err := e.db.ReadPool().QueryRow(e.sql(`SELECT COUNT(*) FROM group_members WHERE org_id = ? AND group_id = ? AND user_id = ?`),
		e.org.ID, groupID, userID).Scan(&n)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// sql numbers the "?" placeholders of a test query for PostgreSQL.
func (e *groupsEnv) sql(q string) string {
	if !e.db.Dialect().Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// linkHeaders returns the Link header values of a response, one per header line.
func linkHeaders(resp *http.Response) []string { return resp.Header.Values("Link") }

// nextLink returns the path and query of the rel="next" link, or "".
func nextLink(t *testing.T, resp *http.Response) string {
	t.Helper()
	for _, l := range linkHeaders(resp) {
		if strings.Contains(l, `rel="next"`) {
			u := strings.TrimPrefix(strings.SplitN(l, ">", 2)[0], "<")
			i := strings.Index(u, "/api/")
			return u[i:]
		}
	}
	return ""
}
