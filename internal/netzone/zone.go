package netzone

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDPrefix starts every zone id: "nzo" and 17 base62 characters.
const IDPrefix = "nzo"

// Type is a zone's kind and the JSON discriminator the v5 SDK dispatches on.
type Type string

// Zone types.
const (
	TypeIP        Type = "IP"
	TypeDynamic   Type = "DYNAMIC"
	TypeDynamicV2 Type = "DYNAMIC_V2"
)

// Usage says whether a zone feeds policies or blocks traffic.
type Usage string

// Zone usages.
const (
	UsagePolicy    Usage = "POLICY"
	UsageBlocklist Usage = "BLOCKLIST"
)

// Status is a zone's lifecycle status.
type Status string

// Zone statuses.
const (
	StatusActive   Status = "ACTIVE"
	StatusInactive Status = "INACTIVE"
)

// Limits from Okta's documentation. Entry limits apply to gateways and to proxies separately.
const (
	MaxNameLength       = 128
	MaxEntries          = 150
	MaxBlocklistEntries = 1000
	MaxSystemEntries    = 5000
)

// Zone is an Okta Network Zone. IP zones use Gateways and Proxies; DYNAMIC and DYNAMIC_V2 zones
// use Locations, ASNs, ProxyType and IPServiceCategories, which okapi stores and echoes but cannot
// evaluate (it has no geo-IP or ASN data), so dynamic zones never match a request.
//
// Locations, ASNs and IPServiceCategories are raw JSON because their shape depends on Type:
// DYNAMIC has locations [{country, region}] and asns ["123"]; DYNAMIC_V2 has locations
// {include, exclude}, asns {include} and ipServiceCategories {include, exclude}. Validate checks
// the shape.
type Zone struct {
	ID                  string          `json:"id"`
	Name                string          `json:"name"`
	Type                Type            `json:"type"`
	Usage               Usage           `json:"usage"`
	Status              Status          `json:"status"`
	System              bool            `json:"system"`
	Gateways            []Address       `json:"gateways,omitempty"`
	Proxies             []Address       `json:"proxies,omitempty"`
	UseAsExemptList     bool            `json:"useAsExemptList,omitempty"`
	Locations           json.RawMessage `json:"locations,omitempty"`
	ASNs                json.RawMessage `json:"asns,omitempty"`
	ProxyType           string          `json:"proxyType,omitempty"`
	IPServiceCategories json.RawMessage `json:"ipServiceCategories,omitempty"`
	Created             domain.Time     `json:"created"`
	LastUpdated         domain.Time     `json:"lastUpdated"`
}

// SetDefaults fills what a create or replace may omit: usage POLICY, status ACTIVE. It also turns
// explicit JSON nulls into absent fields.
func (z *Zone) SetDefaults() {
	if z.Usage == "" {
		z.Usage = UsagePolicy
	}
	if z.Status == "" {
		z.Status = StatusActive
	}
	for _, raw := range []*json.RawMessage{&z.Locations, &z.ASNs, &z.IPServiceCategories} {
		if isNull(*raw) {
			*raw = nil
		}
	}
}

// Validate checks a zone for create. It returns nil or a 400 E0000001 domain error with one
// cause per problem. Empty usage and status are accepted as their defaults. The service, not the
// client, decides System, ID and timestamps, so they are not checked.
func (z Zone) Validate() error {
	var fe domain.FieldErrors
	z.validate(&fe)
	return fe.Err()
}

// ValidateReplace checks a zone sent with PUT against the stored one: everything Validate checks,
// and the type cannot change (400 E0000001 "Api validation failed: type").
func (z Zone) ValidateReplace(old Zone) error {
	var fe domain.FieldErrors
	if z.Type != "" && z.Type != old.Type {
		fe.Add("type", "The zone type cannot be changed from "+string(old.Type)+" to "+string(z.Type)+".")
	}
	z.validate(&fe)
	return fe.Err()
}

func (z Zone) validate(fe *domain.FieldErrors) {
	switch n := utf8.RuneCountInString(z.Name); {
	case isBlank(z.Name):
		fe.Add("name", "The field cannot be left blank")
	case n > MaxNameLength:
		fe.Add("name", "The field cannot exceed "+strconv.Itoa(MaxNameLength)+" characters")
	}
	switch z.Usage {
	case "", UsagePolicy, UsageBlocklist:
	default:
		fe.Add("usage", "The usage: "+string(z.Usage)+" is invalid. Use POLICY or BLOCKLIST.")
	}
	switch z.Status {
	case "", StatusActive, StatusInactive:
	default:
		fe.Add("status", "The status: "+string(z.Status)+" is invalid. Use ACTIVE or INACTIVE.")
	}
	switch z.Type {
	case "":
		fe.Add("type", "The field cannot be left blank")
	case TypeIP:
		z.validateIP(fe)
	case TypeDynamic, TypeDynamicV2:
		if len(z.Gateways) > 0 {
			fe.Add("gateways", "The field is only valid for IP zones.")
		}
		if len(z.Proxies) > 0 {
			fe.Add("proxies", "The field is only valid for IP zones.")
		}
		z.validateDynamic(fe)
	default:
		fe.Add("type", "The type: "+string(z.Type)+" is invalid. Use IP, DYNAMIC or DYNAMIC_V2.")
	}
}

func (z Zone) validateIP(fe *domain.FieldErrors) {
	// Okta's system zones (LegacyIpZone, BlockedIpZone) start with no entries at all.
	if len(z.Gateways) == 0 && len(z.Proxies) == 0 && !z.System {
		fe.Add("gateways", "An IP zone needs at least one gateway or proxy.")
	}
	limit := z.entryLimit()
	validateAddresses(fe, "gateways", z.Gateways, limit)
	validateAddresses(fe, "proxies", z.Proxies, limit)
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"locations", len(z.Locations) > 0},
		{"asns", len(z.ASNs) > 0},
		{"proxyType", z.ProxyType != ""},
		{"ipServiceCategories", len(z.IPServiceCategories) > 0},
	} {
		if f.set {
			fe.Add(f.name, "The field is only valid for DYNAMIC zones.")
		}
	}
}

// entryLimit is the per-list entry cap: the system zone's, then blocklists', then the default.
func (z Zone) entryLimit() int {
	switch {
	case z.System:
		return MaxSystemEntries
	case z.Usage == UsageBlocklist:
		return MaxBlocklistEntries
	default:
		return MaxEntries
	}
}

func validateAddresses(fe *domain.FieldErrors, field string, addrs []Address, limit int) {
	if len(addrs) > limit {
		// Entries are not checked one by one: a huge list would give a huge error.
		fe.Add(field, "The number of IPs, IP ranges and CIDRs cannot exceed "+strconv.Itoa(limit)+".")
		return
	}
	for _, a := range addrs {
		if _, err := a.Parse(); err != nil {
			fe.Add(field, err.Error())
		}
	}
}

// IsID reports whether id has the form of a zone id, so a handler can answer 404 without a
// lookup.
func IsID(id string) bool {
	return domain.ValidID(id, IDPrefix)
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
