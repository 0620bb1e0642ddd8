package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// TestEventHookSurvivesSIGKILL: an event whose delivery is in flight when okapi is killed
// (SIGKILL, no shutdown) is delivered after a restart, under the same eventId, so a receiver
// that deduplicates by eventId sees each event exactly once.
func TestEventHookSurvivesSIGKILL(t *testing.T) {
	var mu sync.Mutex
	var bodies []map[string]any
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	hang := true
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			json.NewEncoder(w).Encode(map[string]string{"verification": r.Header.Get("X-Okta-Verification-Challenge")})
			return
		}
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &m)
		mu.Lock()
		bodies = append(bodies, m)
		h := hang
		hang = false
		mu.Unlock()
		arrived <- struct{}{}
		if h {
			// Hold the first delivery until the test has killed okapi.
			select {
			case <-release:
			case <-time.After(20 * time.Second):
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer rc.Close()
	defer close(release)

	dir := t.TempDir()
	env := []string{"OKAPI_BOOTSTRAP_TOKEN=" + bootstrap}
	p := serve(t, env, "--http", "--data-dir", dir)
	call := func(base, method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "SSWS "+bootstrap)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, m)
		}
		return m
	}
	base := p.url.String()
	h := call(base, "POST", "/api/v1/eventHooks", fmt.Sprintf(`{"name":"crash","events":{"type":"EVENT_TYPE","items":["user.lifecycle.create"]},
		"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":%q}}}`, rc.URL))
	call(base, "POST", "/api/v1/eventHooks/"+h["id"].(string)+"/lifecycle/verify", "")
	call(base, "POST", "/api/v1/users?activate=false", `{"profile":{"firstName":"Kill","lastName":"Nine","email":"k9@example.com","login":"k9@example.com"}}`)

	select {
	case <-arrived:
	case <-time.After(15 * time.Second):
		t.Fatalf("no delivery arrived\n%s", p.logs)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.done

	// The same data dir, a new process: it takes the hook over once the dead one's lease ends.
	p2 := serve(t, env, "--http", "--data-dir", dir)
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatalf("the batch in flight at the kill was not delivered after restart\n%s", p2.logs)
	}
	call(p2.url.String(), "POST", "/api/v1/users?activate=false", `{"profile":{"firstName":"After","lastName":"Restart","email":"ar@example.com","login":"ar@example.com"}}`)
	select {
	case <-arrived:
	case <-time.After(15 * time.Second):
		t.Fatalf("a later event was not delivered\n%s", p2.logs)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 3 || bodies[0]["eventId"] != bodies[1]["eventId"] || bodies[1]["eventId"] == bodies[2]["eventId"] {
		t.Fatalf("deliveries %d, eventIds %v %v %v: want the interrupted batch sent again under its eventId, then a new one",
			len(bodies), bodies[0]["eventId"], bodies[1]["eventId"], bodies[len(bodies)-1]["eventId"])
	}
	seen := map[string]int{}
	for _, b := range dedupe(bodies) {
		for _, ev := range b["data"].(map[string]any)["events"].([]any) {
			seen[ev.(map[string]any)["uuid"].(string)]++
		}
	}
	if len(seen) != 2 {
		t.Errorf("after deduplication by eventId the receiver saw %d distinct events, want 2: %v", len(seen), seen)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s seen %d times after deduplication", id, n)
		}
	}
}

// dedupe keeps the first request of each eventId, as Okta tells receivers to.
func dedupe(bodies []map[string]any) []map[string]any {
	var out []map[string]any
	ids := map[any]bool{}
	for _, b := range bodies {
		if !ids[b["eventId"]] {
			ids[b["eventId"]] = true
			out = append(out, b)
		}
	}
	return out
}

// TestEventHookSDK drives the Event Hooks API with the official v5 SDK: its models decode
// okapi's answers, and the secret never comes back.
func TestEventHookSDK(t *testing.T) {
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"verification": r.Header.Get("X-Okta-Verification-Challenge")})
	}))
	defer rc.Close()
	p := serve(t, []string{"OKAPI_BOOTSTRAP_TOKEN=" + bootstrap}, "--http", "--data-dir", t.TempDir())
	client, cfg := sdk(t, p, bootstrap, nil)
	conf := okta.NewEventHookChannelConfig(rc.URL)
	auth := okta.NewEventHookChannelConfigAuthScheme()
	auth.SetType("HEADER")
	auth.SetKey("Authorization")
	auth.SetValue("sdk-secret")
	conf.SetAuthScheme(*auth)
	hook := okta.NewEventHook(*okta.NewEventHookChannel(*conf, "HTTP", "1.0.0"),
		*okta.NewEventSubscriptions([]string{"user.lifecycle.create"}, "EVENT_TYPE"), "sdk hook")
	created, _, err := client.EventHookAPI.CreateEventHook(cfg.Context).EventHook(*hook).Execute()
	if err != nil {
		t.Fatalf("CreateEventHook: %v", err)
	}
	if created.GetStatus() != "ACTIVE" || created.GetVerificationStatus() != "UNVERIFIED" || created.Channel.Config.AuthScheme.GetValue() != "" {
		t.Fatalf("created %+v", created)
	}
	id := created.GetId()
	verified, _, err := client.EventHookAPI.VerifyEventHook(cfg.Context, id).Execute()
	if err != nil || verified.GetVerificationStatus() != "VERIFIED" {
		t.Fatalf("VerifyEventHook: %v %+v", err, verified)
	}
	list, _, err := client.EventHookAPI.ListEventHooks(cfg.Context).Execute()
	if err != nil || len(list) != 1 || list[0].GetId() != id {
		t.Fatalf("ListEventHooks: %v %d", err, len(list))
	}
	if _, _, err := client.EventHookAPI.DeactivateEventHook(cfg.Context, id).Execute(); err != nil {
		t.Fatalf("DeactivateEventHook: %v", err)
	}
	if _, err := client.EventHookAPI.DeleteEventHook(cfg.Context, id).Execute(); err != nil {
		t.Fatalf("DeleteEventHook: %v", err)
	}
	if _, resp, err := client.EventHookAPI.GetEventHook(cfg.Context, id).Execute(); err == nil || resp.StatusCode != 404 {
		t.Fatalf("GetEventHook after delete: %v %v", err, resp)
	}
}
