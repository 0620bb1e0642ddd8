package httpapi_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// jsonFeature is the decoded Feature object.
type jsonFeature struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Stage       struct {
		State *string `json:"state"`
		Value string  `json:"value"`
	} `json:"stage"`
	Status string                    `json:"status"`
	Type   string                    `json:"type"`
	Links  map[string]map[string]any `json:"_links"`
}

var (
	ftrAssurance   = domain.FeatureID(domain.FeatureDeviceAssurance)
	ftrAndroid     = domain.FeatureID(domain.FeatureAndroidTrust)
	ftrRemediation = domain.FeatureID(domain.FeatureRemediation)
	ftrClosedBeta  = domain.FeatureID(domain.FeatureThreatProtection)
	ftrHookFilter  = domain.FeatureID(domain.FeatureEventHookFilter)
)

func (e *groupsEnv) features(path string) []jsonFeature {
	e.t.Helper()
	return decodeAs[[]jsonFeature](e.t, e.must(200, "GET", path, nil))
}

func (e *groupsEnv) featureStatus(id string) string {
	e.t.Helper()
	return decodeAs[jsonFeature](e.t, e.must(200, "GET", "/api/v1/features/"+id, nil)).Status
}

func ids(fs []jsonFeature) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// TestFeaturesList: every org starts with the catalog, with stable ids, Okta's object shape (an
// EA stage has no state) and the defaults; get returns the same object; an unknown id is 404.
func TestFeaturesList(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		list := e.features("/api/v1/features")
		if len(list) != len(domain.Features()) || list[0].ID != ftrAssurance {
			t.Fatalf("features %v, want the catalog starting with %s", ids(list), ftrAssurance)
		}
		for _, f := range list {
			if !domain.ValidID(f.ID, domain.PrefixFeature) || f.Name == "" || f.Description == "" || f.Type != "self-service" {
				t.Errorf("feature %+v", f)
			}
			if (f.Stage.Value == "EA") != (f.Stage.State == nil) {
				t.Errorf("%s: stage %s state %v; EA has no state, a Beta has one", f.Name, f.Stage.Value, f.Stage.State)
			}
			for _, l := range []string{"self", "dependents", "dependencies"} {
				if !strings.HasSuffix(f.Links[l]["href"].(string), "/api/v1/features/"+f.ID+strings.TrimPrefix("/"+l, "/self")) {
					t.Errorf("%s: link %s = %v", f.Name, l, f.Links[l])
				}
			}
			action := map[string]string{"DISABLED": "enable", "ENABLED": "disable"}[f.Status]
			if f.Links[action] == nil {
				t.Errorf("%s (%s): no %s link in %v", f.Name, f.Status, action, f.Links)
			}
			got := decodeAs[jsonFeature](t, e.must(200, "GET", "/api/v1/features/"+f.ID, nil))
			if got.ID != f.ID || got.Status != f.Status || got.Name != f.Name {
				t.Errorf("get %s = %+v, list has %+v", f.ID, got, f)
			}
		}
		if e.featureStatus(ftrHookFilter) != "ENABLED" || e.featureStatus(ftrAndroid) != "DISABLED" {
			t.Error("defaults: Event Hook Filtering enabled, Android Device Trust disabled")
		}
		for _, p := range []string{"", "/dependencies", "/dependents"} {
			resp, data := e.do("GET", "/api/v1/features/ftrNoSuchFeature00000"+p, nil)
			if err := decodeAs[jsonError](t, data); resp.StatusCode != 404 || err.ErrorCode != "E0000007" ||
				err.ErrorSummary != "Not found: Resource not found: ftrNoSuchFeature00000 (Feature)" {
				t.Errorf("GET unknown%s: %d %s", p, resp.StatusCode, data)
			}
		}
	})
}

// TestFeatureDependencies: dependencies and dependents are transitive, in list order.
func TestFeatureDependencies(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		for _, c := range []struct {
			path string
			want []string
		}{
			{ftrRemediation + "/dependencies", []string{ftrAssurance, ftrAndroid}},
			{ftrAndroid + "/dependencies", []string{ftrAssurance}},
			{ftrAssurance + "/dependencies", []string{}},
			{ftrAssurance + "/dependents", []string{ftrAndroid, ftrRemediation}},
			{ftrRemediation + "/dependents", []string{}},
			{ftrHookFilter + "/dependents", []string{}},
		} {
			if got := ids(e.features("/api/v1/features/" + c.path)); !slices.Equal(got, c.want) {
				t.Errorf("%s = %v, want %v", c.path, got, c.want)
			}
		}
	})
}

// TestFeatureLifecycle: the dependency rules of updateFeatureLifecycle with and without
// mode=force, closed Betas, both spellings of the lifecycle, a bad one, and the System Log.
func TestFeatureLifecycle(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		post := func(id, lifecycle, mode string, status int, code string) {
			t.Helper()
			path := "/api/v1/features/" + id + "/" + lifecycle
			if mode != "" {
				path += "?mode=" + url.QueryEscape(mode)
			}
			resp, data := e.do("POST", path, nil)
			if resp.StatusCode != status {
				t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, status, data)
			}
			if code != "" && decodeAs[jsonError](t, data).ErrorCode != code {
				t.Fatalf("POST %s: %s, want %s", path, data, code)
			}
		}
		want := func(step string, statuses map[string]string) {
			t.Helper()
			for id, st := range statuses {
				if got := e.featureStatus(id); got != st {
					t.Errorf("%s: %s is %s, want %s", step, id, got, st)
				}
			}
		}
		// Enabling with a disabled dependency fails and changes nothing...
		post(ftrRemediation, "enable", "", 400, "E0000001")
		want("refused enable", map[string]string{ftrRemediation: "DISABLED", ftrAndroid: "DISABLED", ftrAssurance: "DISABLED"})
		// ... a mode other than force is no force; force enables the dependencies, transitively.
		post(ftrRemediation, "enable", "gentle", 400, "E0000001")
		post(ftrRemediation, "ENABLE", "force", 200, "")
		want("forced enable", map[string]string{ftrRemediation: "ENABLED", ftrAndroid: "ENABLED", ftrAssurance: "ENABLED"})
		// Disabling a feature others need fails; force disables the dependents too.
		post(ftrAssurance, "disable", "", 400, "E0000001")
		want("refused disable", map[string]string{ftrAssurance: "ENABLED", ftrRemediation: "ENABLED"})
		post(ftrRemediation, "disable", "", 200, "")
		post(ftrAssurance, "DISABLE", "force", 200, "")
		want("forced disable", map[string]string{ftrRemediation: "DISABLED", ftrAndroid: "DISABLED", ftrAssurance: "DISABLED"})
		// Without dependencies in the way the plain change works; repeating it is a no-op.
		post(ftrAssurance, "enable", "", 200, "")
		post(ftrAssurance, "enable", "", 200, "")
		post(ftrAndroid, "enable", "", 200, "")
		want("plain enable", map[string]string{ftrAssurance: "ENABLED", ftrAndroid: "ENABLED"})
		// A closed Beta cannot be enabled, even by force; disabling one is allowed.
		post(ftrClosedBeta, "enable", "force", 400, "E0000001")
		post(ftrClosedBeta, "disable", "", 200, "")
		post(ftrAndroid, "activate", "", 400, "E0000001")
		post("ftrNoSuchFeature00000", "enable", "", 404, "E0000007")

		// One event per status change: 3 forced on, 1 plain off, 2 forced off, 2 plain on.
		logs := decodeAs[[]map[string]any](t, e.must(200, "GET", "/api/v1/logs?limit=100&filter="+url.QueryEscape(`eventType eq "system.feature.update"`), nil))
		if len(logs) != 8 {
			t.Errorf("%d system.feature.update events, want 8", len(logs))
		}
	})
}

// TestFeaturesReset: a reset org is back at the catalog's defaults.
func TestFeaturesReset(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		e.must(200, "POST", "/api/v1/features/"+ftrHookFilter+"/disable", nil)
		if err := e.svc.ResetOrg(t.Context(), e.org.Name, false); err != nil {
			t.Fatal(err)
		}
		if got := e.featureStatus(ftrHookFilter); got != "ENABLED" {
			t.Errorf("after reset %s is %s, want the default ENABLED", ftrHookFilter, got)
		}
	})
}

// TestFeaturesNeedSuperAdmin: an org admin may neither read nor change features.
func TestFeaturesNeedSuperAdmin(t *testing.T) {
	e := newGroupsEnvOn(t, "")
	orgAdmin := makeAdmin(t, e, "org@example.com", "ORG_ADMIN")
	for _, q := range [][2]string{{"GET", "/api/v1/features"}, {"POST", "/api/v1/features/" + ftrAssurance + "/enable"}} {
		if status, code := orgAdmin.status(q[0], q[1], nil); status != 403 || code != "E0000006" {
			t.Errorf("%s %s as ORG_ADMIN: %d %s, want 403 E0000006", q[0], q[1], status, code)
		}
	}
}
