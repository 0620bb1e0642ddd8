package main

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The Users and Groups APIs, as Okta documents them
// (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/).

// apiUser is the part of Okta's User resource this test reads.
type apiUser struct {
	ID      string         `json:"id"`
	Status  string         `json:"status"`
	Profile map[string]any `json:"profile"`
}

func userBody(login string) map[string]any {
	return map[string]any{"profile": map[string]any{
		"firstName": "Multi", "lastName": "Instance", "email": login, "login": login,
	}}
}

// requireEndpoint fails the test when r says the endpoint does not exist: an unknown path is a
// broken route table, never a reason to skip.
func requireEndpoint(t *testing.T, r reply, endpoint string) {
	t.Helper()
	if r.status == http.StatusNotFound && r.errorCode() == "E0000008" {
		t.Fatalf("%s answered 404 E0000008: the route is missing", endpoint)
	}
}

// ownAttrs are base profile attributes, one per client, for the partial-update race.
var ownAttrs = [clients]string{"nickName", "title", "displayName", "department", "division", "organization", "costCenter", "city"}

func (c *cluster) testUsersAndGroups(t *testing.T) {
	ctx := t.Context()
	// With a password, activation makes the user ACTIVE (without one Okta leaves it PROVISIONED),
	// so it can be suspended.
	body := userBody("probe@example.com")
	body["credentials"] = map[string]any{"password": map[string]any{"value": "Multi-Instance-Pa55word!"}}
	probe, err := c.admin.do(ctx, "POST", c.on(0)+"/api/v1/users?activate=true", body)
	if err != nil {
		t.Fatal(err)
	}
	requireEndpoint(t, probe, "POST /api/v1/users")
	var lifecycleUser apiUser
	if probe.status != 200 || probe.decode(&lifecycleUser) != nil {
		t.Fatalf("create user: %v", probe)
	}
	gr, err := c.admin.do(ctx, "POST", c.on(1)+"/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Multi", "description": "shared"}})
	if err != nil {
		t.Fatal(err)
	}
	requireEndpoint(t, gr, "POST /api/v1/groups")
	var grp struct{ ID string }
	if gr.status != 200 || gr.decode(&grp) != nil {
		t.Fatalf("create group: %v", gr)
	}

	own, shared := c.createUsers(t)
	c.partialUpdates(t, shared)
	c.lifecycleRace(t, lifecycleUser.ID)
	c.membershipRace(t, grp.ID, own)
}

// createUsers: every client creates two users of its own and all race to create one shared
// login (in different cases): exactly one wins, the rest are 400 E0000001. Each user created
// through one instance is read back at once through the other.
func (c *cluster) createUsers(t *testing.T) (own [clients][2]string, shared string) {
	ctx := t.Context()
	var mu sync.Mutex
	var winners []string
	errs := parallel(clients, func(i int) error {
		for j := range 2 {
			r, err := c.admin.do(ctx, "POST", c.on(i+j)+"/api/v1/users?activate=true", userBody(fmt.Sprintf("c%d-u%d@example.com", i, j)))
			if err != nil {
				return err
			}
			var u apiUser
			if r.status != 200 || r.decode(&u) != nil {
				return fmt.Errorf("client %d create: %v", i, r)
			}
			own[i][j] = u.ID
			back, err := c.admin.do(ctx, "GET", c.on(i+j+1)+"/api/v1/users/"+u.ID, nil)
			if err != nil || back.status != 200 {
				return fmt.Errorf("user %s created on one instance, read on the other: %v %v", u.ID, back, err)
			}
		}
		login := "shared@example.com"
		if i%2 == 1 {
			login = strings.ToUpper(login)
		}
		r, err := c.admin.do(ctx, "POST", c.on(i)+"/api/v1/users?activate=true", userBody(login))
		if err != nil {
			return err
		}
		switch {
		case r.status == 200:
			var u apiUser
			_ = r.decode(&u)
			mu.Lock()
			winners = append(winners, u.ID)
			mu.Unlock()
		case r.status != 400 || r.errorCode() != "E0000001":
			return fmt.Errorf("duplicate login: %v, want 400 E0000001", r)
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if len(winners) != 1 {
		t.Fatalf("%d clients created shared@example.com, want exactly 1", len(winners))
	}
	counts := c.eventCounts(t, "user.lifecycle.create")
	for _, ids := range own {
		for _, id := range ids {
			if counts[id] != 1 {
				t.Errorf("%d user.lifecycle.create events for %s, want 1", counts[id], id)
			}
		}
	}
	return own, winners[0]
}

// partialUpdates: each client owns one profile attribute of the same user and sets it four
// times through alternating instances. A lost update would leave some attribute at an older
// value or unset.
func (c *cluster) partialUpdates(t *testing.T, userID string) {
	ctx := t.Context()
	const rounds = 4
	errs := parallel(clients, func(i int) error {
		for r := range rounds {
			body := map[string]any{"profile": map[string]any{ownAttrs[i]: fmt.Sprintf("c%d-r%d", i, r)}}
			rep, err := c.admin.do(ctx, "POST", c.on(i+r)+"/api/v1/users/"+userID, body)
			if err != nil {
				return err
			}
			if rep.status != 200 {
				return fmt.Errorf("partial update: %v", rep)
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	u := c.getUser(t, userID)
	for i, attr := range ownAttrs {
		if want := fmt.Sprintf("c%d-r%d", i, rounds-1); u.Profile[attr] != want {
			t.Errorf("profile.%s = %v, want %q: an update was lost", attr, u.Profile[attr], want)
		}
	}
	if !strings.EqualFold(fmt.Sprint(u.Profile["login"]), "shared@example.com") {
		t.Errorf("login changed to %v", u.Profile["login"])
	}
}

func (c *cluster) getUser(t *testing.T, id string) apiUser {
	t.Helper()
	r, err := c.admin.do(t.Context(), "GET", c.on(0)+"/api/v1/users/"+id, nil)
	var u apiUser
	if err != nil || r.status != 200 || r.decode(&u) != nil {
		t.Fatalf("get user %s: %v %v", id, r, err)
	}
	return u
}

// lifecycleRace: every client suspends and unsuspends one user, through alternating
// instances. Transitions serialise: successes alternate, so suspends minus unsuspends is 1
// if the user ends SUSPENDED and 0 if ACTIVE, and each success logged exactly one event.
func (c *cluster) lifecycleRace(t *testing.T, userID string) {
	ctx := t.Context()
	var mu sync.Mutex
	ok := map[string]int{}
	errs := parallel(clients, func(i int) error {
		for r := range 3 {
			for k, op := range []string{"suspend", "unsuspend"} {
				rep, err := c.admin.do(ctx, "POST", c.on(i+r+k)+"/api/v1/users/"+userID+"/lifecycle/"+op, nil)
				if err != nil {
					return err
				}
				switch {
				case rep.status == 200:
					mu.Lock()
					ok[op]++
					mu.Unlock()
				case rep.status != 400 && rep.status != 403:
					return fmt.Errorf("%s: %v", op, rep)
				}
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	final := c.getUser(t, userID).Status
	diff := ok["suspend"] - ok["unsuspend"]
	if ok["suspend"] == 0 || !(final == "SUSPENDED" && diff == 1 || final == "ACTIVE" && diff == 0) {
		t.Errorf("%d suspends and %d unsuspends succeeded, user ends %s: transitions did not serialise", ok["suspend"], ok["unsuspend"], final)
	}
	for _, op := range []string{"suspend", "unsuspend"} {
		if n := c.eventCounts(t, "user.lifecycle."+op)[userID]; n != ok[op] {
			t.Errorf("%d user.lifecycle.%s events, %d successful calls", n, op, ok[op])
		}
	}
}

// membershipRace: all clients add their users and their neighbour's (so every add is raced by
// a duplicate) through alternating instances, then each removes its second user. The group
// ends with exactly every client's first user.
func (c *cluster) membershipRace(t *testing.T, groupID string, own [clients][2]string) {
	ctx := t.Context()
	member := func(method string, n int, userID string) error {
		r, err := c.admin.do(ctx, method, c.on(n)+"/api/v1/groups/"+groupID+"/users/"+userID, nil)
		if err != nil {
			return err
		}
		if r.status != 204 && !(method == "DELETE" && r.status == 404) {
			return fmt.Errorf("%s membership of %s: %v", method, userID, r)
		}
		return nil
	}
	errs := parallel(clients, func(i int) error {
		var errs []error
		for j := range 2 {
			errs = append(errs, member("PUT", i+j, own[i][j]), member("PUT", i+j+1, own[(i+1)%clients][j]))
		}
		return errors.Join(errs...)
	})
	errs = append(errs, parallel(clients, func(i int) error {
		return errors.Join(member("DELETE", i, own[i][1]), member("DELETE", i+1, own[i][1]))
	})...)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, ids := range own {
		want = append(want, ids[0])
	}
	next := c.on(0) + "/api/v1/groups/" + groupID + "/users?limit=5"
	for page := 0; next != "" && page < 20; page++ {
		r, err := c.admin.do(ctx, "GET", next, nil)
		requireEndpoint(t, r, "GET /api/v1/groups/{id}/users")
		if err != nil || r.status != 200 {
			t.Fatalf("list members: %v %v", r, err)
		}
		var users []apiUser
		if err := r.decode(&users); err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			got = append(got, u.ID)
		}
		if next = r.nextLink(); next != "" {
			next = c.on(page+1) + next[len(c.on(page)):]
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("members =\n%q\nwant\n%q", got, want)
	}
}
