package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// TestGroupCommitKeepsEachTransactionAtomic: concurrent write transactions that share a
// commit (sqlstore's group commit) still succeed or fail one by one: a fn that errors or
// panics after writing leaves nothing behind and gets its own error or panic back, a fn whose
// caller gave up never runs, a later fn sees an earlier one's writes (a duplicate login is
// refused), and every other write is committed. It also checks that writes were grouped.
func TestGroupCommitKeepsEachTransactionAtomic(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org := domain.Org{ID: "00ogroupcommit000001", Name: "gc", Created: domain.At(time.Now())}
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
		t.Fatal(err)
	}
	user := func(i int, login string) domain.User {
		return domain.User{ID: fmt.Sprintf("00ugroupcommit%06d", i), Status: domain.StatusStaged,
			Created: domain.At(time.Now()), LastUpdated: domain.At(time.Now()), TypeID: "otygroupcommit000001",
			Profile: map[string]any{"login": login}, Provider: domain.Provider{Type: "OKTA", Name: "OKTA"}}
	}
	errRefused := errors.New("refused after writing")
	const n = 120
	type outcome struct {
		err      error
		panicked any
	}
	out := make([]outcome, n)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { out[i].panicked = recover() }()
			start.Wait()
			c := ctx
			if i%11 == 10 {
				c = canceled
			}
			login := fmt.Sprintf("u%d@example.com", i)
			if i%13 == 12 {
				login = "dup@example.com" // several of these: exactly one may win
			}
			out[i].err = db.Update(c, func(tx store.Tx) error {
				if err := tx.CreateUser(c, org.ID, user(i, login)); err != nil {
					return err
				}
				time.Sleep(200 * time.Microsecond) // let the queue fill behind this batch
				switch {
				case i%5 == 4:
					return errRefused
				case i%7 == 6:
					panic(fmt.Sprintf("panic %d", i))
				}
				return nil
			})
		}()
	}
	start.Done()
	wg.Wait()

	dupWinners := 0
	for i, o := range out {
		_, getErr := db.GetUser(ctx, org.ID, fmt.Sprintf("00ugroupcommit%06d", i))
		stored := getErr == nil
		switch {
		case i%11 == 10:
			if !errors.Is(o.err, context.Canceled) || stored {
				t.Errorf("fn %d with a canceled context: err %v, stored %v", i, o.err, stored)
			}
		case i%5 == 4:
			if !errors.Is(o.err, errRefused) && !isConflict(o.err) || stored {
				t.Errorf("fn %d that failed: err %v, stored %v", i, o.err, stored)
			}
		case i%7 == 6:
			if o.panicked == nil && !isConflict(o.err) || stored {
				t.Errorf("fn %d that panicked: recovered %v, err %v, stored %v", i, o.panicked, o.err, stored)
			}
		case i%13 == 12:
			if o.err == nil && stored {
				dupWinners++
			} else if !isConflict(o.err) || stored {
				t.Errorf("fn %d with the shared login: err %v, stored %v", i, o.err, stored)
			}
		default:
			if o.err != nil || o.panicked != nil || !stored {
				t.Errorf("fn %d: err %v, panic %v, stored %v", i, o.err, o.panicked, stored)
			}
		}
	}
	if dupWinners != 1 {
		t.Errorf("%d creates of the shared login succeeded, want exactly 1", dupWinners)
	}
	batches, ops := db.GroupCommitStats()
	if ops <= batches {
		t.Errorf("%d write transactions in %d commits: nothing was grouped", ops, batches)
	}
	t.Logf("%d write transactions in %d commits", ops, batches)
}

func isConflict(err error) bool {
	var ce *store.ConflictError
	return errors.As(err, &ce)
}
