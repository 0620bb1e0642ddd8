package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// The Org Settings API (tag OrgSetting): https://developer.okta.com/docs/reference/api/org/.
// An org's settings live in one stored document; an org without one (new, or reset) has what
// Okta gives a new org: its name as companyName, every other detail unset (null), the org's
// first super admin as billing and technical contact, the end-user footer shown.

// orgSettingsEvent is the System Log event type of every Org Settings change. Unverified:
// neither Okta's event type catalog as searched nor its Org API reference names the type Okta
// logs for these changes, so okapi uses this one for all of them, told apart by displayMessage.
const orgSettingsEvent = "system.org.update"

// OrgSettingsView is an org's settings with the org they belong to (id, subdomain, created).
type OrgSettingsView struct {
	Org      domain.Org
	Settings domain.OrgSettings
}

// readOrgSettings returns org's settings: the stored ones, or the defaults of a new org.
func readOrgSettings(ctx context.Context, r store.Reader, org domain.Org) (domain.OrgSettings, error) {
	row, err := r.GetOrgSettings(ctx, org.ID)
	if errors.Is(err, domain.ErrNotFound) {
		name := org.Name
		return domain.OrgSettings{OrgDetails: domain.OrgDetails{CompanyName: &name}, LastUpdated: org.Created}, nil
	}
	if err != nil {
		return domain.OrgSettings{}, err
	}
	var st domain.OrgSettings
	if err := json.Unmarshal(row.Data, &st); err != nil {
		return st, fmt.Errorf("org %s settings: %w", org.ID, err)
	}
	st.LastUpdated = domain.FromMillis(row.LastUpdated)
	return st, nil
}

func writeOrgSettings(ctx context.Context, tx store.Tx, org string, st domain.OrgSettings) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.PutOrgSettings(ctx, org, store.OrgSettings{Data: data, LastUpdated: st.LastUpdated.Millis()})
}

// changeOrgSettings reads the caller's org settings, lets change alter them (it returns the
// event's message and targets, or "" for no change), and writes them with their System Log
// event in one transaction.
func (s *Service) changeOrgSettings(ctx context.Context, change func(tx store.Tx, o domain.Org, st *domain.OrgSettings) (string, []domain.LogTarget, error)) (OrgSettingsView, error) {
	id, now := orgID(ctx), s.now(ctx)
	var v OrgSettingsView
	err := s.update(ctx, func(tx store.Tx) error {
		o, err := tx.GetOrg(ctx, id)
		if err != nil {
			return err
		}
		st, err := readOrgSettings(ctx, tx, o)
		if err != nil {
			return err
		}
		msg, targets, err := change(tx, o, &st)
		if err != nil || msg == "" {
			v = OrgSettingsView{Org: o, Settings: st}
			return err
		}
		if err := writeOrgSettings(ctx, tx, id, st); err != nil {
			return err
		}
		v = OrgSettingsView{Org: o, Settings: st}
		targets = append([]domain.LogTarget{orgTarget(o, st)}, targets...)
		return tx.AppendEvents(ctx, id, s.event(ctx, now, orgSettingsEvent, msg, targets...))
	})
	return v, err
}

func orgTarget(o domain.Org, st domain.OrgSettings) domain.LogTarget {
	t := domain.LogTarget{ID: o.ID, Type: "Org", AlternateID: o.Name}
	if st.CompanyName != nil {
		t.DisplayName = *st.CompanyName
	}
	return t
}

// GetOrgSettings is getOrgSettings.
func (s *Service) GetOrgSettings(ctx context.Context) (OrgSettingsView, error) {
	o, err := s.Store.GetOrg(ctx, orgID(ctx))
	if err != nil {
		return OrgSettingsView{}, err
	}
	st, err := readOrgSettings(ctx, s.Store, o)
	return OrgSettingsView{Org: o, Settings: st}, err
}

// UpdateOrgSettings is updateOrgSettings (partial: the fields in sets change) and, with
// replace, replaceOrgSettings (every field not in the request is cleared, as Okta documents).
func (s *Service) UpdateOrgSettings(ctx context.Context, in domain.OrgDetails, replace bool) (OrgSettingsView, error) {
	now := s.now(ctx)
	return s.changeOrgSettings(ctx, func(_ store.Tx, _ domain.Org, st *domain.OrgSettings) (string, []domain.LogTarget, error) {
		if replace {
			st.OrgDetails = st.OrgDetails.Replace(in)
		} else {
			st.OrgDetails = st.OrgDetails.Merge(in)
		}
		st.LastUpdated = now
		return "Update org settings", nil, nil
	})
}

// errNoContactType is the 404 for a contact type Okta does not have (unverified wording; the
// spec declares 404 for getOrgContactUser and replaceOrgContactUser).
func errNoContactType(t string) error { return domain.NotFound(t, "OrgContactType") }

// OrgContactUser is getOrgContactUser: the id of the user who is the org's contact of type t.
func (s *Service) OrgContactUser(ctx context.Context, t string) (string, error) {
	typ, ok := domain.ContactType(t)
	if !ok {
		return "", errNoContactType(t)
	}
	v, err := s.GetOrgSettings(ctx)
	if err != nil {
		return "", err
	}
	return contactUser(ctx, s.Store, v.Org.ID, v.Settings, typ)
}

// contactUser is the chosen contact of type typ while that user exists, else the default: the
// owner of the org's oldest API token, the super admin every org starts with.
func contactUser(ctx context.Context, r store.Reader, org string, st domain.OrgSettings, typ string) (string, error) {
	if id := st.Contacts[typ]; id != "" {
		if _, err := r.GetUser(ctx, org, id); err == nil {
			return id, nil
		} else if !errors.Is(err, domain.ErrNotFound) {
			return "", err
		}
	}
	tokens, err := r.ListTokens(ctx, org, "", 1000)
	if err != nil {
		return "", err
	}
	var owner *domain.APIToken
	for i, t := range tokens {
		if owner == nil || t.Created.Millis() < owner.Created.Millis() {
			owner = &tokens[i]
		}
	}
	if owner == nil {
		return "", domain.NotFound(typ, "OrgContactUser")
	}
	return owner.UserID, nil
}

// SetOrgContactUser is replaceOrgContactUser: userID, which must name a user of the org (404
// E0000007 on User otherwise, as Okta documents), becomes the contact of type t.
func (s *Service) SetOrgContactUser(ctx context.Context, t, userID string) (string, error) {
	typ, ok := domain.ContactType(t)
	if !ok {
		return "", errNoContactType(t)
	}
	if userID == "" {
		return "", domain.Validation("userId", "userId: The field cannot be left blank")
	}
	_, err := s.changeOrgSettings(ctx, func(tx store.Tx, o domain.Org, st *domain.OrgSettings) (string, []domain.LogTarget, error) {
		u, err := tx.GetUser(ctx, o.ID, userID)
		if errors.Is(err, domain.ErrNotFound) {
			return "", nil, domain.NotFound(userID, "User")
		}
		if err != nil {
			return "", nil, err
		}
		if st.Contacts[typ] == u.ID {
			return "", nil, nil
		}
		if st.Contacts == nil {
			st.Contacts = map[string]string{}
		}
		st.Contacts[typ] = u.ID
		return "Update org contact " + typ, []domain.LogTarget{u.LogTarget()}, nil
	})
	return userID, err
}

// OrgPreferences is getOrgPreferences: whether end users see Okta's footer.
func (s *Service) OrgPreferences(ctx context.Context) (bool, error) {
	v, err := s.GetOrgSettings(ctx)
	return !v.Settings.HideEndUserFooter, err
}

// SetEndUserFooter is updateOrgShowOktaUIFooter (show) and updateOrgHideOktaUIFooter; asking
// for what is already so changes and logs nothing.
func (s *Service) SetEndUserFooter(ctx context.Context, show bool) (bool, error) {
	v, err := s.changeOrgSettings(ctx, func(_ store.Tx, _ domain.Org, st *domain.OrgSettings) (string, []domain.LogTarget, error) {
		if st.HideEndUserFooter == !show {
			return "", nil, nil
		}
		st.HideEndUserFooter = !show
		if show {
			return "Show end-user footer", nil, nil
		}
		return "Hide end-user footer", nil, nil
	})
	return !v.Settings.HideEndUserFooter, err
}
