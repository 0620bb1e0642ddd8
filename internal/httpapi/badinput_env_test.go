package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// badFixture is what the bad-input matrix attacks: one of each resource, made through the API,
// plus the secrets that must never come back in a response.
type badFixture struct {
	*groupsEnv
	user, group, zone, origin, tokenID string
	hook, idp, policy, app             string
	password                           string
	secrets                            []string // token, password, stored hashes
}

// badLastName is stored through the API and must be found again by search, filter and q: SQL
// and filter metacharacters inside a string are just text.
const badLastName = `O'Brien; DROP TABLE users;--`

// newBadFixture creates the resources of the matrix on e.
func newBadFixture(t *testing.T, e *groupsEnv) *badFixture {
	t.Helper()
	f := &badFixture{groupsEnv: e, password: "Corr3ct-Horse-Battery!"}
	created := struct {
		ID string `json:"id"`
	}{}
	mustID := func(method, path, body string) string {
		t.Helper()
		created.ID = ""
		if err := json.Unmarshal(e.must(200, method, path, body), &created); err != nil || created.ID == "" {
			t.Fatalf("%s %s: no id (%v)", method, path, err)
		}
		return created.ID
	}
	f.user = mustID("POST", "/api/v1/users?activate=true", `{"profile":{"login":"obrien@example.com","email":"obrien@example.com",`+
		`"firstName":"Pat","lastName":`+strconv.Quote(badLastName)+`},"credentials":{"password":{"value":"`+f.password+`"},`+
		`"recovery_question":{"question":"Favourite colour?","answer":"ultraviolet-secret"}}}`)
	f.group = mustID("POST", "/api/v1/groups", `{"profile":{"name":"Engineering","description":"<b>bold</b> & \"quoted\""}}`)
	f.zone = mustID("POST", "/api/v1/zones", `{"type":"IP","name":"Office","gateways":[{"type":"CIDR","value":"198.51.100.0/24"}]}`)
	f.origin = mustID("POST", "/api/v1/trustedOrigins", `{"name":"App","origin":"https://app.example.com","scopes":[{"type":"CORS"}]}`)
	f.hook = mustID("POST", "/api/v1/eventHooks", `{"name":"Hook","events":{"type":"EVENT_TYPE","items":["user.lifecycle.create"]},`+
		`"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"https://hooks.example.com/okta","authScheme":{"type":"HEADER","key":"Authorization","value":"hook-shared-secret-value"}}}}`)
	f.idp = mustID("POST", "/api/v1/idps", `{"type":"GOOGLE","name":"Google","protocol":{"type":"OIDC","scopes":["openid","email"],`+
		`"credentials":{"client":{"client_id":"google-client","client_secret":"idp-client-secret-value"}}}}`)
	f.policy = mustID("POST", "/api/v1/policies", `{"name":"Strict","type":"PASSWORD"}`)
	f.app = mustID("POST", "/api/v1/apps", `{"name":"bookmark","label":"Wiki","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://wiki.example.com"}}}`)
	var tokens []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(e.must(200, "GET", "/api/v1/api-tokens", nil), &tokens); err != nil || len(tokens) == 0 {
		t.Fatalf("no token listed: %v", err)
	}
	f.tokenID = tokens[0].ID
	e.must(204, "PUT", "/api/v1/groups/"+f.group+"/users/"+f.user, nil)
	f.secrets = []string{e.token, f.password, "ultraviolet-secret", "hook-shared-secret-value"}
	f.secrets = append(f.secrets, f.storedHashes(t)...)
	return f
}

// storedHashes reads every password, answer and token hash in the database, so the matrix can
// check no response ever carries one.
func (f *badFixture) storedHashes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT COALESCE(password_hash, '') FROM users WHERE org_id = ?`,
		`SELECT COALESCE(recovery_answer_hash, '') FROM users WHERE org_id = ?`,
		`SELECT hash FROM api_tokens WHERE org_id = ?`,
	} {
		rows, err := f.db.ReadPool().Query(f.sql(q), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			if h != "" {
				out = append(out, h)
			}
		}
		rows.Close()
	}
	if len(out) < 3 {
		t.Fatalf("expected password, answer and token hashes, got %d", len(out))
	}
	return out
}

// expand replaces {user}, {group}, {zone}, {origin}, {token}, {hook}, {idp}, {policy}, {app}, {schema}, {grouprule} and {contact} by the fixture's ids.
func (f *badFixture) expand(s string) string {
	return strings.NewReplacer("{user}", f.user, "{group}", f.group, "{zone}", f.zone,
		"{origin}", f.origin, "{token}", f.tokenID, "{hook}", f.hook, "{idp}", f.idp, "{policy}", f.policy, "{app}", f.app,
		"{schema}", "default", "{grouprule}", "0pr0000000000000none", "{contact}", "BILLING").Replace(s)
}

// snapshot reads back everything the matrix could damage: every list and each fixture.
func (f *badFixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{
		"/api/v1/users?limit=200", "/api/v1/groups?limit=200", "/api/v1/zones", "/api/v1/trustedOrigins",
		"/api/v1/api-tokens", "/api/v1/users/{user}", "/api/v1/groups/{group}/users", "/api/v1/users/{user}/groups",
		"/api/v1/eventHooks", "/api/v1/idps", "/api/v1/idps/{idp}/users",
		"/api/v1/policies?type=PASSWORD", "/api/v1/policies/{policy}/rules",
		"/api/v1/apps", "/api/v1/apps/{app}/users", "/api/v1/apps/{app}/groups",
	} {
		b.WriteString(p + "\n")
		b.Write(f.must(200, "GET", f.expand(p), nil))
	}
	return b.String()
}

// send is do with extra headers; a header set to "" is removed. body is sent as is.
func (f *badFixture) send(method, path, body string, header map[string]string) (*http.Response, []byte, error) {
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, f.srv.URL+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "SSWS "+f.token)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}
