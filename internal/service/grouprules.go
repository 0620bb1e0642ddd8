package service

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/expr"
	"github.com/okapi-dev/okapi/internal/store"
)

// MaxRuleGroups bounds assignUserToGroups.groupIds of one rule.
const MaxRuleGroups = 100

// GroupRuleQuery selects rules: search matches a substring of the name (ignoring case), after
// is an id cursor, limit 0 means all.
type GroupRuleQuery struct {
	Search, After string
	Limit         int
}

// ListGroupRules returns a page of the org's rules and the next cursor ("" on the last page).
func (s *Service) ListGroupRules(ctx context.Context, q GroupRuleQuery) ([]domain.GroupRule, string, error) {
	all, err := s.Store.ListGroupRules(ctx, orgID(ctx), false)
	if err != nil {
		return nil, "", err
	}
	out := []domain.GroupRule{}
	needle := strings.ToLower(q.Search)
	for _, r := range all {
		if r.ID <= q.After || needle != "" && !strings.Contains(strings.ToLower(r.Name), needle) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return out, out[len(out)-1].ID, nil
		}
		out = append(out, r)
	}
	return out, "", nil
}

// GetGroupRule returns one rule.
func (s *Service) GetGroupRule(ctx context.Context, id string) (domain.GroupRule, error) {
	if !domain.ValidID(id, domain.PrefixGroupRule) {
		return domain.GroupRule{}, domain.NotFound(id, "GroupRule")
	}
	return s.Store.GetGroupRule(ctx, orgID(ctx), id)
}

// validateRule checks a rule's name, expression and target groups (read through tx)
// (https://developer.okta.com/docs/reference/api/groups/#create-group-rule).
func validateRule(ctx context.Context, tx store.Reader, org string, r *domain.GroupRule, exprType string) error {
	var fe domain.FieldErrors
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Name)); n == 0 {
		fe.Add("name", "The field cannot be left blank")
	} else if n > 50 {
		fe.Add("name", "The field is too long (maximum 50 characters)")
	}
	if exprType != "" && exprType != domain.ExpressionType {
		fe.Add("conditions.expression.type", "The expression type must be "+domain.ExpressionType)
	}
	if _, err := expr.Parse(r.Expression); err != nil {
		fe.Add("conditions.expression.value", "Invalid expression: "+err.Error())
	}
	if len(r.GroupIDs) == 0 {
		fe.Add("actions.assignUserToGroups.groupIds", "The field cannot be left blank")
	} else if len(r.GroupIDs) > MaxRuleGroups {
		fe.Add("actions.assignUserToGroups.groupIds", "Too many groups")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	for _, gid := range r.GroupIDs {
		g, err := tx.GetGroup(ctx, org, gid)
		if errors.Is(err, domain.ErrNotFound) || err == nil && g.Type != domain.GroupOkta {
			fe.Add("actions.assignUserToGroups.groupIds", "Group "+gid+" does not exist or is not an OKTA_GROUP")
			continue
		}
		if err != nil {
			return err
		}
	}
	if r.ExcludeUsers == nil {
		r.ExcludeUsers = []string{}
	}
	return fe.Err()
}

// GroupRuleConditions is the conditions object of a group rule as Okta's API shows it (the
// GroupRule schema's conditions), decoded by the API and by seed files alike.
type GroupRuleConditions struct {
	People struct {
		Users struct {
			Exclude []string `json:"exclude"`
		} `json:"users"`
		Groups struct {
			Exclude []string `json:"exclude"`
		} `json:"groups"`
	} `json:"people"`
	Expression struct {
		Value string `json:"value"`
		Type  string `json:"type"`
	} `json:"expression"`
}

// CreateGroupRule stores a new rule, INACTIVE as Okta creates them.
func (s *Service) CreateGroupRule(ctx context.Context, in domain.GroupRule, exprType string) (domain.GroupRule, error) {
	org, now := orgID(ctx), s.now(ctx)
	r := in
	r.ID, r.Status, r.Created, r.LastUpdated = domain.NewID(s.IDs, domain.PrefixGroupRule), domain.RuleInactive, now, now
	err := s.update(ctx, func(tx store.Tx) error {
		if err := validateRule(ctx, tx, org, &r, exprType); err != nil {
			return err
		}
		if err := tx.CreateGroupRule(ctx, org, r); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.rule.create", "Create group rule", r.LogTarget()))
	})
	return r, err
}

// errRuleActive refuses changes to an ACTIVE rule: Okta updates only INACTIVE rules.
var errRuleActive = domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: status",
	domain.Cause{Summary: "status: Cannot update an ACTIVE group rule; deactivate it first"})

// ReplaceGroupRule is PUT: name, expression, groups and exclusions of an INACTIVE rule.
func (s *Service) ReplaceGroupRule(ctx context.Context, id string, in domain.GroupRule, exprType string) (domain.GroupRule, error) {
	org, now := orgID(ctx), s.now(ctx)
	var r domain.GroupRule
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := s.ruleInTx(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if old.Status == domain.RuleActive {
			return errRuleActive
		}
		r = in
		r.ID, r.Status, r.Created, r.LastUpdated = old.ID, old.Status, old.Created, now
		if err := validateRule(ctx, tx, org, &r, exprType); err != nil {
			return err
		}
		if err := tx.UpdateGroupRule(ctx, org, r); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.rule.update", "Update group rule", r.LogTarget()))
	})
	return r, err
}

func (s *Service) ruleInTx(ctx context.Context, tx store.Tx, org, id string) (domain.GroupRule, error) {
	if !domain.ValidID(id, domain.PrefixGroupRule) {
		return domain.GroupRule{}, domain.NotFound(id, "GroupRule")
	}
	return tx.GetGroupRule(ctx, org, id)
}

// activationPage is how many users an activation evaluates per read.
const activationPage = 500

// SetGroupRuleStatus activates or deactivates a rule. Activation adds every matching user to
// the rule's groups in the same transaction; deactivation leaves memberships as they are.
func (s *Service) SetGroupRuleStatus(ctx context.Context, id string, active bool) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		r, err := s.ruleInTx(ctx, tx, org, id)
		if err != nil {
			return err
		}
		want, eventType, msg := domain.RuleInactive, "group.rule.deactivate", "Deactivate group rule"
		if active {
			want, eventType, msg = domain.RuleActive, "group.rule.activate", "Activate group rule"
		}
		if r.Status == want {
			return nil
		}
		r.Status, r.LastUpdated = want, now
		if err := tx.UpdateGroupRule(ctx, org, r); err != nil {
			return err
		}
		events := []domain.LogEvent{s.event(ctx, now, eventType, msg, r.LogTarget())}
		if active {
			more, err := s.activateRule(ctx, tx, org, r, now)
			if err != nil {
				return err
			}
			events = append(events, more...)
		}
		return tx.AppendEvents(ctx, org, events...)
	})
}

func (s *Service) activateRule(ctx context.Context, tx store.Tx, org string, r domain.GroupRule, now domain.Time) ([]domain.LogEvent, error) {
	n, err := expr.Parse(r.Expression)
	if err != nil {
		return nil, nil // validated at create; a rule that no longer parses matches nobody
	}
	groups, err := ruleGroups(ctx, tx, org, r)
	if err != nil {
		return nil, err
	}
	var events []domain.LogEvent
	q := store.UserQuery{Limit: activationPage}
	for {
		users, next, err := tx.ListUsers(ctx, org, q)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			ev, err := s.applyRule(ctx, tx, org, r, n, groups, u, now)
			if err != nil {
				return nil, err
			}
			events = append(events, ev...)
		}
		if next == nil {
			return events, nil
		}
		q.After = next
	}
}

// ruleEnv is what a rule sees of u; groups are read only when the expression needs them.
func ruleEnv(ctx context.Context, tx store.Reader, org string, u domain.User, n expr.Node) (expr.Env, error) {
	env := expr.Env{Profile: u.Profile, Internal: map[string]string{"id": u.ID, "status": string(u.Status)}}
	if env.Profile == nil && u.RawProfile != nil {
		// Users read by list queries carry their profile undecoded.
		if err := json.Unmarshal(u.RawProfile, &env.Profile); err != nil {
			return env, err
		}
	}
	if !expr.UsesGroups(n) {
		return env, nil
	}
	env.Groups = map[string]bool{}
	after := ""
	for {
		gs, err := tx.ListUserGroups(ctx, org, u.ID, after, 1000)
		if err != nil {
			return env, err
		}
		for _, g := range gs {
			env.Groups[g.ID] = true
		}
		if len(gs) < 1000 {
			return env, nil
		}
		after = gs[len(gs)-1].ID
	}
}

func (s *Service) applyRule(ctx context.Context, tx store.Tx, org string, r domain.GroupRule, n expr.Node,
	groups []domain.Group, u domain.User, now domain.Time) ([]domain.LogEvent, error) {
	if r.Excludes(u.ID) || u.Status == domain.StatusDeprovisioned {
		return nil, nil
	}
	env, err := ruleEnv(ctx, tx, org, u, n)
	if err != nil || !expr.Match(n, env) {
		return nil, err
	}
	return s.addRuleMember(ctx, tx, org, r, groups, u, now)
}

// addRuleMember puts u in the groups of rule r, which u matches, as memberships r manages.
func (s *Service) addRuleMember(ctx context.Context, tx store.Tx, org string, r domain.GroupRule,
	groups []domain.Group, u domain.User, now domain.Time) ([]domain.LogEvent, error) {
	var events []domain.LogEvent
	var changed []string
	for _, g := range groups {
		added, err := tx.AddRuleMember(ctx, org, g.ID, u.ID, r.ID, now)
		if err != nil {
			return nil, err
		}
		if added {
			changed = append(changed, g.ID)
			events = append(events, ruleEvent(s.event(ctx, now, "group.user_membership.add",
				"Add user to group membership", u.LogTarget(), g.LogTarget())))
		}
	}
	if len(changed) > 0 {
		if err := s.syncMembershipAdmins(ctx, tx, org, u.ID, changed, now); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// ruleEvent makes ev one Okta's rule engine wrote: rule-driven membership changes are
// automated actions of Okta System (SystemPrincipal), as the System Log shows them
// (https://support.okta.com/help/s/article/User-getting-added-in-group-exclusion-list-by-Okta-System-SystemPrincipal).
func ruleEvent(ev domain.LogEvent) domain.LogEvent {
	ev.Actor = domain.SystemActor
	return ev
}

// ruleGroups reads the groups of r that still exist.
func ruleGroups(ctx context.Context, tx store.Tx, org string, r domain.GroupRule) ([]domain.Group, error) {
	groups := make([]domain.Group, 0, len(r.GroupIDs))
	for _, gid := range r.GroupIDs {
		g, err := tx.GetGroup(ctx, org, gid)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// applyActiveRules evaluates the org's ACTIVE rules for u in tx, after a create or (changed) a
// profile change, and returns the membership events. A rule u matches adds u to its groups. On
// a change, a rule u no longer matches takes u out of the groups where it manages u's
// membership, as Okta does when "a user's attribute changes" (help.okta.com, "Group rules";
// support.okta.com, "How to add and remove users from groups using group rules and
// exceptions"): memberships added by hand stay, and so does one another matching rule assigns
// (it is handed to that rule). The removal adds no exclusion. Excluded and DEPROVISIONED users
// are left as they are: Okta does not take deactivated users out of rule groups.
func (s *Service) applyActiveRules(ctx context.Context, tx store.Tx, org string, u domain.User, now domain.Time, changed bool) ([]domain.LogEvent, error) {
	rules, err := tx.ListGroupRules(ctx, org, true)
	if err != nil || len(rules) == 0 || u.Status == domain.StatusDeprovisioned {
		return nil, err
	}
	var matching, stale []domain.GroupRule
	wanted := map[string]string{} // group id -> a rule u matches that assigns it
	for _, r := range rules {
		n, err := s.rules.parse(r.Expression)
		if err != nil || r.Excludes(u.ID) {
			continue
		}
		env, err := ruleEnv(ctx, tx, org, u, n)
		if err != nil {
			return nil, err
		}
		if !expr.Match(n, env) {
			stale = append(stale, r)
			continue
		}
		matching = append(matching, r)
		for _, gid := range r.GroupIDs {
			if wanted[gid] == "" {
				wanted[gid] = r.ID
			}
		}
	}
	var events []domain.LogEvent
	if changed && len(stale) > 0 {
		events, err = s.dropStaleRuleMembers(ctx, tx, org, u, stale, wanted, now)
		if err != nil {
			return nil, err
		}
	}
	for _, r := range matching {
		groups, err := ruleGroups(ctx, tx, org, r)
		if err != nil {
			return nil, err
		}
		ev, err := s.addRuleMember(ctx, tx, org, r, groups, u, now)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	return events, nil
}

// dropStaleRuleMembers removes u from the groups where one of the stale rules (rules u no
// longer matches) manages u's membership, unless a matching rule (wanted) assigns that group.
func (s *Service) dropStaleRuleMembers(ctx context.Context, tx store.Tx, org string, u domain.User,
	stale []domain.GroupRule, wanted map[string]string, now domain.Time) ([]domain.LogEvent, error) {
	managed, err := tx.RuleMemberships(ctx, org, u.ID)
	if err != nil || len(managed) == 0 {
		return nil, err
	}
	var events []domain.LogEvent
	var removed []string
	for _, r := range stale {
		for _, gid := range r.GroupIDs {
			if managed[gid] != r.ID {
				continue
			}
			if to := wanted[gid]; to != "" {
				if err := tx.MoveRuleMember(ctx, org, gid, u.ID, r.ID, to); err != nil {
					return nil, err
				}
				continue
			}
			ok, err := tx.RemoveRuleMember(ctx, org, gid, u.ID, r.ID, now)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			g, err := tx.GetGroup(ctx, org, gid)
			if err != nil {
				return nil, err
			}
			removed = append(removed, gid)
			events = append(events, ruleEvent(s.event(ctx, now, "group.user_membership.remove",
				"Remove user from group membership", u.LogTarget(), g.LogTarget())))
		}
	}
	if len(removed) > 0 {
		if err := s.syncMembershipAdmins(ctx, tx, org, u.ID, removed, now); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// DeleteGroupRule removes a rule; removeUsers also takes the users it matches out of its groups.
func (s *Service) DeleteGroupRule(ctx context.Context, id string, removeUsers bool) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		r, err := s.ruleInTx(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteGroupRule(ctx, org, r.ID); err != nil {
			return err
		}
		events := []domain.LogEvent{s.event(ctx, now, "group.rule.delete", "Delete group rule", r.LogTarget())}
		if removeUsers {
			more, err := s.removeRuleMembers(ctx, tx, org, r, now)
			if err != nil {
				return err
			}
			events = append(events, more...)
		}
		// What the rule managed and kept is now as if added by hand: no rule removes it, and
		// the next rule that matches takes it over.
		if err := tx.ReleaseRuleMembers(ctx, org, r.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, events...)
	})
}

// removeRuleMembers takes out of r's groups the users whose membership r manages ("remove
// users from groups assigned by this rule", deleteGroupRule's removeUsers); members added by
// hand stay.
func (s *Service) removeRuleMembers(ctx context.Context, tx store.Tx, org string, r domain.GroupRule, now domain.Time) ([]domain.LogEvent, error) {
	groups, err := ruleGroups(ctx, tx, org, r)
	if err != nil {
		return nil, err
	}
	var events []domain.LogEvent
	for _, g := range groups {
		after := ""
		for {
			members, err := tx.ListMembers(ctx, org, g.ID, after, activationPage)
			if err != nil {
				return nil, err
			}
			for _, u := range members {
				removed, err := tx.RemoveRuleMember(ctx, org, g.ID, u.ID, r.ID, now)
				if err != nil {
					return nil, err
				}
				if !removed {
					continue
				}
				if err := s.syncMembershipAdmins(ctx, tx, org, u.ID, []string{g.ID}, now); err != nil {
					return nil, err
				}
				events = append(events, ruleEvent(s.event(ctx, now, "group.user_membership.remove",
					"Remove user from group membership", u.LogTarget(), g.LogTarget())))
			}
			if len(members) < activationPage {
				break
			}
			after = members[len(members)-1].ID
		}
	}
	return events, nil
}

// ruleCache keeps parsed rule expressions, so a user write does not re-parse every active
// rule. Keys are expression texts (bounded by expr.MaxLength); the cache is cleared past
// maxCachedRules entries.
type ruleCache struct {
	mu sync.Mutex
	m  map[string]expr.Node
}

const maxCachedRules = 10000

func (c *ruleCache) parse(src string) (expr.Node, error) {
	c.mu.Lock()
	n, ok := c.m[src]
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := expr.Parse(src)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedRules {
		c.m = map[string]expr.Node{}
	}
	c.m[src] = n
	c.mu.Unlock()
	return n, nil
}

// excludeFromRules adds u to the exclusions of every active rule that assigns it to groupID, so
// that removing a rule-managed membership by hand sticks, as Okta does
// (https://help.okta.com/en-us/content/topics/users-groups-profiles/usgp-group-rules.htm).
func (s *Service) excludeFromRules(ctx context.Context, tx store.Tx, org, groupID string, u domain.User, now domain.Time) error {
	rules, err := tx.ListGroupRules(ctx, org, true)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.Excludes(u.ID) || !slices.Contains(r.GroupIDs, groupID) {
			continue
		}
		n, err := s.rules.parse(r.Expression)
		if err != nil {
			continue
		}
		env, err := ruleEnv(ctx, tx, org, u, n)
		if err != nil {
			return err
		}
		if !expr.Match(n, env) {
			continue
		}
		r.ExcludeUsers = append(r.ExcludeUsers, u.ID)
		r.LastUpdated = now
		if err := tx.UpdateGroupRule(ctx, org, r); err != nil {
			return err
		}
	}
	return nil
}
