package httpapi

import (
	"net/http"
	"slices"

	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/role"
)

// roleRoutes lists the Role Assignment and Role Target APIs for users and groups: standard
// admin roles and their group targets.
func (s *Server) roleRoutes() []endpoint {
	rows := func(base, kind string) []route {
		return []route{
			{"GET", base + "/roles", s.authed(s.h(s.listRoles(kind)))},
			{"POST", base + "/roles", s.authed(s.h(s.assignRole(kind)))},
			{"GET", base + "/roles/{roleId}", s.authed(s.h(s.getRole(kind)))},
			{"DELETE", base + "/roles/{roleId}", s.authed(s.h(s.unassignRole(kind)))},
			{"GET", base + "/roles/{roleId}/targets/groups", s.authed(s.h(s.listRoleGroupTargets(kind)))},
			{"PUT", base + "/roles/{roleId}/targets/groups/{groupId}", s.authed(s.h(s.assignRoleGroupTarget(kind)))},
			{"DELETE", base + "/roles/{roleId}/targets/groups/{groupId}", s.authed(s.h(s.unassignRoleGroupTarget(kind)))},
		}
	}
	// The group rows' target segment is {targetGroupId}: {groupId} already names the assignee.
	groupRows := rows("/api/v1/groups/{id}", "group")
	for i := range groupRows {
		groupRows[i].path = replaceLast(groupRows[i].path, "{groupId}", "{targetGroupId}")
	}
	return slices.Concat(
		inFamily(ratelimit.FamilyOther, rows("/api/v1/users/{id}", "user")),
		inFamily(ratelimit.FamilyGroups, groupRows),
	)
}

func replaceLast(s, old, repl string) string {
	for i := len(s) - len(old); i >= 0; i-- {
		if s[i:i+len(old)] == old {
			return s[:i] + repl + s[i+len(old):]
		}
	}
	return s
}

// roleOut is the Role schema. Assignment.Assignee is stored with the assignment but is not part
// of Okta's shape: the empty field of the same JSON name here hides it (omitempty), and the
// assignee is linked from _links.assignee instead.
type roleOut struct {
	role.Assignment
	Assignee string `json:"assignee,omitempty"`
	Links    Links  `json:"_links"`
}

func (s *Server) roleJSON(r *http.Request, kind string, a role.Assignment) roleOut {
	base := "/api/v1/users/"
	if kind == "group" {
		base = "/api/v1/groups/"
	}
	return roleOut{Assignment: a, Links: Links{"assignee": s.link(r, base+a.Assignee)}}
}

// targetGroupID is the target group of a target route (its last path segment).
func targetGroupID(r *http.Request) string {
	if id := r.PathValue("targetGroupId"); id != "" {
		return id
	}
	return r.PathValue("groupId")
}

func (s *Server) listRoles(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.svc.ListRoles(r.Context(), kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		out := make([]roleOut, len(list))
		for i, a := range list {
			out[i] = s.roleJSON(r, kind, a)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

func (s *Server) assignRole(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Type string `json:"type"`
		}
		if _, err := decode(r, &in); err != nil {
			return err
		}
		a, err := s.svc.AssignRole(r.Context(), kind, r.PathValue("id"), in.Type)
		if err != nil {
			return err
		}
		status := http.StatusCreated // assignRoleToUser
		if kind == "group" {
			status = http.StatusOK // assignRoleToGroup
		}
		writeJSON(w, status, s.roleJSON(r, kind, a))
		return nil
	}
}

func (s *Server) getRole(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.svc.GetRole(r.Context(), kind, r.PathValue("id"), r.PathValue("roleId"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.roleJSON(r, kind, a))
		return nil
	}
}

func (s *Server) unassignRole(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.UnassignRole(r.Context(), kind, r.PathValue("id"), r.PathValue("roleId")); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

func (s *Server) listRoleGroupTargets(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		groups, err := s.svc.ListRoleGroupTargets(r.Context(), kind, r.PathValue("id"), r.PathValue("roleId"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.groupsJSON(r, groups, nil))
		return nil
	}
}

func (s *Server) assignRoleGroupTarget(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.AssignRoleGroupTarget(r.Context(), kind, r.PathValue("id"), r.PathValue("roleId"), targetGroupID(r)); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

func (s *Server) unassignRoleGroupTarget(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.UnassignRoleGroupTarget(r.Context(), kind, r.PathValue("id"), r.PathValue("roleId"), targetGroupID(r)); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

// subscriptionRoutes lists the Subscription API: an admin's notification subscriptions, and a
// role's, whose changes override those of the role's users.
func (s *Server) subscriptionRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/users/{id}/subscriptions", s.authed(s.h(s.listUserSubscriptions))},
		{"GET", "/api/v1/users/{id}/subscriptions/{type}", s.authed(s.h(s.getUserSubscription))},
		{"POST", "/api/v1/users/{id}/subscriptions/{type}/subscribe", s.authed(s.h(s.setUserSubscription(true)))},
		{"POST", "/api/v1/users/{id}/subscriptions/{type}/unsubscribe", s.authed(s.h(s.setUserSubscription(false)))},
		{"GET", "/api/v1/roles/{roleRef}/subscriptions", s.authed(s.h(s.listRoleSubscriptions))},
		{"GET", "/api/v1/roles/{roleRef}/subscriptions/{type}", s.authed(s.h(s.getRoleSubscription))},
		{"POST", "/api/v1/roles/{roleRef}/subscriptions/{type}/subscribe", s.authed(s.h(s.setRoleSubscription(true)))},
		{"POST", "/api/v1/roles/{roleRef}/subscriptions/{type}/unsubscribe", s.authed(s.h(s.setRoleSubscription(false)))},
	})
}

// roleSubscriptionJSON is a role's subscription with its self link.
func (s *Server) roleSubscriptionJSON(r *http.Request, sub role.Subscription) subscriptionOut {
	return subscriptionOut{Subscription: sub, Links: Links{"self": s.link(r, "/api/v1/roles/"+r.PathValue("roleRef")+"/subscriptions/"+sub.NotificationType)}}
}

func (s *Server) listRoleSubscriptions(w http.ResponseWriter, r *http.Request) error {
	subs, err := s.svc.RoleSubscriptions(r.Context(), r.PathValue("roleRef"))
	if err != nil {
		return err
	}
	out := make([]subscriptionOut, len(subs))
	for i, sub := range subs {
		out[i] = s.roleSubscriptionJSON(r, sub)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getRoleSubscription(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.svc.RoleSubscription(r.Context(), r.PathValue("roleRef"), r.PathValue("type"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.roleSubscriptionJSON(r, sub))
	return nil
}

func (s *Server) setRoleSubscription(subscribed bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetRoleSubscription(r.Context(), r.PathValue("roleRef"), r.PathValue("type"), subscribed); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return nil
	}
}

type subscriptionOut struct {
	role.Subscription
	Links Links `json:"_links"`
}

func (s *Server) subscriptionJSON(r *http.Request, sub role.Subscription) subscriptionOut {
	return subscriptionOut{Subscription: sub, Links: Links{"self": s.link(r, "/api/v1/users/"+r.PathValue("id")+"/subscriptions/"+sub.NotificationType)}}
}

func (s *Server) listUserSubscriptions(w http.ResponseWriter, r *http.Request) error {
	subs, err := s.svc.UserSubscriptions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]subscriptionOut, len(subs))
	for i, sub := range subs {
		out[i] = s.subscriptionJSON(r, sub)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getUserSubscription(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.svc.UserSubscription(r.Context(), r.PathValue("id"), r.PathValue("type"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.subscriptionJSON(r, sub))
	return nil
}

func (s *Server) setUserSubscription(subscribed bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetUserSubscription(r.Context(), r.PathValue("id"), r.PathValue("type"), subscribed); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return nil
	}
}
