package httpapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// jsonUser is the decoded User resource of a member list.
type jsonUser struct {
	ID      string         `json:"id"`
	Status  string         `json:"status"`
	Profile map[string]any `json:"profile"`
	Links   map[string]any `json:"_links"`
}

func TestGroupMembership(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Members")
		u := e.createUser("a@example.com")
		path := "/api/v1/groups/" + g.ID + "/users/" + u.ID

		e.clock.Advance(time.Minute)
		e.must(204, "PUT", path, nil)
		after := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
		if after.LastMembershipUpdated != "2024-05-06T07:09:09.000Z" || after.LastUpdated != g.LastUpdated {
			t.Errorf("after add: lastMembershipUpdated %s lastUpdated %s", after.LastMembershipUpdated, after.LastUpdated)
		}

		// Adding again is a 204 that changes nothing.
		e.clock.Advance(time.Minute)
		e.must(204, "PUT", path, nil)
		again := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
		if again.LastMembershipUpdated != after.LastMembershipUpdated {
			t.Errorf("idempotent add moved lastMembershipUpdated to %s", again.LastMembershipUpdated)
		}
		if n := e.memberRows(g.ID, u.ID); n != 1 {
			t.Errorf("%d membership rows, want 1", n)
		}

		members := decodeAs[[]jsonUser](t, e.must(200, "GET", "/api/v1/groups/"+g.ID+"/users", nil))
		if len(members) != 1 || members[0].ID != u.ID || members[0].Status != "ACTIVE" || members[0].Profile["login"] != "a@example.com" {
			t.Fatalf("members %+v", members)
		}
		if len(members[0].Links) != 1 || members[0].Links["self"] == nil {
			t.Errorf("member links %v, want only self", members[0].Links)
		}

		// Removing moves lastMembershipUpdated; removing again is a 204 that changes nothing.
		e.clock.Advance(time.Minute)
		e.must(204, "DELETE", path, nil)
		removed := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
		if removed.LastMembershipUpdated != "2024-05-06T07:11:09.000Z" || removed.LastUpdated != g.LastUpdated {
			t.Errorf("after remove: lastMembershipUpdated %s lastUpdated %s", removed.LastMembershipUpdated, removed.LastUpdated)
		}
		e.clock.Advance(time.Minute)
		e.must(204, "DELETE", path, nil)
		if g2 := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil)); g2.LastMembershipUpdated != removed.LastMembershipUpdated {
			t.Errorf("idempotent remove moved lastMembershipUpdated to %s", g2.LastMembershipUpdated)
		}
		if members := decodeAs[[]jsonUser](t, e.must(200, "GET", "/api/v1/groups/"+g.ID+"/users", nil)); len(members) != 0 {
			t.Errorf("members after remove %+v", members)
		}

		// One event per real change, targeting the user and the group.
		for _, typ := range []string{"group.user_membership.add", "group.user_membership.remove"} {
			evs := e.events(typ)
			if len(evs) != 1 || len(evs[0].Target) != 2 || evs[0].Target[0].ID != u.ID || evs[0].Target[0].Type != "User" ||
				evs[0].Target[1].ID != g.ID || evs[0].Target[1].Type != "UserGroup" {
				t.Errorf("%s events %+v", typ, evs)
			}
		}
	})
}

func TestGroupMembershipErrors(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Members")
		u := e.createUser("a@example.com")
		app := e.storeGroup("APP_GROUP", "Imported")
		admins, err := e.db.GetBuiltInGroup(context.Background(), e.org.ID, domain.AdminsGroupName)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range []string{"PUT", "DELETE"} {
			for _, c := range []errorCase{
				{name: "unknown user", path: "/api/v1/groups/" + g.ID + "/users/00uUNKNOWNUNKNOWNUNK", status: 404, code: "E0000007",
					summary: "Not found: Resource not found: 00uUNKNOWNUNKNOWNUNK (User)"},
				{name: "unknown group", path: "/api/v1/groups/00gUNKNOWNUNKNOWNUNK/users/" + u.ID, status: 404, code: "E0000007", summary: "(UserGroup)"},
				{name: "Everyone", path: "/api/v1/groups/" + e.everyone.ID + "/users/" + u.ID, status: 403, code: "E0000006",
					summary: "You do not have permission to perform the requested action"},
				{name: "app group", path: "/api/v1/groups/" + app.ID + "/users/" + u.ID, status: 403, code: "E0000006"},
				// Okta manages who is in Okta Administrators: the holders of admin roles.
				{name: "Okta Administrators", path: "/api/v1/groups/" + admins.ID + "/users/" + u.ID, status: 403, code: "E0000006"},
			} {
				t.Run(method+" "+c.name, func(t *testing.T) {
					c.method = method
					c.run(t, e)
				})
			}
		}
		// The user is still in Everyone; nothing was logged.
		if n := e.memberRows(e.everyone.ID, u.ID); n != 1 {
			t.Errorf("Everyone membership rows %d, want 1", n)
		}
		if n := len(e.events("group.user_membership.add")) + len(e.events("group.user_membership.remove")); n != 0 {
			t.Errorf("%d membership events after refused changes", n)
		}
		errorCase{method: "GET", path: "/api/v1/groups/00gUNKNOWNUNKNOWNUNK/users", status: 404, code: "E0000007"}.run(t, e)
		errorCase{method: "GET", path: "/api/v1/groups/00gUNKNOWNUNKNOWNUNK/apps", status: 404, code: "E0000007"}.run(t, e)
		if apps := e.must(200, "GET", "/api/v1/groups/"+g.ID+"/apps", nil); string(apps) != "[]\n" {
			t.Errorf("group apps %s, want []", apps)
		}
		errorCase{method: "GET", path: "/api/v1/groups/" + g.ID + "/users?limit=x", status: 400, code: "E0000001"}.run(t, e)
	})
}

func TestListGroupMembersPages(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Big")
		want := map[string]bool{}
		for i := range 5 {
			u := e.createUser(fmt.Sprintf("u%d@example.com", i))
			e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+u.ID, nil)
			want[u.ID] = true
		}
		seen := map[string]bool{}
		path, pages, last := "/api/v1/groups/"+g.ID+"/users?limit=2", 0, ""
		for path != "" {
			resp, data := e.do("GET", path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
			}
			for _, u := range decodeAs[[]jsonUser](t, data) {
				if seen[u.ID] || u.ID <= last {
					t.Fatalf("user %s repeated or out of order", u.ID)
				}
				seen[u.ID], last = true, u.ID
			}
			pages++
			path = nextLink(t, resp)
		}
		if pages != 3 || len(seen) != len(want) {
			t.Errorf("%d pages, %d users; want 3 pages, %d users", pages, len(seen), len(want))
		}
		// Everyone lists everybody, the admin included.
		if all := decodeAs[[]jsonUser](t, e.must(200, "GET", "/api/v1/groups/"+e.everyone.ID+"/users", nil)); len(all) != 6 {
			t.Errorf("Everyone has %d members, want 6", len(all))
		}
	})
}

func TestListUserGroups(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		u := e.createUser("a@example.com")
		var ids []string
		for i := range 3 {
			g := e.createGroup(fmt.Sprintf("G%d", i))
			e.must(204, "PUT", "/api/v1/groups/"+g.ID+"/users/"+u.ID, nil)
			ids = append(ids, g.ID)
		}
		e.createGroup("Not mine")
		got := map[string]string{}
		path := "/api/v1/users/" + u.ID + "/groups?limit=3"
		for path != "" {
			resp, data := e.do("GET", path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
			}
			for _, g := range decodeAs[[]jsonGroup](t, data) {
				got[g.ID] = g.Type
			}
			path = nextLink(t, resp)
		}
		if len(got) != 4 || got[e.everyone.ID] != "BUILT_IN" {
			t.Errorf("user groups %v, want the 3 groups and Everyone", got)
		}
		for _, id := range ids {
			if got[id] != "OKTA_GROUP" {
				t.Errorf("group %s missing", id)
			}
		}
		errorCase{method: "GET", path: "/api/v1/users/00uUNKNOWNUNKNOWNUNK/groups", status: 404, code: "E0000007", summary: "(User)"}.run(t, e)
	})
}

// TestGroupMembershipConcurrency races adds and removes of the same memberships: the table
// never holds a duplicate row, and the logged events alternate add/remove per pair, so the
// log replays to the final state.
func TestGroupMembershipConcurrency(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Race")
		users := []string{e.createUser("a@example.com").ID, e.createUser("b@example.com").ID}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 10 {
					method := "PUT"
					if (w+i)%3 == 0 {
						method = "DELETE"
					}
					resp, data := e.do(method, "/api/v1/groups/"+g.ID+"/users/"+users[(w+i)%2], nil)
					if resp.StatusCode != 204 {
						t.Errorf("%s: %d %s", method, resp.StatusCode, data)
					}
				}
			}()
		}
		wg.Wait()
		// Replay the membership events in commit order.
		state := map[string]int{}
		rows, err := e.db.ReadPool().Query(e.sql(`SELECT event_type, data FROM log_events WHERE org_id = ? AND event_type LIKE 'group.user_membership.%' ORDER BY seq`), e.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var typ string
			var data []byte
			if err := rows.Scan(&typ, &data); err != nil {
				t.Fatal(err)
			}
			uid := decodeAs[loggedEvent](t, data).Target[0].ID
			if typ == "group.user_membership.add" {
				state[uid]++
			} else {
				state[uid]--
			}
			if state[uid] < 0 || state[uid] > 1 {
				t.Fatalf("events do not alternate for %s: %s made the count %d", uid, typ, state[uid])
			}
		}
		for _, uid := range users {
			if n := e.memberRows(g.ID, uid); n != state[uid] {
				t.Errorf("user %s: %d rows, the log says %d", uid, n, state[uid])
			}
		}
	})
}

// TestDeleteRacesMembership deletes users and a group while members are being added: no
// membership row outlives its user or group.
func TestDeleteRacesMembership(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := e.createGroup("Doomed")
		var users []string
		for i := range 6 {
			users = append(users, e.createUser(fmt.Sprintf("u%d@example.com", i)).ID)
		}
		var wg sync.WaitGroup
		for _, uid := range users {
			wg.Add(2)
			go func() {
				defer wg.Done()
				resp, _ := e.do("PUT", "/api/v1/groups/"+g.ID+"/users/"+uid, nil)
				if resp.StatusCode != 204 && resp.StatusCode != 404 {
					t.Errorf("add: %d", resp.StatusCode)
				}
			}()
			go func() {
				defer wg.Done()
				ctx := context.Background()
				if err := e.db.Update(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, e.org.ID, uid) }); err != nil {
					t.Errorf("delete user: %v", err)
				}
			}()
		}
		wg.Wait()
		var orphans int
		err := e.db.ReadPool().QueryRow(e.sql(`SELECT COUNT(*) FROM group_members m WHERE m.org_id = ?
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.org_id = m.org_id AND u.id = m.user_id)`), e.org.ID).Scan(&orphans)
		if err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Errorf("%d memberships of deleted users", orphans)
		}
		e.must(204, "DELETE", "/api/v1/groups/"+g.ID, nil)
		if n := e.memberRows(g.ID, users[0]); n != 0 {
			t.Errorf("membership rows of a deleted group: %d", n)
		}
	})
}

// TestConcurrentCreateSameName races creates of one name (in different cases): exactly one
// wins, the others get Okta's duplicate-name 400, and only the winner is logged.
func TestConcurrentCreateSameName(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := "Racers"
				if i%2 == 1 {
					name = "RACERS"
				}
				resp, data := e.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": name}})
				if resp.StatusCode == 400 && decodeAs[jsonError](t, data).ErrorCode != "E0000001" {
					t.Errorf("400 body %s", data)
				}
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if statuses[200] != 1 || statuses[400] != 7 {
			t.Errorf("statuses %v, want one 200 and seven 400", statuses)
		}
		if n := len(e.events("group.lifecycle.create")); n != 1 {
			t.Errorf("%d create events, want 1", n)
		}
	})
}
