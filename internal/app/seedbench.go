package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/bench/seed"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// seedBench fills the default org with generated users for benchmarks (okapi seed-bench).
func seedBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var opt seed.Options
	cfg, err := storeFlags("seed-bench", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&opt.Users, "users", 10000, "users to create")
		fs.IntVar(&opt.Groups, "groups", 100, "groups to create; each user joins Everyone and one of them")
		fs.IntVar(&opt.Batch, "batch", 10000, "users per transaction")
		fs.Uint64Var(&opt.Seed, "random-seed", 0, "seed of the generated data (0: random); --seed is the seed file of okapi serve")
		fs.BoolVar(&opt.DropIndexes, "drop-indexes", true, "rebuild indexes once at the end (SQLite; okapi must not be serving the database)")
	})
	if err != nil {
		return err
	}
	if opt.Users < 0 || opt.Groups < 0 {
		return fmt.Errorf("--users and --groups must not be negative")
	}
	if !cfg.IsPostgres() {
		// The bulk load takes the file exclusively: not while okapi serves it.
		lock, err := lockSQLite(cfg.Database)
		if err != nil {
			return err
		}
		if lock != nil {
			defer lock.Close()
		}
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	svc := service.New(db, nil, nil, newLogger(stderr, "warn"))
	org, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: cfg.AdminLogin, TokenName: "bootstrap"})
	if err != nil {
		return err
	}
	everyone, err := db.GetBuiltInGroup(ctx, org.ID, domain.EveryoneGroupName)
	if err != nil {
		return err
	}
	actor := &domain.Caller{OrgID: org.ID, RequestID: "seed-bench", IP: "127.0.0.1", IPChain: []string{"127.0.0.1"}}
	if admin, err := db.GetUserByLogin(ctx, org.ID, cfg.AdminLogin); err == nil {
		actor.UserID, actor.Login, actor.DisplayName = admin.ID, admin.Login(), admin.DisplayName()
	}
	if !cfg.IsPostgres() {
		// A seed is a throw-away bulk load: reopen the file exclusively, without journal or
		// fsync (sqlite.Options.Bulk). okapi must not be serving it meanwhile.
		if err := db.Close(); err != nil {
			return err
		}
		if db, err = sqlite.Open(ctx, cfg.Database, sqlite.Options{Bulk: true}); err != nil {
			return err
		}
	}
	stopProfile, err := startCPUProfile(getenv)
	if err != nil {
		return err
	}
	defer stopProfile()
	bar := newProgress(stderr, opt.Users)
	opt.Progress = bar.update
	idx := &indexETA{w: stderr}
	opt.Indexing = func() { bar.done(); idx.begin() }
	opt.IndexProgress = idx.update
	st, err := seed.Run(ctx, db, seed.Target{OrgID: org.ID, EveryoneID: everyone.ID, Actor: actor}, opt)
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d users, %d groups, %d memberships, %d log events in %s (%.0f users/s)\n",
		st.Users, st.Groups, st.Members, st.Events, st.Elapsed.Round(time.Millisecond),
		float64(st.Users)/st.Elapsed.Seconds())
	tokenHint(stdout, cfg)
	return nil
}

// tokenHint says how to get an API token when the data dir has none: seed-bench creates the
// default org itself, so a later `okapi serve` finds it and writes no bootstrap-token.
func tokenHint(w io.Writer, cfg *config.Config) {
	if cfg.IsPostgres() {
		fmt.Fprintln(w, "API token: okapi token create --database '<the same URL>' --name bench")
		return
	}
	if fileExists(filepath.Join(cfg.DataDir, "bootstrap-token")) {
		return
	}
	where := "--data-dir " + cfg.DataDir
	if cfg.Database != filepath.Join(cfg.DataDir, "okapi.db") {
		where = "--database " + cfg.Database
	}
	fmt.Fprintf(w, "no bootstrap-token in %s (okapi serve writes one only when it creates the org); get an API token with:\n"+
		"  okapi token create %s --name bench\n", cfg.DataDir, where)
}

// progress shows count, rate and time left: a redrawn bar on a terminal, a plain line every
// few seconds otherwise (logs, CI).
type progress struct {
	w         io.Writer
	tty       bool
	total     int
	start     time.Time
	lastPrint time.Time
	last      int
	ended     bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(done int) {
	p.last = done
	now := time.Now()
	every := 5 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	if done < p.total && now.Sub(p.lastPrint) < every {
		return
	}
	p.lastPrint = now
	fmt.Fprint(p.w, p.line(done, now))
}

func (p *progress) line(done int, now time.Time) string {
	el := now.Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	left := "?"
	if rate > 0 {
		left = (time.Duration(float64(p.total-done)/rate) * time.Second).Round(time.Second).String()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(done) / float64(p.total)
	}
	text := fmt.Sprintf("%d/%d users (%.1f%%), %.0f users/s, %s left", done, p.total, pct, rate, left)
	if !p.tty {
		return "seed-bench: " + text + "\n"
	}
	const width = 30
	fill := int(pct / 100 * width)
	return "\r[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "] " + text + "\033[K"
}

func (p *progress) done() {
	if p.tty && !p.ended {
		p.ended = true
		fmt.Fprintln(p.w)
	}
}

// indexETA reports the index rebuild after a seed, which on 200k users takes about as long as
// the load itself: each index done, and the time left at the average pace so far.
type indexETA struct {
	w     io.Writer
	start time.Time
}

func (e *indexETA) begin() {
	e.start = time.Now()
	fmt.Fprintln(e.w, "seed-bench: rebuilding indexes")
}

func (e *indexETA) update(done, total int) {
	fmt.Fprintln(e.w, "seed-bench: "+indexLine(done, total, time.Since(e.start)))
}

// indexLine is the progress line after done of total indexes took elapsed.
func indexLine(done, total int, elapsed time.Duration) string {
	left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
	return fmt.Sprintf("index %d/%d rebuilt in %s, about %s left", done, total,
		elapsed.Round(100*time.Millisecond), left.Round(time.Second))
}
