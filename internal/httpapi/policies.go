package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/policy"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// policyRoutes lists the Policies API: policies, their lifecycle and clone, and their rules.
func (s *Server) policyRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/policies", s.authed(s.h(s.listPolicies))},
		{"POST", "/api/v1/policies", s.authed(s.h(s.createPolicy))},
		{"GET", "/api/v1/policies/{id}", s.authed(s.h(s.getPolicy))},
		{"PUT", "/api/v1/policies/{id}", s.authed(s.h(s.replacePolicy))},
		{"DELETE", "/api/v1/policies/{id}", s.authed(s.h(s.deletePolicy))},
		{"POST", "/api/v1/policies/{id}/lifecycle/activate", s.authed(s.h(s.setPolicyStatus(policy.StatusActive)))},
		{"POST", "/api/v1/policies/{id}/lifecycle/deactivate", s.authed(s.h(s.setPolicyStatus(policy.StatusInactive)))},
		{"POST", "/api/v1/policies/{id}/clone", s.authed(s.h(s.clonePolicy))},
		{"GET", "/api/v1/policies/{id}/rules", s.authed(s.h(s.listPolicyRules))},
		{"POST", "/api/v1/policies/{id}/rules", s.authed(s.h(s.createPolicyRule))},
		{"GET", "/api/v1/policies/{id}/rules/{ruleId}", s.authed(s.h(s.getPolicyRule))},
		{"PUT", "/api/v1/policies/{id}/rules/{ruleId}", s.authed(s.h(s.replacePolicyRule))},
		{"DELETE", "/api/v1/policies/{id}/rules/{ruleId}", s.authed(s.h(s.deletePolicyRule))},
		{"POST", "/api/v1/policies/{id}/rules/{ruleId}/lifecycle/activate", s.authed(s.h(s.setPolicyRuleStatus(policy.StatusActive)))},
		{"POST", "/api/v1/policies/{id}/rules/{ruleId}/lifecycle/deactivate", s.authed(s.h(s.setPolicyRuleStatus(policy.StatusInactive)))},
	})
}

// policyOut is a Policy with its _links. expand=rules is ignored: the spec types each _embedded
// value as an object, which a list of rules is not, so okapi does not embed them yet.
type policyOut struct {
	policy.Policy
	Links Links `json:"_links"`
}

type ruleOut struct {
	policy.Rule
	Links Links `json:"_links"`
}

func (s *Server) policyJSON(r *http.Request, p policy.Policy) policyOut {
	path := "/api/v1/policies/" + p.ID
	links := s.lifecycleLinks(r, path, p.Status == policy.StatusActive)
	links["rules"] = s.link(r, path+"/rules")
	return policyOut{Policy: p, Links: links}
}

func (s *Server) ruleJSON(r *http.Request, rule policy.Rule) ruleOut {
	return ruleOut{Rule: rule, Links: s.lifecycleLinks(r, "/api/v1/policies/"+rule.PolicyID+"/rules/"+rule.ID, rule.Status == policy.StatusActive)}
}

// activateParam reads ?activate= (default true, as createPolicy and createPolicyRule document).
func activateParam(r *http.Request) (bool, error) {
	switch v := r.URL.Query().Get("activate"); v {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, domain.Validation("activate", "activate: The value must be true or false")
	}
}

func decodePolicy(r *http.Request) (policy.Policy, error) {
	var in policy.Policy
	present, err := decode(r, &in)
	if err == nil && !present {
		err = domain.Validation("body", "body: The request body is required")
	}
	return in, err
}

func decodeRule(r *http.Request) (policy.Rule, error) {
	var in policy.Rule
	present, err := decode(r, &in)
	if err == nil && !present {
		err = domain.Validation("body", "body: The request body is required")
	}
	return in, err
}

func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := strings.ToUpper(q.Get("status"))
	if !service.ValidPolicyStatus(status) {
		return domain.Validation("status", "status: The status must be ACTIVE or INACTIVE")
	}
	list, err := s.svc.ListPolicies(r.Context(), q.Get("type"), status)
	if err != nil {
		return err
	}
	out := make([]policyOut, len(list))
	for i, p := range list {
		out[i] = s.policyJSON(r, p)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) writePolicy(w http.ResponseWriter, r *http.Request, p policy.Policy, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.policyJSON(r, p))
	return nil
}

func (s *Server) getPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.GetPolicy(r.Context(), r.PathValue("id"))
	return s.writePolicy(w, r, p, err)
}

func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request) error {
	activate, err := activateParam(r)
	if err != nil {
		return err
	}
	in, err := decodePolicy(r)
	if err != nil {
		return err
	}
	p, err := s.svc.CreatePolicy(r.Context(), in, activate)
	return s.writePolicy(w, r, p, err)
}

func (s *Server) replacePolicy(w http.ResponseWriter, r *http.Request) error {
	in, err := decodePolicy(r)
	if err != nil {
		return err
	}
	p, err := s.svc.ReplacePolicy(r.Context(), r.PathValue("id"), in)
	return s.writePolicy(w, r, p, err)
}

func (s *Server) deletePolicy(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeletePolicy(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) setPolicyStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetPolicyStatus(r.Context(), r.PathValue("id"), status); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

func (s *Server) clonePolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.ClonePolicy(r.Context(), r.PathValue("id"))
	return s.writePolicy(w, r, p, err)
}

func (s *Server) listPolicyRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.svc.ListPolicyRules(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]ruleOut, len(rules))
	for i, rule := range rules {
		out[i] = s.ruleJSON(r, rule)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) writeRule(w http.ResponseWriter, r *http.Request, rule policy.Rule, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.ruleJSON(r, rule))
	return nil
}

func (s *Server) getPolicyRule(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.svc.GetPolicyRule(r.Context(), r.PathValue("id"), r.PathValue("ruleId"))
	return s.writeRule(w, r, rule, err)
}

func (s *Server) createPolicyRule(w http.ResponseWriter, r *http.Request) error {
	activate, err := activateParam(r)
	if err != nil {
		return err
	}
	in, err := decodeRule(r)
	if err != nil {
		return err
	}
	rule, err := s.svc.CreatePolicyRule(r.Context(), r.PathValue("id"), in, activate)
	return s.writeRule(w, r, rule, err)
}

func (s *Server) replacePolicyRule(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeRule(r)
	if err != nil {
		return err
	}
	rule, err := s.svc.ReplacePolicyRule(r.Context(), r.PathValue("id"), r.PathValue("ruleId"), in)
	return s.writeRule(w, r, rule, err)
}

func (s *Server) deletePolicyRule(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeletePolicyRule(r.Context(), r.PathValue("id"), r.PathValue("ruleId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) setPolicyRuleStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetPolicyRuleStatus(r.Context(), r.PathValue("id"), r.PathValue("ruleId"), status); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}
