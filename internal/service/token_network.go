package service

import (
	"context"
	"strconv"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Network condition connections of an API token.
const (
	ConnectionAnywhere = "ANYWHERE"
	ConnectionZone     = "ZONE"
)

// TokenUpdate is Okta's ApiTokenUpdate body. clientName and created are read-only and ignored;
// name, when sent, renames the token; userId, when sent, must be the token's owner (a token
// cannot change hands).
type TokenUpdate struct {
	Name    string               `json:"name"`
	UserID  string               `json:"userId"`
	Network *domain.TokenNetwork `json:"network"`
}

// UpsertTokenNetwork replaces a token's network condition (PUT /api-tokens/{id}). Zone ids must
// name zones of the org. The change applies from the token's next request.
func (s *Service) UpsertTokenNetwork(ctx context.Context, id string, in TokenUpdate) (domain.APIToken, error) {
	org, now := orgID(ctx), s.now(ctx)
	defer s.auth.drop(id, "")
	var tok domain.APIToken
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if tok, err = tx.GetToken(ctx, org, id); err != nil {
			return err
		}
		var fe domain.FieldErrors
		if len(in.Name) > 255 {
			fe.Add("name", "The field cannot exceed 255 characters")
		}
		if in.UserID != "" && in.UserID != tok.UserID {
			fe.Add("userId", "The owner of an API token cannot be changed.")
		}
		nw := in.Network
		if nw == nil {
			nw = &domain.TokenNetwork{Connection: ConnectionAnywhere}
		}
		switch nw.Connection {
		case ConnectionAnywhere:
			if len(nw.Include) > 0 || len(nw.Exclude) > 0 {
				fe.Add("network", "include and exclude are only valid with the connection ZONE.")
			}
		case ConnectionZone:
			if len(nw.Include) == 0 && len(nw.Exclude) == 0 {
				fe.Add("network", "The connection ZONE needs at least one zone in include or exclude.")
			}
			for _, zid := range append(append([]string{}, nw.Include...), nw.Exclude...) {
				if _, err := tx.GetZone(ctx, org, zid); err != nil {
					if !isNotFound(err) {
						return err
					}
					fe.Add("network", "The network zone: "+zid+" does not exist.")
				}
			}
		default:
			fe.Add("network", "The connection: "+nw.Connection+" is invalid. Use ANYWHERE or ZONE.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		tok.Network, tok.LastUpdated = nw, now
		if in.Name != "" {
			tok.Name = in.Name
		}
		if err := tx.UpdateTokenNetwork(ctx, org, tok.ID, tok.Name, nw, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.api_token.update", "Update API token", tokenTarget(tok)))
	})
	return s.showToken(tok), err
}

func isNotFound(err error) bool {
	de, ok := domain.AsError(err)
	return ok && de.Code == domain.CodeNotFound
}

// isoDuration writes d as an ISO 8601 duration the way Okta shows token windows: whole days as
// "P30D", anything else in hours, minutes and seconds ("PT12H", "PT1H30M").
func isoDuration(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return "P" + strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "D"
	}
	out := "PT"
	if h := d / time.Hour; h > 0 {
		out += strconv.FormatInt(int64(h), 10) + "H"
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		out += strconv.FormatInt(int64(m), 10) + "M"
	}
	if sec := d % time.Minute / time.Second; sec > 0 || out == "PT" {
		out += strconv.FormatInt(int64(sec), 10) + "S"
	}
	return out
}
