package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// orgDirectory caches org lookups by name. Every request on a per-org host resolves its org, and
// orgs are created rarely and deleted more rarely still, so a hit costs a map read; DeleteOrg
// drops the entry. Misses are not cached, so an org created by another instance is found, and
// entries expire after orgCacheTTL, so an org another instance deleted and created again under
// the same name is seen here soon after.
type orgDirectory struct {
	byName sync.Map // name -> cachedOrg
}

type cachedOrg struct {
	org    domain.Org
	loaded time.Time
}

// orgCacheTTL bounds how long another instance's delete of an org goes unseen.
const orgCacheTTL = 10 * time.Second

// OrgByName returns the org called name, from the cache when it can; an unknown name is
// 404 E0000007.
func (s *Service) OrgByName(ctx context.Context, name string) (domain.Org, error) {
	if s.SharedStore {
		return s.Store.GetOrgByName(ctx, name)
	}
	if v, ok := s.orgs.byName.Load(name); ok {
		if c := v.(cachedOrg); time.Since(c.loaded) < orgCacheTTL {
			return c.org, nil
		}
	}
	org, err := s.Store.GetOrgByName(ctx, name)
	if err != nil {
		s.orgs.byName.Delete(name)
		return org, err
	}
	s.orgs.byName.Store(name, cachedOrg{org: org, loaded: time.Now()})
	return org, nil
}

// ListOrgs returns every org, by name.
func (s *Service) ListOrgs(ctx context.Context) ([]domain.Org, error) {
	return s.Store.ListOrgs(ctx)
}

// NewOrg creates an org for the operator API: the name must be a DNS label, since it becomes a
// host name. It returns the org and its first API token's secret.
func (s *Service) NewOrg(ctx context.Context, name string) (domain.Org, string, error) {
	if !domain.ValidOrgName(name) {
		return domain.Org{}, "", domain.Validation("name",
			"name: must be a DNS label: 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen")
	}
	org, secret, err := s.CreateOrg(ctx, OrgSetup{Name: name, TokenName: "okapi"})
	var de *domain.Error
	if errors.As(err, &de) {
		return org, "", de // the conflict, without CreateOrg's wrapping
	}
	return org, secret, err
}

// DeleteOrg deletes the org called name and everything in it. The default org stays: the
// unnamed hosts and the command line depend on it.
func (s *Service) DeleteOrg(ctx context.Context, name string) error {
	if name == domain.DefaultOrgName {
		return domain.Validation("name", "name: the default org cannot be deleted")
	}
	org, err := s.OrgByName(ctx, name)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx store.Tx) error { return tx.DeleteOrg(ctx, org.ID) })
	// Forget the org even on failure: the next lookup reads the store again.
	s.orgs.byName.Delete(name)
	s.clocks.drop(org.ID)
	s.zones.invalidate(org.ID)
	s.auth.dropOrg(org.ID)
	if err != nil {
		return fmt.Errorf("delete org %q: %w", name, err)
	}
	return nil
}
