package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	oktav2 "github.com/okta/okta-sdk-golang/v2/okta"
	oktav5 "github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
)

// rlBootstrapToken is a fixed token so that two instances on one database share it.
const rlBootstrapToken = "00rateLimitTestToken0123456789abcdefghijkl"

// startRateLimited starts okapi in-process with the test profile (5 requests per family per
// window) and a 2 s window, after letting edit adjust the config.
func startRateLimited(t *testing.T, edit func(*config.Config)) *app.Server {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: true, LogLevel: "error",
		BootstrapToken: rlBootstrapToken, RateLimitProfile: "test", RateLimitWindow: 2 * time.Second}
	if edit != nil {
		edit(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := app.Start(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return srv
}

// exchange is one request as the SDK sent it and what came back.
type exchange struct {
	status               int
	requestID            string
	retryFor, retryCount string
	backoff              int64 // Reset - Date + 1, the SDKs' wait, on a 429
}

// recordingTransport records every exchange the SDK makes, to check its retries from outside.
type recordingTransport struct {
	mu  sync.Mutex
	log []exchange
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	x := exchange{status: resp.StatusCode, requestID: resp.Header.Get("X-Okta-Request-Id"),
		retryFor: req.Header.Get("X-Okta-Retry-For"), retryCount: req.Header.Get("X-Okta-Retry-Count"), backoff: -1}
	if resp.StatusCode == http.StatusTooManyRequests {
		date, derr := http.ParseTime(resp.Header.Get("Date"))
		reset, rerr := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
		if derr == nil && rerr == nil {
			x.backoff = reset - date.Unix() + 1
		}
	}
	rt.mu.Lock()
	rt.log = append(rt.log, x)
	rt.mu.Unlock()
	return resp, nil
}

// checkBackoff checks what the SDK went through for calls requests: every call got its 200, the
// limit was really hit, every 429 asked for a wait of 1 to 3 s (a 2 s window), and every retry
// named the 429 it retried and landed in the next window at its first attempt.
func (rt *recordingTransport) checkBackoff(t *testing.T, calls int) {
	t.Helper()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	ok, refused := 0, 0
	for i, x := range rt.log {
		switch x.status {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			refused++
			if x.backoff < 1 || x.backoff > 3 {
				t.Errorf("429 #%d: Reset - Date + 1 = %d s, want 1..3 s for a 2 s window", refused, x.backoff)
			}
			if i+1 >= len(rt.log) {
				t.Fatalf("the last request was a 429 that was never retried")
			}
			next := rt.log[i+1]
			if next.retryFor != x.requestID || next.retryCount != "1" || next.status != http.StatusOK {
				t.Errorf("after 429 %s: next request retry-for %q, retry-count %q, status %d; want %s, 1, 200",
					x.requestID, next.retryFor, next.retryCount, next.status, x.requestID)
			}
		default:
			t.Errorf("unexpected status %d", x.status)
		}
	}
	if ok != calls || refused < 2 {
		t.Fatalf("%d calls: %d answered 200 and %d 429; want %d and at least 2 backoffs", calls, ok, refused, calls)
	}
}

const sdkBurst = 15

// TestSDKv5BacksOffOnRateLimit: v5 does not retry by default (MaxRetries 0); with retries on,
// a burst three times the limit completes by waiting for the next window.
func TestSDKv5BacksOffOnRateLimit(t *testing.T) {
	t.Parallel()
	srv := startRateLimited(t, nil)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	rt := &recordingTransport{}
	cfg, err := oktav5.NewConfiguration(oktav5.WithOrgUrl(srv.URL), oktav5.WithToken(srv.Token),
		oktav5.WithCache(false), oktav5.WithRateLimitMaxRetries(2), oktav5.WithRateLimitMaxBackOff(10),
		oktav5.WithHttpClientPtr(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Host = u.Host // v5 drops the port of the org URL (okta/configuration.go: cfg.Host = purl.Hostname())
	client := oktav5.NewAPIClient(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := range sdkBurst {
		tokens, _, err := client.ApiTokenAPI.ListApiTokens(ctx).Execute()
		if err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		if len(tokens) != 1 {
			t.Fatalf("call %d: %d tokens, want the bootstrap token", i+1, len(tokens))
		}
	}
	rt.checkBackoff(t, sdkBurst)
}

// TestSDKv2BacksOffOnRateLimit: the same with v2 (which retries twice by default; set here
// anyway). v2 has no api-tokens client, so the raw request executor calls /api/v1/api-tokens.
func TestSDKv2BacksOffOnRateLimit(t *testing.T) {
	t.Parallel()
	srv := startRateLimited(t, nil)
	rt := &recordingTransport{}
	ctx, client, err := oktav2.NewClient(context.Background(), oktav2.WithOrgUrl(srv.URL), oktav2.WithToken(srv.Token),
		oktav2.WithTestingDisableHttpsCheck(true), oktav2.WithCache(false),
		oktav2.WithRateLimitMaxRetries(2), oktav2.WithRateLimitMaxBackOff(10),
		oktav2.WithHttpClientPtr(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	re := client.GetRequestExecutor()
	for i := range sdkBurst {
		req, err := re.WithAccept("application/json").NewRequest(http.MethodGet, "/api/v1/api-tokens", nil)
		if err != nil {
			t.Fatal(err)
		}
		var tokens []map[string]any
		if _, err := re.Do(ctx, req, &tokens); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		if len(tokens) != 1 {
			t.Fatalf("call %d: %d tokens, want the bootstrap token", i+1, len(tokens))
		}
	}
	rt.checkBackoff(t, sdkBurst)
}

// TestSDKv5WithoutRetriesSurfaces429: v5's default is no retry; okapi's 429 then reaches the
// caller as an error, as it does against Okta.
func TestSDKv5WithoutRetriesSurfaces429(t *testing.T) {
	t.Parallel()
	srv := startRateLimited(t, nil)
	u, _ := url.Parse(srv.URL)
	cfg, err := oktav5.NewConfiguration(oktav5.WithOrgUrl(srv.URL), oktav5.WithToken(srv.Token), oktav5.WithCache(false))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Host = u.Host
	client := oktav5.NewAPIClient(cfg)
	for i := range 6 {
		_, _, err := client.ApiTokenAPI.ListApiTokens(context.Background()).Execute()
		if i < 5 && err != nil {
			t.Fatalf("call %d within the limit: %v", i+1, err)
		}
		// v5 drops the response of a 429 it gave up on and reports only this.
		if i == 5 && (err == nil || !strings.Contains(err.Error(), "too many requests")) {
			t.Fatalf("sixth call without retries: %v, want the SDK's too many requests error", err)
		}
	}
}
