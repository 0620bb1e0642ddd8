package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// inProcess serves okapi's whole handler chain over db (answers validated against the Okta spec)
// and returns a client of it. logs collects okapi's log.
func inProcess(t *testing.T, db *sqlstore.DB) (*client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc := service.New(db, domain.SystemClock{}, domain.CryptoIDs{}, log)
	if _, _, err := svc.EnsureOrg(t.Context(), service.OrgSetup{Name: domain.DefaultOrgName,
		AdminLogin: "admin@okapi.test", TokenSecret: token, TokenName: "bootstrap"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(oastest.Handler(t, httpapi.New(httpapi.Config{Service: svc, Logger: log})))
	t.Cleanup(srv.Close)
	return newClient(srv.URL), logs
}

// wantUnavailable checks a 503 Okta error object naming reason, with Retry-After iff retry.
func wantUnavailable(t *testing.T, r reply, reason string, retry bool) {
	t.Helper()
	var e struct{ ErrorCode, ErrorSummary string }
	if r.err != nil || r.status != http.StatusServiceUnavailable || json.Unmarshal(r.body, &e) != nil ||
		e.ErrorCode != "E0000009" || !strings.Contains(e.ErrorSummary, reason) {
		t.Fatalf("got %s, want 503 E0000009 saying %q", r, reason)
	}
	if got := r.header.Get("Retry-After"); (got != "") != retry {
		t.Errorf("Retry-After = %q, want it set: %v", got, retry)
	}
}

// wantAbsent checks that a refused create left neither the user nor its event behind.
func wantAbsent(t *testing.T, c *client, login string) {
	t.Helper()
	if r := c.do(http.MethodGet, "/api/v1/users/"+q(login), nil); r.status != http.StatusNotFound {
		t.Errorf("user %s of a refused create: %s, want 404", login, r)
	}
	for _, e := range all[event](t, c, "/api/v1/logs?limit=1000&filter="+q(`eventType eq "user.lifecycle.create"`)) {
		for _, tg := range e.Target {
			if tg.ID == "" {
				t.Errorf("create event %s without a target", e.UUID)
			}
		}
	}
	users := all[user](t, c, "/api/v1/users?limit=200&search="+q(`created gt "2000-01-01T00:00:00.000Z"`))
	events := all[event](t, c, "/api/v1/logs?limit=1000&filter="+q(`eventType eq "user.lifecycle.create"`))
	if len(users) != len(events)+1 { // the bootstrap admin has no create event
		t.Errorf("%d users but %d user.lifecycle.create events: a refused write was half-applied", len(users), len(events))
	}
}

// TestSQLiteBusy: another process holds SQLite's write lock longer than the busy timeout. The
// write gets 503 E0000009 with Retry-After after one timeout (not several), reads keep working,
// a lock held shorter than the timeout is waited out, and writes work again once it is released.
func TestSQLiteBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "okapi.db")
	const busy = 300 * time.Millisecond
	db, err := sqlite.Open(t.Context(), path, sqlite.Options{BusyTimeout: busy})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, logs := inProcess(t, db)
	var first user
	c.must(t, http.MethodPost, "/api/v1/users?activate=true", newUser("first@okapi.test", "a"), &first)

	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock := func() *sql.Conn {
		conn, err := other.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		return conn
	}
	unlock := func(conn *sql.Conn) {
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Error(err)
		}
		conn.Close()
	}

	// Held for longer than the timeout: 503, quickly.
	conn := lock()
	began := time.Now()
	r := c.do(http.MethodPost, "/api/v1/users?activate=true", newUser("busy@okapi.test", "b"))
	took := time.Since(began)
	wantUnavailable(t, r, "the database is busy", true)
	if took > 3*busy {
		t.Errorf("the refused write took %s, want about one busy timeout (%s): it must not retry for long", took, busy)
	}
	if r := c.do(http.MethodGet, "/api/v1/users/"+first.ID, nil); !r.ok() {
		t.Errorf("read while the database is locked: %s", r)
	}
	if !strings.Contains(logs.String(), "database unavailable") {
		t.Errorf("the 503 was not logged: %s", logs)
	}
	unlock(conn)

	// Held for less than the timeout: the write waits and succeeds.
	conn = lock()
	go func() { time.Sleep(busy / 3); unlock(conn) }()
	c.must(t, http.MethodPost, "/api/v1/users?activate=true", newUser("waited@okapi.test", "c"), nil)

	// Released: the refused write can be retried.
	wantAbsent(t, c, "busy@okapi.test")
	c.must(t, http.MethodPost, "/api/v1/users?activate=true", newUser("busy@okapi.test", "b"), nil)
	integrity(t, db.ReadPool())
}

// TestSQLiteFull: the database reaches max_page_count. Writes get 503 E0000009 saying so
// (without Retry-After: it needs an operator), reads keep working, nothing half-written, and once
// the limit is raised writes work again.
func TestSQLiteFull(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _ := inProcess(t, db)
	var pages int
	if err := db.WritePool().QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	setMax := func(n int) {
		// The write pool is one connection, and max_page_count is per connection.
		if _, err := db.WritePool().Exec(fmt.Sprintf("PRAGMA max_page_count = %d", n)); err != nil {
			t.Fatal(err)
		}
	}
	setMax(pages + 8)
	var created []user
	var refused reply
	var refusedLogin string
	for i := 0; i < 2000; i++ {
		login := fmt.Sprintf("fill-%d@okapi.test", i)
		r := c.do(http.MethodPost, "/api/v1/users?activate=true", newUser(login, strings.Repeat("n", 900)))
		if !r.ok() {
			refused, refusedLogin = r, login
			break
		}
		var u user
		_ = json.Unmarshal(r.body, &u)
		created = append(created, u)
	}
	if refusedLogin == "" {
		t.Fatal("2000 creates fitted into max_page_count; the limit did not apply")
	}
	wantUnavailable(t, refused, "the database is full", false)
	t.Logf("database full after %d creates", len(created))
	for _, path := range []string{"/api/v1/users/" + created[0].ID, "/api/v1/users?limit=200", "/api/v1/logs?limit=10", "/api/v1/groups"} {
		if r := c.do(http.MethodGet, path, nil); !r.ok() {
			t.Errorf("read %s of a full database: %s", path, r)
		}
	}
	// Other writes are refused the same way (a small one may still fit a page's free space).
	for i := 0; ; i++ {
		r := c.do(http.MethodPost, "/api/v1/groups", map[string]any{"profile": map[string]any{"name": fmt.Sprintf("g%d", i)}})
		if !r.ok() {
			wantUnavailable(t, r, "the database is full", false)
			break
		}
		if i == 100 {
			t.Fatal("100 groups created in a full database")
		}
	}
	wantAbsent(t, c, refusedLogin)
	integrity(t, db.ReadPool())

	setMax(1 << 30)
	c.must(t, http.MethodPost, "/api/v1/users?activate=true", newUser(refusedLogin, "after"), nil)
	c.must(t, http.MethodPost, "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "after"}}, nil)
	for _, u := range created {
		c.must(t, http.MethodGet, "/api/v1/users/"+u.ID, nil, nil)
	}
	integrity(t, db.ReadPool())
}

func integrity(t *testing.T, db *sql.DB) {
	t.Helper()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, %v", res, err)
	}
}

// syncBuffer is a log sink safe for concurrent writers (the log of many requests).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
