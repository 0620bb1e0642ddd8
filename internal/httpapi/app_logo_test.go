package httpapi_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okta/okta-sdk-golang/v5/okta"
)

// logoPNG is a small valid PNG.
func logoPNG(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 20, 20))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const logoSVG = `<?xml version="1.0"?><!-- logo --><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`

// multipartBody is a form with one part named field holding data, sent as the SDKs send files
// (application/octet-stream, whatever the file is).
func multipartBody(t testing.TB, field string, data []byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile(field, "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), mw.FormDataContentType()
}

// uploadLogo posts data as the file part to an app's logo.
func (e *groupsEnv) uploadLogo(appID string, data []byte) (*http.Response, []byte) {
	e.t.Helper()
	body, ct := multipartBody(e.t, "file", data)
	req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/apps/"+appID+"/logo", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+e.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", ct)
	return sendLogoReq(e.t, req)
}

func sendLogoReq(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// logoLink returns an app's _links.logo[0] (name, href, type).
func (e *groupsEnv) logoLink(appID string) map[string]any {
	e.t.Helper()
	app := decodeAs[map[string]any](e.t, e.must(200, "GET", "/api/v1/apps/"+appID, nil))
	links := app["_links"].(map[string]any)
	if up := links["uploadLogo"].(map[string]any); !strings.HasSuffix(up["href"].(string), "/api/v1/apps/"+appID+"/logo") {
		e.t.Errorf("uploadLogo %v", up)
	}
	logos := links["logo"].([]any)
	if len(logos) != 1 {
		e.t.Fatalf("_links.logo %v", logos)
	}
	return logos[0].(map[string]any)
}

// fetch GETs an absolute URL without a token, as an <img> tag does.
func fetch(t testing.TB, url string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sendLogoReq(t, req)
}

// TestAppLogo: uploadApplicationLogo answers 201 with no body; _links.logo then names the
// uploaded image, which okapi serves; before, it names the default logo. A new upload replaces
// the logo (and its URL), a replace of the app keeps it, deleting the app removes it.
func TestAppLogo(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		app := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/apps", map[string]any{
			"name": "template_basic_auth", "label": "Logo", "signOnMode": "BASIC_AUTH",
			"settings": map[string]any{"app": map[string]any{"url": "https://example.com/login", "authURL": "https://example.com/auth"}}}))
		id := app["id"].(string)

		def := e.logoLink(id)
		if def["name"] != "medium" || def["type"] != "image/png" || !strings.HasSuffix(def["href"].(string), "/assets/img/logos/default.png") {
			t.Fatalf("default logo link %v", def)
		}
		if resp, data := fetch(t, def["href"].(string)); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Fatalf("default logo: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}

		img := logoPNG(t)
		resp, body := e.uploadLogo(id, img)
		if resp.StatusCode != http.StatusCreated || len(body) != 0 {
			t.Fatalf("upload: %d %q", resp.StatusCode, body)
		}
		first := e.logoLink(id)
		if first["name"] != "medium" || first["type"] != "image/png" || !strings.Contains(first["href"].(string), "/bc/image/fileStoreRecord?id=gfs") {
			t.Fatalf("uploaded logo link %v", first)
		}
		resp, data := fetch(t, first["href"].(string))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(data, img) {
			t.Fatalf("uploaded logo: %d %s, %d bytes (want %d)", resp.StatusCode, resp.Header.Get("Content-Type"), len(data), len(img))
		}

		if resp, body := e.uploadLogo(id, []byte(logoSVG)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("SVG upload: %d %s", resp.StatusCode, body)
		}
		second := e.logoLink(id)
		if second["type"] != "image/svg+xml" || second["href"] == first["href"] {
			t.Fatalf("after a second upload: %v (first %v)", second, first)
		}
		resp, data = fetch(t, second["href"].(string))
		if resp.StatusCode != 200 || string(data) != logoSVG || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("SVG logo: %d %v", resp.StatusCode, resp.Header)
		}
		if resp, _ := fetch(t, first["href"].(string)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the replaced logo still answers %d", resp.StatusCode)
		}

		// A full replace does not carry the logo; it stays.
		delete(app, "_links")
		e.must(200, "PUT", "/api/v1/apps/"+id, app)
		if kept := e.logoLink(id); kept["href"] != second["href"] {
			t.Errorf("after PUT: %v, want %v", kept, second)
		}

		e.must(200, "POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil)
		e.must(204, "DELETE", "/api/v1/apps/"+id, nil)
		if resp, _ := fetch(t, second["href"].(string)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a deleted app's logo answers %d", resp.StatusCode)
		}
	})
}

// TestAppLogoBadInput: a missing file part, a file that is not a PNG, JPG, SVG or GIF (whatever
// its part says), and one over 1 MB are 400 E0000001 with a cause; nothing is stored.
func TestAppLogoBadInput(t *testing.T) {
	e := newEnv(t, "")
	a := createApp(t, e, "", `{"name":"bookmark","label":"B","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://example.com/b"}}}`)
	path := "/api/v1/apps/" + a["id"].(string) + "/logo"
	big := append(logoPNG(t), make([]byte, 1<<20)...)
	for _, tt := range []struct {
		name, field string
		data        []byte
		cause       string
	}{
		{"no file part", "image", logoPNG(t), "file: The request must have a file part holding the logo"},
		{"empty file", "file", nil, "file: The logo file is empty"},
		{"text posing as PNG", "file", []byte("not an image at all"), "file: The logo must be a PNG, JPG, SVG or GIF image"},
		{"truncated PNG", "file", logoPNG(t)[:12], "file: The logo must be a PNG, JPG, SVG or GIF image"},
		{"HTML", "file", []byte("<html><body>hi</body></html>"), "file: The logo must be a PNG, JPG, SVG or GIF image"},
		{"broken SVG", "file", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect>`), "file: The logo must be a PNG, JPG, SVG or GIF image"},
		{"over 1 MB", "file", big, "file: The logo must be less than 1 MB in size"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(t, tt.field, tt.data)
			m := wantError(t, e.do(req{Method: "POST", Path: path, Body: body, Header: map[string]string{"Content-Type": ct}}), 400, "E0000001")
			if m["errorSummary"] != "Api validation failed: file" || !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("error %v, want cause %q", m, tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: path, Body: `{"file":"x"}`}), 415, "E0000012")
	body, ct := multipartBody(t, "file", logoPNG(t))
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/apps/0oanope/logo", Body: body, Header: map[string]string{"Content-Type": ct}}), 404, "E0000007")
	wantError(t, e.do(req{Method: "POST", Path: path, Body: body, Header: map[string]string{"Content-Type": ct}, NoAuth: true}), 401, "E0000011")

	got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/apps/" + a["id"].(string)}))
	logo := got["_links"].(map[string]any)["logo"].([]any)[0].(map[string]any)
	if !strings.HasSuffix(logo["href"].(string), "/assets/img/logos/default.png") {
		t.Errorf("a refused upload changed the logo: %v", logo)
	}
	if n := e.countEvents("application.lifecycle.update"); n != 0 {
		t.Errorf("%d update events for refused uploads", n)
	}
	wantError(t, e.do(req{Method: "GET", Path: "/bc/image/fileStoreRecord?id=gfsnope", NoAuth: true}), 404, "E0000007")
}

// TestAppLogoGoSDK runs what the v5 SDK's Test_Upload_Application_Logo does: upload the SDK's
// own okta/asset/logo.png with ApplicationLogosAPI.UploadApplicationLogo (a multipart part typed
// application/octet-stream), then deactivate and delete the app.
func TestAppLogoGoSDK(t *testing.T) {
	e := newGroupsEnvOn(t, "")
	spec, err := oastest.SpecPath()
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(filepath.Join(filepath.Dir(filepath.Dir(spec)), "asset", "logo.png"))
	if err != nil {
		t.Fatal(err)
	}
	app := decodeAs[map[string]any](t, e.must(200, "POST", "/api/v1/apps", map[string]any{
		"name": "template_basic_auth", "label": "SDK logo", "signOnMode": "BASIC_AUTH",
		"settings": map[string]any{"app": map[string]any{"url": "https://example.com/login", "authURL": "https://example.com/auth"}}}))
	id := app["id"].(string)

	u, _ := url.Parse(e.srv.URL)
	cfg, err := okta.NewConfiguration(okta.WithOrgUrl(e.srv.URL), okta.WithToken(e.token), okta.WithCache(false))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Host, cfg.Scheme = u.Host, u.Scheme // v5 drops the port of the org URL
	client := okta.NewAPIClient(cfg)
	resp, err := client.ApplicationLogosAPI.UploadApplicationLogo(cfg.Context, id).File(file).Execute()
	if err != nil {
		t.Fatalf("UploadApplicationLogo: %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("status %d", resp.StatusCode)
	}
	if logo := e.logoLink(id); logo["type"] != "image/png" || !strings.Contains(logo["href"].(string), "fileStoreRecord") {
		t.Errorf("logo link %v", logo)
	}
	got, _, err := client.ApplicationAPI.GetApplication(cfg.Context, id).Execute()
	if err != nil || got.BasicAuthApplication == nil {
		t.Fatalf("GetApplication: %v", err)
	}
	if logos := got.BasicAuthApplication.GetLinks().Logo; len(logos) != 1 || !strings.Contains(logos[0].GetHref(), "fileStoreRecord?id=gfs") {
		t.Errorf("SDK sees _links.logo %+v", logos)
	}
	if _, err := client.ApplicationAPI.DeactivateApplication(cfg.Context, id).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ApplicationAPI.DeleteApplication(cfg.Context, id).Execute(); err != nil {
		t.Fatal(err)
	}
}
