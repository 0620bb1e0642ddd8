// Package seed fills an org with realistic users, groups, memberships and their System Log
// events through the store's bulk path, for benchmarks (okapi seed-bench). It bypasses the
// service on purpose: rules and bcrypt would make a million users take hours.
package seed

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math/bits"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// Options say what to seed.
type Options struct {
	Users, Groups int
	// Batch is users per transaction (default 10,000).
	Batch int
	// DropIndexes rebuilds the secondary indexes of the seeded tables once at the end instead
	// of growing them row by row (SQLite; okapi must not be serving the database meanwhile).
	DropIndexes bool
	// Indexing, when set, is called before the indexes are rebuilt (it takes a while).
	Indexing func()
	// IndexProgress, when set, is called after each index rebuilt with the count done and the
	// total (for an ETA).
	IndexProgress func(done, total int)
	// Seed fixes the generated data (0: random, so runs on one database never collide).
	Seed uint64
	// Progress, when set, is called after every committed batch with the users done so far.
	Progress func(done int)
}

// Target is the org to fill and who the log events name as the actor.
type Target struct {
	OrgID      string
	EveryoneID string
	Actor      *domain.Caller
}

// Password is the clear text of the one precomputed hash seeded ACTIVE users share, so a
// benchmark can authenticate as any of them without paying bcrypt per seeded user.
const Password = "Seed-Bench-Passw0rd!"

// eventWindow is how far back seeded events go: inside okapi's default log retention.
const eventWindow = 80 * 24 * 3600 * 1000

// Departments are the values of profile.department, a custom (non-indexed) attribute.
var Departments = []string{"Engineering", "Sales", "Marketing", "Finance", "Support", "Legal",
	"Operations", "Research", "Design", "People"}

var (
	firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
		"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
		"Sarah", "Charles", "Karen", "Amelie", "Jules", "Noor", "Wei", "Aiko", "Mateo", "Olga", "Kwame",
		"Priya", "Lars", "Ines", "Tariq", "Sofia", "Diego", "Hana", "Yusuf", "Elena", "Omar", "Chloe", "Ravi"}
	lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
		"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
		"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
		"Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
		"Nguyen", "Hill", "Flores", "Dubois", "Muller", "Rossi", "Kowalski", "Tanaka", "Okafor", "Silva",
		"Novak", "Jensen", "Haddad"}
	titles = []string{"Engineer", "Senior Engineer", "Manager", "Director", "Analyst", "Associate",
		"Specialist", "Consultant", "Lead", "Intern"}
	cities = []string{"Paris", "Berlin", "London", "New York", "San Francisco", "Tokyo", "Sydney",
		"Toronto", "Lagos", "Sao Paulo", "Mumbai", "Madrid"}
)

// statusFor spreads statuses as a real directory has them: mostly ACTIVE.
func statusFor(r uint64) domain.UserStatus {
	switch p := r % 100; {
	case p < 85:
		return domain.StatusActive
	case p < 90:
		return domain.StatusStaged
	case p < 94:
		return domain.StatusProvisioned
	case p < 97:
		return domain.StatusSuspended
	case p < 99:
		return domain.StatusDeprovisioned
	default:
		return domain.StatusLockedOut
	}
}

// rng is splitmix64: tiny, fast and good enough for test data; one per goroutine.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (r *rng) pick(list []string) string { return list[r.next()%uint64(len(list))] }

// Random implements domain.IDs over the rng (ids, uuids).
func (r *rng) Random(n int) string {
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	var v uint64
	for i := range b {
		if i%10 == 0 {
			v = r.next()
		}
		var q uint64
		q, v = bits.Div64(0, v, 62)
		b[i], v = base62[v], q
	}
	return string(b)
}

// Stats is what a run did.
type Stats struct {
	Users, Groups, Members, Events int
	Elapsed                        time.Duration
}

// Run seeds t's org. Generation runs on every core; one goroutine inserts, in transactions of
// opt.Batch users, so a failure loses at most the batch in flight.
func Run(ctx context.Context, db *sqlstore.DB, t Target, opt Options) (st Stats, err error) {
	start := time.Now()
	if opt.Batch <= 0 {
		opt.Batch = 10000
	}
	seed := opt.Seed
	if seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		seed = binary.LittleEndian.Uint64(b[:])
	}
	// One bcrypt hash for every ACTIVE seeded user: cost 10 as okapi's own, paid once.
	hash, herr := bcrypt.GenerateFromPassword([]byte(Password), 10)
	if herr != nil {
		return st, herr
	}
	g := &generator{t: t, tag: strconv.FormatUint(seed%(36*36*36*36), 36), hash: string(hash), seed: seed,
		now: domain.At(time.Now())}
	if opt.DropIndexes {
		restore, err := db.DropIndexes(ctx, "users", "group_members", "log_events", "log_targets")
		if err != nil {
			return st, err
		}
		defer func() {
			if opt.Indexing != nil {
				opt.Indexing()
			}
			if rerr := restore(context.WithoutCancel(ctx), opt.IndexProgress); rerr != nil && err == nil {
				err = rerr
			}
			st.Elapsed = time.Since(start)
		}()
	}
	if opt.Groups > 0 {
		groups := g.groups(opt.Groups)
		rows, err := sqlstore.PrepareBulk(t.OrgID, sqlstore.Bulk{Groups: groups})
		if err != nil {
			return st, err
		}
		if err := db.BulkInsert(ctx, rows); err != nil {
			return st, fmt.Errorf("groups: %w", err)
		}
		for _, gr := range groups {
			g.groupIDs = append(g.groupIDs, gr.ID)
		}
		st.Groups = len(groups)
	}

	type job struct {
		n       int
		rows    *sqlstore.BulkRows
		members int
		err     error
	}
	batches := (opt.Users + opt.Batch - 1) / opt.Batch
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Results must be inserted one at a time but may be built in any order: each batch has
	// its own slot channel, and the inserter takes them in order.
	slots := make([]chan job, batches)
	for i := range slots {
		slots[i] = make(chan job, 1)
	}
	work := make(chan int)
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	// ahead bounds the batches built but not yet inserted, so memory stays flat.
	ahead := make(chan struct{}, workers+2)
	for w := 0; w < workers; w++ {
		go func() {
			for i := range work {
				n := min(opt.Batch, opt.Users-i*opt.Batch)
				b := g.batch(i, i*opt.Batch, n)
				rows, err := sqlstore.PrepareBulk(t.OrgID, b)
				slots[i] <- job{n: n, rows: rows, members: len(b.Members), err: err}
			}
		}()
	}
	go func() {
		defer close(work)
		for i := 0; i < batches; i++ {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var firstErr error
	for i := 0; i < batches; i++ {
		var j job
		select {
		case j = <-slots[i]:
		case <-ctx.Done():
			return st, ctx.Err()
		}
		<-ahead
		if j.err == nil {
			j.err = db.BulkInsert(ctx, j.rows)
		}
		if j.err != nil {
			firstErr = fmt.Errorf("batch %d: %w", i, j.err)
			break
		}
		st.Users += j.n
		st.Events += j.n
		st.Members += j.members
		if opt.Progress != nil {
			opt.Progress(st.Users)
		}
	}
	cancel()
	st.Elapsed = time.Since(start)
	return st, firstErr
}

// generator builds deterministic batches: batch i depends only on the seed and i.
type generator struct {
	t        Target
	tag      string
	hash     string
	seed     uint64
	now      domain.Time
	groupIDs []string
}

func (g *generator) groups(n int) []domain.Group {
	r := &rng{s: g.seed ^ 0x5bd1e995}
	out := make([]domain.Group, n)
	for i := range out {
		dept := Departments[i%len(Departments)]
		name := fmt.Sprintf("%s %s %d (%s)", dept, r.pick(cities), i, g.tag)
		out[i] = domain.Group{ID: domain.NewID(r, domain.PrefixGroup), Type: domain.GroupOkta,
			Created: g.now, LastUpdated: g.now, LastMembershipUpdated: g.now,
			Profile: map[string]any{"name": name, "description": "Seeded " + strings.ToLower(dept) + " group"}}
	}
	return out
}

func (g *generator) batch(i, first, n int) sqlstore.Bulk {
	r := &rng{s: g.seed + uint64(i)*0x2545F4914F6CDD1D}
	b := sqlstore.Bulk{Users: make([]domain.User, n), Events: make([]domain.LogEvent, n),
		Members: make([]sqlstore.Member, 0, 2*n)}
	typeID := service.DefaultUserTypeID(g.t.OrgID)
	for k := range n {
		idx := first + k
		first, last := r.pick(firstNames), r.pick(lastNames)
		login := strings.ToLower(first+"."+last) + "." + g.tag + "-" + strconv.Itoa(idx) + "@example.com"
		// Spread creation over the last two years so date filters and sorts have a range.
		created := domain.FromMillis(g.now.Millis() - int64(r.next()%(2*365*24*3600*1000)))
		u := domain.User{ID: domain.NewID(r, domain.PrefixUser), Status: statusFor(r.next()),
			Created: created, LastUpdated: created, StatusChanged: created, TypeID: typeID,
			Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
			Profile: map[string]any{"login": login, "email": login, "firstName": first, "lastName": last,
				"department": r.pick(Departments), "title": r.pick(titles), "city": r.pick(cities),
				"employeeNumber": strconv.Itoa(100000 + idx)}}
		if u.Status != domain.StatusStaged && u.Status != domain.StatusProvisioned {
			u.Activated = created
		}
		if u.Status == domain.StatusActive || u.Status == domain.StatusSuspended || u.Status == domain.StatusLockedOut {
			u.Secrets.PasswordHash, u.PasswordChanged = g.hash, created
		}
		b.Users[k] = u
		b.Members = append(b.Members, sqlstore.Member{GroupID: g.t.EveryoneID, UserID: u.ID, Created: created})
		if len(g.groupIDs) > 0 {
			b.Members = append(b.Members, sqlstore.Member{GroupID: g.groupIDs[r.next()%uint64(len(g.groupIDs))], UserID: u.ID, Created: created})
		}
		// The create event of a user older than the log retention (90 days) would be purged
		// as soon as okapi starts: publish those at a time inside it instead.
		published := created
		if g.now.Millis()-created.Millis() > eventWindow {
			published = domain.FromMillis(g.now.Millis() - int64(r.next()%eventWindow))
		}
		b.Events[k] = domain.NewLogEvent(g.t.Actor, r, published, "user.lifecycle.create", "Create okta user", u.LogTarget())
	}
	return b
}
