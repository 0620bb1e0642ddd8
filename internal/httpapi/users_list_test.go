package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// listAll follows rel="next" Link headers from path and returns the ids in order, checking
// that every page holds at most limit users with only a self link.
func (e *usersEnv) listAll(path string, limit int) []string {
	e.t.Helper()
	var ids []string
	next := path
	for pages := 0; next != ""; pages++ {
		if pages > 100 {
			e.t.Fatal("too many pages")
		}
		req, _ := http.NewRequest("GET", e.srv.URL+next, nil)
		req.Header.Set("Authorization", "SSWS "+e.srv.Token)
		resp, err := e.local.Do(req)
		if err != nil {
			e.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			e.t.Fatalf("GET %s: %d %s", next, resp.StatusCode, body)
		}
		var page []map[string]any
		if err := json.Unmarshal(body, &page); err != nil {
			e.t.Fatal(err)
		}
		if limit > 0 && len(page) > limit {
			e.t.Fatalf("page of %d users, limit %d", len(page), limit)
		}
		for _, u := range page {
			if links := u["_links"].(map[string]any); len(links) != 1 || links["self"] == nil {
				e.t.Fatalf("collection user links %v, want only self", links)
			}
			ids = append(ids, u["id"].(string))
		}
		next = ""
		for _, l := range resp.Header.Values("Link") {
			if strings.Contains(l, `rel="next"`) {
				u, err := url.Parse(strings.Trim(strings.SplitN(l, ";", 2)[0], "<>"))
				if err != nil {
					e.t.Fatal(err)
				}
				next = u.RequestURI()
			}
		}
	}
	return ids
}

func TestListUsers(t *testing.T) {
	e := newUsersEnv(t)
	names := []string{"Zed", "amy", "Bob", "carl", "Dora", "eve", "Finn"}
	byStatus := map[string][]string{}
	var all []string
	for i, n := range names {
		status := []domain.UserStatus{domain.StatusActive, domain.StatusSuspended, domain.StatusDeprovisioned,
			domain.StatusStaged}[i%4]
		u := e.fixture(status, domain.Creds{})
		e.call("POST", "/api/v1/users/"+u.ID, map[string]any{"profile": map[string]any{"lastName": n,
			"email": strings.ToLower(n) + "@corp.example"}}, 200)
		byStatus[string(status)] = append(byStatus[string(status)], u.ID)
		all = append(all, u.ID)
	}
	admin := e.call("GET", "/api/v1/users/me", nil, 200)["id"].(string)

	// Every page boundary: no user skipped or repeated, DEPROVISIONED left out by default.
	for _, limit := range []int{1, 2, 3, 200} {
		got := e.listAll(fmt.Sprintf("/api/v1/users?limit=%d", limit), limit)
		want := append([]string{admin}, all...)
		want = slices.DeleteFunc(want, func(id string) bool { return slices.Contains(byStatus["DEPROVISIONED"], id) })
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: got %v, want %v (creation order)", limit, got, want)
		}
	}

	sorted := func(ids []string) []string { s := slices.Clone(ids); slices.Sort(s); return s }
	got := e.listAll(`/api/v1/users?filter=`+url.QueryEscape(`status eq "SUSPENDED"`), 0)
	if !slices.Equal(sorted(got), sorted(byStatus["SUSPENDED"])) {
		t.Errorf("filter status SUSPENDED: %v, want %v", got, byStatus["SUSPENDED"])
	}
	got = e.listAll(`/api/v1/users?filter=`+url.QueryEscape(`status eq "DEPROVISIONED"`), 0)
	if !slices.Equal(sorted(got), sorted(byStatus["DEPROVISIONED"])) {
		t.Errorf("filter status DEPROVISIONED: %v", got)
	}
	// q: prefix of firstName, lastName or email, any case; default limit 10.
	got = e.listAll(`/api/v1/users?q=AM`, 10)
	if len(got) != 1 || got[0] != all[1] {
		t.Errorf("q=AM: %v", got)
	}
	if got = e.listAll(`/api/v1/users?q=ada`, 0); len(got) != 5 { // firstName Ada, DEPROVISIONED excluded
		t.Errorf("q=ada: %d users", len(got))
	}
	if got = e.listAll(`/api/v1/users?q=%25`, 0); len(got) != 0 {
		t.Errorf("q=%%: LIKE wildcards must be literal, got %v", got)
	}
	// search includes DEPROVISIONED users and sorts.
	got = e.listAll(`/api/v1/users?search=`+url.QueryEscape(`profile.email sw "D"`)+`&sortBy=profile.lastName&sortOrder=desc&limit=1`, 1)
	if len(got) != 1 || got[0] != all[4] {
		t.Errorf("search email sw d: %v, want Dora", got)
	}
	got = e.listAll(`/api/v1/users?search=`+url.QueryEscape(`profile.lastName pr`)+`&sortBy=profile.lastName&limit=2`, 2)
	var lastNames []string
	for _, id := range got {
		u, _ := e.stored(id)
		lastNames = append(lastNames, strings.ToLower(u.Profile["lastName"].(string)))
	}
	if !slices.IsSorted(lastNames) || len(got) != len(all)+1 {
		t.Errorf("sorted by lastName: %v", lastNames)
	}

	e.wantError("GET", "/api/v1/users?q=a&filter="+url.QueryEscape(`status eq "ACTIVE"`), nil, 400, "E0000033", "")
	e.wantError("GET", "/api/v1/users?filter="+url.QueryEscape(`status sw "A"`), nil, 400, "E0000031", "")
	e.wantError("GET", "/api/v1/users?filter="+url.QueryEscape(`status eq`), nil, 400, "E0000031", "")
	e.wantError("GET", "/api/v1/users?search="+url.QueryEscape(`status ne "ACTIVE"`), nil, 400, "E0000031", "")
	e.wantError("GET", "/api/v1/users?after=garbage", nil, 400, "E0000001", "")
	e.wantError("GET", "/api/v1/users?limit=abc", nil, 400, "E0000001", "")
	e.wantError("GET", "/api/v1/users?sortBy=password", nil, 400, "E0000001", "")
	e.wantError("GET", "/api/v1/users?sortBy=id&sortOrder=sideways", nil, 400, "E0000001", "")
	// Without sortBy, sortOrder is ignored: the Terraform provider always sends sortOrder=0 and
	// Okta answers 200.
	e.listAll("/api/v1/users?sortOrder=0&search="+url.QueryEscape(`status eq "ACTIVE"`), -1)
	e.listAll("/api/v1/users?sortOrder=0", -1)
}
