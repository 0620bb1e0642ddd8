package httpapi

import (
	"net/http"
	"strconv"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/service"
)

// networkZone is the zone resource with its _links. type is always present: the v5 SDK
// dispatches list items on it.
type networkZone struct {
	netzone.Zone
	Links Links `json:"_links"`
}

func (s *Server) zoneJSON(r *http.Request, z netzone.Zone) networkZone {
	return networkZone{Zone: z, Links: s.lifecycleLinks(r, "/api/v1/zones/"+z.ID, z.Status == netzone.StatusActive)}
}

// zoneLimit reads `limit` for zones: absent, empty or -1 mean all (Okta's default).
func zoneLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" || v == "-1" {
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, domain.Validation("limit", "limit: The limit must be a positive integer or -1")
	}
	return n, nil
}

func (s *Server) listZones(w http.ResponseWriter, r *http.Request) error {
	limit, err := zoneLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListZones(r.Context(), service.ListParams{Filter: q.Get("filter"), After: q.Get("after"), Limit: limit})
	if err != nil {
		return err
	}
	return writePage(s, w, r, page, func(z netzone.Zone) networkZone { return s.zoneJSON(r, z) })
}

func (s *Server) getZone(w http.ResponseWriter, r *http.Request) error {
	z, err := s.svc.GetZone(r.Context(), r.PathValue("id"))
	return s.writeZone(w, r, z, err)
}

func (s *Server) createZone(w http.ResponseWriter, r *http.Request) error {
	var in netzone.Zone
	if _, err := decode(r, &in); err != nil {
		return err
	}
	z, err := s.svc.CreateZone(r.Context(), in)
	return s.writeZone(w, r, z, err)
}

func (s *Server) replaceZone(w http.ResponseWriter, r *http.Request) error {
	var in netzone.Zone
	if _, err := decode(r, &in); err != nil {
		return err
	}
	z, err := s.svc.ReplaceZone(r.Context(), r.PathValue("id"), in)
	return s.writeZone(w, r, z, err)
}

func (s *Server) deleteZone(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteZone(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) activateZone(w http.ResponseWriter, r *http.Request) error {
	z, err := s.svc.SetZoneStatus(r.Context(), r.PathValue("id"), netzone.StatusActive)
	return s.writeZone(w, r, z, err)
}

func (s *Server) deactivateZone(w http.ResponseWriter, r *http.Request) error {
	z, err := s.svc.SetZoneStatus(r.Context(), r.PathValue("id"), netzone.StatusInactive)
	return s.writeZone(w, r, z, err)
}

func (s *Server) writeZone(w http.ResponseWriter, r *http.Request, z netzone.Zone, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.zoneJSON(r, z))
	return nil
}
