package service_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/service"
)

// TestOriginsAndZones runs the trusted-origin and zone use cases on both backends, so the SQL
// (unique normalised origins, JSON columns, booleans) is checked on PostgreSQL too.
func TestOriginsAndZones(t *testing.T) {
	backends := storeBackends()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			runOriginsAndZones(t, service.New(db, nil, nil, nil))
		})
	}
}

func runOriginsAndZones(t *testing.T, svc *service.Service) {
	ctx := context.Background()
	org, _, err := svc.CreateOrg(ctx, service.OrgSetup{Name: "org-" + domain.CryptoIDs{}.Random(10)})
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID, UserID: "00uadmin"})

	o, err := svc.CreateTrustedOrigin(ctx, origin.TrustedOrigin{Name: "App", Origin: "https://App.example.com:443",
		Scopes: []origin.Scope{{Type: origin.ScopeIframeEmbed, AllowedOktaApps: []string{origin.AppOktaEndUser}}, {Type: origin.ScopeCORS}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.CreateTrustedOrigin(ctx, origin.TrustedOrigin{Name: "Other", Origin: "https://app.example.com", Scopes: []origin.Scope{{Type: origin.ScopeCORS}}})
	if de, ok := domain.AsError(err); !ok || de.Summary != "Api validation failed: origin" {
		t.Errorf("duplicate normalised origin: %v", err)
	}
	got, err := svc.GetTrustedOrigin(ctx, o.ID)
	if err != nil || got.Origin != "https://App.example.com:443" || len(got.Scopes) != 2 || got.Scopes[0].AllowedOktaApps[0] != origin.AppOktaEndUser {
		t.Errorf("stored %+v, %v", got, err)
	}
	for origin, want := range map[string]bool{"https://app.example.com": true, "https://app.example.com.evil.test": false} {
		if ok, err := svc.CORSAllowed(ctx, org.ID, origin); ok != want || err != nil {
			t.Errorf("CORSAllowed(%s) = %v, %v", origin, ok, err)
		}
	}
	if _, err := svc.SetTrustedOriginStatus(ctx, o.ID, origin.StatusInactive); err != nil {
		t.Fatal(err)
	}
	if ok, _ := svc.CORSAllowed(ctx, org.ID, "https://app.example.com"); ok {
		t.Error("inactive origin allowed")
	}
	if err := svc.DeleteTrustedOrigin(ctx, o.ID); err != nil {
		t.Fatal(err)
	}

	zonePage, err := svc.ListZones(ctx, service.ListParams{Limit: -1})
	zones := zonePage.Items
	if err != nil || len(zones) != 3 || !zones[0].System || !zones[2].System {
		t.Fatalf("system zones %+v, %v", zones, err)
	}
	z, err := svc.CreateZone(ctx, netzone.Zone{Name: "Branch", Type: netzone.TypeIP,
		Gateways: []netzone.Address{{Type: netzone.AddressCIDR, Value: "2001:db8::/32"}},
		Proxies:  []netzone.Address{{Type: netzone.AddressRange, Value: "10.0.0.1-10.0.0.9"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateZone(ctx, netzone.Zone{Name: "Branch", Type: netzone.TypeIP,
		Gateways: []netzone.Address{{Type: netzone.AddressCIDR, Value: "1.0.0.0/8"}}}); err == nil {
		t.Error("duplicate zone name accepted")
	}
	n, err := svc.ResolveNetwork(ctx, org.ID, netip.MustParseAddr("10.0.0.5"), []string{"2001:db8::7"}, nil)
	if err != nil || n.Client.String() != "2001:db8::7" || n.Zone != "Branch" {
		t.Errorf("ResolveNetwork = %+v, %v", n, err)
	}
	if err := svc.DeleteZone(ctx, zones[0].ID); !errors.Is(err, &domain.Error{Code: domain.CodeForbidden}) {
		t.Errorf("deleting a system zone: %v", err)
	}
	if err := svc.DeleteZone(ctx, z.ID); err != nil {
		t.Fatal(err)
	}
}
