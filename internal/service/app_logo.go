package service

import (
	"context"
	"encoding/json"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// appLogoKind is an uploaded app logo (AppObject Parent the app, ID the logo's file id).
const appLogoKind = "logo"

// logoFilePrefix starts a logo's file id, as Okta's file store record ids start with "gfs".
const logoFilePrefix = "gfs"

// AppLogo is an uploaded logo: its file id, media type and bytes.
type AppLogo struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// Data is the image; encoding/json keeps it as base64 in the stored document.
	Data []byte `json:"data"`
}

// UploadAppLogo stores an app's logo, replacing the previous one (uploadApplicationLogo). The
// content decides the type (PNG, JPG, SVG or GIF, at most application.MaxLogoBytes): 400
// E0000001 otherwise. Each upload gets a new file id, so the logo's URL changes with it.
func (s *Service) UploadAppLogo(ctx context.Context, appID string, data []byte) error {
	typ, err := application.LogoType(data)
	if err != nil {
		return err
	}
	org, now := orgID(ctx), s.now(ctx)
	logo := AppLogo{ID: domain.NewID(s.IDs, logoFilePrefix), Type: typ, Data: data}
	doc, err := json.Marshal(logo)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		a, err := s.getApp(ctx, tx, org, appID)
		if err != nil {
			return err
		}
		if old, _ := a.Logo(); old != "" {
			if err := tx.DeleteAppObjects(ctx, org, appLogoKind, appID, old); err != nil {
				return err
			}
		}
		if err := tx.PutAppObject(ctx, org, store.AppObject{Kind: appLogoKind, Parent: appID, ID: logo.ID, Data: doc, Created: now.Millis()}); err != nil {
			return err
		}
		a.SetLogo(logo.ID, typ)
		if err := putApp(ctx, tx, org, a, domain.At(parseTime(a.Str("created")))); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "application.lifecycle.update", "Update application logo", appTarget(a)))
	})
}

// AppLogoFile returns an uploaded logo by its file id, for the URL _links.logo names.
func (s *Service) AppLogoFile(ctx context.Context, fileID string) (AppLogo, error) {
	objs, err := s.Store.ListAppObjects(ctx, orgID(ctx), appLogoKind, "*", fileID)
	if err != nil {
		return AppLogo{}, err
	}
	if len(objs) == 0 {
		return AppLogo{}, domain.NotFound(fileID, "FileStoreRecord")
	}
	var logo AppLogo
	err = json.Unmarshal(objs[0].Data, &logo)
	return logo, err
}
