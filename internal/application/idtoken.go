package application

import (
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDTokenSettings are an OIDC app's ID token settings as Okta's internal endpoint
// /api/v1/internal/apps/{appId}/settings/oauth/idToken takes them: the issuer mode and the
// groups claim (the claim name, and either an Okta expression or a filter on group names). The
// endpoint is not in Okta's public API; the Terraform okta provider's okta_app_oauth resource
// (groups_claim) calls it on create and reads it back on every refresh.
type IDTokenSettings struct {
	IssuerMode      string `json:"issuerMode,omitempty"`
	ValueType       string `json:"valueType,omitempty"`
	GroupFilterType string `json:"groupFilterType,omitempty"`
	Name            string `json:"name,omitempty"`
	Value           string `json:"value,omitempty"`
}

// The values each field takes: the issuer modes of settings.oauthClient.issuer_mode, and the
// groups claim types and filters of Okta's "Groups claim" (Customize tokens returned from Okta).
var (
	issuerModes      = []string{"ORG_URL", "CUSTOM_URL", "DYNAMIC"}
	claimValueTypes  = []string{"EXPRESSION", "GROUPS"}
	groupFilterTypes = []string{"STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"}
)

// Validate checks settings for the internal endpoint: 400 E0000001 with one cause per problem.
// A claim needs its name and value; a group filter goes only with a GROUPS claim. (Okta's own
// wording for these is unrecorded; the causes follow its usual "field: message" form.)
func (t IDTokenSettings) Validate() error {
	var fe domain.FieldErrors
	oneOf := func(field, v string, allowed []string) {
		if v != "" && !slices.Contains(allowed, v) {
			fe.Add(field, "The value must be one of "+strings.Join(allowed, ", "))
		}
	}
	oneOf("issuerMode", t.IssuerMode, issuerModes)
	oneOf("valueType", t.ValueType, claimValueTypes)
	oneOf("groupFilterType", t.GroupFilterType, groupFilterTypes)
	claim := t.ValueType != "" || t.Name != "" || t.Value != "" || t.GroupFilterType != ""
	blank := func(field, v string) {
		if claim && strings.TrimSpace(v) == "" {
			fe.Add(field, "The field cannot be left blank")
		}
	}
	blank("valueType", t.ValueType)
	blank("name", t.Name)
	blank("value", t.Value)
	if t.GroupFilterType != "" && t.ValueType == "EXPRESSION" {
		fe.Add("groupFilterType", "A group filter is only allowed with valueType GROUPS")
	}
	return fe.Err()
}

// IDTokenDefaults are the settings of an app that never had any: no groups claim, and the
// app's own issuer mode.
func (a App) IDTokenDefaults() IDTokenSettings {
	return IDTokenSettings{IssuerMode: a.issuerMode()}
}

// issuerMode is the app's settings.oauthClient.issuer_mode, ORG_URL (Okta's default) when unset.
func (a App) issuerMode() string {
	if m := a.Str("settings", "oauthClient", "issuer_mode"); m != "" {
		return m
	}
	return "ORG_URL"
}

// WithIssuerMode fills an unset issuer mode from the app.
func (a App) WithIssuerMode(t IDTokenSettings) IDTokenSettings {
	if t.IssuerMode == "" {
		t.IssuerMode = a.issuerMode()
	}
	return t
}
