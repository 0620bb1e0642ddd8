package seed_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/seed"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// backends runs f on SQLite, and on PostgreSQL when OKAPI_TEST_POSTGRES_URL is set.
func backends(t *testing.T, f func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		url := testgate.PostgresURL(t)
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, db)
	})
}

// env is a fresh org (random name, so PostgreSQL runs can share a database).
type env struct {
	t    *testing.T
	db   *sqlstore.DB
	svc  *service.Service
	name string
	org  domain.Org
	ctx  context.Context
}

func newEnv(t *testing.T, db *sqlstore.DB) *env {
	svc := service.New(db, nil, nil, nil)
	name := "seed-" + strings.ToLower(domain.CryptoIDs{}.Random(10))
	org, _, err := svc.NewOrg(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	// PostgreSQL tests share a database: fixed token values must leave with their org.
	t.Cleanup(func() { _ = svc.DeleteOrg(context.Background(), name) })
	ctx := domain.WithCaller(context.Background(), &domain.Caller{OrgID: org.ID})
	return &env{t: t, db: db, svc: svc, name: name, org: org, ctx: ctx}
}

// dump is every row of the org, as a snapshot sees it: saved under a scratch name and read back.
func (e *env) dump() string {
	e.t.Helper()
	if _, err := e.svc.SaveSnapshot(context.Background(), e.name, "zz-dump"); err != nil {
		e.t.Fatal(err)
	}
	var data string
	q := `SELECT data FROM org_snapshots WHERE org_id = ? AND name = 'zz-dump'`
	if e.db.Dialect().Numbered {
		q = strings.Replace(q, "?", "$1", 1)
	}
	if err := e.db.ReadPool().QueryRow(q, e.org.ID).Scan(&data); err != nil {
		e.t.Fatal(err)
	}
	return data
}

func (e *env) load(doc string) error {
	f, err := seed.Parse("test.yaml", []byte(doc))
	if err != nil {
		return err
	}
	return seed.Load(context.Background(), e.svc, e.name, f)
}

func (e *env) userStatus(login string) string {
	u, err := e.svc.GetUser(e.ctx, login)
	if err != nil {
		return "missing"
	}
	return string(u.Status)
}

func TestExampleSeedLoads(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		f, err := seed.ReadFile("../../examples/seed.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := seed.Load(context.Background(), e.svc, e.name, f); err != nil {
			t.Fatal(err)
		}
		for login, want := range map[string]string{"ada@example.com": "ACTIVE", "grace@example.com": "ACTIVE",
			"new.hire@example.com": "STAGED", "on.leave@example.com": "SUSPENDED", "must.change@example.com": "PASSWORD_EXPIRED"} {
			if got := e.userStatus(login); got != want {
				t.Errorf("%s: %s, want %s", login, got, want)
			}
		}
		ada, _ := e.svc.GetUser(e.ctx, "ada@example.com")
		if ada.Profile["employeeNumber"] != "1815" || ada.Profile["costCenter"] != "R&D" {
			t.Errorf("custom profile values: %v", ada.Profile)
		}
		groupPage, err := e.svc.ListUserGroups(e.ctx, ada.ID, service.ListParams{Limit: 10})
		groups := groupPage.Items
		if err != nil || len(groups) != 3 {
			t.Errorf("ada's groups: %v %v (want Everyone, Engineering, and Support by the green badge rule)", groups, err)
		}
		grace, _ := e.svc.GetUser(e.ctx, "grace@example.com")
		if _, err := e.svc.ChangePassword(e.ctx, grace.ID, "Imp0rted-Secret", "Brand-New-Secret-9", false); err != nil {
			t.Errorf("the imported hash does not verify Imp0rted-Secret: %v", err)
		}
		p, err := e.svc.Authenticate(context.Background(), "00seedCiToken0000000000000000000000000000")
		if err != nil || p.OrgID != e.org.ID {
			t.Errorf("seeded token: %+v %v", p, err)
		}
		if ok, _ := e.svc.CORSAllowed(e.ctx, e.org.ID, "http://localhost:3000"); !ok {
			t.Error("seeded trusted origin does not allow CORS")
		}
		zonePage, err := e.svc.ListZones(e.ctx, service.ListParams{Limit: 100})
		zones := zonePage.Items
		found := false
		for _, z := range zones {
			found = found || z.Name == "Office"
		}
		if !found || err != nil {
			t.Errorf("seeded zone missing: %v %v", zones, err)
		}
		// The same token value cannot be seeded twice (hashes are unique across orgs).
		other := newEnv(t, db)
		err = other.load("apiTokens:\n  - name: again\n    token: 00seedCiToken0000000000000000000000000000\n")
		var se *seed.Error
		if !errors.As(err, &se) || se.Field != "token" || se.Line != 3 {
			t.Errorf("reused token value: %v", err)
		}
	})
}

func TestBadSeedChangesNothing(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		before := e.dump()
		good := "groups:\n  - profile: {name: G1}\nusers:\n  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B}\n    credentials: {password: {value: Passw0rd-long-enough}}\n"
		for _, tc := range []struct {
			name, doc   string
			line        int
			path, field string
		}{
			{"bad email after good items", good + "  - profile:\n      login: b@x.test\n      email: not-an-email\n      firstName: B\n      lastName: C\n",
				8, "users[1]", "profile.email"},
			{"duplicate login", good + "  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B}\n", 6, "users[1]", "profile.login"},
			{"unknown group", good + "  - profile: {login: c@x.test, email: c@x.test, firstName: C, lastName: D}\n    groups: [Nope]\n", 7, "users[1]", "groups"},
			{"unknown status", good + "  - status: LOCKED_OUT\n    profile: {login: c@x.test, email: c@x.test, firstName: C, lastName: D}\n", 6, "users[1]", "status"},
			{"active without password", good + "  - status: ACTIVE\n    profile: {login: c@x.test, email: c@x.test, firstName: C, lastName: D}\n", 6, "users[1]", "status"},
			{"typo", good + "  - profle: {login: c@x.test}\n", 6, "users[1]", "profle"},
			{"wrong type", good + "  - profile: {login: c@x.test, email: c@x.test, firstName: C, lastName: D}\n    groups: Engineering\n", 7, "users[1]", "groups"},
			{"weak password", good + "  - profile: {login: c@x.test, email: c@x.test, firstName: C, lastName: D}\n    credentials: {password: {value: a}}\n", 7, "users[1]", "password"},
			{"duplicate group", good + "trustedOrigins:\n  - {name: O, origin: 'https://o.test', scopes: [{type: CORS}]}\ngroups2: []\n", 8, "groups2", ""},
			{"bad origin last", good + "trustedOrigins:\n  - name: O\n    origin: not a url\n    scopes: [{type: CORS}]\n", 0, "trustedOrigins[0]", ""},
			{"short token", good + "apiTokens:\n  - {name: t, token: short}\n", 7, "apiTokens[0]", "token"},
			{"not yaml", "users: [\n", 0, "", ""},
			{"top level list", "- a\n", 1, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := e.load(tc.doc)
				var se *seed.Error
				if !errors.As(err, &se) {
					t.Fatalf("load: %v, want a *seed.Error", err)
				}
				if (tc.line != 0 && se.Line != tc.line) || se.Path != tc.path || (tc.field != "" && se.Field != tc.field) || se.File != "test.yaml" {
					t.Errorf("error %q at %s:%d %s.%s, want line %d %s.%s", se.Message, se.File, se.Line, se.Path, se.Field, tc.line, tc.path, tc.field)
				}
				if !strings.HasPrefix(se.Error(), "test.yaml:") {
					t.Errorf("message %q does not start with the file name", se.Error())
				}
				if after := e.dump(); after != before {
					t.Errorf("a failed seed changed the org")
				}
			})
		}
		if err := e.load(good); err != nil {
			t.Fatalf("the good part alone: %v", err)
		}
		if e.userStatus("a@x.test") != "ACTIVE" {
			t.Error("good seed did not load")
		}
	})
}

func TestSnapshotResetRestore(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		empty := e.dump()
		if err := e.load("groups:\n  - profile: {name: Team}\nusers:\n  - profile: {login: a@x.test, email: a@x.test, firstName: A, lastName: B}\n    credentials: {password: {value: Passw0rd-long-enough}}\n    groups: [Team]\n"); err != nil {
			t.Fatal(err)
		}
		seeded := e.dump()
		if _, err := e.svc.SaveSnapshot(context.Background(), e.name, "s1"); err != nil {
			t.Fatal(err)
		}
		// Change everything a test might: users, groups, memberships, tokens, logs.
		u, err := e.svc.CreateUser(e.ctx, service.UserInput{Profile: map[string]any{"login": "b@x.test", "email": "b@x.test", "firstName": "B", "lastName": "C"}}, service.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UserLifecycle(e.ctx, "a@x.test", domain.OpSuspend); err != nil {
			t.Fatal(err)
		}
		_, secret, err := e.svc.CreateToken(e.ctx, "later", "")
		if err != nil {
			t.Fatal(err)
		}
		if e.dump() == seeded {
			t.Fatal("the changes did not change the dump: this test could not fail")
		}
		if err := e.svc.RestoreSnapshot(context.Background(), e.name, "s1"); err != nil {
			t.Fatal(err)
		}
		if got := e.dump(); got != seeded {
			t.Errorf("restore of s1 differs from the saved org:\n got %.400s\nwant %.400s", got, seeded)
		}
		if e.userStatus("a@x.test") != "ACTIVE" || e.userStatus(u.ID) != "missing" {
			t.Error("restore did not bring users back to the snapshot")
		}
		if _, err := e.svc.Authenticate(context.Background(), secret); err == nil {
			t.Error("a token created after the snapshot survives its restore")
		}
		// Reset to empty: what a new org holds, minus its System Log.
		if err := e.svc.ResetOrg(context.Background(), e.name, false); err != nil {
			t.Fatal(err)
		}
		if e.userStatus("a@x.test") != "missing" {
			t.Error("reset kept a seeded user")
		}
		userPage, err := e.svc.ListUsers(e.ctx, service.ListParams{Limit: 10})
		users := userPage.Items
		if err != nil || len(users) != 1 {
			t.Errorf("after reset: %d users (%v), want the admin only", len(users), err)
		}
		if strings.Contains(e.dump(), `"log_events":{"columns":[`) && !strings.Contains(e.dump(), `"rows":[]`) {
			t.Error("reset kept the System Log")
		}
		_ = empty
		// And back to the seed.
		if err := e.svc.ResetOrg(context.Background(), e.name, true); err != nil {
			t.Fatal(err)
		}
		if got := e.dump(); got != seeded {
			t.Error("reset to seed differs from the org right after the seed")
		}
		// A restore that fails half-way leaves the org as it was.
		if _, err := e.svc.SaveSnapshot(context.Background(), e.name, "broken"); err != nil {
			t.Fatal(err)
		}
		q := `UPDATE org_snapshots SET data = replace(data, '"zones":{"columns":["org_id"', '"zones":{"columns":["nope"') WHERE org_id = ? AND name = 'broken'`
		if db.Dialect().Numbered {
			q = strings.Replace(q, "?", "$1", 1)
		}
		if _, err := db.WritePool().Exec(q, e.org.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RestoreSnapshot(context.Background(), e.name, "broken"); err == nil {
			t.Fatal("restoring a damaged snapshot succeeded")
		}
		if got := e.dump(); got != seeded {
			t.Error("a failed restore changed the org")
		}
		if err := e.svc.RestoreSnapshot(context.Background(), e.name, "nope"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown snapshot: %v", err)
		}
		snaps, err := e.svc.ListSnapshots(context.Background(), e.name)
		if err != nil || len(snaps) != 4 { // broken, s1, seed, zz-dump
			t.Errorf("snapshots: %v %v", snaps, err)
		}
		// Deleting the org deletes its snapshots.
		if err := e.svc.DeleteOrg(context.Background(), e.name); err != nil {
			t.Fatal(err)
		}
	})
}

// TestOrgTablesListed fails when a migration adds an org-scoped table that snapshots, resets
// and org deletes would not know about.
func TestOrgTablesListed(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		q := `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'org_id'`
		if db.Dialect().Numbered {
			q = `SELECT table_name FROM information_schema.columns WHERE column_name = 'org_id' AND table_schema = current_schema()`
		}
		rows, err := db.ReadPool().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		listed := map[string]bool{}
		for _, tbl := range sqlstore.OrgTables() {
			listed[tbl.Name] = true
		}
		n := 0
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			n++
			if !listed[name] {
				t.Errorf("table %s has org_id but is not in sqlstore's orgTables registry", name)
			}
		}
		if n < len(sqlstore.OrgTables()) {
			t.Errorf("found %d org tables, fewer than the %d listed", n, len(sqlstore.OrgTables()))
		}
	})
}
