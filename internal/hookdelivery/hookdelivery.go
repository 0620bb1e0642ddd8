// Package hookdelivery sends event hooks' requests: the one-time verification GET and the
// delivery POSTs, with Okta's timeout (3 s) and retry (one retry after a timeout, a connection
// error or a 5xx; none after a 4xx), and runs the worker that feeds them from the System Log.
// Source: "Event hooks" in Okta's concepts documentation
// (https://developer.okta.com/docs/concepts/event-hooks/) and the verifyEventHook operation.
package hookdelivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
)

// Timeout is how long okapi waits for a receiver, as Okta does.
const Timeout = 3 * time.Second

// VerificationHeader carries the challenge of the one-time verification request.
const VerificationHeader = "X-Okta-Verification-Challenge"

// Sender makes the HTTP requests to receivers.
type Sender struct {
	// Client sends the requests; New gives one that never follows redirects (a receiver cannot
	// send okapi's secret header on to another host).
	Client *http.Client
	// Timeout bounds each attempt, answer included; zero means Okta's Timeout. Tests shorten it
	// to exercise a slow receiver without waiting 3 s per attempt.
	Timeout time.Duration
	// IDs makes verification challenges.
	IDs domain.IDs
}

// New returns a Sender with okapi's defaults.
func New() *Sender {
	return &Sender{
		Client: &http.Client{
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Timeout: Timeout,
		IDs:     domain.CryptoIDs{},
	}
}

func (s *Sender) timeout() time.Duration {
	if s.Timeout <= 0 {
		return Timeout
	}
	return s.Timeout
}

// errClient marks a failure that Okta does not retry (the receiver answered 4xx).
type errClient struct{ status int }

func (e errClient) Error() string { return fmt.Sprintf("the receiver answered HTTP %d", e.status) }

// Verify sends the verification GET and checks the receiver echoed the challenge as
// {"verification": "<challenge>"}.
func (s *Sender) Verify(ctx context.Context, h eventhook.EventHook) error {
	challenge := s.IDs.Random(40)
	return retryOnce(func() error {
		req, err := s.request(ctx, http.MethodGet, h, nil)
		if err != nil {
			return err
		}
		req.Header.Set(VerificationHeader, challenge)
		body, err := s.do(req)
		if err != nil {
			return err
		}
		var reply struct {
			Verification string `json:"verification"`
		}
		if json.Unmarshal(body, &reply) != nil || reply.Verification != challenge {
			return clientMessage(`the receiver did not answer {"verification": "<the challenge>"}`)
		}
		return nil
	})
}

// Deliver POSTs one batch and returns "" on success or the reason it failed.
func (s *Sender) Deliver(ctx context.Context, h eventhook.EventHook, p eventhook.Payload) string {
	body, err := json.Marshal(p)
	if err != nil {
		return err.Error()
	}
	err = retryOnce(func() error {
		req, err := s.request(ctx, http.MethodPost, h, body)
		if err != nil {
			return err
		}
		_, err = s.do(req)
		return err
	})
	if err != nil {
		return err.Error()
	}
	return ""
}

func (s *Sender) request(ctx context.Context, method string, h eventhook.EventHook, body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.Channel.Config.URI, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "okapi event hooks")
	for _, hd := range h.Channel.Config.Headers {
		req.Header.Set(hd.Key, hd.Value)
	}
	if a := h.Channel.Config.AuthScheme; a != nil && a.Value != "" {
		req.Header.Set(a.Key, a.Value)
	}
	return req, nil
}

// do sends req and returns the body of a 2xx answer (at most 64 KiB are read), all within
// the Sender's timeout.
func (s *Sender) do(req *http.Request) ([]byte, error) {
	ctx, cancel := context.WithTimeout(req.Context(), s.timeout())
	defer cancel()
	resp, err := s.Client.Do(req.WithContext(ctx))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, fmt.Errorf("the receiver did not answer within %s", seconds(s.timeout()))
		}
		return nil, fmt.Errorf("the receiver could not be reached: %w", unwrapURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("the receiver answered HTTP %d", resp.StatusCode)
	case resp.StatusCode >= 300:
		return nil, errClient{status: resp.StatusCode}
	}
	return body, err
}

// retryOnce runs f, and once more after a failure Okta retries (not after a 4xx).
func retryOnce(f func() error) error {
	err := f()
	var ce errClient
	var cm clientMessage
	if err == nil || errors.As(err, &ce) || errors.As(err, &cm) {
		return err
	}
	return f()
}

// clientMessage is a non-retried failure with a message of its own.
type clientMessage string

func (m clientMessage) Error() string { return string(m) }

// seconds writes a timeout as the failure reason shows it: "3 seconds" for Okta's.
func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d seconds", d/time.Second)
	}
	return d.String()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func unwrapURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
