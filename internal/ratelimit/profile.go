package ratelimit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// Profile names accepted in Config.Profile.
const (
	ProfileFree       = "free"
	ProfileOneApp     = "one-app"
	ProfileEnterprise = "enterprise"
	ProfileWorkforce  = "workforce"
	// ProfileOff never refuses a request but still counts and reports the enterprise numbers,
	// so clients see the same headers as with rate limiting on.
	ProfileOff = "off"
	// ProfileTest allows 5 requests per family per window, so tests can reach a 429 quickly.
	ProfileTest = "test"
)

// DefaultWindow is Okta's window length.
const DefaultWindow = 60 * time.Second

// testLimit is the per-family limit of ProfileTest.
const testLimit = 5

// publishedLimits are the per-minute defaults of Okta's management rate limits
// (https://developer.okta.com/docs/reference/rl-global-mgmt/), one column per profile: free,
// one-app, enterprise, workforce.
var publishedLimits = map[string][4]int{
	FamilyUsers:         {100, 600, 600, 600},
	FamilyUserGet:       {100, 1000, 1000, 2000},
	FamilyUserWrite:     {100, 600, 600, 600},
	FamilyGroups:        {100, 600, 600, 500},
	FamilyGroup:         {100, 600, 600, 1000},
	FamilyApps:          {20, 100, 100, 100},
	FamilyApp:           {100, 600, 600, 500},
	FamilyLogs:          {20, 50, 50, 120},
	FamilyEvents:        {20, 50, 50, 100},
	FamilyAuthn:         {100, 600, 600, 500},
	FamilyAuthnVerify:   {100, 600, 600, 500},
	FamilySessions:      {100, 600, 600, 750},
	FamilyOAuth2Clients: {25, 100, 100, 100},
	FamilyOther:         {100, 600, 600, 1200},
	// Not Okta's: per client IP, the same in every plan. Twenty probes a second is far more
	// than any orchestrator sends.
	FamilyHealth: {healthLimit, healthLimit, healthLimit, healthLimit},
}

// healthLimit is FamilyHealth's limit per window in every profile, ProfileTest included: a
// test harness that polls /readyz until okapi is ready must not be refused after five polls.
const healthLimit = 1200

var profileColumn = map[string]int{
	ProfileFree: 0, ProfileOneApp: 1, ProfileEnterprise: 2, ProfileWorkforce: 3, ProfileOff: 2,
}

// Profiles returns the accepted profile names.
func Profiles() []string {
	return []string{ProfileFree, ProfileOneApp, ProfileEnterprise, ProfileWorkforce, ProfileOff, ProfileTest}
}

// Policy is what a limiter enforces: a window length and a limit per family.
type Policy struct {
	Window time.Duration
	// Limits has an entry for every family.
	Limits map[string]int
	// Enforce false means never refuse (ProfileOff); requests are still counted.
	Enforce bool
}

// ProfilePolicy returns the policy of a named profile ("" is ProfileEnterprise) with the given
// window (0 is DefaultWindow). It fails on an unknown profile name or a window under 1 ms
// (Redis expiry has millisecond resolution).
func ProfilePolicy(profile string, window time.Duration) (Policy, error) {
	if profile == "" {
		profile = ProfileEnterprise
	}
	if window == 0 {
		window = DefaultWindow
	}
	if window < time.Millisecond {
		return Policy{}, fmt.Errorf("ratelimit: window %v is too short (minimum 1ms)", window)
	}
	p := Policy{Window: window, Limits: make(map[string]int, len(families)), Enforce: profile != ProfileOff}
	if profile == ProfileTest {
		for _, f := range families {
			p.Limits[f] = testLimit
		}
		p.Limits[FamilyHealth] = healthLimit
		return p, nil
	}
	col, ok := profileColumn[profile]
	if !ok {
		return Policy{}, fmt.Errorf("ratelimit: unknown profile %q (want one of %s)", profile, strings.Join(Profiles(), ", "))
	}
	for f, row := range publishedLimits {
		p.Limits[f] = row[col]
	}
	return p, nil
}

// overridesFile is the JSON shape of Config.OverridesFile.
type overridesFile struct {
	Families map[string]int `json:"families"`
}

// ApplyOverrides reads {"families": {"<family>": <limit>}} from path and replaces those limits
// in p. It fails, naming the culprit, on an unreadable or malformed file, an unknown field or
// family name, or a limit below 1.
func (p *Policy) ApplyOverrides(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("ratelimit: overrides: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var o overridesFile
	if err := dec.Decode(&o); err != nil {
		return fmt.Errorf("ratelimit: overrides %s: %w", path, err)
	}
	names := make([]string, 0, len(o.Families))
	for name := range o.Families {
		names = append(names, name)
	}
	sort.Strings(names) // report the same culprit on every run
	for _, name := range names {
		if _, ok := publishedLimits[name]; !ok {
			return fmt.Errorf("ratelimit: overrides %s: unknown family %q (want one of %s)", path, name, strings.Join(families, ", "))
		}
		if o.Families[name] < 1 {
			return fmt.Errorf("ratelimit: overrides %s: family %q: limit %d must be at least 1", path, name, o.Families[name])
		}
	}
	for _, name := range names {
		p.Limits[name] = o.Families[name]
	}
	return nil
}
