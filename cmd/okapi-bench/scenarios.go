package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"
)

// sample is existing data the scenarios pick from, read through the API before they start.
type sample struct {
	users  []sampleUser // ACTIVE users
	groups []string     // OKTA_GROUP ids
	run    string       // tag making created logins unique across runs
}

type sampleUser struct {
	ID, Login, LastName string
}

// loadSample reads up to n ACTIVE users from a few spots of the directory, and some groups.
func loadSample(ctx context.Context, c *client, n int) (*sample, error) {
	s := &sample{run: fmt.Sprintf("%x", time.Now().UnixNano()&0xffffff)}
	seen := map[string]bool{}
	// Pages starting at spread creation dates, so the ids are not all neighbours.
	for k := 0; k < 10 && len(s.users) < n; k++ {
		since := time.Now().Add(-time.Duration(k+1) * 70 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
		q := url.Values{"search": {`status eq "ACTIVE" and created gt "` + since + `"`}, "limit": {"100"}}
		b, err := c.do(ctx, "GET", "/api/v1/users?"+q.Encode(), nil, 200)
		if err != nil {
			return nil, fmt.Errorf("sample users: %w", err)
		}
		var page []struct {
			ID      string         `json:"id"`
			Profile map[string]any `json:"profile"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, err
		}
		for _, u := range page {
			login, _ := u.Profile["login"].(string)
			last, _ := u.Profile["lastName"].(string)
			if !seen[u.ID] && login != "admin@okapi.test" {
				seen[u.ID] = true
				s.users = append(s.users, sampleUser{u.ID, login, last})
			}
		}
	}
	b, err := c.do(ctx, "GET", "/api/v1/groups?limit=200", nil, 200)
	if err != nil {
		return nil, fmt.Errorf("sample groups: %w", err)
	}
	var groups []struct{ ID, Type string }
	if err := json.Unmarshal(b, &groups); err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Type == "OKTA_GROUP" {
			s.groups = append(s.groups, g.ID)
		}
	}
	if len(s.users) == 0 {
		return nil, fmt.Errorf("no ACTIVE users to sample: seed the database first (okapi seed-bench)")
	}
	return s, nil
}

func (s *sample) user() sampleUser { return s.users[rand.IntN(len(s.users))] }

// scenario is one measured request kind. base names the baseline it is compared to.
type scenario struct {
	name string
	base string // "read", "write" or ""
	op   func(s *sample) op
}

func get(path func() string) op {
	return func(ctx context.Context, c *client, _, _ int) error {
		_, err := c.do(ctx, "GET", path(), nil, 200)
		return err
	}
}

func list(params func() url.Values) func(*sample) op {
	return func(*sample) op {
		return get(func() string { return "/api/v1/users?" + params().Encode() })
	}
}

var lastNames = []string{"Smith", "Garcia", "Nguyen", "Kowalski", "Okafor", "Dubois"}

var scenarios = []scenario{
	{"get-by-id", "read", func(s *sample) op {
		return get(func() string { return "/api/v1/users/" + s.user().ID })
	}},
	{"get-by-login", "read", func(s *sample) op {
		return get(func() string { return "/api/v1/users/" + url.PathEscape(s.user().Login) })
	}},
	{"create-no-password", "write", func(s *sample) op {
		nonce := fmt.Sprintf("%x", rand.Uint32())
		return func(ctx context.Context, c *client, conn, i int) error {
			login := fmt.Sprintf("bench.%s.%s.%d.%d@example.com", s.run, nonce, conn, i)
			body := `{"profile":{"firstName":"Bench","lastName":"User","email":"` + login + `","login":"` + login + `"}}`
			_, err := c.do(ctx, "POST", "/api/v1/users?activate=false", strings.NewReader(body), 200)
			return err
		}
	}},
	{"create-with-password", "write", func(s *sample) op {
		nonce := fmt.Sprintf("%x", rand.Uint32())
		return func(ctx context.Context, c *client, conn, i int) error {
			login := fmt.Sprintf("bench.pw.%s.%s.%d.%d@example.com", s.run, nonce, conn, i)
			body := `{"profile":{"firstName":"Bench","lastName":"User","email":"` + login + `","login":"` + login +
				`"},"credentials":{"password":{"value":"Xq7-kT9v!mzP"}}}`
			_, err := c.do(ctx, "POST", "/api/v1/users?activate=true", strings.NewReader(body), 200)
			return err
		}
	}},
	{"update-partial", "write", func(s *sample) op {
		return func(ctx context.Context, c *client, _, i int) error {
			body := fmt.Sprintf(`{"profile":{"title":"Bench %d"}}`, i)
			_, err := c.do(ctx, "POST", "/api/v1/users/"+s.user().ID, strings.NewReader(body), 200)
			return err
		}
	}},
	{"suspend-unsuspend", "write", func(s *sample) op {
		// Each connection toggles its own user, so no request finds the user mid-change.
		return func(ctx context.Context, c *client, conn, i int) error {
			u := s.users[len(s.users)-1-conn%len(s.users)]
			action := "suspend"
			if i%2 == 1 {
				action = "unsuspend"
			}
			_, err := c.do(ctx, "POST", "/api/v1/users/"+u.ID+"/lifecycle/"+action, nil, 200)
			return err
		}
	}},
	{"list-filter-status", "read", list(func() url.Values {
		return url.Values{"filter": {`status eq "ACTIVE"`}, "limit": {"200"}}
	})},
	{"list-filter-lastname", "read", list(func() url.Values {
		return url.Values{"filter": {`profile.lastName eq "` + lastNames[rand.IntN(len(lastNames))] + `"`}, "limit": {"200"}}
	})},
	{"search-indexed", "read", list(func() url.Values {
		return url.Values{"search": {`profile.lastName eq "` + strings.ToLower(lastNames[rand.IntN(len(lastNames))]) + `"`}, "limit": {"200"}}
	})},
	{"search-unindexed", "read", list(func() url.Values {
		return url.Values{"search": {`profile.department eq "Legal" and profile.city eq "Lagos"`}, "limit": {"200"}}
	})},
	{"q", "read", list(func() url.Values {
		return url.Values{"q": {[]string{"Jen", "Moha", "Wei", "Sofia", "Tar"}[rand.IntN(5)]}, "limit": {"200"}}
	})},
	{"group-member-add", "write", func(s *sample) op {
		return func(ctx context.Context, c *client, _, _ int) error {
			if len(s.groups) == 0 {
				return fmt.Errorf("no groups: seed with --groups")
			}
			_, err := c.do(ctx, "PUT", "/api/v1/groups/"+s.groups[rand.IntN(len(s.groups))]+"/users/"+s.user().ID, nil, 204)
			return err
		}
	}},
	{"log-poll", "read", func(s *sample) op {
		return get(func() string {
			since := time.Now().Add(-time.Minute).UTC().Format("2006-01-02T15:04:05.000Z")
			return "/api/v1/logs?limit=100&since=" + since
		})
	}},
}

// under measures probe on even connections while odd ones run load: how much load slows
// other requests down.
func under(probe, load string) scenario {
	return scenario{name: probe + "|" + load, base: "read", op: func(s *sample) op {
		p, l := find(probe).op(s), find(load).op(s)
		return func(ctx context.Context, c *client, conn, i int) error {
			if conn%2 == 1 {
				if err := l(ctx, c, conn/2, i); err != nil {
					return err
				}
				return errSkip
			}
			return p(ctx, c, conn/2, i)
		}
	}}
}

func find(name string) scenario {
	for _, sc := range scenarios {
		if sc.name == name {
			return sc
		}
	}
	panic("no scenario " + name)
}

// mixes are the interference scenarios, run after the plain ones.
var mixes = [][2]string{{"get-by-id", "search-unindexed"}, {"get-by-id", "create-with-password"}, {"get-by-id", "create-no-password"}}
