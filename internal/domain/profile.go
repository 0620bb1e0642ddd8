package domain

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// profileProperty is one property of Okta's base user schema.
type profileProperty struct {
	required bool
	min, max int
	// format is "email", "country", "locale" or "".
	format string
}

// BaseProfile is Okta's base user schema (the UserProfile schema of the spec; getUserSchema,
// https://developer.okta.com/docs/reference/api/schemas/#user-profile-base-subschema): the properties every
// user profile has, their lengths and formats.
var BaseProfile = map[string]profileProperty{
	"login":             {required: true, min: 5, max: 100, format: "login"},
	"email":             {required: true, min: 5, max: 100, format: "email"},
	"firstName":         {required: true, min: 1, max: 50},
	"lastName":          {required: true, min: 1, max: 50},
	"secondEmail":       {min: 5, max: 100, format: "email"},
	"middleName":        {},
	"honorificPrefix":   {},
	"honorificSuffix":   {},
	"title":             {},
	"displayName":       {},
	"nickName":          {},
	"profileUrl":        {},
	"userType":          {},
	"employeeNumber":    {},
	"costCenter":        {},
	"organization":      {},
	"division":          {},
	"department":        {},
	"managerId":         {},
	"manager":           {},
	"primaryPhone":      {max: 100},
	"mobilePhone":       {max: 100},
	"streetAddress":     {max: 1024},
	"city":              {max: 128},
	"state":             {max: 128},
	"zipCode":           {max: 50},
	"countryCode":       {format: "country"},
	"postalAddress":     {max: 4096},
	"preferredLanguage": {},
	"locale":            {format: "locale"},
	"timezone":          {},
}

// baseOrder is Okta's order of the base properties, with their titles.
var baseOrder = [][2]string{
	{"login", "Username"}, {"firstName", "First name"}, {"lastName", "Last name"},
	{"middleName", "Middle name"}, {"honorificPrefix", "Honorific prefix"},
	{"honorificSuffix", "Honorific suffix"}, {"email", "Primary email"}, {"title", "Title"},
	{"displayName", "Display name"}, {"nickName", "Nickname"}, {"profileUrl", "Profile Url"},
	{"secondEmail", "Secondary email"}, {"mobilePhone", "Mobile phone"}, {"primaryPhone", "Primary phone"},
	{"streetAddress", "Street address"}, {"city", "City"}, {"state", "State"}, {"zipCode", "Zip code"},
	{"countryCode", "Country code"}, {"postalAddress", "Postal Address"},
	{"preferredLanguage", "Preferred language"}, {"locale", "Locale"}, {"timezone", "Time zone"},
	{"userType", "User type"}, {"employeeNumber", "Employee number"}, {"costCenter", "Cost center"},
	{"organization", "Organization"}, {"division", "Division"}, {"department", "Department"},
	{"managerId", "ManagerId"}, {"manager", "Manager"},
}

var (
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	localePattern  = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
)

// maxCustomString bounds custom string properties, which have no schema to say otherwise.
const maxCustomString = 10000

// ValidateProfile checks a complete profile against the base schema. Custom properties (those
// not in the base schema) may hold a string, number, boolean or array of strings: okapi has no
// schema API yet, so it accepts them rather than refusing what a real org might have defined.
// Every problem becomes one cause of a 400 E0000001.
func ValidateProfile(p map[string]any) error {
	return ValidateProfileSchema(p, ProfileSchema{})
}

// ValidateProfileSchema is ValidateProfile with the custom properties sc declares checked
// against their definitions (ProfileSchema.ValidateCustomProfile).
func ValidateProfileSchema(p map[string]any, sc ProfileSchema) error {
	var fe FieldErrors
	// Okta's order: the required properties first, so the summary names the first of them.
	names := []string{"login", "email", "firstName", "lastName"}
	rest := make([]string, 0, len(BaseProfile))
	for k, prop := range BaseProfile {
		if !prop.required {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range append(names, rest...) {
		checkBase(&fe, k, p[k], sc)
	}
	custom := make([]string, 0)
	for k := range p {
		_, declared := sc.Properties[k]
		if _, base := BaseProfile[k]; !base && !declared {
			custom = append(custom, k)
		}
	}
	sort.Strings(custom)
	for _, k := range custom {
		checkCustom(&fe, k, p[k])
	}
	sc.checkCustomProfile(&fe, p)
	return fe.Err()
}

// checkBase checks base property k's value v, with the org's overrides of required and of
// login's pattern.
func checkBase(fe *FieldErrors, k string, v any, sc ProfileSchema) {
	required := sc.BaseRequired(k)
	if v == nil {
		if required {
			fe.Add(k, "The field cannot be left blank")
		}
		return
	}
	s, ok := v.(string)
	switch {
	case !ok:
		fe.Add(k, "The field must be a string")
	case required && strings.TrimSpace(s) == "":
		fe.Add(k, "The field cannot be left blank")
	case k == "login":
		checkLogin(fe, s, sc.LoginPattern())
	default:
		checkString(fe, k, s, BaseProfile[k])
	}
}

func checkString(fe *FieldErrors, k, s string, prop profileProperty) {
	n := utf8.RuneCountInString(s)
	switch {
	case prop.min > 0 && n < prop.min:
		fe.Add(k, fmt.Sprintf("The field is too short (minimum %d characters)", prop.min))
		return
	case prop.max > 0 && n > prop.max:
		fe.Add(k, fmt.Sprintf("The field is too long (maximum %d characters)", prop.max))
		return
	}
	switch prop.format {
	case "login":
		if !IsEmail(s) {
			fe.Add(k, "Username must be in the form of an email address")
		}
	case "email":
		if !IsEmail(s) {
			fe.Add(k, "Does not match required pattern")
		}
	case "country":
		if !countryPattern.MatchString(s) {
			fe.Add(k, "Does not match required pattern (a two-letter ISO 3166-1 country code)")
		}
	case "locale":
		if !localePattern.MatchString(s) {
			fe.Add(k, "Does not match required pattern (a locale such as en_US)")
		}
	}
}

func checkCustom(fe *FieldErrors, k string, v any) {
	if k == "" || strings.ContainsAny(k, " .\t\n") {
		fe.Add(k, "Property name is not valid")
		return
	}
	switch t := v.(type) {
	case nil, bool, float64:
	case string:
		if utf8.RuneCountInString(t) > maxCustomString {
			fe.Add(k, fmt.Sprintf("The field is too long (maximum %d characters)", maxCustomString))
		}
	case []any:
		for _, e := range t {
			if _, ok := e.(string); !ok {
				fe.Add(k, "Array elements must be strings")
				return
			}
		}
	default:
		fe.Add(k, "The value must be a string, number, boolean or array of strings")
	}
}

// IsEmail reports whether s is a bare RFC 5322 address with a dotted-or-not domain and no
// display name.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1
}

// MergeProfile applies a partial update: properties in patch replace those in base, and a null
// removes the property. base is not modified.
func MergeProfile(base, patch map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(patch))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// CleanProfile drops null properties, which mean "unset".
func CleanProfile(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if v != nil {
			out[k] = v
		}
	}
	return out
}
