// Package policy holds Okta's policies and policy rules: their shape, the rules a create or
// replace must pass, priorities, and the default policies every org starts with. It knows
// nothing of HTTP or SQL. Source: Okta's Policies API (operations createPolicy, replacePolicy,
// createPolicyRule...) and "Policies" in Okta's concepts documentation.
package policy

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Statuses.
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
)

// Types are the spec's PolicyType values okapi serves, each with the type its rules have.
var ruleTypes = map[string]string{
	"OKTA_SIGN_ON": "SIGN_ON", "PASSWORD": "PASSWORD", "MFA_ENROLL": "MFA_ENROLL",
	"ACCESS_POLICY": "ACCESS_POLICY", "PROFILE_ENROLLMENT": "PROFILE_ENROLLMENT",
	"IDP_DISCOVERY": "IDP_DISCOVERY", "CONTINUOUS_ACCESS": "CONTINUOUS_ACCESS", "ENTITY_RISK": "ENTITY_RISK",
}

// RuleType is the type of the rules of a policy of type t ("" for an unknown t).
func RuleType(t string) string { return ruleTypes[t] }

// identityEngine are the types whose ids Okta starts with rst/rul instead of 00p/0pr.
var identityEngine = []string{"ACCESS_POLICY", "PROFILE_ENROLLMENT", "CONTINUOUS_ACCESS", "ENTITY_RISK"}

// IDPrefixes returns the id prefixes of a policy of type t and of its rules.
func IDPrefixes(t string) (policy, rule string) {
	if slices.Contains(identityEngine, t) {
		return "rst", "rul"
	}
	return "00p", "0pr"
}

// Policy is an Okta policy. Conditions and Settings are kept as sent: their shapes depend on
// the type and okapi does not interpret them yet (beyond the defaults it writes).
type Policy struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Priority    int            `json:"priority"`
	System      bool           `json:"system"`
	Type        string         `json:"type"`
	Conditions  map[string]any `json:"conditions,omitempty"`
	Settings    map[string]any `json:"settings,omitempty"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
}

// Rule is a rule of a policy.
type Rule struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Name        string         `json:"name"`
	Priority    int            `json:"priority"`
	System      bool           `json:"system"`
	Type        string         `json:"type"`
	Conditions  map[string]any `json:"conditions,omitempty"`
	Actions     map[string]any `json:"actions,omitempty"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
	// PolicyID is the policy the rule belongs to; not part of Okta's shape.
	PolicyID string `json:"-"`
}

func validateCommon(fe *domain.FieldErrors, name, status string, priority int) {
	switch {
	case strings.TrimSpace(name) == "":
		fe.Add("name", "The field cannot be left blank")
	case utf8.RuneCountInString(name) > 255:
		fe.Add("name", "The field cannot exceed 255 characters")
	}
	switch status {
	case "", StatusActive, StatusInactive:
	default:
		fe.Add("status", "The status: "+status+" is invalid. Use ACTIVE or INACTIVE.")
	}
	if priority < 0 {
		fe.Add("priority", "The priority must be a positive number")
	}
}

// Validate checks a policy for create or replace: 400 E0000001 with one cause per problem.
// IDP_DISCOVERY policies cannot be created (the spec's PolicyType note).
func (p Policy) Validate() error {
	var fe domain.FieldErrors
	validateCommon(&fe, p.Name, p.Status, p.Priority)
	switch {
	case p.Type == "":
		fe.Add("type", "The field cannot be left blank")
	case ruleTypes[p.Type] == "":
		fe.Add("type", "The policy type: "+strconv.Quote(p.Type)+" is not supported")
	}
	return fe.Err()
}

// Validate checks a rule of a policy of type policyType.
func (r Rule) Validate(policyType string) error {
	var fe domain.FieldErrors
	validateCommon(&fe, r.Name, r.Status, r.Priority)
	if want := ruleTypes[policyType]; r.Type != want {
		fe.Add("type", "The rule type must be "+want+" for a "+policyType+" policy")
	}
	return fe.Err()
}

// Prioritized is what Reorder needs of a policy or rule.
type Prioritized interface {
	GetPriority() int
	IsSystem() bool
}

// GetPriority implements Prioritized.
func (p Policy) GetPriority() int { return p.Priority }

// IsSystem implements Prioritized.
func (p Policy) IsSystem() bool { return p.System }

// GetPriority implements Prioritized.
func (r Rule) GetPriority() int { return r.Priority }

// IsSystem implements Prioritized.
func (r Rule) IsSystem() bool { return r.System }

// Place returns the order of ids after putting id at priority want (1-based; 0 or past the end
// means last) among others, which are in priority order: Okta keeps priorities 1..n without
// gaps and its system (default) policy or rule last, below every other.
func Place[T Prioritized](others []T, ids []string, id string, want int, system bool) []string {
	var order []string
	var tail []string
	for i, o := range others {
		if ids[i] == id {
			continue
		}
		if o.IsSystem() {
			tail = append(tail, ids[i])
		} else {
			order = append(order, ids[i])
		}
	}
	if system {
		return append(append(order, tail...), id)
	}
	pos := want - 1
	if pos < 0 || pos > len(order) {
		pos = len(order)
	}
	order = slices.Insert(order, pos, id)
	return append(order, tail...)
}
