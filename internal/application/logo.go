package application

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	_ "image/gif"  // registers GIF for LogoType
	_ "image/jpeg" // registers JPEG for LogoType
	_ "image/png"  // registers PNG for LogoType
	"io"

	"github.com/okapi-dev/okapi/internal/domain"
)

// MaxLogoBytes is the largest logo uploadApplicationLogo takes: "The file must be in PNG, JPG,
// SVG, or GIF format, and less than one MB in size" (uploadApplicationLogo_request).
const MaxLogoBytes = 1 << 20

// LogoKey is where a stored app keeps its uploaded logo's file id and media type. Public
// leaves it out, and a create or replace body cannot set it.
const LogoKey = "_okapiLogo"

// logoFormats maps image.DecodeConfig's format names to media types.
var logoFormats = map[string]string{"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}

// Logo errors, 400 E0000001 naming the file part as Okta's validation errors name a field.
var (
	ErrLogoMissing  = domain.Validation("file", "file: The request must have a file part holding the logo")
	ErrLogoTooLarge = domain.Validation("file", "file: The logo must be less than 1 MB in size")
	errLogoEmpty    = domain.Validation("file", "file: The logo file is empty")
	errLogoFormat   = domain.Validation("file", "file: The logo must be a PNG, JPG, SVG or GIF image")
)

// LogoType checks an uploaded logo by its content (the part's declared type is not trusted:
// the SDKs send application/octet-stream) and returns its media type.
func LogoType(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", errLogoEmpty
	case len(data) > MaxLogoBytes:
		return "", ErrLogoTooLarge
	}
	if _, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		if typ, ok := logoFormats[format]; ok {
			return typ, nil
		}
	}
	if isSVG(data) {
		return "image/svg+xml", nil
	}
	return "", errLogoFormat
}

// isSVG reports whether data is XML whose root element is svg.
func isSVG(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Local == "svg" && svgWellFormed(d)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		}
	}
}

// svgWellFormed reads the rest of the document, reporting whether it parses to the end.
func svgWellFormed(d *xml.Decoder) bool {
	for {
		if _, err := d.Token(); err != nil {
			return errors.Is(err, io.EOF)
		}
	}
}

// Logo returns the uploaded logo's file id and media type ("" when there is none).
func (a App) Logo() (id, mediaType string) {
	m, _ := a[LogoKey].(map[string]any)
	id, _ = m["id"].(string)
	mediaType, _ = m["type"].(string)
	return id, mediaType
}

// SetLogo records the uploaded logo's file id and media type.
func (a App) SetLogo(id, mediaType string) {
	a[LogoKey] = map[string]any{"id": id, "type": mediaType}
}
