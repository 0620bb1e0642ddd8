package service

import (
	"context"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// EnsureServerSetting returns the server setting stored under name (store.ServerSettingReader),
// storing newValue()'s first when there is none. Instances that start together on one database
// agree on one value: the loser of the insert reads the winner's. Settings are server-wide, not
// an org's change, so no System Log event is written.
func (s *Service) EnsureServerSetting(ctx context.Context, name string, newValue func() (string, error)) (string, error) {
	v, err := s.Store.ServerSetting(ctx, name)
	if !errors.Is(err, domain.ErrNotFound) {
		return v, err
	}
	v, err = newValue()
	if err != nil {
		return "", err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error { return tx.CreateServerSetting(ctx, name, v) })
	if errors.Is(err, store.ErrConflict) {
		return s.Store.ServerSetting(ctx, name)
	}
	return v, err
}
