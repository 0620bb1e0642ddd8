package domain

import "strings"

// OrgDetails are the Org Setting fields an admin writes (updateOrgSettings,
// replaceOrgSettings): the company's name, web site, phone numbers, support link and address.
// A nil field is unset; Okta answers null for it.
type OrgDetails struct {
	CompanyName           *string `json:"companyName,omitempty"`
	Website               *string `json:"website,omitempty"`
	PhoneNumber           *string `json:"phoneNumber,omitempty"`
	SupportPhoneNumber    *string `json:"supportPhoneNumber,omitempty"`
	EndUserSupportHelpURL *string `json:"endUserSupportHelpURL,omitempty"`
	Address1              *string `json:"address1,omitempty"`
	Address2              *string `json:"address2,omitempty"`
	City                  *string `json:"city,omitempty"`
	State                 *string `json:"state,omitempty"`
	Country               *string `json:"country,omitempty"`
	PostalCode            *string `json:"postalCode,omitempty"`
}

// fields lists the details in a fixed order, for merging.
func (d *OrgDetails) fields() []**string {
	return []**string{&d.CompanyName, &d.Website, &d.PhoneNumber, &d.SupportPhoneNumber, &d.EndUserSupportHelpURL,
		&d.Address1, &d.Address2, &d.City, &d.State, &d.Country, &d.PostalCode}
}

// Merge is a partial update (updateOrgSettings): every field set in in replaces d's; an empty
// string clears the field.
func (d OrgDetails) Merge(in OrgDetails) OrgDetails {
	dst, src := d.fields(), in.fields()
	for i := range dst {
		if *src[i] != nil {
			*dst[i] = *src[i]
		}
	}
	return d.normalized()
}

// normalized clears the fields set to an empty string, so "" and null read back alike.
func (d OrgDetails) normalized() OrgDetails {
	for _, f := range d.fields() {
		if *f != nil && **f == "" {
			*f = nil
		}
	}
	return d
}

// Replace is a full update (replaceOrgSettings): Okta deletes every property the request
// does not name (https://developer.okta.com/docs/reference/api/org/#update-org-setting).
func (d OrgDetails) Replace(in OrgDetails) OrgDetails { return in.normalized() }

// Org contact types (getOrgContactTypes), in Okta's order.
const (
	ContactBilling   = "BILLING"
	ContactTechnical = "TECHNICAL"
)

// ContactTypes lists them.
var ContactTypes = []string{ContactBilling, ContactTechnical}

// ContactType returns the contact type a path names, in either case (Okta's own links spell
// them in lower case, its reference in upper case), and whether it is one.
func ContactType(s string) (string, bool) {
	t := strings.ToUpper(s)
	return t, t == ContactBilling || t == ContactTechnical
}

// OrgSettings is what okapi stores of an org's Org Settings: the details, the users chosen as
// contacts (contact type to user id; a type not there has the default contact) and whether
// end users' pages hide Okta's footer (Okta shows it by default).
type OrgSettings struct {
	OrgDetails
	Contacts          map[string]string `json:"contacts,omitempty"`
	HideEndUserFooter bool              `json:"hideEndUserFooter,omitempty"`
	// LastUpdated is when the details last changed (the org's creation until then).
	LastUpdated Time `json:"-"`
}
