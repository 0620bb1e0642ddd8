package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// OrgSetup is what a new org starts with.
type OrgSetup struct {
	Name string
	// AdminLogin is the super admin who owns the first API token.
	AdminLogin string
	// TokenSecret is the first token's secret; a random one is made when empty.
	TokenSecret string
	TokenName   string
}

// EnsureOrg creates the org named setup.Name with its Everyone and Okta Administrators groups,
// super admin and first API token, unless it exists; an existing org gets what okapi added to
// new orgs since it was created (system zones, the Okta Administrators group). It returns the org and, only when it created the token, its secret.
//
// Several instances may start at once on one PostgreSQL database: when another one creates the
// org first, this one uses it instead of failing.
func (s *Service) EnsureOrg(ctx context.Context, setup OrgSetup) (domain.Org, string, error) {
	org, err := s.Store.GetOrgByName(ctx, setup.Name)
	if errors.Is(err, domain.ErrNotFound) {
		created, secret, cerr := s.CreateOrg(ctx, setup)
		if cerr == nil {
			return created, secret, nil
		}
		if org, err = s.Store.GetOrgByName(ctx, setup.Name); err != nil {
			return domain.Org{}, "", cerr
		}
	}
	if err != nil {
		return org, "", err
	}
	if err := s.ensureSystemZones(ctx, org.ID); err != nil {
		return org, "", err
	}
	if err := s.ensureAdmins(ctx, org.ID); err != nil {
		return org, "", err
	}
	if setup.TokenSecret != "" {
		err = s.ensureToken(ctx, org, setup)
	}
	return org, "", err
}

// CreateOrg creates a new org; a taken name is 400 E0000001 on name.
func (s *Service) CreateOrg(ctx context.Context, setup OrgSetup) (domain.Org, string, error) {
	now := s.now(ctx)
	org := domain.Org{ID: domain.NewID(s.IDs, domain.PrefixOrg), Name: setup.Name, Created: now}
	secret := setup.TokenSecret
	if secret == "" {
		secret = domain.NewTokenSecret(s.IDs)
	}
	if setup.AdminLogin == "" {
		setup.AdminLogin = "admin@" + setup.Name + ".okapi.test"
	}
	admin := domain.User{
		ID: domain.NewID(s.IDs, domain.PrefixUser), Status: domain.StatusActive,
		Created: now, Activated: now, StatusChanged: now, LastUpdated: now,
		TypeID:   DefaultUserTypeID(org.ID),
		Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
		Profile: map[string]any{"login": setup.AdminLogin, "email": setup.AdminLogin,
			"firstName": "Okapi", "lastName": "Admin"},
	}
	everyone := domain.BuiltInGroup(s.IDs, domain.EveryoneGroupName, now)
	admins := domain.BuiltInGroup(s.IDs, domain.AdminsGroupName, now)
	token := s.newToken(now, setup.TokenName, admin.ID, secret)
	defer s.grants.flush()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrg(ctx, org); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return domain.Validation("name", "name: An object with this field already exists")
			}
			return err
		}
		for _, g := range []domain.Group{everyone, admins} {
			if err := tx.CreateGroup(ctx, org.ID, g); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, org.ID, admin); err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, org.ID, everyone.ID, admin.ID, now); err != nil {
			return err
		}
		if err := tx.CreateToken(ctx, org.ID, token); err != nil {
			return err
		}
		for _, z := range systemZones(s.IDs, now) {
			if err := tx.CreateZone(ctx, org.ID, z); err != nil {
				return err
			}
		}
		if err := s.createDefaultPolicies(ctx, tx, org.ID, everyone.ID, now); err != nil {
			return err
		}
		if err := s.grantSuperAdmin(ctx, tx, org.ID, admin.ID, now); err != nil {
			return err
		}
		if err := s.syncAdmins(ctx, tx, org.ID, now, admin.ID); err != nil {
			return err
		}
		caller := &domain.Caller{OrgID: org.ID, UserID: admin.ID, Login: admin.Login(), DisplayName: admin.DisplayName()}
		ev := domain.NewLogEvent(caller, s.IDs, now, "system.api_token.create", "Create API token", tokenTarget(token))
		return tx.AppendEvents(ctx, org.ID, ev)
	})
	if err != nil {
		return domain.Org{}, "", fmt.Errorf("create org %q: %w", setup.Name, err)
	}
	return org, secret, nil
}

// EnsureAdminGroups gives every org created before okapi had the Okta Administrators group the
// group, with its admins as members. Startup runs it after EnsureOrg, so operator-created orgs of
// an older data dir get the group too. Orgs created since have it from the start, so one pass
// per database is enough: a server setting records it, and later starts read that one row
// instead of every org (test suites make thousands of orgs).
func (s *Service) EnsureAdminGroups(ctx context.Context) error {
	if _, err := s.Store.ServerSetting(ctx, store.SettingAdminGroupsBackfilled); err == nil {
		return nil
	}
	orgs, err := s.Store.ListOrgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		_, ok, err := adminsGroup(ctx, s.Store, o.ID)
		if err == nil && !ok {
			err = s.ensureAdmins(ctx, o.ID)
		}
		if err != nil {
			if _, gerr := s.Store.GetOrgByName(ctx, o.Name); errors.Is(gerr, domain.ErrNotFound) {
				continue // deleted by another instance since the list
			}
			return fmt.Errorf("org %q: %w", o.Name, err)
		}
	}
	_, err = s.EnsureServerSetting(ctx, store.SettingAdminGroupsBackfilled, func() (string, error) { return "done", nil })
	return err
}

// ensureAdmins runs ensureAdminsGroup in a transaction of its own. Another instance starting
// at the same time may create the group first: the retry then finds it.
func (s *Service) ensureAdmins(ctx context.Context, org string) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.update(ctx, func(tx store.Tx) error { return s.ensureAdminsGroup(ctx, tx, org, s.nowIn(org)) })
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return err
}

// ensureToken makes sure a token with the given secret exists in org (OKAPI_BOOTSTRAP_TOKEN on
// an existing data dir).
func (s *Service) ensureToken(ctx context.Context, org domain.Org, setup OrgSetup) error {
	if _, tokOrg, err := s.Store.GetTokenByHash(ctx, domain.HashToken(setup.TokenSecret)); err == nil {
		if tokOrg != org.ID {
			return fmt.Errorf("the bootstrap token belongs to another org")
		}
		return nil
	}
	ctx = domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID})
	_, _, err := s.CreateToken(ctx, setup.TokenName, setup.TokenSecret)
	if errors.Is(err, store.ErrConflict) {
		// Another instance starting with the same secret stored it first.
		if _, tokOrg, gerr := s.Store.GetTokenByHash(ctx, domain.HashToken(setup.TokenSecret)); gerr == nil && tokOrg == org.ID {
			return nil
		}
	}
	return err
}

// DefaultUserTypeID is the id of an org's default user type, derived from the org id so every
// org has a stable one without a table of its own.
func DefaultUserTypeID(orgID string) string { return domain.PrefixType + orgID[3:] }

// DefaultUserSchemaID is the id of an org's default user schema, derived like the user type's.
func DefaultUserSchemaID(orgID string) string { return domain.PrefixSchema + orgID[3:] }
