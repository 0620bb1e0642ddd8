package httpapi

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// Where app logos are served. An uploaded logo is at logoFilePath?id=<file id>, the path Okta's
// own file store records use; an app without one links to defaultLogoPath, as Okta links every
// app to its default logo. Both answer without a token: they are what an <img> tag loads.
const (
	logoFilePath    = "/bc/image/fileStoreRecord"
	defaultLogoPath = "/assets/img/logos/default.png"
)

// maxLogoBody bounds an uploadApplicationLogo request: room for a logo over the 1 MB limit, so
// that it is answered with Okta's 400 E0000001 rather than 413.
const maxLogoBody = 8 << 20

// logoRoutes lists uploadApplicationLogo and the two image URLs of _links.logo.
func (s *Server) logoRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyApps, []route{
			{"POST", "/api/v1/apps/{id}/logo", s.authed(s.h(s.uploadAppLogo))},
		}),
		inFamily(notLimited, []route{
			{"GET", logoFilePath, s.h(s.appLogoFile)},
			{"GET", defaultLogoPath, s.defaultLogo},
		}),
	)
}

// isLogoUpload reports whether r is uploadApplicationLogo, the one multipart API request.
func isLogoUpload(r *http.Request) bool {
	parts := strings.Split(r.URL.Path, "/")
	return r.Method == http.MethodPost && len(parts) == 6 && parts[1] == "api" && parts[2] == "v1" &&
		parts[3] == "apps" && parts[4] != "" && parts[5] == "logo"
}

// errNotMultipart answers an uploadApplicationLogo body that is not multipart/form-data.
var errNotMultipart = domain.NewError(http.StatusUnsupportedMediaType, domain.CodeUnsupportedMedia,
	"Unsupported media type: the logo must be uploaded as multipart/form-data")

// errLogoBodyTooLarge answers an upload far over the logo limit, as errTooLarge answers JSON.
var errLogoBodyTooLarge = domain.NewError(http.StatusRequestEntityTooLarge, domain.CodeBadRequest,
	"The request was not valid: the request body is larger than 8 MiB")

// checkLogoMedia is checkMedia's rule for uploadApplicationLogo: its own size bound. The
// handler checks the body is multipart/form-data, after the permission check, as the JSON
// handlers' bodies are decoded after it.
func checkLogoMedia(r *http.Request) error {
	if r.ContentLength > maxLogoBody {
		return errLogoBodyTooLarge
	}
	return nil
}

// uploadAppLogo is uploadApplicationLogo: 201 with no body.
func (s *Server) uploadAppLogo(w http.ResponseWriter, r *http.Request) error {
	data, err := logoPart(r)
	// Read what is left, so the client gets the answer rather than a reset connection.
	_, _ = io.Copy(io.Discard, r.Body)
	if err != nil {
		return err
	}
	if err := s.svc.UploadAppLogo(r.Context(), r.PathValue("id"), data); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// logoPart returns the bytes of the form's file part, at most one byte over the limit.
func logoPart(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, errNotMultipart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errMalformed
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, application.ErrLogoMissing
		}
		if err != nil {
			return nil, bodyError(err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, application.MaxLogoBytes+1))
		if err != nil {
			return nil, bodyError(err)
		}
		if len(data) > application.MaxLogoBytes {
			return nil, application.ErrLogoTooLarge
		}
		return data, nil
	}
}

// bodyError is a multipart body that cannot be read: too large, or not well-formed.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return application.ErrLogoTooLarge
	}
	return errMalformed
}

// logoLinks are an app's _links.logo (the uploaded logo, else Okta's default one) and
// uploadLogo, as Okta shows them.
func (s *Server) logoLinks(r *http.Request, a application.App, links Links) {
	base := s.baseURL(r)
	logo := Link{Name: "medium", Href: base + defaultLogoPath, Type: "image/png"}
	if id, typ := a.Logo(); id != "" {
		logo.Href, logo.Type = base+logoFilePath+"?id="+id, typ
		if s.baseDomain == "" {
			// Every org shares this URL, and an <img> sends no token: the org goes in the URL.
			logo.Href += "&org=" + callerOf(r.Context()).OrgID
		}
	}
	links["logo"] = []Link{logo}
	links["uploadLogo"] = s.postLink(r, "/api/v1/apps/"+a.ID()+"/logo")
}

// appLogoFile serves an uploaded logo. The org is the host's (--base-domain), or the one the
// link names, or the default org.
func (s *Server) appLogoFile(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	if org := r.URL.Query().Get("org"); org != "" && s.baseDomain == "" {
		c.OrgID = org
	}
	if c.OrgID == "" {
		id, err := s.svc.DefaultOrgID(r.Context())
		if err != nil {
			return err
		}
		c.OrgID = id
	}
	logo, err := s.svc.AppLogoFile(r.Context(), r.URL.Query().Get("id"))
	if err != nil {
		return err
	}
	writeImage(w, logo.Type, logo.Data)
	return nil
}

// writeImage answers with an image. An SVG can hold scripts: the policy keeps it from running
// any, and nosniff from being read as anything but its type.
func writeImage(w http.ResponseWriter, mediaType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", mediaType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	// A new upload gets a new URL, so an image never changes under its URL.
	h.Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// defaultLogoPNG is the logo of an app without an uploaded one: a plain grey square.
var defaultLogoPNG = sync.OnceValue(func() []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 0xd7
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
})

func (s *Server) defaultLogo(w http.ResponseWriter, _ *http.Request) {
	writeImage(w, "image/png", defaultLogoPNG())
}
