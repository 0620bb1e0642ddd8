package reliability

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
)

// TestPostgresConnectionCut: while 8 clients create users and read, another connection keeps
// terminating okapi's backends (pg_terminate_backend). Every answer is a 2xx or a 503 E0000009
// with Retry-After, never a 500; once the cuts stop the pool reconnects and every request
// succeeds; every acknowledged create is there with its event, and no user lacks one.
func TestPostgresConnectionCut(t *testing.T) {
	base := pgtest.URL(t)
	u, _ := url.Parse(base)
	qs := u.Query()
	qs.Set("application_name", "okapi-under-test") // so the cuts hit okapi's backends only
	u.RawQuery = qs.Encode()
	db, err := postgres.Open(t.Context(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _ := inProcess(t, db)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	cut := func() int {
		var n int
		err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = 'okapi-under-test' AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Errorf("pg_terminate_backend: %v", err)
		}
		return n
	}

	var (
		mu       sync.Mutex
		acked    []string
		ok, sent atomic.Int64
		refused  atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var r reply
				if i%2 == 0 {
					r = c.do(http.MethodPost, "/api/v1/users?activate=true", newUser(fmt.Sprintf("cut-w%d-%d@okapi.test", w, i), "x"))
				} else {
					r = c.do(http.MethodGet, "/api/v1/users?limit=20", nil)
				}
				sent.Add(1)
				switch {
				case r.ok():
					ok.Add(1)
					if i%2 == 0 {
						var u user
						_ = jsonUnmarshal(r.body, &u)
						mu.Lock()
						acked = append(acked, u.ID)
						mu.Unlock()
					}
				case r.status == http.StatusServiceUnavailable:
					refused.Add(1)
					wantUnavailable(t, r, "the connection to the database was lost", true)
				default:
					t.Errorf("during connection cuts: %s", r)
				}
			}
		}()
	}
	time.Sleep(time.Second)
	t.Logf("before cuts: %d requests", sent.Load())
	terminated := 0
	for range 10 {
		time.Sleep(150 * time.Millisecond)
		terminated += cut()
	}
	close(stop)
	wg.Wait()
	if terminated == 0 {
		t.Fatal("no backend of okapi was terminated; the test did not test anything")
	}

	// The cuts stopped: after the pool drops what is left of its dead connections, everything works.
	cut()
	for i := 0; i < 40; i++ {
		r := c.do(http.MethodGet, "/api/v1/users?limit=1", nil)
		if i >= 20 && !r.ok() {
			t.Fatalf("request %d after the cuts stopped: %s", i, r)
		}
	}
	c.must(t, http.MethodPost, "/api/v1/users?activate=true", newUser("after-cuts@okapi.test", "x"), nil)

	users := all[user](t, c, "/api/v1/users?limit=200&search="+q(`created gt "2000-01-01T00:00:00.000Z"`))
	exists := map[string]bool{}
	for _, u := range users {
		exists[u.ID] = true
	}
	created := map[string]int{}
	for _, e := range all[event](t, c, "/api/v1/logs?limit=1000&filter="+q(`eventType eq "user.lifecycle.create"`)) {
		created[e.Target[0].ID]++
	}
	for _, id := range acked {
		if !exists[id] || created[id] != 1 {
			t.Errorf("acknowledged create %s: exists %v, %d create events", id, exists[id], created[id])
		}
	}
	for _, u := range users {
		if u.Profile.Login != "admin@okapi.test" && created[u.ID] != 1 {
			t.Errorf("user %s has %d create events, want 1", u.ID, created[u.ID])
		}
	}
	t.Logf("%d backends terminated; %d requests: %d ok, %d answered 503; %d acknowledged creates all present",
		terminated, sent.Load(), ok.Load(), refused.Load(), len(acked))
}
