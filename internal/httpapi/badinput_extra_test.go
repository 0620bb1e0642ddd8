package httpapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/httpapi"
)

// TestBadInputCoversEveryBodyRoute keeps bodyRoutes complete: every POST or PUT route is in it
// or is one of the routes that ignore their body.
func TestBadInputCoversEveryBodyRoute(t *testing.T) {
	wild := regexp.MustCompile(`\{[^}]*\}`)
	norm := func(r string) string { return wild.ReplaceAllString(r, "{}") }
	listed := map[string]bool{}
	for _, r := range bodyRoutes {
		listed[norm(r)] = true
	}
	for _, r := range httpapi.Routes() {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			continue
		}
		p := norm(r.Pattern())
		if strings.Contains(p, " /okapi/") {
			// The operator API is not Okta's; internal/app TestOperatorBadBodies covers it.
			continue
		}
		if strings.HasSuffix(p, "/logo") {
			// uploadApplicationLogo is multipart, not JSON: TestAppLogoBadInput covers it.
			continue
		}
		if strings.Contains(p, " /oauth2/") {
			// Form-encoded OAuth 2.0 endpoints: TestOIDCTokenBadInput covers them.
			continue
		}
		bodyless := strings.Contains(p, "/lifecycle/") || p == "PUT /api/v1/groups/{}/users/{}" || p == "PUT /api/v1/apps/{}/policies/{}" ||
			strings.HasSuffix(p, "/credentials/keys/generate") || strings.HasSuffix(p, "/clone") ||
			strings.Contains(p, "/roles/{}/targets/") || strings.HasSuffix(p, "subscribe") ||
			p == "PUT /api/v1/users/{}/linkedObjects/{}/{}" || strings.HasSuffix(p, "EndUserFooter") ||
			p == "POST /api/v1/features/{}/{}"
		if !listed[p] && !bodyless {
			t.Errorf("%s reads a body but is not in the bad-input matrix's bodyRoutes", r.Pattern())
		}
	}
}

// TestBadInputValidButOdd: odd values that are valid are stored and read back exactly:
// control characters, quotes, angle brackets, backslashes, 3-byte characters, a User-Agent that
// is not UTF-8 (it ends up in the System Log).
func TestBadInputValidButOdd(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		odd := []string{
			"tab\there", "bell\a and escape \x1b[31m", `back\slash and "quotes"`, "<script>alert(1)</script>",
			"日本語 Zoë Ærøskøbing ﷽", "\u200b\u202e\ufeff", "x%00y", "${jndi:ldap://x}", "' OR '1'='1",
		}
		for i, v := range odd {
			name := string(rune('a'+i)) + " " + v
			body, _ := json.Marshal(map[string]any{"profile": map[string]any{"name": name, "description": v}})
			f := &badFixture{groupsEnv: e}
			resp, data, err := f.send("POST", "/api/v1/groups", string(body), map[string]string{"User-Agent": "odd\xff\xfe agent"})
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("create %q: %v %d %s", v, err, statusOf(resp), data)
			}
			g := decodeAs[jsonGroup](t, data)
			got := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+g.ID, nil))
			if got.Profile["name"] != name || got.Profile["description"] != v {
				t.Errorf("stored %q, read back %q / %q", v, got.Profile["name"], got.Profile["description"])
			}
			// And it can be found again by an exact search on the value.
			q := `profile.name eq ` + strings.ReplaceAll(mustJSON(t, name), `\u003c`, "<")
			var found []jsonGroup
			if err := json.Unmarshal(e.must(200, "GET", "/api/v1/groups?search="+qe(q), nil), &found); err != nil || len(found) != 1 {
				t.Errorf("search %s: %v, %d found", q, err, len(found))
			}
		}
	})
}

func statusOf(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

// TestBadInputRawRequests: requests net/http's client will not send. Each gets an HTTP answer
// (never a dropped connection or a 5xx), and no header of okapi's carries the injected text.
func TestBadInputRawRequests(t *testing.T) {
	e := newGroupsEnvOn(t, "")
	host := strings.TrimPrefix(e.srv.URL, "http://")
	auth := "Authorization: SSWS " + e.token + "\r\nAccept: application/json\r\n"
	for _, c := range []struct {
		name, request string
		status        int
		// reflected: the request names its host in the target, which HTTP/1.1 makes the Host;
		// without --public-url links follow the Host, as they do for a Host header.
		reflected bool
	}{
		{"CRLF in X-Forwarded-For", "GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: " + host + "\r\n" + auth +
			"X-Forwarded-For: 1.2.3.4\r\nSet-Cookie: injected=1\r\n\r\n", 200, false},
		{"bare LF in a header", "GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: " + host + "\r\n" + auth +
			"X-Forwarded-For: 1.2.3.4\nLink: <http://evil/>\r\n\r\n", 200, false},
		{"Host with angle brackets", "GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: <evil>\r\n" + auth + "\r\n", 400, false},
		{"two Host headers", "GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n" + auth + "\r\n", 400, false},
		{"NUL in a header", "GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "X-Forwarded-For: 1.2.3.4\x00\r\n\r\n", 400, false},
		{"raw space in the path", "GET /api/v1/users/a b HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n", 400, false},
		{"dot segments", "GET /api/v1/users/../../../etc/passwd HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n", 404, false},
		{"absolute-form target", "GET http://evil.example/api/v1/users?limit=1 HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n", 200, true},
		{"CRLF through an encoded query", "GET /api/v1/users?limit=1&x=%0D%0ASet-Cookie:%20a=b HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n", 200, false},
		{"body longer than Content-Length", "POST /api/v1/groups HTTP/1.1\r\nHost: " + host + "\r\n" + auth +
			"Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"profile\":{\"name\":\"x\"}}", 400, false},
		{"chunked body, malformed chunk", "POST /api/v1/groups HTTP/1.1\r\nHost: " + host + "\r\n" + auth +
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", host, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(conn, c.request); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, c.status, body)
			}
			if resp.Header.Get("Set-Cookie") != "" {
				t.Errorf("Set-Cookie injected: %q", resp.Header.Get("Set-Cookie"))
			}
			for _, l := range resp.Header.Values("Link") {
				if !linkHeader.MatchString(l) || (!c.reflected && strings.Contains(l, "evil")) {
					t.Errorf("Link header %q", l)
				}
			}
		})
	}
}
