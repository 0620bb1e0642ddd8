package httpapi

import (
	"net/http"
	"strconv"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// groupRuleRoutes lists the Group Rules API (listGroupRules, createGroupRule, getGroupRule,
// replaceGroupRule, deleteGroupRule, activateGroupRule, deactivateGroupRule).
//
// GET /api/v1/groups/rules/{ruleId} cannot be a ServeMux pattern: it would conflict with
// GET /api/v1/groups/{id}/users and /apps (neither is more specific, so registration panics).
// GET /api/v1/groups/{id}/{sub} is less specific than both, so it takes the rest, and answers
// the rule when id is "rules".
func (s *Server) groupRuleRoutes() []route {
	return []route{
		{"GET", "/api/v1/groups/rules", s.authed(s.h(s.listGroupRules))},
		{"POST", "/api/v1/groups/rules", s.authed(s.h(s.createGroupRule))},
		{"GET", groupRulePath, s.authed(s.h(s.getGroupRule))},
		{"PUT", "/api/v1/groups/rules/{ruleId}", s.authed(s.h(s.replaceGroupRule))},
		{"DELETE", "/api/v1/groups/rules/{ruleId}", s.authed(s.h(s.deleteGroupRule))},
		{"POST", "/api/v1/groups/rules/{ruleId}/lifecycle/activate", s.authed(s.h(s.setGroupRuleStatus(true)))},
		{"POST", "/api/v1/groups/rules/{ruleId}/lifecycle/deactivate", s.authed(s.h(s.setGroupRuleStatus(false)))},
	}
}

// groupRuleJSON is the GroupRule resource
// (https://developer.okta.com/docs/reference/api/groups/#group-rule-object).
type groupRuleJSON struct {
	Type        string                      `json:"type"`
	ID          string                      `json:"id,omitempty"`
	Status      string                      `json:"status,omitempty"`
	Name        string                      `json:"name"`
	Created     *domain.Time                `json:"created,omitempty"`
	LastUpdated *domain.Time                `json:"lastUpdated,omitempty"`
	Conditions  service.GroupRuleConditions `json:"conditions"`
	Actions     struct {
		AssignUserToGroups struct {
			GroupIDs []string `json:"groupIds"`
		} `json:"assignUserToGroups"`
	} `json:"actions"`
	AllGroupsValid *bool          `json:"allGroupsValid,omitempty"`
	Embedded       map[string]any `json:"_embedded,omitempty"`
}

func toGroupRuleJSON(r domain.GroupRule) groupRuleJSON {
	var out groupRuleJSON
	valid := true
	out.Type, out.ID, out.Status, out.Name = "group_rule", r.ID, r.Status, r.Name
	out.Created, out.LastUpdated, out.AllGroupsValid = &r.Created, &r.LastUpdated, &valid
	out.Conditions.People.Users.Exclude = nonNil(r.ExcludeUsers)
	out.Conditions.People.Groups.Exclude = []string{}
	out.Conditions.Expression.Value, out.Conditions.Expression.Type = r.Expression, domain.ExpressionType
	out.Actions.AssignUserToGroups.GroupIDs = nonNil(r.GroupIDs)
	return out
}

func (in groupRuleJSON) rule() domain.GroupRule {
	return domain.GroupRule{Name: in.Name, Expression: in.Conditions.Expression.Value,
		GroupIDs: in.Actions.AssignUserToGroups.GroupIDs, ExcludeUsers: in.Conditions.People.Users.Exclude}
}

func (s *Server) listGroupRules(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return domain.Validation("limit", "limit: The limit must be a positive integer")
		}
		limit = n
	}
	list, next, err := s.svc.ListGroupRules(r.Context(), service.GroupRuleQuery{Search: q.Get("search"), After: q.Get("after"), Limit: limit})
	if err != nil {
		return err
	}
	names := map[string]string{}
	if q.Get("expand") == "groupIdToGroupNameMap" {
		for _, rl := range list {
			for _, gid := range rl.GroupIDs {
				if _, ok := names[gid]; ok {
					continue
				}
				if g, err := s.svc.GetGroup(r.Context(), gid); err == nil {
					names[gid] = g.Name()
				}
			}
		}
	}
	out := make([]groupRuleJSON, len(list))
	for i, rl := range list {
		out[i] = toGroupRuleJSON(rl)
		if q.Get("expand") == "groupIdToGroupNameMap" {
			m := map[string]string{}
			for _, gid := range rl.GroupIDs {
				m[gid] = names[gid]
			}
			out[i].Embedded = map[string]any{"groupIdToGroupNameMap": m}
		}
	}
	s.setPageLinks(w, r, next)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) createGroupRule(w http.ResponseWriter, r *http.Request) error {
	var in groupRuleJSON
	if _, err := decode(r, &in); err != nil {
		return err
	}
	rl, err := s.svc.CreateGroupRule(r.Context(), in.rule(), in.Conditions.Expression.Type)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toGroupRuleJSON(rl))
	return nil
}

func (s *Server) getGroupRule(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("id") != "rules" {
		return errPathNotFound
	}
	rl, err := s.svc.GetGroupRule(r.Context(), r.PathValue("ruleId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toGroupRuleJSON(rl))
	return nil
}

func (s *Server) replaceGroupRule(w http.ResponseWriter, r *http.Request) error {
	var in groupRuleJSON
	if _, err := decode(r, &in); err != nil {
		return err
	}
	rl, err := s.svc.ReplaceGroupRule(r.Context(), r.PathValue("ruleId"), in.rule(), in.Conditions.Expression.Type)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toGroupRuleJSON(rl))
	return nil
}

func (s *Server) deleteGroupRule(w http.ResponseWriter, r *http.Request) error {
	removeUsers := r.URL.Query().Get("removeUsers") == "true"
	if err := s.svc.DeleteGroupRule(r.Context(), r.PathValue("ruleId"), removeUsers); err != nil {
		return err
	}
	// deleteGroupRule answers 202 Accepted (the removal of users is asynchronous at Okta).
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *Server) setGroupRuleStatus(active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetGroupRuleStatus(r.Context(), r.PathValue("ruleId"), active); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

// groupRulePath is the stand-in pattern that serves GET /api/v1/groups/rules/{ruleId} (see
// above); its {id} is "rules" by design, so the spec-literal check leaves it alone.
const (
	groupRulePath    = "/api/v1/groups/{id}/{ruleId}"
	groupRuleStandIn = "GET " + groupRulePath
)
