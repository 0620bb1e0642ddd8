package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// fuzzTarget is okapi's handler over SQLite with one resource of each kind, for fuzzing. It
// does not use oastest: a fuzz function may only fail through its own *testing.T.
type fuzzTarget struct {
	api    http.Handler
	token  string
	ids    map[string]string // "users", "groups", ... → an id of that kind
	routes []httpapi.Route   // every POST and PUT route
}

func newFuzzTarget(f *testing.F) *fuzzTarget {
	f.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(f.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	svc := service.New(db, domain.NewFixedClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), domain.NewSeededIDs(1), slog.New(slog.DiscardHandler))
	const token = "00fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz01"
	org, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenSecret: token})
	if err != nil {
		f.Fatal(err)
	}
	ft := &fuzzTarget{api: httpapi.New(httpapi.Config{Service: svc, Logger: slog.New(slog.DiscardHandler)}), token: token, ids: map[string]string{}}
	// A second token is the one PUT /api-tokens/{id} fuzzes: a network condition on the
	// token the fuzzer uses would lock it out and make every later input a 403.
	tokCtx := domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID})
	spare, _, err := svc.CreateToken(tokCtx, "spare", "")
	if err != nil {
		f.Fatal(err)
	}
	ft.ids["api-tokens"] = spare.ID
	for kind, body := range map[string]string{
		"users":          `{"profile":{"login":"fuzz@example.com","email":"fuzz@example.com","firstName":"F","lastName":"Z"},"credentials":{"password":{"value":"Xyzzy-Plugh-7!"}}}`,
		"groups":         `{"profile":{"name":"Fuzzers"}}`,
		"zones":          `{"type":"IP","name":"Fuzz","gateways":[{"type":"CIDR","value":"10.0.0.0/8"}]}`,
		"trustedOrigins": `{"name":"Fuzz","origin":"https://fuzz.example.com","scopes":[{"type":"CORS"}]}`,
	} {
		w := ft.send("POST", "/api/v1/"+kind, []byte(body))
		var created struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &created); w.Code != 200 || err != nil {
			f.Fatalf("create %s: %d %s", kind, w.Code, w.Body)
		}
		ft.ids[kind] = created.ID
	}
	// Every POST and PUT route gets a malformed body once, against a user of its own. Those
	// that answer 400 E0000003 read the body and are fuzzed; the others (lifecycle operations)
	// never look at it, so their answer cannot depend on the fuzzed bytes, and running them per
	// input would only spend the time on password hashing.
	fixtureUser := ft.ids["users"]
	w := ft.send("POST", "/api/v1/users", []byte(`{"profile":{"login":"probe@example.com","email":"probe@example.com","firstName":"P","lastName":"R"}}`))
	var probe struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &probe); w.Code != 200 || err != nil {
		f.Fatalf("create the probe user: %d %s", w.Code, w.Body)
	}
	ft.ids["users"] = probe.ID
	all := 0
	for _, r := range httpapi.Routes() {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			continue
		}
		all++
		w := ft.send(r.Method, ft.path(r.Path), []byte(`{"`))
		if w.Code >= 500 {
			f.Fatalf("%s %s with a malformed body: %d %s", r.Method, r.Path, w.Code, w.Body)
		}
		if w.Code == http.StatusBadRequest && strings.Contains(w.Body.String(), `"E0000003"`) {
			ft.routes = append(ft.routes, r)
		}
	}
	ft.ids["users"] = fixtureUser
	if len(ft.routes) < 14 {
		f.Fatalf("only %d of %d POST/PUT routes read their body", len(ft.routes), all)
	}
	return ft
}

// path fills a route's wildcards with the fixture's ids: {id} takes the kind of the segment
// before it, {userId} is the user.
func (ft *fuzzTarget) path(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		switch {
		case s == "{userId}":
			segs[i] = ft.ids["users"]
		case i > 0 && ft.ids[segs[i-1]] != "":
			segs[i] = ft.ids[segs[i-1]]
		default:
			segs[i] = "unknown"
		}
	}
	return strings.Join(segs, "/")
}

func (ft *fuzzTarget) send(method, path string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Authorization", "SSWS "+ft.token)
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	ft.api.ServeHTTP(w, r)
	return w
}

// FuzzRequestBody sends each input as the JSON body of every POST and PUT route that reads its
// body, through the real handler over SQLite: whatever the bytes, the answer is never a 5xx (a
// panic is one: the middleware recovers it as 500). Routes that ignore the body are checked
// once, with a malformed one, in newFuzzTarget.
func FuzzRequestBody(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `"x"`, `0`, `{"profile":`,
		`{"profile":{"login":"a@b.co","email":"a@b.co","firstName":"A","lastName":"B"}}`,
		`{"profile":{"name":"G","description":"d"}}`,
		`{"type":"IP","name":"Z","gateways":[{"type":"CIDR","value":"1.2.3.0/24"}],"proxies":[{"type":"RANGE","value":"1.1.1.1-1.1.1.9"}]}`,
		`{"type":"DYNAMIC","name":"D","locations":[{"country":"US"}],"asns":["13335"]}`,
		`{"name":"O","origin":"http://localhost:8080","scopes":[{"type":"REDIRECT"},{"type":"CORS"}]}`,
		`{"name":"t","network":{"connection":"ZONE","include":["x"],"exclude":["y"]}}`,
		`{"oldPassword":{"value":"a"},"newPassword":{"value":"Bbbbbbbb1!"}}`,
		`{"password":{"value":"x"},"recovery_question":{"question":"q?","answer":"answer"}}`,
		`{"credentials":{"password":{"hash":{"algorithm":"BCRYPT","workFactor":10,"salt":"x","value":"y"}}}}`,
		`{"credentials":{"password":{"hook":{"type":"default"}}}}`,
		`{"tempPassword":true,"revokeSessions":false}`,
		`{"profile":{"x":"\u0000"}}`, `{"profile":{"x":"\ud83d\ude00"}}`, "{\"profile\":{\"x\":\"\xff\"}}",
		`{"profile":{"x":1e999}}`, `{"profile":{"x":-0}}`, `{"profile":{"login":["a"]}}`,
		strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200),
	} {
		f.Add([]byte(s))
	}
	ft := newFuzzTarget(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, r := range ft.routes {
			w := ft.send(r.Method, ft.path(r.Path), body)
			if w.Code >= 500 {
				t.Fatalf("%s %s with body %q: %d %s", r.Method, r.Path, body, w.Code, w.Body)
			}
		}
	})
}
