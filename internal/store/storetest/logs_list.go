package storetest

import (
	"slices"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Logs",
		check{"ListEventsInCommitOrderAndPages", testLogList},
		check{"ListEventsByPublishedWithinBounds", testLogListPublished},
		check{"ListEventsKeywordsMatchWholeWords", testLogKeywords},
		check{"PurgeEventsOldestFirstAcrossOrgs", testLogPurge},
	)
}

// appendAt appends one event per type, published at the given second, in one transaction.
func appendAt(t *testing.T, s store.Store, org string, second int64, types ...string) []domain.LogEvent {
	t.Helper()
	evs := make([]domain.LogEvent, len(types))
	for i, typ := range types {
		evs[i] = event(typ, domain.LogTarget{ID: "00u" + typ, Type: "User", AlternateID: typ + "@example.com", DisplayName: "T " + typ})
		evs[i].Published = at(second)
	}
	update(t, s, func(tx store.Tx) error { return tx.AppendEvents(t.Context(), org, evs...) })
	return evs
}

func eventTypes(evs []domain.LogEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventType
	}
	return out
}

func listEvents(t *testing.T, s store.Store, org string, q store.LogQuery) []domain.LogEvent {
	t.Helper()
	evs, err := s.ListEvents(t.Context(), org, q)
	if err != nil {
		t.Fatalf("ListEvents(%+v): %v", q, err)
	}
	return evs
}

func testLogList(t *testing.T, s store.Store) {
	org, other := newOrg(t, s), newOrg(t, s)
	first := appendAt(t, s, org.ID, 30, "e1", "e2")
	appendAt(t, s, other.ID, 10, "other")
	appendAt(t, s, org.ID, 10, "e3") // published earlier, committed later
	appendAt(t, s, org.ID, 20, "e4", "e5")

	all := listEvents(t, s, org.ID, store.LogQuery{Limit: 100})
	if got, want := eventTypes(all), []string{"e1", "e2", "e3", "e4", "e5"}; !slices.Equal(got, want) {
		t.Fatalf("ListEvents by seq = %q, want commit order %q", got, want)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Errorf("seqs not increasing: %d then %d", all[i-1].Seq, all[i].Seq)
		}
	}
	got := all[0]
	if got.UUID != first[0].UUID || !got.Published.Equal(first[0].Published.Time) || len(got.Target) != 1 ||
		got.Target[0] != first[0].Target[0] || got.Actor != first[0].Actor || got.DisplayMessage != first[0].DisplayMessage {
		t.Errorf("stored event =\n%+v\nwant\n%+v", got, first[0])
	}
	if latest, _ := s.LatestLogSeq(t.Context(), org.ID); latest != all[len(all)-1].Seq {
		t.Errorf("LatestLogSeq = %d, last listed seq %d", latest, all[len(all)-1].Seq)
	}

	// Paging by AfterSeq, both ways, skips and repeats nothing.
	for _, desc := range []bool{false, true} {
		var paged []string
		q := store.LogQuery{Limit: 2, Descending: desc}
		for range 10 {
			page := listEvents(t, s, org.ID, q)
			if len(page) == 0 {
				break
			}
			paged = append(paged, eventTypes(page)...)
			q.AfterSeq = page[len(page)-1].Seq
		}
		want := eventTypes(all)
		if desc {
			slices.Reverse(want)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("paged (descending %v) = %q, want %q", desc, paged, want)
		}
	}
}

func testLogListPublished(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	appendAt(t, s, org.ID, 30, "p30a", "p30b")
	appendAt(t, s, org.ID, 10, "p10")
	appendAt(t, s, org.ID, 20, "p20")
	appendAt(t, s, org.ID, 40, "p40")

	q := store.LogQuery{ByPublished: true, Since: at(10).Millis() + 1, Until: at(40).Millis(), Limit: 100}
	if got, want := eventTypes(listEvents(t, s, org.ID, q)), []string{"p20", "p30a", "p30b"}; !slices.Equal(got, want) {
		t.Errorf("since (exclusive of 10s) until 40s = %q, want %q", got, want)
	}
	// Keyset paging by (published, seq), through events sharing a published time.
	for _, desc := range []bool{false, true} {
		var paged []string
		q := store.LogQuery{ByPublished: true, Descending: desc, Limit: 1}
		for range 10 {
			page := listEvents(t, s, org.ID, q)
			if len(page) == 0 {
				break
			}
			paged = append(paged, eventTypes(page)...)
			q.AfterSeq, q.AfterPublished = page[0].Seq, page[0].Published.Millis()
		}
		want := []string{"p10", "p20", "p30a", "p30b", "p40"}
		if desc {
			slices.Reverse(want)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("paged by published (descending %v) = %q, want %q", desc, paged, want)
		}
	}
}

func testLogKeywords(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	update(t, s, func(tx store.Tx) error {
		a := event("user.lifecycle.suspend", domain.LogTarget{ID: "00uk1", Type: "User", AlternateID: "ann@example.com", DisplayName: "Ann Smith"})
		b := event("user.lifecycle.activate", domain.LogTarget{ID: "00uk2", Type: "User", AlternateID: "bob@example.com", DisplayName: "Bob Smithson"})
		return tx.AppendEvents(t.Context(), org.ID, a, b)
	})
	for _, tc := range []struct {
		keywords []string
		want     []string
	}{
		{[]string{"smith"}, []string{"user.lifecycle.suspend"}},
		{[]string{"smithson"}, []string{"user.lifecycle.activate"}},
		{[]string{"smi"}, nil},
		{[]string{"user"}, []string{"user.lifecycle.suspend", "user.lifecycle.activate"}},
		{[]string{"user", "bob@example.com"}, []string{"user.lifecycle.activate"}},
	} {
		got := eventTypes(listEvents(t, s, org.ID, store.LogQuery{Keywords: tc.keywords, Limit: 10}))
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("keywords %q = %q, want %q", tc.keywords, got, tc.want)
		}
	}
}

func testLogPurge(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	// Far in the past, so the other checks' events (published around t0) are not touched.
	old := func(org string, second int64, typ string) {
		ev := event(typ)
		ev.Published = domain.FromMillis(1_000_000 + second*1000)
		update(t, s, func(tx store.Tx) error { return tx.AppendEvents(t.Context(), org, ev) })
	}
	old(a.ID, 3, "a3")
	old(b.ID, 1, "b1")
	old(a.ID, 2, "a2")
	old(b.ID, 50, "b50")
	before := int64(1_000_000 + 10*1000)
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.PurgeEvents(t.Context(), before, 2)
		return err
	})
	if n != 2 {
		t.Fatalf("first purge deleted %d, want the limit 2", n)
	}
	// Oldest first: b1 and a2 went, a3 (older than the cut, over the limit) stayed.
	if got := eventTypes(listEvents(t, s, a.ID, store.LogQuery{Limit: 10})); !slices.Equal(got, []string{"a3"}) {
		t.Errorf("org a after purge = %q, want [a3]", got)
	}
	if got := eventTypes(listEvents(t, s, b.ID, store.LogQuery{Limit: 10})); !slices.Equal(got, []string{"b50"}) {
		t.Errorf("org b after purge = %q, want [b50]", got)
	}
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.PurgeEvents(t.Context(), before, 100)
		return err
	})
	if n != 1 {
		t.Errorf("second purge deleted %d, want 1", n)
	}
}
