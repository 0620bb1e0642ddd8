package service

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// ListLinkedObjects lists the org's linked object definitions (listLinkedObjectDefinitions).
func (s *Service) ListLinkedObjects(ctx context.Context) ([]domain.LinkedObject, error) {
	return s.Store.ListLinkedObjects(ctx, orgID(ctx))
}

func findLinkedObject(ctx context.Context, r store.LinkedObjectReader, org, name string) (domain.LinkedObject, error) {
	all, err := r.ListLinkedObjects(ctx, org)
	if err != nil {
		return domain.LinkedObject{}, err
	}
	for _, l := range all {
		if l.Primary.Name == name || l.Associated.Name == name {
			return l, nil
		}
	}
	return domain.LinkedObject{}, domain.NotFound(name, "LinkedObject")
}

// GetLinkedObject returns the definition whose primary or associated name is name.
func (s *Service) GetLinkedObject(ctx context.Context, name string) (domain.LinkedObject, error) {
	return findLinkedObject(ctx, s.Store, orgID(ctx), name)
}

// CreateLinkedObject adds a definition; neither name may be used by another definition, on
// either side.
func (s *Service) CreateLinkedObject(ctx context.Context, in domain.LinkedObject) (domain.LinkedObject, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	l := in
	l.Created = now
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListLinkedObjects(ctx, org)
		if err != nil {
			return err
		}
		if len(all) >= domain.MaxLinkedObjects {
			return domain.Validation("primary", "primary: An org can have at most 200 linked object definitions")
		}
		for _, o := range all {
			for _, n := range []string{o.Primary.Name, o.Associated.Name} {
				if n == l.Primary.Name || n == l.Associated.Name {
					return domain.Validation("name", "name: An object with this field already exists in the current organization")
				}
			}
		}
		if err := tx.CreateLinkedObject(ctx, org, l); err != nil {
			return err
		}
		// Event type unverified against Okta's catalogue.
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.schema.user.linked_object.create",
			"Create linked object definition", domain.LogTarget{ID: l.Primary.Name, Type: "LinkedObject", DisplayName: l.Primary.Title}))
	})
	return l, err
}

// DeleteLinkedObject removes the definition named by either side.
func (s *Service) DeleteLinkedObject(ctx context.Context, name string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		l, err := findLinkedObject(ctx, tx, org, name)
		if err != nil {
			return err
		}
		if err := tx.DeleteLinkedObject(ctx, org, l.Primary.Name); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.schema.user.linked_object.delete",
			"Delete linked object definition", domain.LogTarget{ID: l.Primary.Name, Type: "LinkedObject", DisplayName: l.Primary.Title}))
	})
}

// SetLink is PUT /users/{associated}/linkedObjects/{primaryName}/{primary}
// (assignLinkedObjectValueForPrimary): the primary user replaces any earlier one.
func (s *Service) SetLink(ctx context.Context, associated, primaryName, primary string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		l, err := findLinkedObject(ctx, tx, org, primaryName)
		if err != nil {
			return err
		}
		if l.Primary.Name != primaryName {
			return domain.NotFound(primaryName, "LinkedObject")
		}
		a, err := findUser(ctx, tx, org, associated)
		if err != nil {
			return err
		}
		p, err := findUser(ctx, tx, org, primary)
		if err != nil {
			return err
		}
		if err := tx.SetLink(ctx, org, primaryName, a.ID, p.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.account.update_profile",
			"Set linked object "+primaryName, a.LogTarget(), p.LogTarget()))
	})
}

// LinkedUsers is GET /users/{id}/linkedObjects/{name} (listLinkedObjectsForUser): for the
// primary name, the user's primary; for the associated name, the users whose primary it is.
func (s *Service) LinkedUsers(ctx context.Context, user, name string) ([]string, error) {
	org := orgID(ctx)
	l, err := findLinkedObject(ctx, s.Store, org, name)
	if err != nil {
		return nil, err
	}
	u, err := findUser(ctx, s.Store, org, user)
	if err != nil {
		return nil, err
	}
	return s.Store.ListLinkedUsers(ctx, org, l.Primary.Name, u.ID, name == l.Associated.Name)
}

// DeleteLink is DELETE /users/{id}/linkedObjects/{primaryName} (deleteLinkedObjectForUser).
func (s *Service) DeleteLink(ctx context.Context, user, primaryName string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		l, err := findLinkedObject(ctx, tx, org, primaryName)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, tx, org, user)
		if err != nil {
			return err
		}
		if err := tx.DeleteLink(ctx, org, l.Primary.Name, u.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.account.update_profile",
			"Remove linked object "+l.Primary.Name, u.LogTarget()))
	})
}
