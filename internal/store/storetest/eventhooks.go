package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("EventHooks",
		check{"CreateGetListUpdateDelete", testEventHookRoundTrip},
		check{"DeliverableAreActiveAndVerifiedOfEveryOrg", testEventHookDeliverable},
		check{"LeaseIsExclusiveUntilItExpires", testEventHookLease},
		check{"OnlyTheLeaseHolderSavesProgress", testEventHookProgress},
	)
	// The OrgTables check: an org's hooks go with a reset, like the System Log they read.
	registerOrgFixture(map[string]int{"event_hooks": 0}, func(t *testing.T, s store.Store, org string) {
		createEventHook(t, s, org, eventHook("fixture", eventhook.StatusActive, eventhook.Verified), 0)
	})
}

func eventHook(name, status, verification string) eventhook.EventHook {
	desc := "about " + name
	return eventhook.EventHook{
		ID: domain.NewID(ids, eventhook.IDPrefix), Name: name, Description: &desc, Status: status,
		VerificationStatus: verification, Created: at(0), CreatedBy: "00uadmin", LastUpdated: at(1),
		Events: eventhook.Events{Type: "EVENT_TYPE", Items: []string{"user.lifecycle.create"}},
		Channel: eventhook.Channel{Type: "HTTP", Version: "1.0.0", Config: eventhook.Config{
			URI: "https://hooks.example.com/" + name, Method: "POST", Headers: []eventhook.Header{{Key: "X-A", Value: "1"}},
			AuthScheme: &eventhook.AuthScheme{Type: "HEADER", Key: "Authorization", Value: "secret"},
		}},
		Origin: "https://acme.okapi.test",
	}
}

func createEventHook(t *testing.T, s store.Store, org string, h eventhook.EventHook, cursor int64) {
	t.Helper()
	update(t, s, func(tx store.Tx) error { return tx.CreateEventHook(t.Context(), org, h, cursor) })
}

func testEventHookRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	a := eventHook("a", eventhook.StatusActive, eventhook.Unverified)
	b := eventHook("b", eventhook.StatusInactive, eventhook.Verified)
	b.Description = nil
	createEventHook(t, s, org.ID, a, 0)
	createEventHook(t, s, org.ID, b, 0)
	createEventHook(t, s, other.ID, eventHook("c", eventhook.StatusActive, eventhook.Verified), 0)
	got, err := s.GetEventHook(ctx, org.ID, a.ID)
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("GetEventHook = %#v, %v\nwant %#v", got, err, a)
	}
	list, err := s.ListEventHooks(ctx, org.ID)
	if err != nil || len(list) != 2 || list[0].ID > list[1].ID {
		t.Fatalf("ListEventHooks = %d hooks, %v; want this org's 2, by id", len(list), err)
	}
	a.Name, a.Status, a.Channel.Config.URI = "renamed", eventhook.StatusInactive, "https://elsewhere.example.com"
	update(t, s, func(tx store.Tx) error { return tx.UpdateEventHook(ctx, org.ID, a) })
	if got, _ := s.GetEventHook(ctx, org.ID, a.ID); !reflect.DeepEqual(got, a) {
		t.Errorf("after UpdateEventHook: %#v\nwant %#v", got, a)
	}
	_, err = s.GetEventHook(ctx, other.ID, a.ID)
	wantNotFound(t, err, a.ID, "EventHook")
	update(t, s, func(tx store.Tx) error { return tx.DeleteEventHook(ctx, org.ID, a.ID) })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteEventHook(ctx, org.ID, a.ID) })
	wantNotFound(t, err, a.ID, "EventHook")
	err = s.Update(ctx, func(tx store.Tx) error { return tx.UpdateEventHook(ctx, org.ID, a) })
	wantNotFound(t, err, a.ID, "EventHook")
}

func testEventHookDeliverable(t *testing.T, s store.Store) {
	org, other := newOrg(t, s), newOrg(t, s)
	yes1 := eventHook("yes1", eventhook.StatusActive, eventhook.Verified)
	yes2 := eventHook("yes2", eventhook.StatusActive, eventhook.Verified)
	createEventHook(t, s, org.ID, yes1, 7)
	createEventHook(t, s, other.ID, yes2, 9)
	createEventHook(t, s, org.ID, eventHook("unverified", eventhook.StatusActive, eventhook.Unverified), 0)
	createEventHook(t, s, org.ID, eventHook("inactive", eventhook.StatusInactive, eventhook.Verified), 0)
	all, err := s.ListDeliverableEventHooks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]store.HookDelivery{}
	for _, d := range all {
		found[d.Hook.ID] = d
		if d.Hook.Name == "unverified" || d.Hook.Name == "inactive" {
			t.Errorf("ListDeliverableEventHooks lists %s", d.Hook.Name)
		}
	}
	if d := found[yes1.ID]; d.OrgID != org.ID || d.Cursor != 7 || d.Hook.Channel.Config.AuthScheme.Value != "secret" {
		t.Errorf("deliverable %s = %+v, want org %s, cursor 7, secret kept", yes1.Name, d, org.ID)
	}
	if d := found[yes2.ID]; d.OrgID != other.ID || d.Cursor != 9 {
		t.Errorf("deliverable %s = %+v, want org %s, cursor 9", yes2.Name, d, other.ID)
	}
}

func claim(t *testing.T, s store.Store, org, id, owner string, now, until int64) bool {
	t.Helper()
	return claimAt(t, s, org, id, owner, 0, now, until)
}

func claimAt(t *testing.T, s store.Store, org, id, owner string, cursor, now, until int64) bool {
	t.Helper()
	var ok bool
	update(t, s, func(tx store.Tx) error {
		var err error
		ok, err = tx.ClaimEventHook(t.Context(), org, id, owner, cursor, now, until)
		return err
	})
	return ok
}

func testEventHookLease(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	h := eventHook("leased", eventhook.StatusActive, eventhook.Verified)
	createEventHook(t, s, org.ID, h, 0)
	if !claim(t, s, org.ID, h.ID, "one", 1000, 2000) {
		t.Fatal("a free lease was refused")
	}
	if claim(t, s, org.ID, h.ID, "two", 1500, 2500) {
		t.Fatal("another owner took a lease before it expired")
	}
	if !claim(t, s, org.ID, h.ID, "one", 1500, 3000) {
		t.Fatal("the holder could not renew its lease")
	}
	if !claim(t, s, org.ID, h.ID, "two", 3001, 4000) {
		t.Fatal("an expired lease was refused")
	}
	if claim(t, s, org.ID, "whonope", "one", 0, 1) {
		t.Fatal("a missing hook was claimed")
	}
	// A claim made on a stale read of the cursor fails: another instance delivered meanwhile.
	update(t, s, func(tx store.Tx) error { return tx.SaveEventHookDelivery(t.Context(), org.ID, h.ID, "two", 5, "", 0) })
	if claimAt(t, s, org.ID, h.ID, "two", 0, 3500, 4500) {
		t.Fatal("a claim with a stale cursor succeeded")
	}
	if !claimAt(t, s, org.ID, h.ID, "two", 5, 3500, 4500) {
		t.Fatal("a claim with the current cursor failed")
	}
}

func testEventHookProgress(t *testing.T, s store.Store) {
	ctx := t.Context()
	org := newOrg(t, s)
	h := eventHook("progress", eventhook.StatusActive, eventhook.Verified)
	createEventHook(t, s, org.ID, h, 3)
	if !claimAt(t, s, org.ID, h.ID, "one", 3, 0, 1000) {
		t.Fatal("claim failed")
	}
	update(t, s, func(tx store.Tx) error { return tx.SaveEventHookDelivery(ctx, org.ID, h.ID, "one", 3, "evt-1", 10) })
	err := s.Update(ctx, func(tx store.Tx) error { return tx.SaveEventHookDelivery(ctx, org.ID, h.ID, "two", 99, "", 0) })
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("SaveEventHookDelivery by a non-holder = %v, want store.ErrStale", err)
	}
	d := deliverable(t, s, h.ID)
	if d.Cursor != 3 || d.PendingEventID != "evt-1" || d.PendingTo != 10 {
		t.Fatalf("delivery state = %+v, want cursor 3, batch evt-1 up to 10", d)
	}
	update(t, s, func(tx store.Tx) error { return tx.ResetEventHookCursor(ctx, org.ID, h.ID, 42) })
	if d := deliverable(t, s, h.ID); d.Cursor != 42 || d.PendingEventID != "" || d.PendingTo != 0 {
		t.Fatalf("after ResetEventHookCursor: %+v, want cursor 42 and nothing in flight", d)
	}
	// Updating the hook's fields leaves the delivery state alone.
	h.Name = "renamed"
	update(t, s, func(tx store.Tx) error { return tx.UpdateEventHook(ctx, org.ID, h) })
	if d := deliverable(t, s, h.ID); d.Cursor != 42 {
		t.Fatalf("UpdateEventHook moved the cursor: %+v", d)
	}
}

func deliverable(t *testing.T, s store.Store, id string) store.HookDelivery {
	t.Helper()
	all, err := s.ListDeliverableEventHooks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		if d.Hook.ID == id {
			return d
		}
	}
	t.Fatalf("hook %s is not deliverable", id)
	return store.HookDelivery{}
}
