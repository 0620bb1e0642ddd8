package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/store"
)

// CreateOptions are the query parameters of POST /api/v1/users.
type CreateOptions struct {
	Activate bool
	// Provider is `provider=true`: the user authenticates with credentials.provider.
	Provider  bool
	NextLogin string
}

// MaxGroupIDs bounds groupIds at creation (Okta answers 400 E0000093 beyond its limit).
const MaxGroupIDs = 100

var errTooManyGroups = domain.NewError(http.StatusBadRequest, domain.CodeTargetLimit, "Target count limit exceeded",
	domain.Cause{Summary: "The number of group targets is too large."})

// CreateUser creates a user; its status follows Okta's rules for the createUser operation
// (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/createUser): STAGED unless
// activated, then ACTIVE with a password or an external provider, PROVISIONED without,
// PASSWORD_EXPIRED with nextLogin=changePassword. The user joins Everyone and groupIds in the
// same transaction.
func (s *Service) CreateUser(ctx context.Context, in UserInput, opt CreateOptions) (domain.User, error) {
	org := orgID(ctx)
	profile := domain.CleanProfile(in.Profile)
	if in.Profile == nil {
		return domain.User{}, domain.Validation("profile", "profile: The field cannot be left blank")
	}
	if err := validateProfile(ctx, s.reader(ctx), org, profile); err != nil {
		return domain.User{}, err
	}
	typeID, err := s.checkType(ctx, org, in.Type)
	if err != nil {
		return domain.User{}, err
	}
	if len(in.GroupIDs) > MaxGroupIDs {
		return domain.User{}, errTooManyGroups
	}
	provider, err := createProvider(in.Credentials, opt.Provider)
	if err != nil {
		return domain.User{}, err
	}
	external := provider.Type == "FEDERATION" || provider.Type == "SOCIAL"
	hasPassword := in.Credentials != nil && !in.Credentials.Password.isEmpty()
	if external && (hasPassword || in.Credentials.RecoveryQuestion != nil) {
		return domain.User{}, domain.Validation("credentials",
			"credentials: A user with provider "+provider.Type+" cannot have a password or recovery question")
	}
	switch opt.NextLogin {
	case "":
	case "changePassword":
		if !opt.Activate {
			return domain.User{}, domain.NewError(http.StatusBadRequest, domain.CodeExpireNeedsActive,
				`Could not create user. To create a user and expire their password immediately, "activate" must be true`)
		}
		if !hasPassword {
			return domain.User{}, domain.NewError(http.StatusBadRequest, domain.CodeExpireNeedsPw,
				"Could not create user. To create a user and expire their password immediately, a password must be specified")
		}
	default:
		return domain.User{}, domain.Validation("nextLogin", "nextLogin: The value must be changePassword")
	}
	rules := password.DefaultRules()
	if hasPassword {
		if rules, err = s.newUserRules(ctx, in.GroupIDs); err != nil {
			return domain.User{}, err
		}
	}
	pc, err := prepareCreds(in.Credentials, rules, password.Subject{Login: profile["login"].(string), Profile: profile}, "")
	if err != nil {
		return domain.User{}, err
	}

	now := s.now(ctx)
	u := domain.User{
		ID: domain.NewID(s.IDs, domain.PrefixUser), Status: domain.StatusStaged,
		Created: now, LastUpdated: now, StatusChanged: now,
		TypeID: typeID, Profile: profile, Provider: provider,
	}
	applyCreds(&u, pc, now)
	if opt.Activate {
		next := domain.StatusProvisioned
		switch {
		case external || u.HasPassword() && opt.NextLogin == "":
			next = domain.StatusActive
		case u.HasPassword():
			next = domain.StatusPasswordExpired
			u.Activated = now
		}
		u.SetStatus(next, now)
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, org, u); err != nil {
			return loginTaken(err)
		}
		if pc.setPassword {
			if err := remember(ctx, tx, org, u, now); err != nil {
				return err
			}
		}
		events := []domain.LogEvent{s.event(ctx, now, "user.lifecycle.create", "Create okta user", u.LogTarget())}
		if u.Status != domain.StatusStaged {
			events = append(events, s.event(ctx, now, "user.lifecycle.activate", "Activate okta user", u.LogTarget()))
		}
		everyone, err := tx.GetBuiltInGroup(ctx, org, domain.EveryoneGroupName)
		if err != nil {
			return err
		}
		for i, gid := range append([]string{everyone.ID}, in.GroupIDs...) {
			g := everyone
			if i > 0 {
				g, err = tx.GetGroup(ctx, org, gid)
			}
			if err != nil {
				if errors.Is(err, domain.ErrNotFound) {
					return domain.Validation("groupIds", "groupIds: Group "+gid+" does not exist")
				}
				return err
			}
			if g.Type == domain.GroupApp {
				return domain.Validation("groupIds", "groupIds: Users cannot be added to the APP_GROUP "+gid)
			}
			if g.Type == domain.GroupBuiltIn && g.ID != everyone.ID {
				// Okta Administrators: Okta manages its members (see admins.go).
				return domain.Validation("groupIds", "groupIds: Users cannot be added to the BUILT_IN group "+gid)
			}
			added, err := tx.AddMember(ctx, org, g.ID, u.ID, now)
			if err != nil {
				return err
			}
			if added {
				events = append(events, s.event(ctx, now, "group.user_membership.add",
					"Add user to group membership", u.LogTarget(), g.LogTarget()))
			}
		}
		ruleEvents, err := s.applyActiveRules(ctx, tx, org, u, now, false)
		if err != nil {
			return err
		}
		events = append(events, ruleEvents...)
		// A new user is an admin only through a group holding a role (Everyone's among them).
		if err := s.syncMembershipAdmins(ctx, tx, org, u.ID, nil, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, events...)
	})
	if err != nil {
		return domain.User{}, err
	}
	u.Version = 1
	return u, nil
}

// createProvider reads credentials.provider: OKTA unless provider=true names another.
func createProvider(c *CredentialsInput, useProvider bool) (domain.Provider, error) {
	p := domain.Provider{Type: "OKTA", Name: "OKTA"}
	if c == nil || c.Provider == nil || c.Provider.Type == "" {
		return p, nil
	}
	switch c.Provider.Type {
	case "OKTA", "FEDERATION", "SOCIAL", "ACTIVE_DIRECTORY", "LDAP", "IMPORT":
	default:
		return p, domain.Validation("provider", "provider: The provider type must be one of OKTA, FEDERATION, SOCIAL, ACTIVE_DIRECTORY, LDAP, IMPORT")
	}
	if !useProvider {
		// Without provider=true Okta creates an Okta-mastered user whatever the body says.
		return p, nil
	}
	p.Type, p.Name = c.Provider.Type, c.Provider.Name
	if p.Name == "" {
		p.Name = p.Type
	}
	return p, nil
}

// loginTaken turns the store's login conflict into Okta's error.
func loginTaken(err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Field == "login" {
		return domain.Validation("login", "login: An object with this field already exists in the current organization")
	}
	return err
}

// GetUser finds a user by id or login; "me" is the owner of the caller's token.
func (s *Service) GetUser(ctx context.Context, idOrLogin string) (domain.User, error) {
	if idOrLogin == "me" {
		idOrLogin = domain.CallerFrom(ctx).UserID
	}
	return findUser(ctx, s.Store, orgID(ctx), idOrLogin)
}

// findUser resolves an id or a login (ignoring case) in r.
func findUser(ctx context.Context, r store.UserReader, org, idOrLogin string) (domain.User, error) {
	if idOrLogin == "" {
		return domain.User{}, domain.NotFound(idOrLogin, "User")
	}
	if domain.ValidID(idOrLogin, domain.PrefixUser) {
		u, err := r.GetUser(ctx, org, idOrLogin)
		if !errors.Is(err, domain.ErrNotFound) {
			return u, err
		}
	}
	u, err := r.GetUserByLogin(ctx, org, idOrLogin)
	if errors.Is(err, domain.ErrNotFound) {
		return u, domain.NotFound(idOrLogin, "User")
	}
	return u, err
}

// mutateUser runs fn on the current state of a user inside a transaction, stores the result,
// and retries when a concurrent write got there first. fn appends its own log events.
func (s *Service) mutateUser(ctx context.Context, idOrLogin string, fn func(tx store.Tx, u *domain.User) error) (domain.User, error) {
	org := orgID(ctx)
	var out domain.User
	// Any change to a user may turn its tokens away (status): forget them once it commits.
	defer func() { s.auth.drop("", out.ID) }()
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		if err := fn(tx, &u); err != nil {
			return err
		}
		if err := tx.UpdateUser(ctx, org, u); err != nil {
			return loginTaken(err)
		}
		u.Version++
		out = u
		return nil
	})
	return out, err
}

// DeleteUser deactivates a user who is not DEPROVISIONED, and deletes one who is, with the
// user's group memberships, app assignments, roles, factors and sessions (store.UserWriter's
// DeleteUser). As in Okta the user is then gone from listApplicationUsers; the implicit
// unassignments log no application.user_membership.remove of their own.
func (s *Service) DeleteUser(ctx context.Context, idOrLogin string) error {
	org := orgID(ctx)
	now := s.now(ctx)
	var userID string
	defer func() { s.auth.drop("", userID) }()
	return s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		userID = u.ID
		if u.Status != domain.StatusDeprovisioned {
			if err := s.transit(ctx, tx, &u, domain.OpDeactivate, now); err != nil {
				return err
			}
			return tx.UpdateUser(ctx, org, u)
		}
		if err := tx.DeleteUser(ctx, org, u.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org,
			s.event(ctx, now, "user.lifecycle.delete.initiated", "Delete okta user initiated", u.LogTarget()),
			s.event(ctx, now, "user.lifecycle.delete.completed", "Delete okta user completed", u.LogTarget()))
	})
}
