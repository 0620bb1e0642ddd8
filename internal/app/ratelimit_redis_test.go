package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create a throw-away schema
	"github.com/redis/go-redis/v9"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// sharedDatabase returns a Database setting two instances can share: a fresh schema of
// OKAPI_TEST_POSTGRES_URL when set (what a multi-instance deployment runs on), else one SQLite
// file that both instances open.
func sharedDatabase(t *testing.T) string {
	t.Helper()
	pg := os.Getenv("OKAPI_TEST_POSTGRES_URL")
	if pg == "" {
		return "" // Validate puts okapi.db in the DataDir, which the caller shares
	}
	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("okapi_ratelimit_test_%d", time.Now().UnixNano())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		db.Close()
	})
	u, err := url.Parse(pg)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestRedisSharedAcrossInstances: two okapi instances on one database and one Redis allow, in
// one window, no more requests of an org and family than the limit, between them.
//
// Counters are keyed by org id. Instances share counters for an org only when they share its
// database (the same org id); two instances on separate SQLite files hold different orgs, even
// when both are called "default", and rightly count apart.
func TestRedisSharedAcrossInstances(t *testing.T) {
	redisURL := testgate.RedisURL(t)
	dataDir, database := t.TempDir(), sharedDatabase(t)
	shared := func(c *config.Config) {
		c.DataDir, c.Database, c.RateLimitStore = dataDir, database, redisURL
		c.RateLimitWindow = 30 * time.Second // the whole burst lands in one window
	}
	a := startRateLimited(t, shared)
	b := startRateLimited(t, shared)

	// A fresh org keeps this test's Redis keys apart from any other run's.
	org, token, err := a.Service.CreateOrg(context.Background(), service.OrgSetup{Name: "rl-" + domain.CryptoIDs{}.Random(12)})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() {
		rdb.Del(context.Background(), ratelimit.DefaultRedisPrefix+org.ID+":"+ratelimit.FamilyOther)
		rdb.Close()
	})

	const requests = 24
	var (
		mu        sync.Mutex
		wg        sync.WaitGroup
		statuses  = map[int]int{}
		remaining = map[string]int{}
		resets    = map[string]bool{}
	)
	for i := range requests {
		base := a.URL
		if i%2 == 1 {
			base = b.URL
		}
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/api-tokens", nil)
			req.Header.Set("Authorization", "SSWS "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			statuses[resp.StatusCode]++
			resets[resp.Header.Get(ratelimit.HeaderReset)] = true
			if resp.StatusCode == http.StatusOK {
				remaining[resp.Header.Get(ratelimit.HeaderRemaining)]++
			}
		})
	}
	wg.Wait()
	if statuses[200] != 5 || statuses[429] != requests-5 {
		t.Fatalf("%d requests over two instances: statuses %v; want 5 allowed (the test limit), %d refused",
			requests, statuses, requests-5)
	}
	for _, r := range []string{"4", "3", "2", "1", "0"} {
		if remaining[r] != 1 {
			t.Errorf("X-Rate-Limit-Remaining values of the allowed requests: %v; want 4, 3, 2, 1, 0 once each", remaining)
			break
		}
	}
	if len(resets) != 1 {
		t.Errorf("X-Rate-Limit-Reset differs between responses: %v", resets)
	}
	if n := violationEvents(t, a, org.ID); n != 1 {
		t.Errorf("%d violation events for one window over two instances, want 1", n)
	}
}

// violationEvents counts the org's system.org.rate_limit.violation events in log_events.
func violationEvents(t *testing.T, srv *app.Server, org string) int {
	t.Helper()
	db, ok := srv.Service.Store.(*sqlstore.DB)
	if !ok {
		t.Fatalf("store is a %T, not *sqlstore.DB", srv.Service.Store)
	}
	rows, err := db.ReadPool().Query(
		"SELECT org_id FROM log_events WHERE event_type = 'system.org.rate_limit.violation'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id == org {
			n++
		}
	}
	return n
}
