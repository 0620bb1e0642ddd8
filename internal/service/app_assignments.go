package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/idp"
	"github.com/okapi-dev/okapi/internal/store"
)

// AppUser is a user's assignment to an app (the AppUser schema). Password is write-only: the
// HTTP layer shows it as {} when set.
type AppUser struct {
	ID            string         `json:"id"`
	AppID         string         `json:"appId"`
	Scope         string         `json:"scope"`
	Status        string         `json:"status"`
	SyncState     string         `json:"syncState"`
	UserName      string         `json:"userName,omitempty"`
	Password      string         `json:"password,omitempty"`
	Profile       map[string]any `json:"profile"`
	Created       domain.Time    `json:"created"`
	LastUpdated   domain.Time    `json:"lastUpdated"`
	StatusChanged domain.Time    `json:"statusChanged"`
	// GroupID is, for a GROUP-scoped app user, the assigned group the user has the app through
	// (not stored: group-scoped app users are derived from the group assignments).
	GroupID string `json:"-"`
}

// AppUserInput is the body of assignUserToApplication and updateApplicationUser.
type AppUserInput struct {
	ID          string `json:"id"`
	Scope       string `json:"scope"`
	Credentials *struct {
		UserName string `json:"userName"`
		Password *struct {
			Value string `json:"value"`
		} `json:"password"`
	} `json:"credentials"`
	Profile map[string]any `json:"profile"`
}

// AppGroup is a group's assignment to an app (ApplicationGroupAssignment).
type AppGroup struct {
	ID          string         `json:"id"`
	AppID       string         `json:"appId"`
	Priority    int            `json:"priority"`
	Profile     map[string]any `json:"profile"`
	LastUpdated domain.Time    `json:"lastUpdated"`
}

func putJSON(ctx context.Context, tx store.Tx, org, kind, parent, id string, v any, created domain.Time) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.PutAppObject(ctx, org, store.AppObject{Kind: kind, Parent: parent, ID: id, Data: data, Created: created.Millis()})
}

// userNameFor applies the app's user name template to u (the built-in ${source.login} and
// ${source.email}; anything else falls back to the login).
func userNameFor(a application.App, u domain.User) string {
	if a.Str("credentials", "userNameTemplate", "template") == "${source.email}" {
		if e, _ := u.Profile["email"].(string); e != "" {
			return e
		}
	}
	return u.Login()
}

func (in AppUserInput) apply(au *AppUser) error {
	if in.Credentials != nil {
		if n := in.Credentials.UserName; n != "" {
			if len(n) > 100 {
				return domain.Validation("credentials.userName", "credentials.userName: The field cannot exceed 100 characters")
			}
			au.UserName = n
		}
		if in.Credentials.Password != nil && in.Credentials.Password.Value != "" {
			au.Password = in.Credentials.Password.Value
		}
	}
	if in.Profile != nil {
		if au.Profile == nil {
			au.Profile = map[string]any{}
		}
		for k, v := range in.Profile {
			au.Profile[k] = v
		}
	}
	return nil
}

// AssignAppUser assigns a user to an app (assignUserToApplication).
func (s *Service) AssignAppUser(ctx context.Context, appID string, in AppUserInput) (AppUser, error) {
	org, now := orgID(ctx), s.now(ctx)
	if strings.TrimSpace(in.ID) == "" {
		return AppUser{}, domain.Validation("id", "id: The field cannot be left blank")
	}
	var au AppUser
	err := s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		u, err := tx.GetUser(ctx, org, in.ID)
		if err != nil {
			return err
		}
		au = AppUser{ID: u.ID, AppID: appID, Scope: "USER", Status: "ACTIVE", SyncState: "DISABLED", UserName: userNameFor(a, u),
			Profile: map[string]any{}, Created: now, LastUpdated: now, StatusChanged: now}
		if old, err := tx.GetAppObject(ctx, org, appUserKind, appID, u.ID, "AppUser"); err == nil {
			var prev AppUser
			if json.Unmarshal(old.Data, &prev) == nil {
				au.Created, au.Password, au.Profile = prev.Created, prev.Password, prev.Profile
			}
		}
		if err := in.apply(&au); err != nil {
			return err
		}
		if err := putJSON(ctx, tx, org, appUserKind, appID, u.ID, au, au.Created); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.user_membership.add", "Add user to application membership", u.LogTarget(), appTarget(a)))
	})
	return au, err
}

func (s *Service) getAppUser(ctx context.Context, r store.Reader, org, appID, userID string) (AppUser, error) {
	o, err := r.GetAppObject(ctx, org, appUserKind, appID, userID, "AppUser")
	if err != nil {
		return AppUser{}, err
	}
	var au AppUser
	err = json.Unmarshal(o.Data, &au)
	return au, err
}

// GetAppUser returns one app user.
func (s *Service) GetAppUser(ctx context.Context, appID, userID string) (AppUser, error) {
	org := orgID(ctx)
	a, err := s.getApp(ctx, s.Store, org, appID)
	if err != nil {
		return AppUser{}, err
	}
	au, err := s.getAppUser(ctx, s.Store, org, appID, userID)
	if !errors.Is(err, domain.ErrNotFound) {
		return au, err
	}
	group, err := s.groupAppUsers(ctx, org, a, nil, userID)
	if err != nil || len(group) == 0 {
		return AppUser{}, domain.NotFound(userID, "AppUser")
	}
	return group[0], nil
}

// ListAppUsers returns an app's users: those assigned directly (scope USER), oldest assignment
// first, then the members of its assigned groups who are not (scope GROUP), as Okta lists both
// ("Indicates if the assignment is direct (USER) or by group membership (GROUP)").
func (s *Service) ListAppUsers(ctx context.Context, appID string) ([]AppUser, error) {
	org := orgID(ctx)
	a, err := s.getApp(ctx, s.Store, org, appID)
	if err != nil {
		return nil, err
	}
	objs, err := s.Store.ListAppObjects(ctx, org, appUserKind, appID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]AppUser, 0, len(objs))
	direct := map[string]bool{}
	for _, o := range objs {
		var au AppUser
		if err := json.Unmarshal(o.Data, &au); err != nil {
			return nil, err
		}
		out = append(out, au)
		direct[au.ID] = true
	}
	group, err := s.groupAppUsers(ctx, org, a, direct, "")
	return append(out, group...), err
}

// groupAppUsers derives the GROUP-scoped app users of app a: the members of its assigned groups
// (highest priority first, then oldest assignment) not in skip, each once, from the group that
// gives it. With only set, just that user. Nothing is stored for them: an assignment or
// membership change shows at once, and unassigning the group removes them.
func (s *Service) groupAppUsers(ctx context.Context, org string, a application.App, skip map[string]bool, only string) ([]AppUser, error) {
	groups, err := s.appGroupsByPriority(ctx, org, a.ID())
	if err != nil {
		return nil, err
	}
	appUser := func(u domain.User, g AppGroup) AppUser {
		return AppUser{ID: u.ID, AppID: a.ID(), Scope: "GROUP", Status: "ACTIVE", SyncState: "DISABLED",
			UserName: userNameFor(a, u), Profile: map[string]any{}, Created: g.LastUpdated, LastUpdated: g.LastUpdated,
			StatusChanged: g.LastUpdated, GroupID: g.ID}
	}
	if only != "" {
		// One membership check per group, not a walk through every member.
		for _, g := range groups {
			in, err := s.Store.InAnyGroup(ctx, org, only, []string{g.ID})
			if err != nil {
				return nil, err
			}
			if !in {
				continue
			}
			u, err := s.Store.GetUser(ctx, org, only)
			if err != nil {
				return nil, err
			}
			return []AppUser{appUser(u, g)}, nil
		}
		return nil, nil
	}
	seen := map[string]bool{}
	var out []AppUser
	for _, g := range groups {
		err := eachMember(ctx, s.Store, org, g.ID, func(u domain.User) {
			if !skip[u.ID] && !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, appUser(u, g))
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appGroupsByPriority returns an app's group assignments, highest priority (lowest number)
// first, then oldest.
func (s *Service) appGroupsByPriority(ctx context.Context, org, appID string) ([]AppGroup, error) {
	objs, err := s.Store.ListAppObjects(ctx, org, appGroupKind, appID, "*")
	if err != nil {
		return nil, err
	}
	groups := make([]AppGroup, 0, len(objs))
	for _, o := range objs {
		var ag AppGroup
		if err := json.Unmarshal(o.Data, &ag); err != nil {
			return nil, err
		}
		groups = append(groups, ag)
	}
	slices.SortStableFunc(groups, func(x, y AppGroup) int { return x.Priority - y.Priority })
	return groups, nil
}

// eachMember calls f with every member of a group, page by page.
func eachMember(ctx context.Context, r store.Reader, org, groupID string, f func(domain.User)) error {
	after := ""
	for {
		members, err := r.ListMembers(ctx, org, groupID, after, activationPage)
		if err != nil {
			return err
		}
		for _, u := range members {
			f(u)
		}
		if len(members) < activationPage {
			return nil
		}
		after = members[len(members)-1].ID
	}
}

// UpdateAppUser changes an app user's credentials or profile (updateApplicationUser, a partial update).
func (s *Service) UpdateAppUser(ctx context.Context, appID, userID string, in AppUserInput) (AppUser, error) {
	org, now := orgID(ctx), s.now(ctx)
	var au AppUser
	err := s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if au, err = s.getAppUser(ctx, tx, org, appID, userID); err != nil {
			return err
		}
		oldName, oldPassword := au.UserName, au.Password
		if err := in.apply(&au); err != nil {
			return err
		}
		au.LastUpdated = now
		if err := putJSON(ctx, tx, org, appUserKind, appID, userID, au, au.Created); err != nil {
			return err
		}
		typ, msg := "application.user_membership.update", "Update application user"
		switch {
		case au.UserName != oldName:
			typ, msg = "application.user_membership.change_username", "Change user name of application user"
		case au.Password != oldPassword:
			// An event type of Okta's catalogue; its display message is not recorded (unverified).
			typ, msg = "application.user_membership.change_password", "Change password of application user"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, domain.LogTarget{ID: userID, Type: "User"}, appTarget(a)))
	})
	return au, err
}

// errGroupScoped refuses unassigning a user who has the app only through a group: the group's
// assignment gives it (Okta's exact answer is not recorded; unverified).
var errGroupScoped = domain.Validation("userId", "userId: The user is assigned to the app through a group; remove the group assignment or the group membership")

// UnassignAppUser removes a user's assignment (unassignUserFromApplication).
func (s *Service) UnassignAppUser(ctx context.Context, appID, userID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAppObject(ctx, org, appUserKind, appID, userID, "AppUser"); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				if group, gerr := s.groupAppUsers(ctx, org, a, nil, userID); gerr == nil && len(group) > 0 {
					return errGroupScoped
				}
			}
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.user_membership.remove", "Remove user from application membership",
			domain.LogTarget{ID: userID, Type: "User"}, appTarget(a)))
	})
}

// AssignAppGroup assigns a group to an app, or updates its assignment (assignGroupToApplication).
func (s *Service) AssignAppGroup(ctx context.Context, appID, groupID string, priority int, profile map[string]any) (AppGroup, error) {
	org, now := orgID(ctx), s.now(ctx)
	if priority < 0 {
		return AppGroup{}, domain.Validation("priority", "priority: The priority must be 0 or more")
	}
	if profile == nil {
		profile = map[string]any{}
	}
	ag := AppGroup{ID: groupID, AppID: appID, Priority: priority, Profile: profile, LastUpdated: now}
	err := s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		g, err := tx.GetGroup(ctx, org, groupID)
		if err != nil {
			return err
		}
		if err := putJSON(ctx, tx, org, appGroupKind, appID, g.ID, ag, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.application_assignment.add", "Assign application to group",
			domain.LogTarget{ID: g.ID, Type: "UserGroup", DisplayName: g.Name()}, appTarget(a)))
	})
	return ag, err
}

// GetAppGroup returns one group assignment.
func (s *Service) GetAppGroup(ctx context.Context, appID, groupID string) (AppGroup, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return AppGroup{}, err
	}
	o, err := s.Store.GetAppObject(ctx, org, appGroupKind, appID, groupID, "ApplicationGroupAssignment")
	if err != nil {
		return AppGroup{}, err
	}
	var ag AppGroup
	err = json.Unmarshal(o.Data, &ag)
	return ag, err
}

// ListAppGroups returns an app's group assignments.
func (s *Service) ListAppGroups(ctx context.Context, appID string) ([]AppGroup, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListAppObjects(ctx, org, appGroupKind, appID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]AppGroup, 0, len(objs))
	for _, o := range objs {
		var ag AppGroup
		if err := json.Unmarshal(o.Data, &ag); err != nil {
			return nil, err
		}
		out = append(out, ag)
	}
	return out, nil
}

// UnassignAppGroup removes a group's assignment (unassignApplicationFromGroup).
func (s *Service) UnassignAppGroup(ctx context.Context, appID, groupID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAppObject(ctx, org, appGroupKind, appID, groupID, "ApplicationGroupAssignment"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.application_assignment.remove", "Remove application assignment from group",
			domain.LogTarget{ID: groupID, Type: "UserGroup"}, appTarget(a)))
	})
}

// --- signing keys and CSRs (SAML and WS-Federation apps) ---

func (s *Service) newAppKey(subject string, years int, now domain.Time) (idp.Key, error) {
	return idp.GenerateSigningKey(s.IDs.Random(43), subject, years, now)
}

func decodeAppKey(o store.AppObject) (idp.Key, error) {
	var k idp.Key
	err := json.Unmarshal(o.Data, &k)
	return k, err
}

// ListAppKeys returns an app's signing keys (listApplicationKeys).
func (s *Service) ListAppKeys(ctx context.Context, appID string) ([]idp.Key, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListAppObjects(ctx, org, appKeyKind, appID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]idp.Key, 0, len(objs))
	for _, o := range objs {
		k, err := decodeAppKey(o)
		if err != nil {
			return nil, err
		}
		out = append(out, k.Public())
	}
	return out, nil
}

// GetAppKey returns one signing key of an app.
func (s *Service) GetAppKey(ctx context.Context, appID, kid string) (idp.Key, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return idp.Key{}, err
	}
	o, err := s.Store.GetAppObject(ctx, org, appKeyKind, appID, kid, "AppInstanceKeyCredential")
	if err != nil {
		return idp.Key{}, err
	}
	k, err := decodeAppKey(o)
	return k.Public(), err
}

// GenerateAppKey makes a new signing key and certificate for an app (generateApplicationKey).
func (s *Service) GenerateAppKey(ctx context.Context, appID string, years int) (idp.Key, error) {
	org, now := orgID(ctx), s.now(ctx)
	a, err := s.GetApp(ctx, appID)
	if err != nil {
		return idp.Key{}, err
	}
	k, err := s.newAppKey(a.Label(), years, now)
	if err != nil {
		return k, err
	}
	// Every Okta app has a signing key of its own from the start; okapi makes it for apps that
	// do not sign anything (not SAML or WS-Federation) only when a key is first asked for, so
	// creating such an app costs no RSA key generation.
	existing, err := s.Store.ListAppObjects(ctx, org, appKeyKind, appID, "*")
	if err != nil {
		return k, err
	}
	var first idp.Key
	if len(existing) == 0 {
		if first, err = s.newAppKey(a.Label(), 10, now); err != nil {
			return k, err
		}
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getApp(ctx, tx, org, appID); err != nil {
			return err
		}
		if first.Kid != "" {
			if err := putJSON(ctx, tx, org, appKeyKind, appID, first.Kid, first, now); err != nil {
				return err
			}
		}
		if err := putJSON(ctx, tx, org, appKeyKind, appID, k.Kid, k, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Generate application signing key", appTarget(a)))
	})
	return k.Public(), err
}

// CloneAppKey copies an app's signing key to another app (cloneApplicationKey).
func (s *Service) CloneAppKey(ctx context.Context, appID, kid, targetID string) (idp.Key, error) {
	org, now := orgID(ctx), s.now(ctx)
	var k idp.Key
	err := s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getApp(ctx, tx, org, appID); err != nil {
			return err
		}
		target, err := s.getApp(ctx, tx, org, targetID)
		if err != nil {
			return err
		}
		o, err := tx.GetAppObject(ctx, org, appKeyKind, appID, kid, "AppInstanceKeyCredential")
		if err != nil {
			return err
		}
		if _, err := tx.GetAppObject(ctx, org, appKeyKind, targetID, kid, "AppInstanceKeyCredential"); err == nil {
			return domain.Validation("cloneKey", "cloneKey: Key already exists in the list of key credentials for the target app.")
		}
		if k, err = decodeAppKey(o); err != nil {
			return err
		}
		if err := putJSON(ctx, tx, org, appKeyKind, targetID, kid, k, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Clone application signing key", appTarget(target)))
	})
	return k.Public(), err
}

// GenerateAppCSR makes a key pair and CSR for an app (generateCsrForApplication).
func (s *Service) GenerateAppCSR(ctx context.Context, appID string, m idp.CSRMetadata) (idp.CSR, error) {
	org, now := orgID(ctx), s.now(ctx)
	a, err := s.GetApp(ctx, appID)
	if err != nil {
		return idp.CSR{}, err
	}
	c, err := idp.GenerateCSR(s.IDs.Random(43), m, now)
	if err != nil {
		return c, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getApp(ctx, tx, org, appID); err != nil {
			return err
		}
		if err := putJSON(ctx, tx, org, appCSRKind, appID, c.ID, c, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Generate application CSR", appTarget(a)))
	})
	return c.Public(), err
}

// ListAppCSRs returns an app's pending CSRs.
func (s *Service) ListAppCSRs(ctx context.Context, appID string) ([]idp.CSR, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListAppObjects(ctx, org, appCSRKind, appID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]idp.CSR, 0, len(objs))
	for _, o := range objs {
		var c idp.CSR
		if err := json.Unmarshal(o.Data, &c); err != nil {
			return nil, err
		}
		out = append(out, c.Public())
	}
	return out, nil
}

// GetAppCSR returns one CSR of an app.
func (s *Service) GetAppCSR(ctx context.Context, appID, csrID string) (idp.CSR, error) {
	org := orgID(ctx)
	if _, err := s.getApp(ctx, s.Store, org, appID); err != nil {
		return idp.CSR{}, err
	}
	o, err := s.Store.GetAppObject(ctx, org, appCSRKind, appID, csrID, "Csr")
	if err != nil {
		return idp.CSR{}, err
	}
	var c idp.CSR
	err = json.Unmarshal(o.Data, &c)
	return c.Public(), err
}

// RevokeAppCSR deletes a CSR and its key (revokeCsrFromApplication).
func (s *Service) RevokeAppCSR(ctx context.Context, appID, csrID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAppObject(ctx, org, appCSRKind, appID, csrID, "Csr"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Revoke application CSR", appTarget(a)))
	})
}
