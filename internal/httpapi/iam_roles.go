package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/role"
)

// customRoleRoutes lists the Custom Role API (/api/v1/iam/roles: listRoles, createRole, getRole,
// replaceRole, deleteRole) and its permissions (listRolePermissions, getRolePermission,
// createRolePermission, replaceRolePermission, deleteRolePermission).
func (s *Server) customRoleRoutes() []endpoint {
	const base, one = "/api/v1/iam/roles", "/api/v1/iam/roles/{roleIdOrLabel}"
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", base, s.authed(s.h(s.listCustomRoles))},
		{"POST", base, s.authed(s.h(s.createCustomRole))},
		{"GET", one, s.authed(s.h(s.getCustomRole))},
		{"PUT", one, s.authed(s.h(s.replaceCustomRole))},
		{"DELETE", one, s.authed(s.h(s.deleteCustomRole))},
		{"GET", one + "/permissions", s.authed(s.h(s.listCustomRolePermissions))},
		{"GET", one + "/permissions/{permissionType}", s.authed(s.h(s.getCustomRolePermission))},
		{"POST", one + "/permissions/{permissionType}", s.authed(s.h(s.putCustomRolePermission(false)))},
		{"PUT", one + "/permissions/{permissionType}", s.authed(s.h(s.putCustomRolePermission(true)))},
		{"DELETE", one + "/permissions/{permissionType}", s.authed(s.h(s.deleteCustomRolePermission))},
	})
}

// customRoleOut is the IamRole schema (permissions are their own resource).
type customRoleOut struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Created     any    `json:"created"`
	LastUpdated any    `json:"lastUpdated"`
	Links       Links  `json:"_links"`
}

func (s *Server) customRoleJSON(r *http.Request, cr role.CustomRole) customRoleOut {
	self := "/api/v1/iam/roles/" + cr.ID
	return customRoleOut{ID: cr.ID, Label: cr.Label, Description: cr.Description, Created: cr.Created,
		LastUpdated: cr.LastUpdated, Links: Links{"self": s.link(r, self), "permissions": s.link(r, self+"/permissions")}}
}

type permissionOut struct {
	Label       string         `json:"label"`
	Conditions  map[string]any `json:"conditions"`
	Created     any            `json:"created"`
	LastUpdated any            `json:"lastUpdated"`
	Links       Links          `json:"_links"`
}

func (s *Server) permissionJSON(r *http.Request, cr role.CustomRole, p role.Permission) permissionOut {
	self := "/api/v1/iam/roles/" + cr.ID
	return permissionOut{Label: p.Label, Conditions: p.Conditions, Created: p.Created, LastUpdated: p.LastUpdated,
		Links: Links{"self": s.link(r, self+"/permissions/"+p.Label), "role": s.link(r, self)}}
}

func (s *Server) listCustomRoles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListCustomRoles(r.Context())
	if err != nil {
		return err
	}
	out := make([]customRoleOut, len(list))
	for i, cr := range list {
		out[i] = s.customRoleJSON(r, cr)
	}
	// IamRoles: every role in one page (an org has few), so no _links.next.
	writeJSON(w, http.StatusOK, map[string]any{"roles": out, "_links": Links{}})
	return nil
}

type customRoleIn struct {
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Permissions []string `json:"permissions"`
}

func (s *Server) createCustomRole(w http.ResponseWriter, r *http.Request) error {
	var in customRoleIn
	if _, err := decode(r, &in); err != nil {
		return err
	}
	cr, err := s.svc.CreateCustomRole(r.Context(), in.Label, in.Description, in.Permissions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.customRoleJSON(r, cr))
	return nil
}

func (s *Server) getCustomRole(w http.ResponseWriter, r *http.Request) error {
	cr, err := s.svc.GetCustomRole(r.Context(), r.PathValue("roleIdOrLabel"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.customRoleJSON(r, cr))
	return nil
}

func (s *Server) replaceCustomRole(w http.ResponseWriter, r *http.Request) error {
	var in customRoleIn
	if _, err := decode(r, &in); err != nil {
		return err
	}
	cr, err := s.svc.ReplaceCustomRole(r.Context(), r.PathValue("roleIdOrLabel"), in.Label, in.Description)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.customRoleJSON(r, cr))
	return nil
}

func (s *Server) deleteCustomRole(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteCustomRole(r.Context(), r.PathValue("roleIdOrLabel")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listCustomRolePermissions(w http.ResponseWriter, r *http.Request) error {
	cr, err := s.svc.GetCustomRole(r.Context(), r.PathValue("roleIdOrLabel"))
	if err != nil {
		return err
	}
	out := make([]permissionOut, len(cr.Permissions))
	for i, p := range cr.Permissions {
		out[i] = s.permissionJSON(r, cr, p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"permissions": out})
	return nil
}

func (s *Server) getCustomRolePermission(w http.ResponseWriter, r *http.Request) error {
	cr, p, err := s.svc.CustomRolePermission(r.Context(), r.PathValue("roleIdOrLabel"), r.PathValue("permissionType"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.permissionJSON(r, cr, p))
	return nil
}

// putCustomRolePermission adds a permission (createRolePermission: 204) or, with replace, sets
// the conditions of one the role has (replaceRolePermission: 200 with the Permission).
func (s *Server) putCustomRolePermission(replace bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Conditions map[string]any `json:"conditions"`
		}
		if r.ContentLength != 0 {
			if _, err := decode(r, &in); err != nil {
				return err
			}
		}
		perm := r.PathValue("permissionType")
		cr, err := s.svc.AddCustomRolePermission(r.Context(), r.PathValue("roleIdOrLabel"), perm, in.Conditions, replace)
		if err != nil {
			return err
		}
		if !replace {
			noContent(w)
			return nil
		}
		for _, p := range cr.Permissions {
			if p.Label == perm {
				writeJSON(w, http.StatusOK, s.permissionJSON(r, cr, p))
			}
		}
		return nil
	}
}

func (s *Server) deleteCustomRolePermission(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteCustomRolePermission(r.Context(), r.PathValue("roleIdOrLabel"), r.PathValue("permissionType")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
