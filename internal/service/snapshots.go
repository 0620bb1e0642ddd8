package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// SeedSnapshot is the snapshot a seed load saves, which a reset "to seed" restores.
const SeedSnapshot = "seed"

// validSnapshotName accepts 1 to 64 letters, digits, '.', '_' and '-'.
func validSnapshotName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// SaveSnapshot saves the org called orgName as snapshot snap (replacing one of that name): every
// user, group, membership, token, trusted origin, zone and System Log event, read in one
// transaction so the copy is consistent.
func (s *Service) SaveSnapshot(ctx context.Context, orgName, snap string) (store.Snapshot, error) {
	if !validSnapshotName(snap) {
		return store.Snapshot{}, domain.Validation("name", "name: must be 1 to 64 letters, digits, '.', '_' or '-'")
	}
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return store.Snapshot{}, err
	}
	now := s.nowIn(org.ID)
	err = s.update(ctx, func(tx store.Tx) error { return tx.SaveSnapshot(ctx, org.ID, snap, now) })
	return store.Snapshot{Name: snap, Created: now}, err
}

// ListSnapshots lists the snapshots of the org called orgName.
func (s *Service) ListSnapshots(ctx context.Context, orgName string) ([]store.Snapshot, error) {
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return nil, err
	}
	return s.Store.ListSnapshots(ctx, org.ID)
}

// DeleteSnapshot deletes one snapshot; unknown is 404.
func (s *Service) DeleteSnapshot(ctx context.Context, orgName, snap string) error {
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error { return tx.DeleteSnapshot(ctx, org.ID, snap) })
}

// RestoreSnapshot puts the org back exactly as snapshot snap saved it, in one transaction: if
// anything fails the org stays as it was.
func (s *Service) RestoreSnapshot(ctx context.Context, orgName, snap string) error {
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.RestoreSnapshot(ctx, org.ID, snap); err != nil {
			return err
		}
		// A snapshot saved before okapi had the Okta Administrators group gets it back.
		return s.ensureAdminsGroup(ctx, tx, org.ID, s.nowIn(org.ID))
	})
	s.forgetOrgState(org.ID)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return domain.NewError(http.StatusConflict, domain.CodeBadRequest,
			"The request was not valid: the snapshot's "+ce.Field+" clash with another org's (an API token secret reused elsewhere?)")
	}
	return err
}

// ResetOrg empties the org called orgName: what a new org has (the BUILT_IN groups, the users
// who own API tokens, the tokens themselves, system zones) stays and the rest goes, System Log
// included. With toSeed the org goes back to its seed instead (the snapshot its last seed load
// saved).
func (s *Service) ResetOrg(ctx context.Context, orgName string, toSeed bool) error {
	if toSeed {
		err := s.RestoreSnapshot(ctx, orgName, SeedSnapshot)
		if errors.Is(err, domain.ErrNotFound) {
			if _, orgErr := s.OrgByName(ctx, orgName); orgErr != nil {
				return orgErr
			}
			return domain.Validation("to", "to: org "+orgName+" has no seed loaded")
		}
		return err
	}
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.ResetOrg(ctx, org.ID); err != nil {
			return err
		}
		// The kept token owners are admins again only through their own roles (the groups
		// that held roles are gone); an org from before the group existed gets it.
		if err := s.ensureAdminsGroup(ctx, tx, org.ID, s.nowIn(org.ID)); err != nil {
			return err
		}
		return s.resetPolicies(ctx, tx, org.ID)
	})
	s.forgetOrgState(org.ID)
	return err
}

// LoadSeed runs apply, a seed file's use cases, in the org called orgName inside one
// transaction: every service call apply makes joins it, so each item is validated exactly as
// the API validates it, and one bad item leaves the org untouched. The result is saved as the
// snapshot SeedSnapshot, for resets.
func (s *Service) LoadSeed(ctx context.Context, orgName string, apply func(ctx context.Context) error) error {
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return err
	}
	caller := &domain.Caller{OrgID: org.ID, Login: "okapi-seed", DisplayName: "okapi seed", RequestID: domain.CallerFrom(ctx).RequestID}
	ctx = domain.WithCaller(ctx, caller)
	defer s.grants.flush() // the writes of apply flushed before this commit
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := apply(withTx(ctx, tx)); err != nil {
			return err
		}
		return tx.SaveSnapshot(ctx, org.ID, SeedSnapshot, s.nowIn(org.ID))
	})
	s.forgetOrgState(org.ID)
	return err
}

// forgetOrgState drops what this instance keeps in memory about an org whose content was just
// replaced (restore, reset, seed): its zone snapshot and its cached tokens. It runs after the
// transaction, like RevokeToken's drop, and bumps the token cache's generation so a lookup
// racing the change cannot cache a removed token again.
func (s *Service) forgetOrgState(orgID string) {
	s.zones.invalidate(orgID)
	s.auth.dropOrg(orgID)
}
