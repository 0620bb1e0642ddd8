package domain

import (
	"crypto/sha256"
	"slices"
)

// Self-service features (the Features API, https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Feature/,
// and "Feature lifecycle management", https://developer.okta.com/docs/concepts/feature-lifecycle-management/):
// the Early Access and Beta features an admin may enable or disable. Which features an Okta org
// offers depends on its cell and release; okapi gives every org the same small catalog below,
// with one dependency chain so the dependency rules can be exercised.

// Feature statuses and stages, as the spec's EnabledStatus, FeatureStageValue and
// FeatureStageState name them.
const (
	FeatureEnabled  = "ENABLED"
	FeatureDisabled = "DISABLED"

	StageEA     = "EA"
	StageBeta   = "BETA"
	StageOpen   = "OPEN"
	StageClosed = "CLOSED"

	// FeatureTypeSelfService is the only type the Features API lists.
	FeatureTypeSelfService = "self-service"
)

// PrefixFeature is the prefix of a feature id ("ftrZooGoT8b41iWRiQs7" in Okta's examples).
const PrefixFeature = "ftr"

// Feature is one feature of the catalog with its default status.
type Feature struct {
	ID          string
	Name        string
	Description string
	// Stage is EA or BETA; State is OPEN or CLOSED for a Beta and "" for EA (Okta returns no
	// state for an EA feature: spec FeatureStage).
	Stage, State string
	// Default is the status a new (or reset) org has.
	Default string
	// DependsOn lists the ids of the features this one needs enabled (direct dependencies).
	DependsOn []string
}

// ClosedBeta reports whether the feature is a closed Beta: Okta lets an admin disable one but
// not enable it ("contact Okta Support").
func (f Feature) ClosedBeta() bool { return f.Stage == StageBeta && f.State == StageClosed }

// FeatureID is the id okapi gives the feature named name: "ftr" and 17 base62 characters of
// the name's SHA-256, the same in every org and every run, so tests and seed files can name
// features by id.
func FeatureID(name string) string {
	sum := sha256.Sum256([]byte(name))
	b := make([]byte, 0, 20)
	b = append(b, PrefixFeature...)
	for _, c := range sum[:17] {
		b = append(b, base62[int(c)%62])
	}
	return string(b)
}

// Names of the catalog's features.
const (
	FeatureDeviceAssurance  = "Device Assurance Policies"
	FeatureAndroidTrust     = "Android Device Trust"
	FeatureRemediation      = "Device Assurance Remediation"
	FeatureDynamicIssuer    = "Dynamic Issuer Mode"
	FeatureEventHookFilter  = "Event Hook Filtering"
	FeatureThreatProtection = "Identity Threat Protection"
)

// featureCatalog is every org's features, in the order the API lists them. The first has no
// dependencies, so a client may toggle features[0] without force, as the SDKs' integration
// tests do. Android Device Trust needs Device Assurance Policies; Device Assurance
// Remediation needs Android Device Trust (and so, transitively, Device Assurance Policies).
var featureCatalog = []Feature{
	{Name: FeatureDeviceAssurance, Stage: StageEA, Default: FeatureDisabled,
		Description: "Define device assurance policies (OS version, disk encryption, screen lock) that authentication policies can require"},
	{Name: FeatureAndroidTrust, Stage: StageEA, Default: FeatureDisabled,
		Description: "Check that Android devices are managed and meet a device assurance policy before they access apps",
		DependsOn:   []string{FeatureID(FeatureDeviceAssurance)}},
	{Name: FeatureRemediation, Stage: StageBeta, State: StageOpen, Default: FeatureDisabled,
		Description: "Show end users how to fix a device that fails a device assurance policy",
		DependsOn:   []string{FeatureID(FeatureAndroidTrust)}},
	{Name: FeatureDynamicIssuer, Stage: StageEA, Default: FeatureDisabled,
		Description: "Let OpenID Connect apps use the domain a request was made on as the issuer of their tokens"},
	{Name: FeatureEventHookFilter, Stage: StageEA, Default: FeatureEnabled,
		Description: "Filter the events an event hook delivers with an Okta Expression Language condition"},
	{Name: FeatureThreatProtection, Stage: StageBeta, State: StageClosed, Default: FeatureDisabled,
		Description: "Evaluate risk continuously during sessions and react to risk changes reported by security partners"},
}

func init() {
	for i := range featureCatalog {
		featureCatalog[i].ID = FeatureID(featureCatalog[i].Name)
	}
}

// Features returns the catalog, in list order.
func Features() []Feature { return slices.Clone(featureCatalog) }

// FeatureByID returns the catalog's feature with id.
func FeatureByID(id string) (Feature, bool) {
	for _, f := range featureCatalog {
		if f.ID == id {
			return f, true
		}
	}
	return Feature{}, false
}

// FeatureDependencies returns the features f needs enabled, direct and transitive, in catalog
// order: what mode=force enables along with it.
func FeatureDependencies(f Feature) []Feature {
	return closure(f.ID, func(c Feature) []string { return c.DependsOn })
}

// FeatureDependents returns the features that need f, direct and transitive, in catalog order:
// what mode=force disables along with it.
func FeatureDependents(f Feature) []Feature {
	return closure(f.ID, func(c Feature) []string {
		var out []string
		for _, d := range featureCatalog {
			if slices.Contains(d.DependsOn, c.ID) {
				out = append(out, d.ID)
			}
		}
		return out
	})
}

// closure walks next from the feature id and returns every feature reached, in catalog order.
func closure(id string, next func(Feature) []string) []Feature {
	seen := map[string]bool{}
	queue := []string{id}
	for len(queue) > 0 {
		cur, _ := FeatureByID(queue[0])
		queue = queue[1:]
		for _, n := range next(cur) {
			if !seen[n] && n != id {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	var out []Feature
	for _, f := range featureCatalog {
		if seen[f.ID] {
			out = append(out, f)
		}
	}
	return out
}
