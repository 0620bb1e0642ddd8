package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/authz"
	"github.com/okapi-dev/okapi/internal/domain"
)

// maxAdminGroups bounds how many of an admin's groups are read when looking for roles assigned
// through groups; an admin in more groups than this gets the roles of the first ones by id.
const maxAdminGroups = 1000

// Authorize decides whether the API token owner userID may do what permission p allows on res,
// by the roles the user holds directly and through groups (see internal/authz). It returns nil,
// domain.ErrInvalidToken when the user holds no admin role at all (Okta stops honouring an API
// token whose owner is no longer an admin), or 403 E0000006 whatever else the reason.
func (s *Service) Authorize(ctx context.Context, org, userID, p string, res authz.Resource) error {
	grants, err := s.adminGrants(ctx, org, userID)
	if err != nil {
		return err
	}
	if len(grants) == 0 {
		return domain.ErrInvalidToken
	}
	if authz.IsSuper(grants) {
		return nil
	}
	member := func(idOrLogin string, groups []string) (bool, error) {
		return s.cachedMemberOfAny(ctx, org, idOrLogin, groups)
	}
	ok, err := authz.Allowed(grants, p, res, member)
	if err != nil {
		return err
	}
	if !ok {
		return domain.ErrForbidden()
	}
	return nil
}

// adminGrants loads the roles of userID, with their group targets. A direct super admin role
// settles it in one read, the request path's common case.
func (s *Service) adminGrants(ctx context.Context, org, userID string) ([]authz.Grant, error) {
	if s.AuthCacheTTL <= 0 {
		return s.loadGrants(ctx, org, userID)
	}
	key := org + "/" + userID
	if g, ok := s.grants.get(key, time.Now()); ok {
		return g, nil
	}
	gen := s.grants.generation()
	g, err := s.loadGrants(ctx, org, userID)
	if err == nil {
		s.grants.put(key, gen, g, time.Now().Add(s.AuthCacheTTL))
	}
	return g, err
}

// loadGrants reads adminGrants from the store.
func (s *Service) loadGrants(ctx context.Context, org, userID string) ([]authz.Grant, error) {
	direct, err := s.Store.ListRoleObjects(ctx, org, roleUser, userID, "*")
	if err != nil {
		return nil, err
	}
	objs := direct
	for _, o := range direct {
		if a, err := decodeRole(o); err == nil && a.Type == "SUPER_ADMIN" {
			return []authz.Grant{{Role: a.Type}}, nil
		}
	}
	byGroup, err := s.Store.ListRoleObjects(ctx, org, roleGroup, "*", "*")
	if err != nil {
		return nil, err
	}
	if len(byGroup) > 0 {
		groups, err := s.Store.ListUserGroups(ctx, org, userID, "", maxAdminGroups)
		if err != nil {
			return nil, err
		}
		for _, o := range byGroup {
			if slices.ContainsFunc(groups, func(g domain.Group) bool { return g.ID == o.Parent }) {
				objs = append(objs, o)
			}
		}
	}
	grants := make([]authz.Grant, 0, len(objs))
	for _, o := range objs {
		a, err := decodeRole(o)
		if err != nil {
			return nil, err
		}
		g := authz.Grant{Role: a.Type}
		if a.Type == "SUPER_ADMIN" {
			return []authz.Grant{g}, nil
		}
		targets, err := s.Store.ListRoleObjects(ctx, org, roleTargetKind, a.ID, "*")
		if err != nil {
			return nil, err
		}
		if len(targets) > 0 {
			g.Groups = make([]string, len(targets))
			for i, t := range targets {
				g.Groups[i] = t.ID
			}
		}
		grants = append(grants, g)
	}
	return grants, nil
}

// cachedMemberOfAny is memberOfAny through the grant cache (see grantCache).
func (s *Service) cachedMemberOfAny(ctx context.Context, org, idOrLogin string, groups []string) (bool, error) {
	if s.AuthCacheTTL <= 0 {
		return s.memberOfAny(ctx, org, idOrLogin, groups)
	}
	key := memberKey(org, idOrLogin, groups)
	if in, ok := s.grants.getMember(key, groups, time.Now()); ok {
		return in, nil
	}
	gen := s.grants.generation()
	in, err := s.memberOfAny(ctx, org, idOrLogin, groups)
	if err == nil {
		s.grants.putMember(key, groups, gen, in, time.Now().Add(s.AuthCacheTTL))
	}
	return in, err
}

// memberOfAny reports whether the user named by id or login is in one of groups. An unknown
// user is in none, so a targeted admin is refused rather than told the user does not exist.
// The common case, an id of a member, takes one index probe.
func (s *Service) memberOfAny(ctx context.Context, org, idOrLogin string, groups []string) (bool, error) {
	if strings.HasPrefix(idOrLogin, domain.PrefixUser) {
		if ok, err := s.Store.InAnyGroup(ctx, org, idOrLogin, groups); err != nil || ok {
			return ok, err
		}
	}
	u, err := findUser(ctx, s.Store, org, idOrLogin)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil || u.ID == idOrLogin {
		return false, err
	}
	return s.Store.InAnyGroup(ctx, org, u.ID, groups)
}

// IsAdmin reports whether userID holds any admin role, directly or through a group.
func (s *Service) IsAdmin(ctx context.Context, org, userID string) (bool, error) {
	grants, err := s.adminGrants(ctx, org, userID)
	return len(grants) > 0, err
}

// errNotAnAdmin refuses a token for a user who could not use it: Okta's API tokens act with
// their owner's admin roles, and a user without any is refused every Management API call.
func errNotAnAdmin(login string) error {
	return domain.Validation("user", "user: "+login+" has no admin role; assign one first (POST /api/v1/users/{id}/roles)")
}

// CreateTokenFor makes an API token in the org named orgName owned by the admin user with
// login, as an admin creates one for themselves in Okta's console; it acts with that user's
// roles, so tests can call the API as a lesser admin. It returns the token and its secret.
func (s *Service) CreateTokenFor(ctx context.Context, orgName, login, name string) (domain.APIToken, string, error) {
	org, err := s.OrgByName(ctx, orgName)
	if err != nil {
		return domain.APIToken{}, "", err
	}
	if login == "" {
		return domain.APIToken{}, "", domain.Validation("user", "user: The field cannot be left blank")
	}
	if name == "" {
		name = "okapi"
	}
	u, err := s.Store.GetUserByLogin(ctx, org.ID, login)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.APIToken{}, "", domain.Validation("user", "user: No user with login "+login+" in org "+orgName)
	}
	if err != nil {
		return domain.APIToken{}, "", err
	}
	admin, err := s.IsAdmin(ctx, org.ID, u.ID)
	if err != nil {
		return domain.APIToken{}, "", err
	}
	if !admin {
		return domain.APIToken{}, "", errNotAnAdmin(login)
	}
	caller := &domain.Caller{OrgID: org.ID, UserID: u.ID, Login: u.Login(), DisplayName: u.DisplayName(), RequestID: domain.CallerFrom(ctx).RequestID}
	return s.CreateToken(domain.WithCaller(ctx, caller), name, "")
}
