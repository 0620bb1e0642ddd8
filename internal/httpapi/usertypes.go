package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// userTypeRoutes lists the User Types API (listUserTypes, createUserType, getUserType,
// updateUserType, replaceUserType, deleteUserType).
func (s *Server) userTypeRoutes() []route {
	return []route{
		{"GET", "/api/v1/meta/types/user", s.authed(s.h(s.listUserTypes))},
		{"POST", "/api/v1/meta/types/user", s.authed(s.h(s.createUserType))},
		{"GET", "/api/v1/meta/types/user/{typeId}", s.authed(s.h(s.getUserType))},
		{"POST", "/api/v1/meta/types/user/{typeId}", s.authed(s.h(s.updateUserType(false)))},
		{"PUT", "/api/v1/meta/types/user/{typeId}", s.authed(s.h(s.updateUserType(true)))},
		{"DELETE", "/api/v1/meta/types/user/{typeId}", s.authed(s.h(s.deleteUserType))},
	}
}

type userTypeBody struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
}

func (b userTypeBody) userType() domain.UserType {
	return domain.UserType{Name: b.Name, DisplayName: b.DisplayName, Description: b.Description}
}

func (s *Server) listUserTypes(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListUserTypes(r.Context())
	if err != nil {
		return err
	}
	out := make([]userTypeJSON, len(list))
	for i, t := range list {
		out[i] = s.userTypeJSON(r, t)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) createUserType(w http.ResponseWriter, r *http.Request) error {
	var in userTypeBody
	if _, err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateUserType(r.Context(), in.userType())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userTypeJSON(r, t))
	return nil
}

func (s *Server) getUserType(w http.ResponseWriter, r *http.Request) error {
	t, err := s.svc.GetUserType(r.Context(), r.PathValue("typeId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userTypeJSON(r, t))
	return nil
}

func (s *Server) updateUserType(replace bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in userTypeBody
		if _, err := decode(r, &in); err != nil {
			return err
		}
		t, err := s.svc.UpdateUserType(r.Context(), r.PathValue("typeId"), in.userType(), replace)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.userTypeJSON(r, t))
		return nil
	}
}

func (s *Server) deleteUserType(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteUserType(r.Context(), r.PathValue("typeId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
