package httpapi

import (
	"mime"
	"net/http"
	"strings"
)

// samlMetadataContentType is what Okta answers previewSAMLmetadataForApplication with (the
// spec says text/xml; Okta orgs answer application/xml, which the Terraform provider requires:
// see oastest.Deviations). The document is ASCII (application.App.SSOURL escapes the
// app name), so the charset Okta names is true of it.
const samlMetadataContentType = "application/xml;charset=ISO-8859-1"

// samlMetadata is previewSAMLmetadataForApplication: the IdP metadata of a SAML app for its
// active signing key, or for the key ?kid= names.
func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request) error {
	a, key, err := s.svc.SAMLMetadata(r.Context(), r.PathValue("id"), r.URL.Query().Get("kid"))
	if err != nil {
		return err
	}
	doc, err := a.IdPMetadata(s.baseURL(r), key.X5c[:min(1, len(key.X5c))]...)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", samlMetadataContentType)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(doc)
	return err
}

// isSAMLMetadata reports whether r asks for an app's SAML metadata, the one API read answered
// in XML: its clients send Accept: application/xml (checkMedia).
func isSAMLMetadata(r *http.Request) bool {
	parts := strings.Split(r.URL.Path, "/")
	return r.Method == http.MethodGet && len(parts) == 8 && parts[1] == "api" && parts[2] == "v1" &&
		parts[3] == "apps" && parts[4] != "" && parts[5] == "sso" && parts[6] == "saml" && parts[7] == "metadata"
}

// acceptsXML reports whether the Accept header values allow an XML answer.
func acceptsXML(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			// q=0 (or 0.0, 0.00...) refuses the type.
			if err != nil || strings.HasPrefix(params["q"], "0") && strings.Trim(params["q"], "0.") == "" {
				continue
			}
			switch mt {
			case "application/xml", "text/xml", "application/samlmetadata+xml", "text/*":
				return true
			}
		}
	}
	return false
}
