package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/cursor"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("UsersList",
		check{"pages walk every user once in order", checkUserPagesWalkAll},
		check{"pages stay exact while users are inserted and deleted", checkUserPagesUnderWrites},
		check{"filter, search and deprovisioned users", checkUserListFilters},
		check{"members and a user's groups page by id", checkMemberPages},
	)
}

// listedUser makes a user with a given last name and status for list checks.
func listedUser(i int, last string, status domain.UserStatus) domain.User {
	login := fmt.Sprintf("list%03d@example.com", i)
	u := minimalUser(login)
	u.Status = status
	u.Created = at(int64(i))
	u.LastUpdated = at(int64(i))
	u.Profile = map[string]any{"login": login, "email": login, "firstName": fmt.Sprintf("F%03d", i), "lastName": last}
	return u
}

// walk follows cursors from the first page to the last and returns the ids in page order.
func walk(t *testing.T, s store.Store, org string, q store.UserQuery, between func()) []string {
	t.Helper()
	var ids []string
	for pages := 0; ; pages++ {
		if pages > 10_000 {
			t.Fatal("paging does not end")
		}
		users, next, err := s.ListUsers(t.Context(), org, q)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		if len(users) > q.Limit {
			t.Fatalf("page of %d users, limit %d", len(users), q.Limit)
		}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		if next == nil {
			return ids
		}
		// The cursor must survive the trip through its opaque form, as it does through a Link.
		c, err := cursor.Decode(cursor.Encode(*next))
		if err != nil {
			t.Fatalf("cursor round trip: %v", err)
		}
		q.After = &c
		if between != nil {
			between()
		}
	}
}

func checkUserPagesWalkAll(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	var want []string
	lasts := []string{"Zed", "adams", "Baker", "baker", "Éclair", "Adams", "", "Cole"}
	update(t, s, func(tx store.Tx) error {
		for i := range 23 {
			u := listedUser(i, lasts[i%len(lasts)], domain.StatusActive)
			if lasts[i%len(lasts)] == "" {
				delete(u.Profile, "lastName")
			}
			want = append(want, u.ID)
			if err := tx.CreateUser(t.Context(), org.ID, u); err != nil {
				return err
			}
		}
		return nil
	})
	for _, limit := range []int{1, 2, 5, 23, 200} {
		got := walk(t, s, org.ID, store.UserQuery{Limit: limit}, nil)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("limit %d: default order (created, id) gave %v, want %v", limit, got, want)
		}
	}
	// Sorted by last name, both directions: every user exactly once, and the order matches
	// one full page of the same sort.
	for _, desc := range []bool{false, true} {
		q := store.UserQuery{Schema: filter.UsersSearch, SortBy: "profile.lastName", Desc: desc}
		all := walk(t, s, org.ID, store.UserQuery{Schema: q.Schema, SortBy: q.SortBy, Desc: desc, Limit: 200}, nil)
		q.Limit = 3
		paged := walk(t, s, org.ID, q, nil)
		if len(all) != len(want) || fmt.Sprint(paged) != fmt.Sprint(all) {
			t.Fatalf("sortBy lastName desc=%v: paged %v, one page %v", desc, paged, all)
		}
	}
}

func checkUserPagesUnderWrites(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	const n = 60
	initial := make([]domain.User, n)
	update(t, s, func(tx store.Tx) error {
		for i := range n {
			initial[i] = listedUser(i, "Same", domain.StatusActive)
			if err := tx.CreateUser(t.Context(), org.ID, initial[i]); err != nil {
				return err
			}
		}
		return nil
	})
	// Every third initial user is deleted while the walk runs, and new users keep arriving,
	// some sorting before the walk's position and some after it.
	deleted := map[string]bool{}
	var mu sync.Mutex
	step := 0
	between := func() {
		mu.Lock()
		defer mu.Unlock()
		step++
		update(t, s, func(tx store.Tx) error {
			if victim := initial[(step*3)%n]; !deleted[victim.ID] {
				if err := tx.DeleteUser(t.Context(), org.ID, victim.ID); err != nil {
					return err
				}
				deleted[victim.ID] = true
			}
			late := listedUser(1000+step, "Same", domain.StatusActive)
			late.Created = at(int64(step % n)) // lands among the users already walked or not
			return tx.CreateUser(t.Context(), org.ID, late)
		})
	}
	for _, q := range []store.UserQuery{
		{Limit: 4},
		{Limit: 4, Schema: filter.UsersSearch, SortBy: "profile.lastName"},
		{Limit: 4, Schema: filter.UsersSearch, SortBy: "created", Desc: true},
	} {
		seen := map[string]int{}
		for _, id := range walk(t, s, org.ID, q, between) {
			seen[id]++
			if seen[id] > 1 {
				t.Fatalf("sort %q desc=%v: user %s returned twice", q.SortBy, q.Desc, id)
			}
		}
		for _, u := range initial {
			if !deleted[u.ID] && seen[u.ID] != 1 {
				t.Fatalf("sort %q desc=%v: surviving user %s seen %d times", q.SortBy, q.Desc, u.ID, seen[u.ID])
			}
		}
	}
}

func checkUserListFilters(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	statuses := []domain.UserStatus{domain.StatusActive, domain.StatusStaged, domain.StatusDeprovisioned, domain.StatusSuspended}
	byStatus := map[domain.UserStatus][]string{}
	update(t, s, func(tx store.Tx) error {
		for i := range 12 {
			u := listedUser(i, []string{"O'Brien; DROP TABLE users;--", "Smith", "smith"}[i%3], statuses[i%4])
			byStatus[u.Status] = append(byStatus[u.Status], u.ID)
			if err := tx.CreateUser(t.Context(), org.ID, u); err != nil {
				return err
			}
		}
		return nil
	})
	count := func(expr string, schema *filter.Schema, q string) int {
		t.Helper()
		uq := store.UserQuery{Limit: 200, Q: q, Schema: schema}
		if expr != "" {
			e, err := filter.ParseFor(expr, schema)
			if err != nil {
				t.Fatalf("parse %q: %v", expr, err)
			}
			uq.Where = e
			// The service includes DEPROVISIONED users for a search or a filter on status.
			uq.IncludeDeprovisioned = schema == filter.UsersSearch || strings.Contains(expr, "status")
		}
		users, _, err := s.ListUsers(t.Context(), org.ID, uq)
		if err != nil {
			t.Fatalf("ListUsers(%q, q=%q): %v", expr, q, err)
		}
		return len(users)
	}
	cases := []struct {
		expr   string
		schema *filter.Schema
		q      string
		want   int
	}{
		{"", nil, "", 9}, // DEPROVISIONED left out by default
		{`status eq "ACTIVE"`, filter.UsersFilter, "", len(byStatus[domain.StatusActive])},
		{`status eq "DEPROVISIONED"`, filter.UsersFilter, "", 3},
		{`profile.lastName eq "Smith"`, filter.UsersFilter, "", 3},                        // case-sensitive; one Smith is deprovisioned
		{`profile.lastName eq "smith"`, filter.UsersSearch, "", 8},                        // search is not
		{`profile.lastName eq "O'Brien; DROP TABLE users;--"`, filter.UsersSearch, "", 4}, // just text
		{`profile.lastName sw "sm" and status eq "ACTIVE"`, filter.UsersSearch, "", 2},
		{"", nil, "smi", 6},
		{"", nil, "F00", 8}, // firstName prefix; two deprovisioned left out
		{"", nil, "nobody", 0},
	}
	for _, c := range cases {
		if got := count(c.expr, c.schema, c.q); got != c.want {
			t.Errorf("%q q=%q: %d users, want %d", c.expr, c.q, got, c.want)
		}
	}
}

func checkMemberPages(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	g := newGroup(t, s, org.ID, domain.GroupOkta, "paged")
	var members []string
	for i := range 7 {
		u := newUser(t, s, org.ID, fmt.Sprintf("m%d@example.com", i))
		members = append(members, u.ID)
		update(t, s, func(tx store.Tx) error {
			_, err := tx.AddMember(t.Context(), org.ID, g.ID, u.ID, domain.At(time.Now()))
			return err
		})
	}
	seen := map[string]bool{}
	after := ""
	for {
		page, err := s.ListMembers(t.Context(), org.ID, g.ID, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, u := range page {
			if seen[u.ID] || u.ID <= after {
				t.Fatalf("member %s out of order or repeated", u.ID)
			}
			seen[u.ID] = true
		}
		after = page[len(page)-1].ID
	}
	if len(seen) != len(members) {
		t.Fatalf("walked %d members, want %d", len(seen), len(members))
	}
	groups, err := s.ListUserGroups(t.Context(), org.ID, members[0], "", 10)
	if err != nil || len(groups) != 1 || groups[0].ID != g.ID {
		t.Fatalf("ListUserGroups = %v, %v", groups, err)
	}
}
