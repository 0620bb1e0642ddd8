package httpapi_test

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/okapi-dev/okapi/internal/oastest"
)

// TestOrgSettingsSDK drives the Org Settings API with the official v5 client (which has no
// integration test of its own for it): a read, the SDK's read-modify-replace with the
// read-only fields sent back, a partial update, contacts and the footer preference.
func TestOrgSettingsSDK(t *testing.T) {
	e := newEnv(t, "")
	srv := httptest.NewServer(oastest.Handler(t, e.api))
	t.Cleanup(srv.Close)
	cfg, err := okta.NewConfiguration(okta.WithOrgUrl(srv.URL), okta.WithToken(testToken), okta.WithCache(false))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	cfg.Host, cfg.Scheme = u.Host, u.Scheme
	c, ctx := okta.NewAPIClient(cfg), cfg.Context
	api := c.OrgSettingAPI

	s, _, err := api.GetOrgSettings(ctx).Execute()
	if err != nil || s.GetSubdomain() != "default" || s.GetStatus() != "ACTIVE" || s.ExpiresAt != nil || s.Website != nil {
		t.Fatalf("GetOrgSettings: %+v %v", s, err)
	}
	s.SetCompanyName("Acme")
	s.SetCity("Lyon")
	r, _, err := api.ReplaceOrgSettings(ctx).OrgSetting(*s).Execute()
	if err != nil || r.GetCompanyName() != "Acme" || r.GetCity() != "Lyon" || r.GetId() != s.GetId() {
		t.Fatalf("ReplaceOrgSettings: %+v %v", r, err)
	}
	var patch okta.OrgSetting
	patch.SetWebsite("https://acme.example")
	p, _, err := api.UpdateOrgSettings(ctx).OrgSetting(patch).Execute()
	if err != nil || p.GetWebsite() != "https://acme.example" || p.GetCity() != "Lyon" {
		t.Fatalf("UpdateOrgSettings: %+v %v", p, err)
	}

	types, _, err := api.GetOrgContactTypes(ctx).Execute()
	if err != nil || len(types) != 2 || types[0].GetContactType() != "BILLING" {
		t.Fatalf("GetOrgContactTypes: %+v %v", types, err)
	}
	billing, _, err := api.GetOrgContactUser(ctx, "BILLING").Execute()
	if err != nil || billing.GetUserId() == "" {
		t.Fatalf("GetOrgContactUser: %+v %v", billing, err)
	}
	set, _, err := api.ReplaceOrgContactUser(ctx, "TECHNICAL").OrgContactUser(okta.OrgContactUser{UserId: billing.UserId}).Execute()
	if err != nil || set.GetUserId() != billing.GetUserId() {
		t.Fatalf("ReplaceOrgContactUser: %+v %v", set, err)
	}

	hidden, _, err := api.UpdateOrgHideOktaUIFooter(ctx).Execute()
	if err != nil || hidden.GetShowEndUserFooter() {
		t.Fatalf("UpdateOrgHideOktaUIFooter: %+v %v", hidden, err)
	}
	prefs, _, err := api.GetOrgPreferences(ctx).Execute()
	if err != nil || prefs.GetShowEndUserFooter() {
		t.Fatalf("GetOrgPreferences: %+v %v", prefs, err)
	}
	shown, _, err := api.UpdateOrgShowOktaUIFooter(ctx).Execute()
	if err != nil || !shown.GetShowEndUserFooter() {
		t.Fatalf("UpdateOrgShowOktaUIFooter: %+v %v", shown, err)
	}
}
