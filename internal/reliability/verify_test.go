package reliability

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// verify checks the restarted okapi against the ledger and against itself:
//   - every user an acknowledged create made exists, in the state its acknowledged writes left
//     (or the state of the one write the kill cut), with exactly that many System Log events;
//   - every user in the org has exactly one create event and every create event's user exists;
//   - in every group, a user is a member iff its add events outnumber its remove events by one.
func (l *ledger) verify(t *testing.T, c *client, round int) {
	t.Helper()
	events := all[event](t, c, "/api/v1/logs?limit=1000")
	byTarget := map[[2]string]int{}   // (event type, target id) -> count
	membership := map[[3]string]int{} // (group, user, add|remove) -> count
	for _, e := range events {
		for _, tg := range e.Target {
			byTarget[[2]string{e.EventType, tg.ID}]++
		}
		if e.EventType == "group.user_membership.add" || e.EventType == "group.user_membership.remove" {
			var u, g string
			for _, tg := range e.Target {
				switch tg.Type {
				case "User":
					u = tg.ID
				case "UserGroup":
					g = tg.ID
				}
			}
			if u == "" || g == "" {
				t.Fatalf("round %d: membership event %s without user and group targets", round, e.UUID)
			}
			membership[[3]string{g, u, e.EventType}]++
		}
	}

	// Every user of the org, DEPROVISIONED ones too (a search includes them).
	users := all[user](t, c, "/api/v1/users?limit=200&search="+q(`created gt "2000-01-01T00:00:00.000Z"`))
	exists := map[string]user{}
	for _, u := range users {
		exists[u.ID] = u
		if n := byTarget[[2]string{"user.lifecycle.create", u.ID}]; n != 1 && u.Profile.Login != "admin@okapi.test" {
			t.Errorf("round %d: user %s (%s) has %d user.lifecycle.create events, want 1", round, u.ID, u.Profile.Login, n)
		}
	}
	for k, n := range byTarget {
		if k[0] == "user.lifecycle.create" {
			if _, ok := exists[k[1]]; !ok {
				t.Errorf("round %d: %d user.lifecycle.create event(s) for %s, which does not exist", round, n, k[1])
			}
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	for id, want := range l.users {
		got, ok := exists[id]
		if !ok {
			t.Errorf("round %d: acknowledged create of %s (%s) lost", round, id, want.login)
			continue
		}
		statuses, nicks := []string{want.status}, []string{want.nick}
		if m := want.maybe; m != nil {
			if m.status != "" {
				statuses = append(statuses, m.status)
			}
			if m.nick != "" {
				nicks = append(nicks, m.nick)
			}
		}
		if !slices.Contains(statuses, got.Status) {
			t.Errorf("round %d: user %s status %s, acknowledged writes left %v", round, id, got.Status, statuses)
		}
		if !slices.Contains(nicks, got.Profile.NickName) {
			t.Errorf("round %d: user %s nickName %q, acknowledged writes left %v", round, id, got.Profile.NickName, nicks)
		}
		types := map[string]bool{"user.account.update_profile": true, "user.lifecycle.suspend": true,
			"user.lifecycle.unsuspend": true, "user.lifecycle.deactivate": true,
			"group.user_membership.add": true, "group.user_membership.remove": true}
		for e := range want.events {
			types[e] = true
		}
		for e := range types {
			lo := want.events[e]
			hi := lo
			if want.maybe != nil && slices.Contains(want.maybe.events, e) {
				hi++
			}
			n := byTarget[[2]string{e, id}]
			if e == "group.user_membership.add" {
				n -= membership[[3]string{l.everyone(t, c), id, e}]
			}
			if n < lo || n > hi {
				t.Errorf("round %d: user %s has %d %s events, acknowledged %d (+%d unanswered)", round, id, n, e, lo, hi-lo)
			}
		}
	}

	// Membership rows against membership events, in every group (Everyone included).
	for _, g := range all[group](t, c, "/api/v1/groups?limit=200") {
		members := map[string]bool{}
		for _, u := range all[user](t, c, "/api/v1/groups/"+g.ID+"/users?limit=1000") {
			members[u.ID] = true
		}
		for id := range exists {
			diff := membership[[3]string{g.ID, id, "group.user_membership.add"}] - membership[[3]string{g.ID, id, "group.user_membership.remove"}]
			if g.Type == "BUILT_IN" && exists[id].Profile.Login == "admin@okapi.test" {
				continue // the bootstrap admin joins Everyone at org creation
			}
			if (diff == 1) != members[id] || diff < 0 || diff > 1 {
				t.Errorf("round %d: group %s (%s) member(%s)=%v but add-remove events = %d", round, g.ID, g.Profile.Name, id, members[id], diff)
			}
			if want, ok := l.users[id]; ok && g.Type != "BUILT_IN" {
				allowed := []bool{want.member[g.ID]}
				if m := want.maybe; m != nil {
					if v, ok := m.member[g.ID]; ok {
						allowed = append(allowed, v)
					}
				}
				if !slices.Contains(allowed, members[id]) {
					t.Errorf("round %d: group %s member(%s)=%v, acknowledged writes left %v", round, g.ID, id, members[id], allowed)
				}
			}
		}
	}
	t.Logf("round %d: %d users, %d events, %d acknowledged writes so far, %d answers lost to kills",
		round, len(exists), len(events), l.acked, l.unanswered)
}

// everyone is the id of the org's Everyone group.
func (l *ledger) everyone(t *testing.T, c *client) string {
	if l.everyoneID == "" {
		var gs []group
		c.must(t, http.MethodGet, "/api/v1/groups?q=Everyone", nil, &gs)
		for _, g := range gs {
			if g.Type == "BUILT_IN" {
				l.everyoneID = g.ID
			}
		}
		if l.everyoneID == "" {
			t.Fatal("no Everyone group")
		}
	}
	return l.everyoneID
}
