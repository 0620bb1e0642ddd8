package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// listAll follows rel="next" from path and returns the ids and names of every group, page
// sizes, and fails on a repeated group.
func (e *groupsEnv) listAll(path string) (ids, names []string, pages []int) {
	e.t.Helper()
	seen := map[string]bool{}
	for path != "" {
		resp, data := e.do("GET", path, nil)
		if resp.StatusCode != 200 {
			e.t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
		}
		if self := linkHeaders(resp); len(self) == 0 || !strings.Contains(self[0], `rel="self"`) {
			e.t.Fatalf("%s: Link headers %v, want rel=self first", path, self)
		}
		gs := decodeAs[[]jsonGroup](e.t, data)
		for _, g := range gs {
			if seen[g.ID] {
				e.t.Fatalf("group %s on two pages", g.ID)
			}
			seen[g.ID] = true
			ids = append(ids, g.ID)
			names = append(names, g.Profile["name"].(string))
		}
		pages = append(pages, len(gs))
		path = nextLink(e.t, resp)
	}
	return ids, names, pages
}

func TestListGroupsPaging(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		for i := range 4 {
			e.createGroup(fmt.Sprintf("Group %d", i))
		}
		ids, _, pages := e.listAll("/api/v1/groups?limit=2")
		if fmt.Sprint(pages) != "[2 2 2]" || len(ids) != 6 {
			t.Errorf("pages %v, ids %d; want [2 2 2] over 6 groups (Everyone and Okta Administrators included)", pages, len(ids))
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Errorf("groups not in id order: %v", ids)
			}
		}
		// The last page has no next link; the default page holds everything.
		resp, _ := e.do("GET", "/api/v1/groups", nil)
		if l := linkHeaders(resp); len(l) != 1 {
			t.Errorf("Link headers %v, want only self", l)
		}
		// A group created between pages, with an id before the cursor, does not shift later pages.
		first := e.must(200, "GET", "/api/v1/groups?limit=3", nil)
		last := decodeAs[[]jsonGroup](t, first)[2].ID
		rest, _, _ := e.listAll("/api/v1/groups?limit=3&after=" + last)
		if len(rest) != 3 || rest[0] != ids[3] {
			t.Errorf("after %s: %v, want %v", last, rest, ids[3:])
		}
	})
}

func TestListGroupsLimitCap(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		ctx := context.Background()
		now := domain.At(e.clock.Now())
		err := e.db.Update(ctx, func(tx store.Tx) error {
			for i := range 205 {
				g := domain.Group{ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixGroup), Type: domain.GroupOkta,
					Created: now, LastUpdated: now, LastMembershipUpdated: now, Profile: map[string]any{"name": fmt.Sprintf("Bulk %03d", i)}}
				if err := tx.CreateGroup(ctx, e.org.ID, g); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			query string
			want  int
		}{
			{"", 200}, {"?limit=500", 200}, {"?limit=7", 7}, {"?q=bulk", 10}, {"?q=bulk&limit=50", 10}, {"?q=bulk&limit=3", 3},
		} {
			resp, data := e.do("GET", "/api/v1/groups"+c.query, nil)
			if n := len(decodeAs[[]jsonGroup](t, data)); resp.StatusCode != 200 || n != c.want || nextLink(t, resp) == "" {
				t.Errorf("%q: status %d, %d groups, next %q; want %d and a next link", c.query, resp.StatusCode, n, nextLink(t, resp), c.want)
			}
		}
		ids, _, _ := e.listAll("/api/v1/groups?q=Bulk&limit=10")
		if len(ids) != 205 {
			t.Errorf("q pages hold %d groups, want 205", len(ids))
		}
	})
}

func TestListGroupsQueries(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		for _, n := range []string{"Sales East", "sales West", "Marketing", "Salesforce Admins"} {
			e.createGroup(n)
			e.clock.Advance(time.Minute)
		}
		e.storeGroup("APP_GROUP", "Sales Imported")
		u := e.createUser("a@example.com")
		e.clock.Advance(time.Minute)
		mkt := e.createGroup("Late")
		e.must(204, "PUT", "/api/v1/groups/"+mkt.ID+"/users/"+u.ID, nil)

		for _, c := range []struct {
			name  string
			query string
			want  string // names, in order
			ids   bool   // unsorted: the order is by id, so compare the sorted names
		}{
			{"q is a case-insensitive name prefix", "q=SALES", "[Sales East Sales Imported Salesforce Admins sales West]", true},
			{"q matches Everyone", "q=every", "[Everyone]", false},
			{"q without match", "q=zzz", "[]", false},
			// The Terraform provider finds Okta Administrators by name or by type.
			{"q matches Okta Administrators", "q=Okta Administrators", "[Okta Administrators]", false},
			{"filter type", `filter=type eq "BUILT_IN"`, "[Everyone Okta Administrators]", true},
			{"filter app groups", `filter=type eq "APP_GROUP"`, "[Sales Imported]", false},
			{"filter lastMembershipUpdated", `filter=lastMembershipUpdated gt "2024-05-06T07:12:09.000Z"`, "[Late]", false},
			{"filter or", `filter=type eq "BUILT_IN" or type eq "APP_GROUP"`, "[Everyone Okta Administrators Sales Imported]", true},
			// The Terraform provider's okta_group data source sends both; Okta applies both (200).
			{"q and filter apply both", `q=sales&filter=type eq "APP_GROUP"`, "[Sales Imported]", false},
			{"q and filter without match", `q=Late&filter=type eq "APP_GROUP"`, "[]", false},
			{"search sw ignores case", `search=profile.name sw "sales"&sortBy=profile.name`, "[Sales East Sales Imported sales West Salesforce Admins]", false},
			{"search sorted desc", `search=profile.name sw "sales"&sortBy=profile.name&sortOrder=desc`, "[Salesforce Admins sales West Sales Imported Sales East]", false},
			{"search by created", `search=created lt "2024-05-06T07:10:09.000Z" and type eq "OKTA_GROUP"&sortBy=created&sortOrder=desc`, "[sales West Sales East]", false},
			{"search by type and name", `search=type eq "OKTA_GROUP" and profile.name sw "Sales"&sortBy=lastUpdated`, "[Sales East sales West Salesforce Admins]", false},
		} {
			t.Run(c.name, func(t *testing.T) {
				// Page by one so that every cursor is exercised.
				_, names, _ := e.listAll("/api/v1/groups?limit=1&" + encodeQuery(c.query))
				if c.ids {
					sort.Strings(names)
				}
				if got := fmt.Sprint(names); got != c.want && !(c.want == "[]" && names == nil) {
					t.Errorf("got %s, want %s", got, c.want)
				}
			})
		}

		stats := decodeAs[[]jsonGroup](t, e.must(200, "GET", "/api/v1/groups?expand=stats&q=Late", nil))
		if len(stats) != 1 || stats[0].Embedded["stats"].(map[string]any)["usersCount"] != 1.0 {
			t.Errorf("expand=stats: %+v", stats)
		}

		for _, c := range []errorCase{
			{name: "q and search", path: `/api/v1/groups?q=a&search=` + url.QueryEscape(`type eq "OKTA_GROUP"`), status: 400, code: "E0000033"},
			{name: "bad filter", path: `/api/v1/groups?filter=` + url.QueryEscape(`type eq`), status: 400, code: "E0000031"},
			{name: "filter on a search-only attribute", path: `/api/v1/groups?filter=` + url.QueryEscape(`profile.name eq "Sales"`), status: 400, code: "E0000031"},
			{name: "unknown search attribute", path: `/api/v1/groups?search=` + url.QueryEscape(`status eq "ACTIVE"`), status: 400, code: "E0000031"},
			{name: "unknown sortBy", path: `/api/v1/groups?sortBy=profile.color&search=` + url.QueryEscape(`type eq "OKTA_GROUP"`), status: 400, code: "E0000031"},
			{name: "bad sortOrder", path: `/api/v1/groups?sortBy=created&sortOrder=sideways&search=` + url.QueryEscape(`type eq "OKTA_GROUP"`), status: 400, code: "E0000001"},
			{name: "forged cursor", path: `/api/v1/groups?sortBy=created&after=xyz&search=` + url.QueryEscape(`type eq "OKTA_GROUP"`), status: 400, code: "E0000001", causeMatch: "after"},
			{name: "limit zero", path: "/api/v1/groups?limit=0", status: 400, code: "E0000001"},
			{name: "limit not a number", path: "/api/v1/groups?limit=ten", status: 400, code: "E0000001"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.method = "GET"
				c.run(t, e)
			})
		}
		// A cursor made for one sort is refused for another.
		resp, _ := e.do("GET", "/api/v1/groups?limit=1&sortBy=created&search="+url.QueryEscape(`type eq "OKTA_GROUP"`), nil)
		next, _ := url.Parse(nextLink(t, resp))
		after := next.Query().Get("after")
		errorCase{method: "GET", path: "/api/v1/groups?limit=1&sortBy=lastUpdated&after=" + after + "&search=" + url.QueryEscape(`type eq "OKTA_GROUP"`),
			status: 400, code: "E0000001"}.run(t, e)
	})
}

// encodeQuery escapes the values of a readable "k=v&k=v" query.
func encodeQuery(q string) string {
	v := url.Values{}
	for _, kv := range strings.Split(q, "&") {
		k, val, _ := strings.Cut(kv, "=")
		v.Set(k, val)
	}
	return v.Encode()
}
