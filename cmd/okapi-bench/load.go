package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// op is one request of a scenario. conn is the connection's index (scenarios that mutate keep
// each connection on its own users), i the connection's request count so far.
type op func(ctx context.Context, c *client, conn, i int) error

// errSkip marks a request that is load for another measurement, not a sample of this one.
var errSkip = errors.New("not measured")

// result is one scenario's figures.
type result struct {
	Name     string
	Requests int
	Errors   int
	FirstErr string
	Elapsed  time.Duration
	lat      []time.Duration
}

func (r *result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Pct is the p-th percentile latency (p in 0..100), by nearest rank.
func (r *result) Pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.lat)))
	return r.lat[min(i, len(r.lat)-1)]
}

// drive runs fn on conns goroutines, each one request after the other, for d.
func drive(ctx context.Context, name string, c *client, conns int, d time.Duration, fn op) *result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := &result{Name: name}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for k := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			errs, first := 0, ""
			for i := 0; ctx.Err() == nil; i++ {
				t := time.Now()
				err := fn(ctx, c, k, i)
				if ctx.Err() != nil {
					break // the deadline cut this request short: it counts neither way
				}
				if err == errSkip {
					continue
				}
				lat = append(lat, time.Since(t))
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.Errors += errs
			if res.FirstErr == "" {
				res.FirstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests = len(res.lat)
	slices.Sort(res.lat)
	return res
}

// client sends requests to one server.
type client struct {
	base  string
	token string
	hc    *http.Client
}

func newClient(base, token string, conns int) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: conns * 2,
		IdleConnTimeout: time.Minute, DisableCompression: true}
	return &client{base: base, token: token, hc: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// do sends a request and reads the whole answer; a status other than want is an error.
func (c *client) do(ctx context.Context, method, path string, body io.Reader, want int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "SSWS "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		if len(b) > 200 {
			b = b[:200]
		}
		return b, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return b, nil
}
