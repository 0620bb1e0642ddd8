package storetest

import (
	"errors"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Logs",
		check{"AppendAdvancesLatestSeqPerOrg", testLogAppend},
		check{"RolledBackAppendLeavesNoEvent", testLogRollback},
	)
}

func testLogAppend(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	ctx := t.Context()
	if seq, err := s.LatestLogSeq(ctx, a.ID); err != nil || seq != 0 {
		t.Fatalf("LatestLogSeq of a new org = %d, %v; want 0", seq, err)
	}
	target := domain.LogTarget{ID: "00u1", Type: "User", AlternateID: "x@example.com", DisplayName: "X"}
	update(t, s, func(tx store.Tx) error {
		return tx.AppendEvents(ctx, a.ID, event("a.one", target), event("a.two"), event("a.three", target, target))
	})
	first, err := s.LatestLogSeq(ctx, a.ID)
	if err != nil || first < 3 {
		t.Fatalf("LatestLogSeq after 3 events = %d, %v", first, err)
	}
	update(t, s, func(tx store.Tx) error { return tx.AppendEvents(ctx, b.ID, event("b.one")) })
	update(t, s, func(tx store.Tx) error { return tx.AppendEvents(ctx, a.ID, event("a.four")) })
	second, _ := s.LatestLogSeq(ctx, a.ID)
	if second <= first {
		t.Errorf("LatestLogSeq went from %d to %d after another append", first, second)
	}
	if seqB, _ := s.LatestLogSeq(ctx, b.ID); seqB == 0 {
		t.Errorf("LatestLogSeq of b = 0 after an append")
	}
	// Appending nothing is allowed and changes nothing.
	update(t, s, func(tx store.Tx) error { return tx.AppendEvents(ctx, a.ID) })
	if seq, _ := s.LatestLogSeq(ctx, a.ID); seq != second {
		t.Errorf("empty append moved LatestLogSeq to %d", seq)
	}
}

func testLogRollback(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	ctx := t.Context()
	update(t, s, func(tx store.Tx) error { return tx.AppendEvents(ctx, org.ID, event("kept")) })
	before, _ := s.LatestLogSeq(ctx, org.ID)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.AppendEvents(ctx, org.ID, event("lost"), event("lost")); err != nil {
			return err
		}
		if seq, err := tx.LatestLogSeq(ctx, org.ID); err != nil || seq <= before {
			t.Errorf("inside the transaction LatestLogSeq = %d, %v; want > %d", seq, err, before)
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if seq, _ := s.LatestLogSeq(ctx, org.ID); seq != before {
		t.Errorf("rolled-back events are visible: latest seq %d, want %d", seq, before)
	}
}
