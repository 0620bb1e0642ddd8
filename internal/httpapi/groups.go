package httpapi

import (
	"github.com/okapi-dev/okapi/internal/application"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Page sizes of the group endpoints. Okta documents 200 as the most a group list returns (10
// with q), and 1000 as the default and most for a group's members. /users/{id}/groups has no
// documented cap beyond the spec's 200; its default is 200 so clients that do not follow Link
// headers (Terraform sends no limit) see every group of a typical user.
const (
	groupsLimit       = 200
	groupsQLimit      = 10
	groupMembersLimit = 1000
	userGroupsLimit   = 200
)

// groupBody is the request body of a group create or replace; only the profile is writable.
type groupBody struct {
	Profile map[string]any `json:"profile"`
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) error {
	var body groupBody
	if _, err := decode(r, &body); err != nil {
		return err
	}
	g, err := s.svc.CreateGroup(r.Context(), body.Profile)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupJSON(r, g, nil))
	return nil
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request) error {
	g, err := s.svc.GetGroup(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var stats map[string]domain.GroupStats
	if expandStats(r) {
		if stats, err = s.svc.GroupStats(r.Context(), []domain.Group{g}); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, s.groupsJSON(r, []domain.Group{g}, stats)[0])
	return nil
}

func (s *Server) replaceGroup(w http.ResponseWriter, r *http.Request) error {
	var body groupBody
	if _, err := decode(r, &body); err != nil {
		return err
	}
	g, err := s.svc.ReplaceGroup(r.Context(), r.PathValue("id"), body.Profile)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupJSON(r, g, nil))
	return nil
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteGroup(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) error {
	def := groupsLimit
	if r.URL.Query().Get("q") != "" {
		def = groupsQLimit
	}
	req, err := listParams(r, def, def)
	if err != nil {
		return err
	}
	page, err := s.svc.ListGroups(r.Context(), req)
	if err != nil {
		return err
	}
	var stats map[string]domain.GroupStats
	if expandStats(r) {
		if stats, err = s.svc.GroupStats(r.Context(), page.Items); err != nil {
			return err
		}
	}
	s.setPageLinks(w, r, page.Next)
	writeJSON(w, http.StatusOK, s.groupsJSON(r, page.Items, stats))
	return nil
}

func (s *Server) listGroupMembers(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, groupMembersLimit, groupMembersLimit)
	if err != nil {
		return err
	}
	page, err := s.svc.ListGroupMembers(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next)
	return s.writeUsers(w, r, page.Items)
}

func (s *Server) addGroupMember(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.AddGroupMember(r.Context(), r.PathValue("id"), r.PathValue("userId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) removeGroupMember(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RemoveGroupMember(r.Context(), r.PathValue("id"), r.PathValue("userId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listUserGroups(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, userGroupsLimit, userGroupsLimit)
	if err != nil {
		return err
	}
	page, err := s.svc.ListUserGroups(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next)
	writeJSON(w, http.StatusOK, s.groupsJSON(r, page.Items, nil))
	return nil
}

// listGroupApps answers GET /groups/{id}/apps (listAssignedApplicationsForGroup), the target
// of every group's `apps` link: the apps the group is assigned to; an unknown group is 404.
func (s *Server) listGroupApps(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r, 20, 200)
	if err != nil {
		return err
	}
	apps, next, err := s.svc.ListGroupApps(r.Context(), r.PathValue("id"), r.URL.Query().Get("after"), limit)
	if err != nil {
		return err
	}
	out := make([]application.App, len(apps))
	for i, a := range apps {
		out[i] = s.appJSON(r, a)
	}
	s.setPageLinks(w, r, next)
	writeJSON(w, http.StatusOK, out)
	return nil
}
