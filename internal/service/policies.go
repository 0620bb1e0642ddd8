package service

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/policy"
	"github.com/okapi-dev/okapi/internal/store"
)

const (
	policyKind = "policy"
	ruleKind   = "rule"
)

// errSystemPolicy refuses deleting a default (system) policy or rule, which every Okta org keeps.
func errSystemPolicy(what string) error {
	return domain.NewError(http.StatusForbidden, domain.CodeForbidden, "You do not have permission to perform the requested action",
		domain.Cause{Summary: "The default " + what + " cannot be deleted"})
}

// errPolicyTypeRequired answers listPolicies without type, which Okta requires.
var errPolicyTypeRequired = domain.Validation("type", "type: The type parameter is required")

func putPolicy(ctx context.Context, tx store.Tx, org string, p policy.Policy) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return tx.PutPolicyObject(ctx, org, store.PolicyObject{Kind: policyKind, ID: p.ID, Type: p.Type, Data: data, Created: p.Created.Millis()})
}

func putRule(ctx context.Context, tx store.Tx, org string, r policy.Rule) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.PutPolicyObject(ctx, org, store.PolicyObject{Kind: ruleKind, Parent: r.PolicyID, ID: r.ID, Type: r.Type, Data: data, Created: r.Created.Millis()})
}

// createDefaultPolicies writes the policies every Okta org starts with (policy.Defaults).
func (s *Service) createDefaultPolicies(ctx context.Context, tx store.Tx, org, everyone string, now domain.Time) error {
	policies, rules := policy.Defaults(s.IDs, now, everyone)
	for _, p := range policies {
		if err := putPolicy(ctx, tx, org, p); err != nil {
			return err
		}
	}
	for _, r := range rules {
		if err := putRule(ctx, tx, org, r); err != nil {
			return err
		}
	}
	return nil
}

// resetPolicies puts an org's policies back to the defaults (an org reset).
func (s *Service) resetPolicies(ctx context.Context, tx store.Tx, org string) error {
	if err := tx.DeletePolicies(ctx, org); err != nil {
		return err
	}
	everyone, err := tx.GetBuiltInGroup(ctx, org, domain.EveryoneGroupName)
	if err != nil {
		return err
	}
	return s.createDefaultPolicies(ctx, tx, org, everyone.ID, s.nowIn(org))
}

func decodePolicies(objs []store.PolicyObject) ([]policy.Policy, error) {
	out := make([]policy.Policy, 0, len(objs))
	for _, o := range objs {
		var p policy.Policy
		if err := json.Unmarshal(o.Data, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b policy.Policy) int { return a.Priority - b.Priority })
	return out, nil
}

func decodeRules(objs []store.PolicyObject, policyID string) ([]policy.Rule, error) {
	out := make([]policy.Rule, 0, len(objs))
	for _, o := range objs {
		var r policy.Rule
		if err := json.Unmarshal(o.Data, &r); err != nil {
			return nil, err
		}
		r.PolicyID = policyID
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b policy.Rule) int { return a.Priority - b.Priority })
	return out, nil
}

// ListPolicies returns the org's policies of one type, in priority order (listPolicies).
func (s *Service) ListPolicies(ctx context.Context, typ, status string) ([]policy.Policy, error) {
	if typ == "" {
		return nil, errPolicyTypeRequired
	}
	objs, err := s.Store.ListPolicyObjects(ctx, orgID(ctx), policyKind, "", typ)
	if err != nil {
		return nil, err
	}
	all, err := decodePolicies(objs)
	if err != nil || status == "" {
		return all, err
	}
	out := []policy.Policy{}
	for _, p := range all {
		if p.Status == status {
			out = append(out, p)
		}
	}
	return out, nil
}

// GetPolicy returns one policy.
func (s *Service) GetPolicy(ctx context.Context, id string) (policy.Policy, error) {
	return getPolicy(ctx, s.Store, orgID(ctx), id)
}

func getPolicy(ctx context.Context, r store.Reader, org, id string) (policy.Policy, error) {
	o, err := r.GetPolicyObject(ctx, org, policyKind, "", id, "Policy")
	if err != nil {
		return policy.Policy{}, err
	}
	var p policy.Policy
	err = json.Unmarshal(o.Data, &p)
	return p, err
}

func policyTarget(p policy.Policy) domain.LogTarget {
	return domain.LogTarget{ID: p.ID, Type: "PolicyEntity", AlternateID: p.Type, DisplayName: p.Name}
}

func ruleTarget(r policy.Rule) domain.LogTarget {
	return domain.LogTarget{ID: r.ID, Type: "PolicyRule", AlternateID: r.Type, DisplayName: r.Name}
}

// placePolicy gives p its priority among the other policies of its type and renumbers them
// 1..n (system policies last), saving every policy whose priority changed.
func placePolicy(ctx context.Context, tx store.Tx, org string, p *policy.Policy, want int) error {
	objs, err := tx.ListPolicyObjects(ctx, org, policyKind, "", p.Type)
	if err != nil {
		return err
	}
	others, err := decodePolicies(objs)
	if err != nil {
		return err
	}
	ids := make([]string, len(others))
	byID := map[string]policy.Policy{}
	for i, o := range others {
		ids[i], byID[o.ID] = o.ID, o
	}
	byID[p.ID] = *p
	for i, id := range policy.Place(others, ids, p.ID, want, p.System) {
		q := byID[id]
		if id == p.ID {
			p.Priority = i + 1
			continue
		}
		if q.Priority != i+1 {
			q.Priority = i + 1
			if err := putPolicy(ctx, tx, org, q); err != nil {
				return err
			}
		}
	}
	return nil
}

// placeRule is placePolicy for the rules of a policy. System rules keep a priority Okta gives
// them (the access policies' Catch-all Rule is 99) when it is below every other rule's.
func placeRule(ctx context.Context, tx store.Tx, org string, r *policy.Rule, want int) error {
	objs, err := tx.ListPolicyObjects(ctx, org, ruleKind, r.PolicyID, "")
	if err != nil {
		return err
	}
	others, err := decodeRules(objs, r.PolicyID)
	if err != nil {
		return err
	}
	ids := make([]string, len(others))
	byID := map[string]policy.Rule{}
	for i, o := range others {
		ids[i], byID[o.ID] = o.ID, o
	}
	byID[r.ID] = *r
	for i, id := range policy.Place(others, ids, r.ID, want, r.System) {
		q := byID[id]
		prio := i + 1
		if q.System && q.Priority > prio {
			prio = q.Priority
		}
		if id == r.ID {
			r.Priority = prio
			continue
		}
		if q.Priority != prio {
			q.Priority = prio
			if err := putRule(ctx, tx, org, q); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreatePolicy validates and stores a policy (createPolicy); activate (default true) makes it
// ACTIVE unless the body names a status.
func (s *Service) CreatePolicy(ctx context.Context, in policy.Policy, activate bool) (policy.Policy, error) {
	if in.Type == "IDP_DISCOVERY" {
		return in, domain.Validation("type", "type: Creating a policy with type IDP_DISCOVERY is not supported")
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	p := in
	pp, _ := policy.IDPrefixes(p.Type)
	p.ID, p.System, p.Created, p.LastUpdated = domain.NewID(s.IDs, pp), false, now, now
	if p.Status == "" {
		p.Status = policy.StatusInactive
		if activate {
			p.Status = policy.StatusActive
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := placePolicy(ctx, tx, org, &p, in.Priority); err != nil {
			return err
		}
		if err := putPolicy(ctx, tx, org, p); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.lifecycle.create", "Create policy", policyTarget(p)))
	})
	return p, err
}

// ReplacePolicy is replacePolicy: name, description, priority, conditions and settings are
// replaced; id, type, system and created stay; status changes only when the body names one.
func (s *Service) ReplacePolicy(ctx context.Context, id string, in policy.Policy) (policy.Policy, error) {
	org, now := orgID(ctx), s.now(ctx)
	var p policy.Policy
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := getPolicy(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if in.Type == "" {
			in.Type = old.Type
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if in.Type != old.Type {
			return domain.Validation("type", "type: The type of a policy cannot be changed")
		}
		p = in
		p.ID, p.System, p.Created, p.LastUpdated = old.ID, old.System, old.Created, now
		if p.Status == "" {
			p.Status = old.Status
		}
		want := in.Priority
		if want == 0 {
			want = old.Priority
		}
		if err := placePolicy(ctx, tx, org, &p, want); err != nil {
			return err
		}
		if err := putPolicy(ctx, tx, org, p); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.lifecycle.update", "Update policy", policyTarget(p)))
	})
	return p, err
}

// SetPolicyStatus activates or deactivates a policy; the status it has changes nothing.
func (s *Service) SetPolicyStatus(ctx context.Context, id, status string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, id)
		if err != nil || p.Status == status {
			return err
		}
		p.Status, p.LastUpdated = status, now
		if err := putPolicy(ctx, tx, org, p); err != nil {
			return err
		}
		typ, msg := "policy.lifecycle.activate", "Activate policy"
		if status == policy.StatusInactive {
			typ, msg = "policy.lifecycle.deactivate", "Deactivate policy"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, policyTarget(p)))
	})
}

// DeletePolicy removes a policy and its rules; the default (system) policies stay.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if p.System {
			return errSystemPolicy("policy")
		}
		rules, err := tx.ListPolicyObjects(ctx, org, ruleKind, id, "")
		if err != nil {
			return err
		}
		for _, r := range rules {
			if err := tx.DeletePolicyObject(ctx, org, ruleKind, id, r.ID, "PolicyRule"); err != nil {
				return err
			}
		}
		if err := tx.DeletePolicyObject(ctx, org, policyKind, "", id, "Policy"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.lifecycle.delete", "Delete policy", policyTarget(p)))
	})
}

// ClonePolicy copies a policy and its rules under the name "[cloned] <name>" (clonePolicy).
func (s *Service) ClonePolicy(ctx context.Context, id string) (policy.Policy, error) {
	org, now := orgID(ctx), s.now(ctx)
	var c policy.Policy
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if p.Type != "ACCESS_POLICY" {
			return domain.Validation("type", "type: Only ACCESS_POLICY policies can be cloned")
		}
		c = p
		pp, rp := policy.IDPrefixes(p.Type)
		c.ID, c.Name, c.System, c.Created, c.LastUpdated = domain.NewID(s.IDs, pp), "[cloned] "+p.Name, false, now, now
		if err := placePolicy(ctx, tx, org, &c, p.Priority); err != nil {
			return err
		}
		if err := putPolicy(ctx, tx, org, c); err != nil {
			return err
		}
		objs, err := tx.ListPolicyObjects(ctx, org, ruleKind, id, "")
		if err != nil {
			return err
		}
		rules, err := decodeRules(objs, id)
		if err != nil {
			return err
		}
		for _, r := range rules {
			r.ID, r.PolicyID, r.Created, r.LastUpdated = domain.NewID(s.IDs, rp), c.ID, now, now
			if err := putRule(ctx, tx, org, r); err != nil {
				return err
			}
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.lifecycle.create", "Clone policy", policyTarget(c)))
	})
	return c, err
}

// --- rules ---

func getRule(ctx context.Context, r store.Reader, org, policyID, id string) (policy.Rule, error) {
	o, err := r.GetPolicyObject(ctx, org, ruleKind, policyID, id, "PolicyRule")
	if err != nil {
		return policy.Rule{}, err
	}
	var rule policy.Rule
	err = json.Unmarshal(o.Data, &rule)
	rule.PolicyID = policyID
	return rule, err
}

// ListPolicyRules returns a policy's rules in priority order.
func (s *Service) ListPolicyRules(ctx context.Context, policyID string) ([]policy.Rule, error) {
	org := orgID(ctx)
	if _, err := getPolicy(ctx, s.Store, org, policyID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListPolicyObjects(ctx, org, ruleKind, policyID, "")
	if err != nil {
		return nil, err
	}
	return decodeRules(objs, policyID)
}

// GetPolicyRule returns one rule of a policy.
func (s *Service) GetPolicyRule(ctx context.Context, policyID, id string) (policy.Rule, error) {
	org := orgID(ctx)
	if _, err := getPolicy(ctx, s.Store, org, policyID); err != nil {
		return policy.Rule{}, err
	}
	return getRule(ctx, s.Store, org, policyID, id)
}

// CreatePolicyRule adds a rule to a policy (createPolicyRule); its type defaults to the
// policy's rule type.
func (s *Service) CreatePolicyRule(ctx context.Context, policyID string, in policy.Rule, activate bool) (policy.Rule, error) {
	org, now := orgID(ctx), s.now(ctx)
	r := in
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, policyID)
		if err != nil {
			return err
		}
		if r.Type == "" {
			r.Type = policy.RuleType(p.Type)
		}
		if err := r.Validate(p.Type); err != nil {
			return err
		}
		_, rp := policy.IDPrefixes(p.Type)
		r.ID, r.PolicyID, r.System, r.Created, r.LastUpdated = domain.NewID(s.IDs, rp), policyID, false, now, now
		if r.Status == "" {
			r.Status = policy.StatusInactive
			if activate {
				r.Status = policy.StatusActive
			}
		}
		if err := placeRule(ctx, tx, org, &r, in.Priority); err != nil {
			return err
		}
		if err := putRule(ctx, tx, org, r); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.rule.add", "Add policy rule", policyTarget(p), ruleTarget(r)))
	})
	return r, err
}

// ReplacePolicyRule is replacePolicyRule.
func (s *Service) ReplacePolicyRule(ctx context.Context, policyID, id string, in policy.Rule) (policy.Rule, error) {
	org, now := orgID(ctx), s.now(ctx)
	var r policy.Rule
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, policyID)
		if err != nil {
			return err
		}
		old, err := getRule(ctx, tx, org, policyID, id)
		if err != nil {
			return err
		}
		if in.Type == "" {
			in.Type = old.Type
		}
		if err := in.Validate(p.Type); err != nil {
			return err
		}
		r = in
		r.ID, r.PolicyID, r.System, r.Created, r.LastUpdated = old.ID, policyID, old.System, old.Created, now
		if r.Status == "" {
			r.Status = old.Status
		}
		want := in.Priority
		if want == 0 {
			want = old.Priority
		}
		if err := placeRule(ctx, tx, org, &r, want); err != nil {
			return err
		}
		if err := putRule(ctx, tx, org, r); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.rule.update", "Update policy rule", policyTarget(p), ruleTarget(r)))
	})
	return r, err
}

// SetPolicyRuleStatus activates or deactivates a rule.
func (s *Service) SetPolicyRuleStatus(ctx context.Context, policyID, id, status string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, policyID)
		if err != nil {
			return err
		}
		r, err := getRule(ctx, tx, org, policyID, id)
		if err != nil || r.Status == status {
			return err
		}
		r.Status, r.LastUpdated = status, now
		if err := putRule(ctx, tx, org, r); err != nil {
			return err
		}
		typ, msg := "policy.rule.activate", "Activate policy rule"
		if status == policy.StatusInactive {
			typ, msg = "policy.rule.deactivate", "Deactivate policy rule"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, policyTarget(p), ruleTarget(r)))
	})
}

// DeletePolicyRule removes a rule; a policy's default (system) rule stays.
func (s *Service) DeletePolicyRule(ctx context.Context, policyID, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(ctx, tx, org, policyID)
		if err != nil {
			return err
		}
		r, err := getRule(ctx, tx, org, policyID, id)
		if err != nil {
			return err
		}
		if r.System {
			return errSystemPolicy("rule")
		}
		if err := tx.DeletePolicyObject(ctx, org, ruleKind, policyID, id, "PolicyRule"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "policy.rule.delete", "Delete policy rule", policyTarget(p), ruleTarget(r)))
	})
}

// ValidPolicyStatus reports whether a status query parameter is one Okta accepts.
func ValidPolicyStatus(s string) bool {
	return s == "" || strings.EqualFold(s, policy.StatusActive) || strings.EqualFold(s, policy.StatusInactive)
}
