package service_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
)

// TestEnsureServerSettingOneValue: concurrent callers (instances starting together on one
// database) all get the one value that was stored, and later callers never make a new one.
func TestEnsureServerSettingOneValue(t *testing.T) {
	for name, open := range storeBackends() {
		t.Run(name, func(t *testing.T) {
			svc := service.New(open(t), domain.SystemClock{}, nil, nil)
			var wg sync.WaitGroup
			got := make([]string, 6)
			for i := range got {
				wg.Go(func() {
					v, err := svc.EnsureServerSetting(t.Context(), "test_setting", func() (string, error) { return string(rune('a' + i)), nil })
					if err != nil {
						t.Error(err)
					}
					got[i] = v
				})
			}
			wg.Wait()
			for _, v := range got {
				if v != got[0] || v == "" {
					t.Fatalf("callers got different values: %q", got)
				}
			}
			v, err := svc.EnsureServerSetting(t.Context(), "test_setting", func() (string, error) { return "", errors.New("called") })
			if err != nil || v != got[0] {
				t.Errorf("later call = %q, %v; want %q without making a new value", v, err, got[0])
			}
			if _, err := svc.EnsureServerSetting(t.Context(), "other", func() (string, error) { return "", store.ErrStale }); !errors.Is(err, store.ErrStale) {
				t.Errorf("newValue's error = %v, want it returned", err)
			}
		})
	}
}
