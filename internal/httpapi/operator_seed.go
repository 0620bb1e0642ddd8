package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/seed"
)

// seedErr turns a seed file's problem into a 400 E0000001 whose cause says where it is.
func seedErr(err error) error {
	var se *seed.Error
	if errors.As(err, &se) {
		field := se.Path
		if se.Field != "" {
			field += "." + se.Field
		}
		if field == "" {
			field = "seed"
		}
		return domain.Validation(field, se.Error())
	}
	return err
}

// loadSeed is POST /okapi/v1/orgs/{name}/seed: the body is a seed document, YAML or JSON.
func (s *Server) loadSeed(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	f, err := seed.Parse("request body", body)
	if err == nil {
		err = seed.Load(r.Context(), s.svc, r.PathValue("name"), f)
	}
	if err != nil {
		return seedErr(err)
	}
	writeJSON(w, http.StatusOK, f.Counts())
	return nil
}

// isSeedUpload reports whether r uploads a seed file, which may be YAML as well as JSON.
func isSeedUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/okapi/") && strings.HasSuffix(r.URL.Path, "/seed")
}

func (s *Server) listSnapshots(w http.ResponseWriter, r *http.Request) error {
	snaps, err := s.svc.ListSnapshots(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, snaps)
	return nil
}

func (s *Server) saveSnapshot(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Name string `json:"name"`
	}
	if _, err := decode(r, &body); err != nil {
		return err
	}
	snap, err := s.svc.SaveSnapshot(r.Context(), r.PathValue("name"), body.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, snap)
	return nil
}

func (s *Server) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RestoreSnapshot(r.Context(), r.PathValue("name"), r.PathValue("snap")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) deleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteSnapshot(r.Context(), r.PathValue("name"), r.PathValue("snap")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// resetOrg is POST /okapi/v1/orgs/{name}/reset with an optional {"to": "empty" | "seed"}.
func (s *Server) resetOrg(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		To string `json:"to"`
	}
	if _, err := decode(r, &body); err != nil {
		return err
	}
	if body.To != "" && body.To != "empty" && body.To != "seed" {
		return domain.Validation("to", `to: must be "empty" (the default) or "seed"`)
	}
	if err := s.svc.ResetOrg(r.Context(), r.PathValue("name"), body.To == "seed"); err != nil {
		return err
	}
	noContent(w)
	return nil
}
