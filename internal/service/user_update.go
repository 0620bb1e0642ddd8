package service

import (
	"context"
	"reflect"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// UpdateUser is POST /users/{id}: profile properties sent replace the stored ones (null clears
// one), the others stay; credentials may set a password (admin) or recovery question.
func (s *Service) UpdateUser(ctx context.Context, idOrLogin string, in UserInput) (domain.User, error) {
	return s.updateUser(ctx, idOrLogin, in, false)
}

// ReplaceUser is PUT /users/{id}: the profile sent replaces the stored one, so properties not
// sent are removed and the required ones must be there. A body with only credentials (how the
// Terraform provider changes a password) keeps the stored profile, as Okta does.
func (s *Service) ReplaceUser(ctx context.Context, idOrLogin string, in UserInput) (domain.User, error) {
	if in.Profile == nil && in.Credentials == nil {
		return domain.User{}, domain.Validation("profile", "profile: The field cannot be left blank")
	}
	return s.updateUser(ctx, idOrLogin, in, true)
}

func (s *Service) updateUser(ctx context.Context, idOrLogin string, in UserInput, replace bool) (domain.User, error) {
	org := orgID(ctx)
	// Read once outside the transaction to validate and hash; the transaction re-reads and
	// re-applies the profile change to the current state, so nothing written meanwhile is lost.
	cur, err := findUser(ctx, s.Store, org, idOrLogin)
	if err != nil {
		return domain.User{}, err
	}
	newProfile := func(u domain.User) map[string]any {
		if replace && in.Profile != nil {
			return domain.CleanProfile(in.Profile)
		}
		return domain.MergeProfile(u.Profile, in.Profile)
	}
	profile := newProfile(cur)
	if err := validateProfile(ctx, s.Store, org, profile); err != nil {
		return domain.User{}, err
	}
	newType := ""
	if in.Type != nil && in.Type.ID != "" && in.Type.ID != cur.TypeID {
		if !replace {
			return domain.User{}, domain.Validation("type", "type: The user type can only be changed with a full replace (PUT)")
		}
		t, err := s.checkType(ctx, org, in.Type)
		if err != nil {
			return domain.User{}, err
		}
		newType = t
	}
	if in.Credentials != nil && in.Credentials.Password != nil && in.Credentials.Password.Hash != nil &&
		cur.Status != domain.StatusStaged {
		return domain.User{}, domain.Validation("password",
			"password: A hashed password can only be imported for a user in STAGED status")
	}
	pc, err := s.prepareUpdateCreds(ctx, cur, profile, in.Credentials)
	if err != nil {
		return domain.User{}, err
	}
	now := s.now(ctx)
	return s.mutateUser(ctx, cur.ID, func(tx store.Tx, u *domain.User) error {
		before := u.Profile
		u.Profile = newProfile(*u)
		if newType != "" {
			u.TypeID = newType
		}
		if err := validateProfile(ctx, tx, org, u.Profile); err != nil {
			return err
		}
		var events []domain.LogEvent
		if pc.setPassword {
			if err := s.transit(ctx, tx, u, domain.OpSetPassword, now); err != nil {
				return err
			}
		}
		applyCreds(u, pc, now)
		if pc.setPassword {
			if err := remember(ctx, tx, org, *u, now); err != nil {
				return err
			}
			events = append(events, s.event(ctx, now, "user.account.update_password", "User update password for Okta", u.LogTarget()))
		}
		if !reflect.DeepEqual(before, u.Profile) || pc.setQuestion {
			events = append(events, s.event(ctx, now, "user.account.update_profile", "User update profile for Okta", u.LogTarget()))
		}
		if !reflect.DeepEqual(before, u.Profile) {
			ruleEvents, err := s.applyActiveRules(ctx, tx, org, *u, now, true)
			if err != nil {
				return err
			}
			events = append(events, ruleEvents...)
		}
		u.LastUpdated = now
		return tx.AppendEvents(ctx, org, events...)
	})
}
