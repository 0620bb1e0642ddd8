package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/hookdelivery"
)

// receiver is an event hook's external service: it answers the verification challenge, records
// every delivery, and answers deliveries with the statuses queued in fail (then 200).
type receiver struct {
	*httptest.Server
	mu         sync.Mutex
	deliveries []map[string]any
	headers    []http.Header
	fail       []int
	badVerify  bool
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.headers = append(rc.headers, r.Header.Clone())
		if r.Method == http.MethodGet {
			v := r.Header.Get("X-Okta-Verification-Challenge")
			if rc.badVerify {
				v = "wrong"
			}
			json.NewEncoder(w).Encode(map[string]string{"verification": v})
			return
		}
		if len(rc.fail) > 0 {
			code := rc.fail[0]
			rc.fail = rc.fail[1:]
			w.WriteHeader(code)
			return
		}
		var m map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &m); err != nil {
			t.Errorf("delivery body %q: %v", body, err)
		}
		rc.deliveries = append(rc.deliveries, m)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) got() ([]map[string]any, []http.Header) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]any(nil), rc.deliveries...), append([]http.Header(nil), rc.headers...)
}

// startDelivery runs the delivery worker against e's service until the test ends.
func startDelivery(t *testing.T, e *env) { startDeliveryWith(t, e, hookdelivery.New()) }

// startDeliveryWith is startDelivery with a sender of the test's (a shorter timeout).
func startDeliveryWith(t *testing.T, e *env, sender *hookdelivery.Sender) {
	e.svc.HookVerifier = hookdelivery.New()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := &hookdelivery.Worker{Svc: e.svc, Sender: sender, Owner: "test", Interval: 10 * time.Millisecond}
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually polls cond for up to 10 s: delivery is asynchronous.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func hookBody(uri string, items ...string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = fmt.Sprintf("%q", it)
	}
	return fmt.Sprintf(`{"name":"Hook","status":"ACTIVE","events":{"type":"EVENT_TYPE","items":[%s]},
		"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":%q,
		"headers":[{"key":"X-Other-Header","value":"my-header-value"}],
		"authScheme":{"type":"HEADER","key":"Authorization","value":"my-shared-secret"}}}}`, strings.Join(q, ","), uri)
}

func createHook(t *testing.T, e *env, body string) map[string]any {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/eventHooks", Body: body})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)
}

func TestEventHookCreateShape(t *testing.T) {
	e := newEnv(t, "")
	// The Terraform provider's create body (okta_event_hook).
	h := createHook(t, e, `{"name":"testAcc_12","status":"ACTIVE","events":{"items":["user.lifecycle.create"],"type":"EVENT_TYPE"},
		"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"https://example.com/test","authScheme":{"key":"Authorization","type":"HEADER","value":"123"}}}}`)
	id, _ := h["id"].(string)
	if !strings.HasPrefix(id, "who") || len(id) != 20 || h["status"] != "ACTIVE" || h["verificationStatus"] != "UNVERIFIED" ||
		h["description"] != nil || h["createdBy"] == "" || h["created"] != "2026-03-01T12:00:00.000Z" {
		t.Fatalf("created %v", h)
	}
	if _, ok := h["description"]; !ok {
		t.Error("description is missing; Okta sends null")
	}
	events := h["events"].(map[string]any)
	if fmt.Sprint(events["items"]) != "[user.lifecycle.create]" || events["type"] != "EVENT_TYPE" || events["filter"] != nil {
		t.Errorf("events %v", events)
	}
	cfg := h["channel"].(map[string]any)["config"].(map[string]any)
	if cfg["method"] != "POST" || fmt.Sprint(cfg["headers"]) != "[]" || cfg["uri"] != "https://example.com/test" {
		t.Errorf("config %v", cfg)
	}
	if auth := cfg["authScheme"].(map[string]any); auth["value"] != nil || auth["key"] != "Authorization" || auth["type"] != "HEADER" {
		t.Errorf("authScheme %v: value is write-only", auth)
	}
	links := h["_links"].(map[string]any)
	for _, l := range []string{"self", "verify", "deactivate"} {
		if links[l] == nil {
			t.Errorf("_links.%s missing: %v", l, links)
		}
	}
	if got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/eventHooks/" + id})); got["name"] != "testAcc_12" {
		t.Errorf("get %v", got)
	}
	var list []any
	json.Unmarshal(e.do(req{Method: "GET", Path: "/api/v1/eventHooks"}).Body.Bytes(), &list)
	if len(list) != 1 {
		t.Errorf("list has %d hooks, want 1", len(list))
	}
	if ev := e.lastEvent("event_hook.created"); ev["target"] == nil {
		t.Errorf("event_hook.created without target: %v", ev)
	}
}

func TestEventHookValidation(t *testing.T) {
	e := newEnv(t, "")
	ok := `"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"https://example.com/h"}}`
	evs := `"events":{"type":"EVENT_TYPE","items":["user.lifecycle.create"]}`
	tests := []struct{ name, body, cause string }{
		{"no name", `{` + evs + `,` + ok + `}`, "name: The field cannot be left blank"},
		{"no events", `{"name":"x",` + ok + `}`, "events.items: At least one event type is required"},
		{"bad event type", `{"name":"x","events":{"type":"EVENT_TYPE","items":["Not A Type"]},` + ok + `}`, `events.items: The event type: "Not A Type" is not a valid event type`},
		{"wrong events type", `{"name":"x","events":{"type":"FLOW","items":["user.lifecycle.create"]},` + ok + `}`, "events.type: The events type must be EVENT_TYPE"},
		{"own delivery events", `{"name":"x","events":{"type":"EVENT_TYPE","items":["event_hook.delivery"]},` + ok + `}`, "events.items: The event type: event_hook.delivery is not eligible for event hooks"},
		{"no uri", `{"name":"x",` + evs + `,"channel":{"type":"HTTP","version":"1.0.0","config":{}}}`, "channel.config.uri: The field cannot be left blank"},
		{"relative uri", `{"name":"x",` + evs + `,"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"/hook"}}}`, "channel.config.uri: The URI must be an absolute http or https URL"},
		{"ftp uri", `{"name":"x",` + evs + `,"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"ftp://h/x"}}}`, "channel.config.uri: The URI must be an absolute http or https URL"},
		{"wrong channel", `{"name":"x",` + evs + `,"channel":{"type":"SMTP","version":"2","config":{"uri":"https://h"}}}`, "channel.type: The channel type must be HTTP"},
		{"bad header", `{"name":"x",` + evs + `,"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"https://h","headers":[{"key":"Bad Header","value":"v"}]}}}`, `channel.config.headers: The header name: "Bad Header" is not valid`},
		{"bad auth", `{"name":"x",` + evs + `,"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"https://h","authScheme":{"type":"BASIC","key":"Authorization","value":"v"}}}}`, "channel.config.authScheme.type: The auth scheme type must be HEADER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks", Body: tt.body}), 400, "E0000001")
			if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks", Body: `{"name":`}), 400, "E0000003")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks", Body: `{"name":1}`}), 400, "E0000001")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks"}), 400, "E0000001")
	if n := e.countEvents("event_hook.created"); n != 0 {
		t.Errorf("%d create events, want 0 (refused creates log nothing)", n)
	}
}

func TestEventHookLifecycle(t *testing.T) {
	e := newEnv(t, "")
	id := createHook(t, e, hookBody("https://example.com/h", "user.lifecycle.create"))["id"].(string)
	path := "/api/v1/eventHooks/" + id
	wantError(t, e.do(req{Method: "DELETE", Path: path}), 403, "E0000056")
	h := obj(t, e.do(req{Method: "POST", Path: path + "/lifecycle/deactivate"}))
	if h["status"] != "INACTIVE" || h["_links"].(map[string]any)["activate"] == nil {
		t.Fatalf("deactivated %v", h)
	}
	obj(t, e.do(req{Method: "POST", Path: path + "/lifecycle/deactivate"}))
	if n := e.countEvents("event_hook.deactivated"); n != 1 {
		t.Errorf("%d deactivate events, want 1 (a no-op logs nothing)", n)
	}
	if h := obj(t, e.do(req{Method: "POST", Path: path + "/lifecycle/activate"})); h["status"] != "ACTIVE" {
		t.Fatalf("activated %v", h)
	}
	e.do(req{Method: "POST", Path: path + "/lifecycle/deactivate"})
	wantStatus(t, e.do(req{Method: "DELETE", Path: path}), http.StatusNoContent)
	wantError(t, e.do(req{Method: "GET", Path: path}), 404, "E0000007")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/eventHooks/nope"}), 404, "E0000007")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks/whoAAAAAAAAAAAAAAAAA/lifecycle/verify"}), 404, "E0000007")
	if e.countEvents("event_hook.deleted") != 1 || e.countEvents("event_hook.activated") != 1 {
		t.Error("lifecycle events missing")
	}
}

func TestEventHookVerifyDeliverAndReplace(t *testing.T) {
	e := newEnv(t, "")
	startDelivery(t, e)
	rc := newReceiver(t)
	id := createHook(t, e, hookBody(rc.URL, "user.lifecycle.create", "group.lifecycle.create"))["id"].(string)
	path := "/api/v1/eventHooks/" + id

	// Unverified hooks receive nothing.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Early","lastName":"Bird","email":"early@example.com","login":"early@example.com"}}`}), 200)

	rc.badVerify = true
	m := wantError(t, e.do(req{Method: "POST", Path: path + "/lifecycle/verify"}), 400, "E0000001")
	if !strings.Contains(fmt.Sprint(m["errorCauses"]), "verification") {
		t.Errorf("verify failure causes %v", m["errorCauses"])
	}
	rc.mu.Lock()
	rc.badVerify = false
	rc.mu.Unlock()
	if h := obj(t, e.do(req{Method: "POST", Path: path + "/lifecycle/verify"})); h["verificationStatus"] != "VERIFIED" {
		t.Fatalf("verified %v", h)
	}
	_, hs := rc.got()
	if v := hs[len(hs)-1]; v.Get("Authorization") != "my-shared-secret" || v.Get("X-Other-Header") != "my-header-value" {
		t.Errorf("verification request headers %v", v)
	}

	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users?activate=false", Body: `{"profile":{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","login":"ada@example.com"}}`}), 200)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"Engineers"}}`}), 200)
	var all []any
	eventually(t, "two delivered events", func() bool {
		ds, _ := rc.got()
		all = nil
		for _, d := range ds {
			all = append(all, d["data"].(map[string]any)["events"].([]any)...)
		}
		return len(all) >= 2
	})
	ds, hs := rc.got()
	d := ds[0]
	if d["eventType"] != "com.okta.event_hook" || d["eventTypeVersion"] != "1.0" || d["cloudEventsVersion"] != "0.1" ||
		d["contentType"] != "application/json" || d["eventId"] == "" || d["source"] != "http://example.com/api/v1/eventHooks/"+id {
		t.Errorf("payload envelope %v", d)
	}
	var types []string
	for _, ev := range all {
		ev := ev.(map[string]any)
		types = append(types, ev["eventType"].(string))
		if ev["uuid"] == "" || ev["published"] == "" || ev["actor"] == nil || ev["target"] == nil {
			t.Errorf("delivered event is not a LogEvent: %v", ev)
		}
	}
	if strings.Join(types, ",") != "user.lifecycle.create,group.lifecycle.create" {
		t.Errorf("delivered %v, want the user and group created after verification, in order, nothing else", types)
	}
	if last := hs[len(hs)-1]; last.Get("Authorization") != "my-shared-secret" || last.Get("Content-Type") != "application/json" {
		t.Errorf("delivery headers %v", last)
	}

	// A replace without the write-only secret keeps it; a new URI must be verified again.
	body := strings.Replace(hookBody(rc.URL, "user.lifecycle.create"), `,"value":"my-shared-secret"`, "", 1)
	if h := obj(t, e.do(req{Method: "PUT", Path: path, Body: body})); h["verificationStatus"] != "VERIFIED" {
		t.Errorf("same channel: %v, want still VERIFIED", h["verificationStatus"])
	}
	if h := obj(t, e.do(req{Method: "PUT", Path: path, Body: hookBody(rc.URL+"/other", "user.lifecycle.create")})); h["verificationStatus"] != "UNVERIFIED" {
		t.Errorf("new uri: %v, want UNVERIFIED", h["verificationStatus"])
	}
}

func TestEventHookRetriesAndFailures(t *testing.T) {
	e := newEnv(t, "")
	startDelivery(t, e)
	rc := newReceiver(t)
	id := createHook(t, e, hookBody(rc.URL, "group.lifecycle.create"))["id"].(string)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks/" + id + "/lifecycle/verify"}), 200)
	group := func(name string) {
		wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"` + name + `"}}`}), 200)
	}

	// A 500 is retried once: the batch arrives, and no failure is logged.
	rc.mu.Lock()
	rc.fail = []int{500}
	rc.mu.Unlock()
	group("retried")
	eventually(t, "the retried delivery", func() bool { ds, _ := rc.got(); return len(ds) == 1 })
	if n := e.countEvents("event_hook.delivery"); n != 0 {
		t.Errorf("%d delivery failures logged after a successful retry", n)
	}

	// A 400 is not retried: the batch is dropped and the failure logged.
	rc.mu.Lock()
	rc.fail = []int{400, 200}
	rc.mu.Unlock()
	group("refused")
	eventually(t, "the failure event", func() bool { return e.countEvents("event_hook.delivery") == 1 })
	ev := e.lastEvent("event_hook.delivery")
	if o := ev["outcome"].(map[string]any); o["result"] != "FAILURE" || !strings.Contains(o["reason"].(string), "400") {
		t.Errorf("failure outcome %v", o)
	}
	rc.mu.Lock()
	left := len(rc.fail)
	rc.mu.Unlock()
	if left != 1 {
		t.Errorf("a 4xx was retried (%d queued answers left, want 1)", left)
	}

	// A receiver that is down: a logged failure naming it, and nothing else breaks.
	rc.Close()
	group("unreachable")
	eventually(t, "the second failure event", func() bool { return e.countEvents("event_hook.delivery") == 2 })
	if o := e.lastEvent("event_hook.delivery")["outcome"].(map[string]any); !strings.Contains(o["reason"].(string), "could not be reached") {
		t.Errorf("failure outcome %v", o)
	}
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/groups?q=unreachable"}), 200)
}

// slowReceiver records every delivery attempt (eventId and the groups' names in it); when slow,
// it does not answer one holding a group named "slow-…" but holds the request until the sender
// gives up.
type slowReceiver struct {
	*httptest.Server
	slow     bool
	mu       sync.Mutex
	attempts []hookAttempt
}

type hookAttempt struct {
	eventID  string
	groups   []string
	answered bool
}

func newSlowReceiver(t *testing.T, slow bool) *slowReceiver {
	rc := &slowReceiver{slow: slow}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			json.NewEncoder(w).Encode(map[string]string{"verification": r.Header.Get("X-Okta-Verification-Challenge")})
			return
		}
		var p struct {
			EventID string
			Data    struct {
				Events []struct {
					Target []struct{ DisplayName string }
				}
			}
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			t.Errorf("delivery body: %v", err)
		}
		a := hookAttempt{eventID: p.EventID, answered: true}
		for _, ev := range p.Data.Events {
			for _, tg := range ev.Target {
				a.groups = append(a.groups, tg.DisplayName)
				a.answered = a.answered && !(rc.slow && strings.HasPrefix(tg.DisplayName, "slow-"))
			}
		}
		slow := !a.answered
		rc.mu.Lock()
		rc.attempts = append(rc.attempts, a)
		rc.mu.Unlock()
		if slow {
			// Past the sender's timeout: held until okapi drops the connection (or 10 s).
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *slowReceiver) got() []hookAttempt {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hookAttempt(nil), rc.attempts...)
}

// answered reports whether a delivery of group name was answered (the receiver took it).
func (rc *slowReceiver) answered(name string) bool {
	for _, a := range rc.got() {
		if a.answered && slices.Contains(a.groups, name) {
			return true
		}
	}
	return false
}

// TestEventHookSlowReceiver: a receiver that does not answer within the timeout gets one retry
// of the same batch (same eventId), after which the batch is dropped and logged as a failed
// event_hook.delivery; the hook's later events are delivered, and another hook's deliveries
// go on while the slow one waits. Source: "Timeout and retry" in Okta's event hooks concepts
// (https://developer.okta.com/docs/concepts/event-hooks/): 3 s, one retry, then dropped.
func TestEventHookSlowReceiver(t *testing.T) {
	e := newEnv(t, "")
	sender := hookdelivery.New()
	sender.Timeout = 500 * time.Millisecond
	startDeliveryWith(t, e, sender)
	slow, fast := newSlowReceiver(t, true), newSlowReceiver(t, false)
	for _, rc := range []*slowReceiver{slow, fast} {
		id := createHook(t, e, hookBody(rc.URL, "group.lifecycle.create"))["id"].(string)
		wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/eventHooks/" + id + "/lifecycle/verify"}), 200)
	}
	group := func(name string) {
		wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/groups", Body: `{"profile":{"name":"` + name + `"}}`}), 200)
	}

	group("slow-first")
	eventually(t, "the first attempt", func() bool { return len(slow.got()) == 1 })
	// While the slow hook waits, the other hook's next event is delivered.
	group("second")
	eventually(t, "the other hook's second event", func() bool { return fast.answered("second") })
	if n := e.countEvents("event_hook.delivery"); n != 0 {
		t.Errorf("the other hook waited for the slow one: %d failures logged before its delivery", n)
	}

	eventually(t, "the failure event", func() bool { return e.countEvents("event_hook.delivery") == 1 })
	as := slow.got()
	if len(as) < 2 || as[0].eventID != as[1].eventID || !slices.Equal(as[1].groups, []string{"slow-first"}) {
		t.Fatalf("attempts %+v, want the first batch twice under one eventId", as)
	}
	ev := e.lastEvent("event_hook.delivery")
	if o := ev["outcome"].(map[string]any); o["result"] != "FAILURE" || !strings.Contains(o["reason"].(string), "did not answer within 500ms") {
		t.Errorf("failure outcome %v", o)
	}

	// The hook's later events arrive, and the dropped batch is not sent again.
	group("third")
	eventually(t, "the slow hook's later events", func() bool { return slow.answered("second") && slow.answered("third") })
	for _, a := range slow.got()[2:] {
		if a.eventID == as[0].eventID || slices.Contains(a.groups, "slow-first") {
			t.Errorf("the failed batch was sent again: %+v", a)
		}
	}
	if n := e.countEvents("event_hook.delivery"); n != 1 {
		t.Errorf("%d delivery failures logged, want 1", n)
	}
}
