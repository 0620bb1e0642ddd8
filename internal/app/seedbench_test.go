package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// TestSeedBench seeds 2,000 users twice into one data dir (the second run must not collide
// with the first), then starts okapi on it and checks what the seed promises: users with
// statuses and custom attributes, Everyone and one group per user, one create event each,
// indexes back in place.
func TestSeedBench(t *testing.T) {
	dir := t.TempDir()
	for run := range 2 {
		var out, errs bytes.Buffer
		err := Run(t.Context(), []string{"seed-bench", "--data-dir", dir, "--users", "2000", "--groups", "5", "--batch", "700"},
			func(string) string { return "" }, &out, &errs)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, errs.String())
		}
		if !strings.Contains(out.String(), "seeded 2000 users, 5 groups, 4000 memberships, 2000 log events") {
			t.Fatalf("run %d: %q", run, out.String())
		}
		if !strings.Contains(errs.String(), "seed-bench: 2000/2000 users (100.0%)") {
			t.Errorf("run %d: no final progress line in %q", run, errs.String())
		}
	}
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, HTTP: true, LogLevel: "error", BootstrapToken: "00seedBenchTestToken0123"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := Start(t.Context(), cfg, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		s.Shutdown(ctx)
	})
	db := s.Store()
	count := func(q string) int {
		var n int
		if err := db.ReadPool().QueryRowContext(t.Context(), q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM users`); n != 4001 {
		t.Errorf("users = %d, want 4000 and the admin", n)
	}
	if n := count(`SELECT count(*) FROM log_events WHERE event_type = 'user.lifecycle.create'`); n != 4000 {
		t.Errorf("create events = %d, want 4000", n)
	}
	if n := count(`SELECT count(*) FROM log_targets t JOIN users u ON u.id = t.id`); n != 4000 {
		t.Errorf("event targets naming a seeded user = %d, want 4000", n)
	}
	if n := count(`SELECT count(DISTINCT status) FROM users`); n < 4 {
		t.Errorf("only %d statuses", n)
	}
	if n := count(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'users_last_name_lower'`); n != 1 {
		t.Error("indexes not rebuilt")
	}
	org, err := db.GetOrgByName(t.Context(), domain.DefaultOrgName)
	if err != nil {
		t.Fatal(err)
	}
	everyone, _ := db.GetBuiltInGroup(t.Context(), org.ID, domain.EveryoneGroupName)
	if n := count(`SELECT count(*) FROM group_members WHERE group_id = '` + everyone.ID + `'`); n != 4001 {
		t.Errorf("Everyone has %d members, want 4001", n)
	}
	w, err := filter.ParseFor(`profile.department eq "legal"`, filter.UsersSearch)
	if err != nil {
		t.Fatal(err)
	}
	users, _, err := db.ListUsers(t.Context(), org.ID, store.UserQuery{Where: w, Schema: filter.UsersSearch, Limit: 10})
	if err != nil || len(users) == 0 {
		t.Fatalf("search on a seeded custom attribute: %d users, %v", len(users), err)
	}
	// The events are in seq order with the one-row appends that follow them.
	last, _ := db.LatestLogSeq(t.Context(), org.ID)
	if err := db.Update(t.Context(), func(tx store.Tx) error {
		return tx.AppendEvents(t.Context(), org.ID, domain.NewLogEvent(&domain.Caller{}, domain.CryptoIDs{}, domain.At(time.Now()), "x.y", "after"))
	}); err != nil {
		t.Fatal(err)
	}
	if next, _ := db.LatestLogSeq(t.Context(), org.ID); next != last+1 {
		t.Errorf("append after the seed got seq %d, want %d", next, last+1)
	}
}

// TestIndexLine: the rebuild's time left is the average pace so far times the indexes to go.
func TestIndexLine(t *testing.T) {
	for _, c := range []struct {
		done, total int
		elapsed     time.Duration
		want        string
	}{
		{1, 4, 10 * time.Second, "index 1/4 rebuilt in 10s, about 30s left"},
		{4, 4, 8 * time.Second, "index 4/4 rebuilt in 8s, about 0s left"},
	} {
		if got := indexLine(c.done, c.total, c.elapsed); got != c.want {
			t.Errorf("indexLine(%d, %d, %s) = %q, want %q", c.done, c.total, c.elapsed, got, c.want)
		}
	}
}
