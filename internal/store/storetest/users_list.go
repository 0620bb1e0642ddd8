package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
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
		check{"listed users carry their profile as stored", checkListedProfiles},
		check{"q matches a prefix of first name, last name or email", checkUserQ},
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

// checkListedProfiles: list queries return the profile that was written, as stored
// (domain.User.RawProfile, SQLite) or decoded (Profile, PostgreSQL, whose JSONB re-serialises
// it), never both, for ListUsers and ListMembers alike.
func checkListedProfiles(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	g := newGroup(t, s, org.ID, domain.GroupOkta, "profiles")
	u := listedUser(1, "Zoë <&> \"quoted\"", domain.StatusActive)
	u.Profile["nested"] = map[string]any{"n": 1.5, "list": []any{"a", nil, true}}
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), org.ID, u) })
	update(t, s, func(tx store.Tx) error {
		_, err := tx.AddMember(t.Context(), org.ID, g.ID, u.ID, domain.At(time.Now()))
		return err
	})
	listed, _, err := s.ListUsers(t.Context(), org.ID, store.UserQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	members, err := s.ListMembers(t.Context(), org.ID, g.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]domain.User{"ListUsers": listed, "ListMembers": members} {
		if len(got) != 1 {
			t.Fatalf("%s: %d users, want 1", name, len(got))
		}
		p := got[0].Profile
		if p == nil {
			if err := json.Unmarshal(got[0].RawProfile, &p); err != nil {
				t.Fatalf("%s: RawProfile %q: %v", name, got[0].RawProfile, err)
			}
		} else if got[0].RawProfile != nil {
			t.Errorf("%s: both Profile and RawProfile set", name)
		}
		if !reflect.DeepEqual(p, u.Profile) {
			t.Errorf("%s: profile %v, want %v", name, p, u.Profile)
		}
	}
}

// checkUserQ: q is a case-insensitive prefix of firstName, lastName or email (not of other
// attributes, not a substring), LIKE's wildcards in it are literal, and its pages are in the
// sort order.
func checkUserQ(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	mk := func(i int, first, last, email string) string {
		u := listedUser(i, last, domain.StatusActive)
		u.Profile["firstName"], u.Profile["email"] = first, email
		update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), org.ID, u) })
		return u.ID
	}
	ann := mk(1, "Annabel", "Smith", "zed1@example.com")
	jo := mk(2, "Jo", "ANNISTON", "zed2@example.com")
	mail := mk(3, "Bob", "Brown", "anna@example.com")
	mk(4, "Hannah", "Lee", "zed4@example.com") // "ann" inside, not a prefix
	mk(5, "Carl", "Ray", "zed5@example.com")   // login starts with list, not q's business
	pct := mk(6, "50%off", "Deal", "zed6@example.com")
	mk(7, "50Xoff", "Deal", "zed7@example.com") // % is literal
	cases := []struct {
		q    string
		want []string
	}{
		{"ann", []string{ann, jo, mail}},
		{"ANN", []string{ann, jo, mail}},
		{"annab", []string{ann}},
		{"list", nil},
		{"50%", []string{pct}},
		{"zzz", nil},
	}
	for _, c := range cases {
		users, next, err := s.ListUsers(t.Context(), org.ID, store.UserQuery{Q: c.q, Limit: 10})
		if err != nil {
			t.Fatalf("q=%s: %v", c.q, err)
		}
		var got []string
		for _, u := range users {
			got = append(got, u.ID)
		}
		if next != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("q=%s: got %v (next %v), want %v in created order", c.q, got, next, c.want)
		}
	}
	// Pages of one q walk its matches once, in order: created (the default), either
	// direction, or another sort key.
	for _, c := range []struct {
		q    store.UserQuery
		want []string
	}{
		{store.UserQuery{Q: "ann", Limit: 1}, []string{ann, jo, mail}},
		{store.UserQuery{Q: "ann", Limit: 2, Desc: true}, []string{mail, jo, ann}},
		{store.UserQuery{Q: "ann", Limit: 1, SortBy: "profile.lastName"}, []string{jo, mail, ann}},
		{store.UserQuery{Q: "ann", Limit: 2, SortBy: "profile.lastName", Desc: true}, []string{ann, mail, jo}},
	} {
		if ids := walk(t, s, org.ID, c.q, nil); !reflect.DeepEqual(ids, c.want) {
			t.Errorf("q=ann, sort %q desc %v, pages of %d: %v, want %v", c.q.SortBy, c.q.Desc, c.q.Limit, ids, c.want)
		}
	}
}
