package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
)

type resourcesPage struct {
	Resources []struct {
		ID    string
		ORN   string
		Links struct{ Self struct{ Href string } } `json:"_links"`
	}
	Links struct{ Next *struct{ Href string } } `json:"_links"`
}

func TestResourceSetsLifecycle(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		groupURL := "https://acme.okta.com/api/v1/groups/00gabc"
		orn := "orn:okta:directory:" + e.org.ID + ":users"
		var set struct {
			ID, Label string
			Links     map[string]any `json:"_links"`
		}
		if err := json.Unmarshal(e.must(200, "POST", "/api/v1/iam/resource-sets", map[string]any{
			"label": "Engineering", "description": "eng users", "resources": []string{groupURL, orn, groupURL}}), &set); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(set.ID, "iam") || set.Links["resources"] == nil || set.Links["bindings"] == nil {
			t.Fatalf("created = %+v", set)
		}
		page := func(q string) resourcesPage {
			var p resourcesPage
			if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/resource-sets/"+set.ID+"/resources"+q, nil), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		p := page("")
		hrefs := map[string]string{} // key (ORN or URL) -> _links.self.href
		for _, r := range p.Resources {
			key := r.ORN
			if key == "" {
				key = r.Links.Self.Href
			}
			hrefs[key] = r.Links.Self.Href
		}
		if len(p.Resources) != 2 || hrefs[groupURL] != groupURL || !strings.HasSuffix(hrefs[orn], "/api/v1/users") {
			t.Fatalf("resources = %+v (the duplicate URL counts once; a URL is shown as given, an ORN as its URL)", p)
		}
		// Paging in the body.
		e.must(200, "PATCH", "/api/v1/iam/resource-sets/"+set.ID+"/resources", map[string]any{"additions": []string{
			"https://acme.okta.com/api/v1/apps/0oa1", groupURL}})
		first := page("?limit=2")
		if len(first.Resources) != 2 || first.Links.Next == nil {
			t.Fatalf("first page = %+v", first)
		}
		i := strings.Index(first.Links.Next.Href, "/api/v1/")
		var rest resourcesPage
		if err := json.Unmarshal(e.must(200, "GET", first.Links.Next.Href[i:], nil), &rest); err != nil || len(rest.Resources) != 1 || rest.Links.Next != nil {
			t.Fatalf("next page = %+v %v", rest, err)
		}
		e.must(204, "DELETE", "/api/v1/iam/resource-sets/"+set.ID+"/resources/"+rest.Resources[0].ID, nil)
		if got := len(page("").Resources); got != 2 {
			t.Errorf("after a delete: %d resources, want 2", got)
		}
		e.must(200, "PUT", "/api/v1/iam/resource-sets/"+set.ID, map[string]any{"label": "Eng", "description": "d2"})
		var list struct {
			Sets []struct{ Label string } `json:"resource-sets"`
		}
		if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/resource-sets", nil), &list); err != nil || len(list.Sets) != 1 || list.Sets[0].Label != "Eng" {
			t.Errorf("list = %+v %v", list, err)
		}
		e.must(204, "DELETE", "/api/v1/iam/resource-sets/"+set.ID, nil)
		e.must(404, "GET", "/api/v1/iam/resource-sets/"+set.ID, nil)
		for _, typ := range []string{"iam.resourceset.create", "iam.resourceset.update", "iam.resourceset.delete",
			"iam.resourceset.resources.add", "iam.resourceset.resources.delete"} {
			if len(e.events(typ)) != 1 {
				t.Errorf("%s events: %d, want 1", typ, len(e.events(typ)))
			}
		}
	})
}

func TestResourceSetsBadInput(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		var set struct{ ID string }
		if err := json.Unmarshal(e.must(200, "POST", "/api/v1/iam/resource-sets", map[string]any{"label": "Taken", "description": "d"}), &set); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, method, path string
			body               any
			status             int
			code, cause        string
		}{
			{"no label", "POST", "/api/v1/iam/resource-sets", map[string]any{"description": "d"}, 400, "E0000001", "label:"},
			{"label taken", "POST", "/api/v1/iam/resource-sets", map[string]any{"label": "taken", "description": "d"}, 400, "E0000001", "label:"},
			{"not a resource", "POST", "/api/v1/iam/resource-sets", map[string]any{"label": "x", "description": "d", "resources": []string{"ftp://x/api/v1/users"}}, 400, "E0000001", "resources:"},
			{"not an API path", "PATCH", "/api/v1/iam/resource-sets/" + set.ID + "/resources", map[string]any{"additions": []string{"https://acme.okta.com/admin"}}, 400, "E0000001", "additions:"},
			{"no additions", "PATCH", "/api/v1/iam/resource-sets/" + set.ID + "/resources", map[string]any{}, 400, "E0000001", "additions:"},
			{"unknown set", "GET", "/api/v1/iam/resource-sets/iamnosuchset00000000", nil, 404, "E0000007", ""},
			{"unknown resource", "DELETE", "/api/v1/iam/resource-sets/" + set.ID + "/resources/irenosuch0000000000", nil, 404, "E0000007", ""},
			{"bad limit", "GET", "/api/v1/iam/resource-sets/" + set.ID + "/resources?limit=0", nil, 400, "E0000001", "limit"},
		} {
			resp, data := e.do(c.method, c.path, c.body)
			if resp.StatusCode != c.status || !strings.Contains(string(data), `"errorCode":"`+c.code+`"`) || !strings.Contains(string(data), c.cause) {
				t.Errorf("%s: %d %s, want %d %s with %q", c.name, resp.StatusCode, data, c.status, c.code, c.cause)
			}
		}
		var p resourcesPage
		if err := json.Unmarshal(e.must(200, "GET", "/api/v1/iam/resource-sets/"+set.ID+"/resources", nil), &p); err != nil || len(p.Resources) != 0 {
			t.Errorf("resources after refusals: %+v %v", p, err)
		}
	})
}
