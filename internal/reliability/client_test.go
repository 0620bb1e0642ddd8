package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// client talks to one okapi over loopback with the bootstrap token.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}
	return &client{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// reply is an answer read whole; err is set when there was no answer (connection refused or cut).
type reply struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (r reply) ok() bool { return r.err == nil && r.status/100 == 2 }

func (r reply) String() string {
	if r.err != nil {
		return "no answer: " + r.err.Error()
	}
	return fmt.Sprintf("%d %s", r.status, bytes.TrimSpace(r.body))
}

// do sends one request; body is marshalled as JSON when not nil.
func (c *client) do(method, path string, body any) reply {
	var rd io.Reader
	n := int64(0)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{err: err}
		}
		rd, n = bytes.NewReader(b), int64(len(b))
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = c.base + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return reply{err: err}
	}
	req.ContentLength = n
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else if method == http.MethodPost || method == http.MethodPut {
		req.Header.Set("Content-Length", "0")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "SSWS "+token)
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{err: err}
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// must sends a request that has to succeed with a 2xx and decodes the answer into out.
func (c *client) must(t *testing.T, method, path string, body, out any) reply {
	t.Helper()
	r := c.do(method, path, body)
	if !r.ok() {
		t.Fatalf("%s %s: %s", method, path, r)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return r
}

// all pages through a list with its Link rel="next" headers, until a page is empty (the
// System Log's polling query always links a next page) or has no next link.
func all[T any](t *testing.T, c *client, path string) []T {
	t.Helper()
	var out []T
	for path != "" {
		var page []T
		r := c.must(t, http.MethodGet, path, nil, &page)
		out = append(out, page...)
		if len(page) == 0 {
			break
		}
		path = nextLink(r.header)
	}
	return out
}

// nextLink is the target of the Link header with rel="next", or "".
func nextLink(h http.Header) string {
	for _, l := range h.Values("Link") {
		if strings.Contains(l, `rel="next"`) {
			start, end := strings.Index(l, "<"), strings.Index(l, ">")
			if start >= 0 && end > start {
				return l[start+1 : end]
			}
		}
	}
	return ""
}

// q escapes a query parameter value.
func q(s string) string { return url.QueryEscape(s) }

// user, group and event are the parts of okapi's answers these tests look at.
type user struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Profile struct {
		Login    string `json:"login"`
		NickName string `json:"nickName"`
	} `json:"profile"`
}

type group struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
}

type event struct {
	UUID      string `json:"uuid"`
	EventType string `json:"eventType"`
	Target    []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"target"`
}

// newUser is the body of a create that makes an ACTIVE user (with ?activate=true). The password
// is an imported SHA-256 hash, so okapi stores it without running its deliberately slow hash:
// these tests measure the write path, not bcrypt.
func newUser(login, nick string) map[string]any {
	return map[string]any{
		"profile": map[string]any{"login": login, "email": login, "firstName": "Crash", "lastName": "Test",
			"nickName": nick},
		"credentials": map[string]any{"password": map[string]any{"hash": map[string]any{
			"algorithm": "SHA-256", "value": "8FY2iVjYjW+XVTiIdWI5OHTzWwAiUBKgeMMayEJwSMU="}}},
	}
}
