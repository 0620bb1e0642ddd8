//go:build linux

package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/testgate"
)

// TestBrowserCORS loads a page in headless Chromium from a trusted origin and from an untrusted
// one, each served on its own loopback port, and lets the page's fetch() to okapi report back
// what the browser allowed it to read. CI installs the browser with:
//
//	apt-get update && apt-get install -y chromium
func TestBrowserCORS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the headless browser check (about 10 s)")
	}
	browser := testgate.Chromium(t, findChromium)
	e := newEnv(t, "")
	okapi := httptest.NewServer(e.api)
	defer okapi.Close()

	trusted := newPageServer(t, okapi.URL)
	untrusted := newPageServer(t, okapi.URL)
	createOrigin(t, e, "Trusted page", trusted.srv.URL, `{"type":"CORS"}`)

	// One browser start-up is most of the cost: the trusted page embeds the untrusted one in an
	// iframe, so one page load exercises both origins.
	trusted.embed = untrusted.srv.URL + "/"
	results := openPages(t, browser, trusted, untrusted)
	got := results[0]
	t.Logf("trusted page read: %s", got)
	if !strings.HasPrefix(got, "READ ") || strings.HasSuffix(got, " ") {
		t.Errorf("trusted origin: the page got %q, want the response status and its X-Okta-Request-Id", got)
	}
	got = results[1]
	t.Logf("untrusted page read: %s", got)
	if !strings.HasPrefix(got, "BLOCKED") {
		t.Errorf("untrusted origin: the page got %q, want the browser to block the response", got)
	}
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// pageServer serves a page whose script calls okapi with an SSWS token (which needs a preflight
// for the Authorization header) and posts what it could read to /result.
type pageServer struct {
	srv    *httptest.Server
	result chan string
	embed  string // URL of a page to show in an iframe
}

const page = `<!doctype html><html><body><script>
fetch(%q + "/api/v1/users/me", {headers: {"Authorization": "SSWS %s", "Accept": "application/json"}})
  .then(r => "READ " + r.status + " " + (r.headers.get("X-Okta-Request-Id") || ""))
  .catch(err => "BLOCKED " + err.name)
  .then(msg => fetch("/result", {method: "POST", body: msg}));
</script>%s</body></html>`

func newPageServer(t *testing.T, okapiURL string) *pageServer {
	p := &pageServer{result: make(chan string, 1)}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			iframe := ""
			if p.embed != "" {
				iframe = fmt.Sprintf("<iframe src=%q></iframe>", p.embed)
			}
			fmt.Fprintf(w, page, okapiURL, testToken, iframe)
		case "/result":
			var b strings.Builder
			buf := make([]byte, 512)
			n, _ := r.Body.Read(buf)
			b.Write(buf[:n])
			select {
			case p.result <- b.String():
			default:
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// openPages opens the first page in a fresh headless browser and waits, at most 30 s in all, for
// a report from each page (the others are embedded in the first).
func openPages(t *testing.T, browser string, pages ...*pageServer) []string {
	t.Helper()
	args := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--disable-extensions", "--disable-background-networking", "--user-data-dir=" + t.TempDir()}
	args = append(args, pages[0].srv.URL+"/")
	cmd := exec.Command(browser, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", browser, err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the browser and its helpers
		_ = cmd.Wait()
	}()
	deadline := time.After(30 * time.Second)
	out := make([]string, len(pages))
	for i, p := range pages {
		select {
		case out[i] = <-p.result:
		case <-deadline:
			t.Fatalf("page %d reported nothing within 30 s (got %q so far)", i, out)
		}
	}
	return out
}
