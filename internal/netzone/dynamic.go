package netzone

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Proxy types a DYNAMIC zone accepts; empty means null (any traffic).
var proxyTypes = map[string]bool{"": true, "Any": true, "Tor": true, "NotTorAnonymizer": true}

// Location is one DYNAMIC zone location: an ISO 3166-1 alpha-2 country and an optional ISO 3166-2
// region such as "US-CA".
type Location struct {
	Country string `json:"country"`
	Region  string `json:"region,omitempty"`
}

type includeExclude[T any] struct {
	Include []T `json:"include,omitempty"`
	Exclude []T `json:"exclude,omitempty"`
}

// validateDynamic checks the shape of the dynamic fields. okapi cannot evaluate them, so it does
// not check that countries, regions or ASNs exist, only that they are well formed.
func (z Zone) validateDynamic(fe *domain.FieldErrors) {
	var locs []Location
	var asns []string
	if z.Type == TypeDynamic {
		if !decodeStrict(z.Locations, &locs) {
			fe.Add("locations", "The field must be a list of {country, region} objects.")
		}
		if !decodeStrict(z.ASNs, &asns) {
			fe.Add("asns", "The field must be a list of ASN strings.")
		}
		if !proxyTypes[z.ProxyType] {
			fe.Add("proxyType", "The proxyType: "+z.ProxyType+" is invalid. Use Any, Tor or NotTorAnonymizer.")
		}
		if len(z.IPServiceCategories) > 0 {
			fe.Add("ipServiceCategories", "The field is only valid for DYNAMIC_V2 zones.")
		}
	} else {
		var l includeExclude[Location]
		var a includeExclude[string]
		var c includeExclude[string]
		if !decodeStrict(z.Locations, &l) {
			fe.Add("locations", "The field must be an object with include and exclude lists of {country, region}.")
		}
		if !decodeStrict(z.ASNs, &a) {
			fe.Add("asns", "The field must be an object with include and exclude lists of ASN strings.")
		}
		if !decodeStrict(z.IPServiceCategories, &c) {
			fe.Add("ipServiceCategories", "The field must be an object with include and exclude lists.")
		}
		if z.ProxyType != "" {
			fe.Add("proxyType", "The field is only valid for DYNAMIC zones.")
		}
		locs = append(l.Include, l.Exclude...)
		asns = append(a.Include, a.Exclude...)
	}
	for _, l := range locs {
		if !isCountry(l.Country) || l.Region != "" && !isRegion(l.Region, l.Country) {
			fe.Add("locations", "The location: "+strings.TrimSpace(l.Country+" "+l.Region)+" is invalid. Use an ISO 3166-1 country code and an optional ISO 3166-2 region.")
		}
	}
	for _, a := range asns {
		if !isASN(a) {
			fe.Add("asns", "The ASN: "+a+" is invalid.")
		}
	}
}

// decodeStrict decodes raw into v, refusing unknown fields. Absent and null are fine.
func decodeStrict(raw json.RawMessage, v any) bool {
	if len(raw) == 0 || isNull(raw) {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v) == nil && !dec.More()
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

func isCountry(s string) bool {
	return len(s) == 2 && isUpper(s[0]) && isUpper(s[1])
}

// isRegion accepts "CC-X" to "CC-XXX" (ISO 3166-2 subdivision codes) for the given country.
func isRegion(s, country string) bool {
	if len(s) < 4 || len(s) > 6 || s[:2] != country || s[2] != '-' {
		return false
	}
	for i := 3; i < len(s); i++ {
		if !isUpper(s[i]) && !(s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

func isASN(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
