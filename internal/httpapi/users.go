package httpapi

import (
	"net/http"
	"strconv"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// queryBool reads a boolean query parameter; absent is def, anything but true/false is 400.
func queryBool(r *http.Request, name string, def bool) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil || (v != "true" && v != "false" && v != "TRUE" && v != "FALSE" && v != "True" && v != "False") {
		return false, domain.Validation(name, name+": The value must be true or false")
	}
	return b, nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var opt service.CreateOptions
	var err error
	if opt.Activate, err = queryBool(r, "activate", true); err != nil {
		return err
	}
	if opt.Provider, err = queryBool(r, "provider", false); err != nil {
		return err
	}
	opt.NextLogin = r.URL.Query().Get("nextLogin")
	var in service.UserInput
	if _, err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.CreateUser(r.Context(), in, opt)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userJSON(r, u, false))
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.svc.GetUser(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userJSON(r, u, false))
	return nil
}

// updateUser serves POST (partial update) and PUT (full replace) on /users/{id}.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryBool(r, "strict", false); err != nil {
		return err
	}
	var in service.UserInput
	if _, err := decode(r, &in); err != nil {
		return err
	}
	update := s.svc.UpdateUser
	if r.Method == http.MethodPut {
		update = s.svc.ReplaceUser
	}
	u, err := update(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userJSON(r, u, false))
	return nil
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryBool(r, "sendEmail", false); err != nil {
		return err
	}
	if err := s.svc.DeleteUser(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// listUsers is GET /api/v1/users: limit defaults to 200 (10 with q), at most 200; the page's
// users carry only their self link, and Link headers lead to the next page.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	def := 200
	if q.Get("q") != "" {
		def = 10
	}
	p, err := listParams(r, def, 200)
	if err != nil {
		return err
	}
	page, err := s.svc.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next)
	return s.writeUsers(w, r, page.Items)
}
