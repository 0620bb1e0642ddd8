package main

import (
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// cluster is two okapi processes on one PostgreSQL schema, and a view of that database.
type cluster struct {
	insts  []*instance
	db     *sqlstore.DB
	org    domain.Org
	admin  *client
	bin    string
	dbURL  string
	secret string
}

// on is the instance a request number n goes to: requests alternate, as behind a round-robin
// load balancer.
func (c *cluster) on(n int) string { return c.insts[n%len(c.insts)].url }

// TestInstancesShareOnePostgres runs two real okapi processes on one fresh PostgreSQL schema,
// started at the same moment (so their migrations and default-org set-up race), and drives
// them with concurrent clients spread over both. Afterwards the database holds what a single
// server would: no lost update, no duplicate, every event logged once.
func TestInstancesShareOnePostgres(t *testing.T) {
	dbURL := pgtest.URL(t)
	c := &cluster{bin: buildOkapi(t), dbURL: dbURL, secret: "00" + strings.Repeat("mUlT1", 8)}
	env := []string{"OKAPI_BOOTSTRAP_TOKEN=" + c.secret, "OKAPI_RATE_LIMIT_PROFILE=off", "OKAPI_LOG_LEVEL=info"}
	c.insts = make([]*instance, 2)
	errs := parallel(len(c.insts), func(i int) error {
		var err error
		c.insts[i], err = startInstance(t, c.bin, fmt.Sprintf("okapi-%c", 'a'+i), []string{"--database", dbURL}, env)
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c.db = db
	if c.org, err = db.GetOrgByName(t.Context(), domain.DefaultOrgName); err != nil {
		t.Fatalf("default org: %v", err)
	}
	if orgs, _ := db.ListOrgs(t.Context()); len(orgs) != 1 {
		t.Fatalf("%d orgs after two instances started at once, want 1", len(orgs))
	}
	c.admin = &client{token: c.secret, http: &http.Client{Timeout: 30 * time.Second}}

	poller := c.startLogPoller(t, c.org.Created.Add(-time.Minute))
	t.Run("Tokens", c.testTokens)
	t.Run("UsersAndGroups", c.testUsersAndGroups)
	t.Run("EventHooksDeliveredOnce", c.testEventHooks)
	t.Run("EveryEventLoggedOnce", c.testEventsUnique)
	t.Run("LogPollingAcrossInstances", func(t *testing.T) { poller.finish(t, c) })
}

// parallel runs fn(i) for i in [0, n) at once and returns their errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

const clients = 8

func (c *cluster) testTokens(t *testing.T) {
	ctx := t.Context()
	// A token made by the CLI on the shared database works on both instances at once.
	out, err := exec.CommandContext(ctx, c.bin, "token", "create", "--name", "cli", "--database", c.dbURL).Output()
	if err != nil {
		t.Fatalf("okapi token create: %v", err)
	}
	cli := &client{token: strings.TrimSpace(string(out)), http: c.admin.http}
	for i := range c.insts {
		if r, err := cli.do(ctx, "GET", c.on(i)+"/api/v1/api-tokens", nil); err != nil || r.status != 200 {
			t.Fatalf("CLI token on instance %d: %v %v", i, r, err)
		}
	}

	// Tokens to revoke, with their secrets.
	svc := service.New(c.db, nil, nil, nil)
	octx := domain.WithCaller(ctx, &domain.Caller{OrgID: c.org.ID})
	var seeded []domain.APIToken
	secrets := map[string]string{}
	for i := range 12 {
		tok, secret, err := svc.CreateToken(octx, fmt.Sprintf("seed-%d", i), "")
		if err != nil {
			t.Fatal(err)
		}
		seeded = append(seeded, tok)
		secrets[tok.ID] = secret
	}

	// A cursor from one instance works on the other: page alternately, limit 3.
	all, err := c.db.ListTokens(ctx, c.org.ID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tok := range all {
		want = append(want, tok.ID)
	}
	var got []string
	next := c.on(0) + "/api/v1/api-tokens?limit=3"
	for page := 0; next != "" && page < 20; page++ {
		r, err := c.admin.do(ctx, "GET", next, nil)
		if err != nil || r.status != 200 {
			t.Fatalf("page %d (%s): %v %v", page, next, r, err)
		}
		var list []struct{ ID string }
		if err := r.decode(&list); err != nil {
			t.Fatal(err)
		}
		for _, tok := range list {
			got = append(got, tok.ID)
		}
		next = r.nextLink()
		if next != "" {
			next = c.on(page+1) + next[len(c.on(page)):]
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("tokens paged across instances =\n%q\nwant\n%q", got, want)
	}

	// Every client revokes every seeded token, through alternating instances: each revocation
	// succeeds exactly once; the rest are 404 E0000007.
	var mu sync.Mutex
	revoked := map[string]int{}
	errs := parallel(clients, func(i int) error {
		for k := range seeded {
			tok := seeded[(k+i*5)%len(seeded)]
			r, err := c.admin.do(ctx, "DELETE", c.on(i+k)+"/api/v1/api-tokens/"+tok.ID, nil)
			if err != nil {
				return err
			}
			switch {
			case r.status == 204:
				mu.Lock()
				revoked[tok.ID]++
				mu.Unlock()
			case r.status != 404 || r.errorCode() != domain.CodeNotFound:
				return fmt.Errorf("revoke %s: %v", tok.ID, r)
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, tok := range seeded {
		if revoked[tok.ID] != 1 {
			t.Errorf("token %s revoked %d times, want exactly 1", tok.ID, revoked[tok.ID])
		}
		// A token revoked through one instance is refused by both.
		for i := range c.insts {
			gone := &client{token: secrets[tok.ID], http: c.admin.http}
			if r, err := gone.do(ctx, "GET", c.on(i)+"/api/v1/api-tokens", nil); err != nil || r.status != 401 {
				t.Errorf("revoked token on instance %d: %v %v, want 401", i, r, err)
			}
		}
	}
	counts := c.eventCounts(t, "system.api_token.revoke")
	for _, tok := range seeded {
		if counts[tok.ID] != 1 {
			t.Errorf("%d system.api_token.revoke events for %s, want 1", counts[tok.ID], tok.ID)
		}
	}
}

// eventCounts counts the events of a type per target id, straight from the database.
func (c *cluster) eventCounts(t *testing.T, eventType string) map[string]int {
	t.Helper()
	rows, err := c.db.ReadPool().QueryContext(t.Context(), `SELECT t.id, count(*) FROM log_events e
		JOIN log_targets t ON t.event_seq = e.seq
		WHERE e.org_id = $1 AND e.event_type = $2 GROUP BY t.id`, c.org.ID, eventType)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

func (c *cluster) testEventsUnique(t *testing.T) {
	var n, distinct, seqs int
	err := c.db.ReadPool().QueryRowContext(t.Context(),
		`SELECT count(*), count(DISTINCT uuid), count(DISTINCT seq) FROM log_events WHERE org_id = $1`, c.org.ID).Scan(&n, &distinct, &seqs)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != distinct || n != seqs {
		t.Errorf("%d events, %d distinct uuids, %d distinct seqs: every event must be logged once", n, distinct, seqs)
	}
}
