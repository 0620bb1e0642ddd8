package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testEventHooks registers an event hook through one instance, verifies it through the other,
// and writes through both: every subscribed event reaches the receiver exactly once (the
// delivery leases in the database make one instance at a time serve the hook) and no eventId is
// sent twice.
func (c *cluster) testEventHooks(t *testing.T) {
	var mu sync.Mutex
	eventIDs := map[string]int{}
	uuids := map[string]int{}
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			json.NewEncoder(w).Encode(map[string]string{"verification": r.Header.Get("X-Okta-Verification-Challenge")})
			return
		}
		var p struct {
			EventID string
			Data    struct {
				Events []struct{ UUID, EventType string }
			}
		}
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &p)
		mu.Lock()
		eventIDs[p.EventID]++
		for _, e := range p.Data.Events {
			if e.EventType == "group.lifecycle.create" {
				uuids[e.UUID]++
			}
		}
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer rc.Close()
	ctx := t.Context()
	r, err := c.admin.do(ctx, "POST", c.on(0)+"/api/v1/eventHooks", map[string]any{
		"name":    "cluster",
		"events":  map[string]any{"type": "EVENT_TYPE", "items": []string{"group.lifecycle.create"}},
		"channel": map[string]any{"type": "HTTP", "version": "1.0.0", "config": map[string]any{"uri": rc.URL}},
	})
	if err != nil || r.status != 200 {
		t.Fatalf("create hook: %v %v", r, err)
	}
	var h struct{ ID string }
	r.decode(&h)
	if r, err := c.admin.do(ctx, "POST", c.on(1)+"/api/v1/eventHooks/"+h.ID+"/lifecycle/verify", nil); err != nil || r.status != 200 {
		t.Fatalf("verify hook: %v %v", r, err)
	}
	const groups = 30
	errs := parallel(groups, func(i int) error {
		r, err := c.admin.do(ctx, "POST", c.on(i)+"/api/v1/groups", map[string]any{"profile": map[string]any{"name": fmt.Sprintf("hooked-%d", i)}})
		if err == nil && r.status != 200 {
			err = fmt.Errorf("create group: %v", r)
		}
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(uuids)
		mu.Unlock()
		if n >= groups || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a duplicate, if any, would arrive now
	mu.Lock()
	defer mu.Unlock()
	if len(uuids) != groups {
		t.Fatalf("the receiver got %d of %d group events", len(uuids), groups)
	}
	for id, n := range uuids {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	for id, n := range eventIDs {
		if n != 1 {
			t.Errorf("eventId %s sent %d times", id, n)
		}
	}
	c.admin.do(ctx, "POST", c.on(0)+"/api/v1/eventHooks/"+h.ID+"/lifecycle/deactivate", nil)
}
