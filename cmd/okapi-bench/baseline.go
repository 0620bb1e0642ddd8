package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite"
)

// The baseline is the least a server can do for the benchmark's two request kinds, with
// okapi's database file, driver, pragmas and pool sizes: read one user row by id and encode it
// with encoding/json, and insert one user row. okapi's figures are reported as ratios to it,
// which hold on a noisy machine where absolute figures do not.

// The baseline runs under okapi serve's settings: the same page cache per connection
// (sqlite.CacheKiB) and the same garbage collector target (app.GCPercent); main_test.go keeps
// them equal. It checkpoints the WAL the way SQLite does by default, from the committing
// connection, as the least a server can do.
const (
	baselineCacheKiB  = 16 * 1024
	baselineGCPercent = 200
)

type baseline struct {
	read, write *sql.DB
	org         string
	seq         atomic.Int64
	tag         string
}

func openBaseline(ctx context.Context, path string) (*baseline, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
			fmt.Sprintf("cache_size(%d)", -baselineCacheKiB)} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	b := &baseline{read: read, write: write, tag: strconv.FormatInt(time.Now().UnixNano()%1e9, 36)}
	if err := read.QueryRowContext(ctx, `SELECT id FROM orgs WHERE name = 'default'`).Scan(&b.org); err != nil {
		return nil, fmt.Errorf("baseline: default org: %w", err)
	}
	return b, nil
}

type baseUser struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Created     string         `json:"created"`
	Activated   *string        `json:"activated"`
	LastUpdated string         `json:"lastUpdated"`
	Type        map[string]any `json:"type"`
	Profile     map[string]any `json:"profile"`
	Links       map[string]any `json:"_links"`
}

func fmtMillis(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/users/"):
		b.get(w, r, strings.TrimPrefix(r.URL.Path, "/users/"))
	case r.Method == http.MethodPost && r.URL.Path == "/users":
		b.insert(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (b *baseline) get(w http.ResponseWriter, r *http.Request, id string) {
	var u baseUser
	var created, updated int64
	var activated sql.NullInt64
	var profile []byte
	var typeID string
	err := b.read.QueryRowContext(r.Context(), `SELECT id, status, created, activated, last_updated, type_id, profile
		FROM users WHERE org_id = ? AND id = ?`, b.org, id).Scan(&u.ID, &u.Status, &created, &activated, &updated, &typeID, &profile)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	u.Created, u.LastUpdated = fmtMillis(created), fmtMillis(updated)
	if activated.Valid {
		s := fmtMillis(activated.Int64)
		u.Activated = &s
	}
	u.Type = map[string]any{"id": typeID}
	if err := json.Unmarshal(profile, &u.Profile); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	u.Links = map[string]any{"self": map[string]string{"href": "http://" + r.Host + "/users/" + u.ID}}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(u)
}

// insert writes one STAGED user row, autocommit: the bare single-row insert okapi's create is
// compared to.
func (b *baseline) insert(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	n := b.seq.Add(1)
	id := fmt.Sprintf("00ubase%s%06d", b.tag, n)
	login := fmt.Sprintf("baseline.%s.%d@example.com", b.tag, n)
	profile, _ := json.Marshal(map[string]any{"login": login, "email": login, "firstName": "Base", "lastName": "Line"})
	now := time.Now().UnixMilli()
	_, err := b.write.ExecContext(r.Context(), `INSERT INTO users (org_id, id, status, transitioning, created,
		last_updated, type_id, profile, login, login_lower, email, first_name, last_name, provider_type, provider_name,
		version) VALUES (?, ?, 'STAGED', '', ?, ?, 'otybaseline', ?, ?, ?, ?, 'Base', 'Line', 'OKTA', 'OKTA', 1)`,
		b.org, id, now, now, string(profile), login, login, login)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
}

// serveBaseline runs the baseline on a loopback port and prints its URL (okapi-bench baseline).
func serveBaseline(ctx context.Context, path string, out io.Writer) error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(baselineGCPercent)
	}
	b, err := openBaseline(ctx, path)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "http://%s\n", ln.Addr())
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
