package store

import (
	"context"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
)

// GroupReader reads groups and memberships.
type GroupReader interface {
	// GetGroup returns a group by id, or domain.ErrNotFound.
	GetGroup(ctx context.Context, org, id string) (domain.Group, error)
	// GetBuiltInGroup returns the org's BUILT_IN group called name (domain.EveryoneGroupName or
	// domain.AdminsGroupName), or domain.ErrNotFound.
	GetBuiltInGroup(ctx context.Context, org, name string) (domain.Group, error)
	// ListGroups returns up to q.Limit groups of org matching q, in q's order, after q.After.
	// A sort field outside GroupSortFields is an error (callers validate first).
	ListGroups(ctx context.Context, org string, q GroupQuery) ([]domain.Group, error)
	// ListMembers returns up to limit users of a group with id > after, by id. It does not
	// check that the group exists.
	ListMembers(ctx context.Context, org, groupID, after string, limit int) ([]domain.User, error)
	// ListUserGroups returns up to limit groups of a user with id > after, by id. It does not
	// check that the user exists.
	ListUserGroups(ctx context.Context, org, userID, after string, limit int) ([]domain.Group, error)
	// CountMembers returns the number of members of each of groupIDs (0 for unknown ids).
	CountMembers(ctx context.Context, org string, groupIDs []string) (map[string]int, error)
	// InAnyGroup reports whether the user is a member of at least one of groupIDs.
	InAnyGroup(ctx context.Context, org, userID string, groupIDs []string) (bool, error)
	// RuleMemberships returns the user's memberships that a group rule manages, as group id to
	// rule id (see GroupWriter.AddRuleMember); manual memberships are left out.
	RuleMemberships(ctx context.Context, org, userID string) (map[string]string, error)
}

// GroupWriter writes groups and memberships.
type GroupWriter interface {
	// CreateGroup inserts g; an OKTA_GROUP name taken in org (ignoring case) is a
	// *ConflictError{"name"}.
	CreateGroup(ctx context.Context, org string, g domain.Group) error
	// UpdateGroup writes g's profile and lastUpdated; a name taken by another group is a
	// *ConflictError{"name"}; an unknown group is domain.ErrNotFound.
	UpdateGroup(ctx context.Context, org string, g domain.Group) error
	// DeleteGroup removes a group, its memberships, its app assignments (AppObject kind
	// "group") and the roles assigned to it with their targets; domain.ErrNotFound if absent.
	// Role targets naming the group stay (see sqlstore's groupDependents).
	DeleteGroup(ctx context.Context, org, id string) error
	// AddMember puts a user in a group; it reports whether the membership is new (adding an
	// existing member is not an error) and, when it is, sets the group's lastMembershipUpdated
	// to at. Unknown group or user is domain.ErrNotFound.
	AddMember(ctx context.Context, org, groupID, userID string, at domain.Time) (bool, error)
	// RemoveMember takes a user out of a group; it reports whether there was a membership and,
	// when there was, sets the group's lastMembershipUpdated to at.
	RemoveMember(ctx context.Context, org, groupID, userID string, at domain.Time) (bool, error)
	// AddRuleMember is AddMember for a membership that group rule ruleID manages. A new
	// membership records ruleID; an existing one added by hand (no rule) becomes ruleID's, as
	// Okta makes a manual member who starts matching a rule rule-managed; one another rule
	// manages keeps that rule. It reports whether the membership is new.
	AddRuleMember(ctx context.Context, org, groupID, userID, ruleID string, at domain.Time) (bool, error)
	// RemoveRuleMember removes a membership only when rule ruleID manages it, and reports
	// whether it did (setting lastMembershipUpdated as RemoveMember does).
	RemoveRuleMember(ctx context.Context, org, groupID, userID, ruleID string, at domain.Time) (bool, error)
	// MoveRuleMember hands a membership that rule from manages to rule to; nothing happens
	// when from does not manage it.
	MoveRuleMember(ctx context.Context, org, groupID, userID, from, to string) error
	// ReleaseRuleMembers makes every membership rule ruleID manages a manual one (for a rule
	// being deleted).
	ReleaseRuleMembers(ctx context.Context, org, ruleID string) error
}

// GroupSortFields are the Group attributes a group list may be sorted by, with the type of
// their keys in a keyset position (string or int64 Unix milliseconds).
var GroupSortFields = map[string]SortKind{
	"id":                    SortString,
	"type":                  SortString,
	"created":               SortTime,
	"lastUpdated":           SortTime,
	"lastMembershipUpdated": SortTime,
	"profile.name":          SortString,
	"profile.description":   SortString,
}

// SortKind is the type of a sort key.
type SortKind int

// Sort key kinds.
const (
	SortString SortKind = iota // key is a string
	SortTime                   // key is int64 Unix milliseconds
)

// GroupQuery selects a page of groups.
type GroupQuery struct {
	// NamePrefix keeps groups whose profile.name starts with it, ignoring case (`q`).
	NamePrefix string
	// Type keeps only groups of that type when set.
	Type string
	// Where, when set, is a filter or search expression checked against WhereSchema
	// (filter.GroupsFilter or filter.GroupsSearch), whose columns are the groups table's.
	Where       filter.Expr
	WhereSchema *filter.Schema
	// SortBy is a key of GroupSortFields; "" sorts by id. Ties are broken by id.
	SortBy string
	Desc   bool
	// After is the keyset position of the last row of the previous page; a zero ID means the
	// first page. For SortBy "" only ID is used.
	After Position
	Limit int
}

// Position is a keyset pagination position: the sort key of a row and its id.
type Position struct {
	Key any // string or int64, by the sort field's SortKind
	ID  string
}

// GroupPosition is the keyset position of g in a list sorted by field.
func GroupPosition(g domain.Group, field string) Position {
	p := Position{ID: g.ID}
	switch field {
	case "type":
		p.Key = g.Type
	case "created":
		p.Key = g.Created.Millis()
	case "lastUpdated":
		p.Key = g.LastUpdated.Millis()
	case "lastMembershipUpdated":
		p.Key = g.LastMembershipUpdated.Millis()
	case "profile.name":
		p.Key = strings.ToLower(g.Name()) // the stored name_lower
	case "profile.description":
		d, _ := g.Profile["description"].(string)
		p.Key = d
	case "id":
		p.Key = g.ID
	}
	return p
}
