package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// orgSettingRoutes lists the Org Settings API's core (tag OrgSetting): getOrgSettings,
// updateOrgSettings, replaceOrgSettings, getOrgContactTypes, getOrgContactUser,
// replaceOrgContactUser, getOrgPreferences, updateOrgHideOktaUIFooter and
// updateOrgShowOktaUIFooter. Okta counts them against no family of their own. The spec asks
// okta.orgs.read for the reads and okta.orgs.manage for the writes; Okta gives org settings to
// super and org admins, and read access to read-only admins: authz's OrgRead and OrgManage
// (permissions.go).
func (s *Server) orgSettingRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/org", s.authed(s.h(s.getOrgSettings))},
		{"POST", "/api/v1/org", s.authed(s.h(s.updateOrgSettings(false)))},
		{"PUT", "/api/v1/org", s.authed(s.h(s.updateOrgSettings(true)))},
		{"GET", "/api/v1/org/contacts", s.authed(s.h(s.listOrgContactTypes))},
		{"GET", "/api/v1/org/contacts/{contactType}", s.authed(s.h(s.getOrgContactUser))},
		{"PUT", "/api/v1/org/contacts/{contactType}", s.authed(s.h(s.replaceOrgContactUser))},
		{"GET", "/api/v1/org/preferences", s.authed(s.h(s.getOrgPreferences))},
		{"POST", "/api/v1/org/preferences/hideEndUserFooter", s.authed(s.h(s.setEndUserFooter(false)))},
		{"POST", "/api/v1/org/preferences/showEndUserFooter", s.authed(s.h(s.setEndUserFooter(true)))},
	})
}

// orgSettingJSON is the Org Setting object, in the order of Okta's reference example. Unset
// details and expiresAt (okapi orgs never expire) are null, as Okta answers them.
type orgSettingJSON struct {
	ID          string      `json:"id"`
	Subdomain   string      `json:"subdomain"`
	CompanyName *string     `json:"companyName"`
	Status      string      `json:"status"`
	ExpiresAt   *string     `json:"expiresAt"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`

	Website               *string `json:"website"`
	PhoneNumber           *string `json:"phoneNumber"`
	EndUserSupportHelpURL *string `json:"endUserSupportHelpURL"`
	SupportPhoneNumber    *string `json:"supportPhoneNumber"`
	Address1              *string `json:"address1"`
	Address2              *string `json:"address2"`
	City                  *string `json:"city"`
	State                 *string `json:"state"`
	Country               *string `json:"country"`
	PostalCode            *string `json:"postalCode"`

	Links Links `json:"_links"`
}

// orgSettingJSON renders v. Of the links Okta's reference shows (preferences, uploadLogo,
// oktaCommunication, logo, oktaSupport, contacts) okapi gives the ones it serves.
func (s *Server) orgSettingJSON(r *http.Request, v service.OrgSettingsView) orgSettingJSON {
	d := v.Settings.OrgDetails
	return orgSettingJSON{
		ID: v.Org.ID, Subdomain: v.Org.Name, CompanyName: d.CompanyName, Status: "ACTIVE",
		Created: v.Org.Created, LastUpdated: v.Settings.LastUpdated,
		Website: d.Website, PhoneNumber: d.PhoneNumber, EndUserSupportHelpURL: d.EndUserSupportHelpURL,
		SupportPhoneNumber: d.SupportPhoneNumber, Address1: d.Address1, Address2: d.Address2, City: d.City,
		State: d.State, Country: d.Country, PostalCode: d.PostalCode,
		Links: Links{"preferences": s.link(r, "/api/v1/org/preferences"), "contacts": s.link(r, "/api/v1/org/contacts")},
	}
}

func (s *Server) getOrgSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.GetOrgSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.orgSettingJSON(r, v))
	return nil
}

// updateOrgSettings is updateOrgSettings (POST, partial) and replaceOrgSettings (PUT). The body
// is decoded into the writable fields only: the read-only ones (id, subdomain, status, created,
// lastUpdated, expiresAt, _links; readOnly in the spec) are ignored rather than refused, so a
// client can send back the object it read, as the SDKs' replaceOrgSettings does.
func (s *Server) updateOrgSettings(replace bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in domain.OrgDetails
		present, err := decode(r, &in)
		if err != nil {
			return err
		}
		if replace && !present {
			return domain.Validation("body", "body: The request body is required")
		}
		v, err := s.svc.UpdateOrgSettings(r.Context(), in, replace)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.orgSettingJSON(r, v))
		return nil
	}
}

// contactTypeJSON is an OrgContactTypeObj; its link is named after the type and spelled in
// lower case, as in Okta's reference.
type contactTypeJSON struct {
	ContactType string `json:"contactType"`
	Links       Links  `json:"_links"`
}

func (s *Server) listOrgContactTypes(w http.ResponseWriter, r *http.Request) error {
	out := make([]contactTypeJSON, len(domain.ContactTypes))
	for i, t := range domain.ContactTypes {
		name := strings.ToLower(t)
		out[i] = contactTypeJSON{ContactType: t, Links: Links{name: s.link(r, "/api/v1/org/contacts/"+name)}}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// contactUserJSON is an OrgContactUser: the user's id and a link to it.
type contactUserJSON struct {
	UserID string `json:"userId"`
	Links  Links  `json:"_links"`
}

func (s *Server) contactUserJSON(r *http.Request, userID string) contactUserJSON {
	return contactUserJSON{UserID: userID, Links: Links{"user": s.link(r, "/api/v1/users/"+userID)}}
}

func (s *Server) getOrgContactUser(w http.ResponseWriter, r *http.Request) error {
	id, err := s.svc.OrgContactUser(r.Context(), r.PathValue("contactType"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.contactUserJSON(r, id))
	return nil
}

func (s *Server) replaceOrgContactUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		UserID string `json:"userId"`
	}
	present, err := decode(r, &in)
	if err != nil {
		return err
	}
	if !present {
		return domain.Validation("body", "body: The request body is required")
	}
	id, err := s.svc.SetOrgContactUser(r.Context(), r.PathValue("contactType"), in.UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.contactUserJSON(r, id))
	return nil
}

// orgPreferencesJSON is OrgPreferences, with the link that flips the footer (Okta's reference
// shows hideEndUserFooter while the footer shows).
type orgPreferencesJSON struct {
	ShowEndUserFooter bool  `json:"showEndUserFooter"`
	Links             Links `json:"_links"`
}

func (s *Server) orgPreferencesJSON(r *http.Request, show bool) orgPreferencesJSON {
	rel := "showEndUserFooter"
	if show {
		rel = "hideEndUserFooter"
	}
	return orgPreferencesJSON{ShowEndUserFooter: show, Links: Links{rel: s.postLink(r, "/api/v1/org/preferences/"+rel)}}
}

func (s *Server) getOrgPreferences(w http.ResponseWriter, r *http.Request) error {
	show, err := s.svc.OrgPreferences(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.orgPreferencesJSON(r, show))
	return nil
}

func (s *Server) setEndUserFooter(show bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		got, err := s.svc.SetEndUserFooter(r.Context(), show)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.orgPreferencesJSON(r, got))
		return nil
	}
}
