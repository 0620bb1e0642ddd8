package reliability

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the integrity check opens the crashed file directly

	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
)

// Crash safety: 8 writers hammer okapi with creates, profile updates, lifecycle changes and
// membership changes, and okapi is killed with SIGKILL at a random moment, several rounds on one
// database. After each kill the database must hold every write that was acknowledged, with its
// System Log event, and nothing half-written: a row exists iff its event does.
//
// OKAPI_CRASH_ROUNDS sets the number of rounds (default 5), OKAPI_CRASH_SEED the random seed.

const crashWriters = 8

func TestCrashSafetySQLite(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "okapi.db")
	runCrashRounds(t, dir, db, func(t *testing.T) { sqliteIntegrity(t, db) })
}

func TestCrashSafetyPostgres(t *testing.T) {
	pg := pgtest.URL(t)
	runCrashRounds(t, t.TempDir(), pg, nil)
}

func runCrashRounds(t *testing.T, dataDir, database string, afterKill func(*testing.T)) {
	rounds := envInt(t, "OKAPI_CRASH_ROUNDS", 5)
	seed := uint64(envInt(t, "OKAPI_CRASH_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("%d rounds, seed %d (OKAPI_CRASH_SEED to repeat)", rounds, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	l := &ledger{users: map[string]*tracked{}}
	p := start(t, dataDir, database)
	c := newClient(p.url)
	for i := range 4 {
		var g group
		c.must(t, http.MethodPost, "/api/v1/groups",
			map[string]any{"profile": map[string]any{"name": fmt.Sprintf("crash-%d", i)}}, &g)
		l.groups = append(l.groups, g.ID)
	}
	for round := 1; round <= rounds; round++ {
		var wg sync.WaitGroup
		for w := range crashWriters {
			wr := &writer{t: t, c: c, l: l, id: w, round: round, rng: rand.New(rand.NewPCG(seed, uint64(round*100+w)))}
			wg.Add(1)
			go func() { defer wg.Done(); wr.run() }()
		}
		time.Sleep(time.Duration(200+rng.IntN(1800)) * time.Millisecond)
		p.kill(t)
		wg.Wait()
		if afterKill != nil {
			afterKill(t)
		}
		p = start(t, dataDir, database)
		c = newClient(p.url)
		l.verify(t, c, round)
		if t.Failed() {
			t.Logf("okapi log tail:\n%s", p.logs)
			return
		}
	}
	t.Logf("survived %d SIGKILL rounds: %d acknowledged writes checked (%d users, %d answers lost to the kill), %d 5xx",
		rounds, l.acked, len(l.users), l.unanswered, l.serverErrors)
}

// sqliteIntegrity opens the killed database file on its own and runs SQLite's checks.
func sqliteIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("PRAGMA integrity_check after SIGKILL = %q, %v", res, err)
	}
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("PRAGMA foreign_key_check after SIGKILL reports dangling rows")
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// change is what one write does to a user when it commits.
type change struct {
	status string          // status after it ("" = unchanged)
	nick   string          // profile.nickName after it ("" = unchanged)
	member map[string]bool // group id -> membership after it
	events []string        // System Log event types with the user as target
}

// tracked is what the writers know about one user they created: the state their acknowledged
// writes left, and the one write whose answer never came (the kill cut it), after which the
// user is not touched again.
type tracked struct {
	id, login string
	status    string
	nick      string
	member    map[string]bool
	events    map[string]int
	maybe     *change
}

func (u *tracked) apply(ch change) {
	if ch.status != "" {
		u.status = ch.status
	}
	if ch.nick != "" {
		u.nick = ch.nick
	}
	for g, m := range ch.member {
		u.member[g] = m
	}
	for _, e := range ch.events {
		u.events[e]++
	}
}

// ledger is the writers' shared record.
type ledger struct {
	mu           sync.Mutex
	groups       []string
	users        map[string]*tracked
	maybeLogins  []string // creates that got no answer
	acked        int
	unanswered   int
	serverErrors int
	everyoneID   string
}

// writer is one of the concurrent clients of a round. Each user belongs to the writer that
// created it, so the writer's view of the user's state is exact.
type writer struct {
	t     *testing.T
	c     *client
	l     *ledger
	id    int
	round int
	rng   *rand.Rand
	mine  []*tracked
	seq   int
}

func (w *writer) run() {
	for {
		if !w.step() {
			return
		}
	}
}

// step makes one write; false once okapi stopped answering.
func (w *writer) step() bool {
	w.seq++
	var live []*tracked
	for _, u := range w.mine {
		if u.status != "DEPROVISIONED" {
			live = append(live, u)
		}
	}
	if len(live) < 3 || w.rng.IntN(4) == 0 {
		return w.create()
	}
	u := live[w.rng.IntN(len(live))]
	nick := fmt.Sprintf("r%d-w%d-%d", w.round, w.id, w.seq)
	var method, path string
	var body any
	var ch change
	switch n := w.rng.IntN(20); {
	case n < 6:
		method, path, body = http.MethodPost, "/api/v1/users/"+u.id, map[string]any{"profile": map[string]any{"nickName": nick}}
		ch = change{nick: nick, events: []string{"user.account.update_profile"}}
	case n < 9 && u.status == "ACTIVE":
		method, path = http.MethodPost, "/api/v1/users/"+u.id+"/lifecycle/suspend"
		ch = change{status: "SUSPENDED", events: []string{"user.lifecycle.suspend"}}
	case n < 9:
		method, path = http.MethodPost, "/api/v1/users/"+u.id+"/lifecycle/unsuspend"
		ch = change{status: "ACTIVE", events: []string{"user.lifecycle.unsuspend"}}
	case n < 10:
		method, path = http.MethodPost, "/api/v1/users/"+u.id+"/lifecycle/deactivate"
		ch = change{status: "DEPROVISIONED", events: []string{"user.lifecycle.deactivate"}}
	default:
		g := w.l.groups[w.rng.IntN(len(w.l.groups))]
		path = "/api/v1/groups/" + g + "/users/" + u.id
		if u.member[g] {
			method = http.MethodDelete
			ch = change{member: map[string]bool{g: false}, events: []string{"group.user_membership.remove"}}
		} else {
			method = http.MethodPut
			ch = change{member: map[string]bool{g: true}, events: []string{"group.user_membership.add"}}
		}
	}
	r := w.c.do(method, path, body)
	return w.settle(r, method+" "+path, func() { u.apply(ch) }, func() {
		w.mine = slicesDelete(w.mine, u) // its state is now one of two; leave it alone
		u.maybe = &ch
	})
}

func (w *writer) create() bool {
	login := fmt.Sprintf("crash-r%d-w%d-%d@okapi.test", w.round, w.id, w.seq)
	nick := fmt.Sprintf("r%d-w%d-%d", w.round, w.id, w.seq)
	r := w.c.do(http.MethodPost, "/api/v1/users?activate=true", newUser(login, nick))
	var created user
	return w.settle(r, "create "+login, func() {
		if err := jsonUnmarshal(r.body, &created); err != nil || created.ID == "" {
			w.t.Errorf("create %s: %s", login, r)
			return
		}
		u := &tracked{id: created.ID, login: login, status: "ACTIVE", nick: nick, member: map[string]bool{},
			events: map[string]int{"user.lifecycle.create": 1, "user.lifecycle.activate": 1}}
		w.mine = append(w.mine, u)
		w.l.mu.Lock()
		w.l.users[u.id] = u
		w.l.mu.Unlock()
	}, func() {
		w.l.mu.Lock()
		w.l.maybeLogins = append(w.l.maybeLogins, login)
		w.l.mu.Unlock()
	})
}

// settle records the outcome of one write: acknowledged (2xx) → acked runs; no answer or a 5xx →
// maybe runs (the write may or may not have committed). A 4xx means the writer's model is
// wrong, which is a test failure. It returns false once okapi stopped answering.
func (w *writer) settle(r reply, what string, acked, maybe func()) bool {
	switch {
	case r.ok():
		acked()
		w.l.mu.Lock()
		w.l.acked++
		w.l.mu.Unlock()
		return true
	case r.err != nil || r.status >= 500:
		maybe()
		w.l.mu.Lock()
		if r.err != nil {
			w.l.unanswered++
		} else {
			w.l.serverErrors++
			w.t.Errorf("%s: %s before the kill", what, r)
		}
		w.l.mu.Unlock()
		return r.err == nil
	default:
		w.t.Errorf("%s: unexpected %s", what, r)
		return true
	}
}

func slicesDelete(s []*tracked, u *tracked) []*tracked {
	out := s[:0]
	for _, x := range s {
		if x != u {
			out = append(out, x)
		}
	}
	return out
}
