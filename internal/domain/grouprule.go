package domain

// PrefixGroupRule starts group rule ids (Okta's "0pr...").
const PrefixGroupRule = "0pr"

// Group rule statuses (https://developer.okta.com/docs/reference/api/groups/#group-rule-status).
const (
	RuleActive   = "ACTIVE"
	RuleInactive = "INACTIVE"
	RuleInvalid  = "INVALID"
)

// ExpressionType is the only expression type of group rules.
const ExpressionType = "urn:okta:expression:1.0"

// GroupRule assigns the users that match Expression to GroupIDs, except ExcludeUsers
// (https://developer.okta.com/docs/reference/api/groups/#group-rule-object).
type GroupRule struct {
	ID           string   `json:"-"`
	Name         string   `json:"-"`
	Status       string   `json:"-"`
	Expression   string   `json:"expression"`
	GroupIDs     []string `json:"groupIds"`
	ExcludeUsers []string `json:"excludeUsers"`
	Created      Time     `json:"-"`
	LastUpdated  Time     `json:"-"`
}

// Excludes reports whether the rule excludes user id.
func (r GroupRule) Excludes(id string) bool {
	for _, x := range r.ExcludeUsers {
		if x == id {
			return true
		}
	}
	return false
}

// LogTarget is the rule as a System Log target.
func (r GroupRule) LogTarget() LogTarget {
	return LogTarget{ID: r.ID, Type: "PolicyRule", DisplayName: r.Name}
}
