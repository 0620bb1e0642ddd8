package reliability

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoak drives the okapi binary (SQLite) with a closed loop of mixed reads and writes from
// 16 clients over loopback, as fast as the machine allows, for OKAPI_SOAK (default 10s; the
// README's figures come from OKAPI_SOAK=60s). It requires zero 5xx (zero non-2xx at all: every
// request is valid), zero lost writes (every acknowledged create is listed afterwards), and a
// flat memory: the highest RSS of the last third stays within 1.5x the RSS after warm-up plus
// 16 MiB. Skipped with -short.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped with -short")
	}
	dur := 10 * time.Second
	if v := os.Getenv("OKAPI_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 3*time.Second {
			t.Fatalf("OKAPI_SOAK=%q: want a duration of at least 3s", v)
		}
		dur = d
	}
	p := start(t, t.TempDir(), "")
	c := newClient(p.url)
	var groups []string
	for i := range 4 {
		var g group
		c.must(t, http.MethodPost, "/api/v1/groups", map[string]any{"profile": map[string]any{"name": fmt.Sprintf("soak-%d", i)}}, &g)
		groups = append(groups, g.ID)
	}

	var (
		samples   []rssSample
		stop      = make(chan struct{})
		began     = time.Now()
		sampler   sync.WaitGroup
		samplerMu sync.Mutex
	)
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if kib, err := p.rssKiB(); err == nil {
					samplerMu.Lock()
					samples = append(samples, rssSample{time.Since(began), kib})
					samplerMu.Unlock()
				}
			}
		}
	}()

	const workers = 16
	var (
		reads, writes, serverErrs, otherErrs atomic.Int64
		mu                                   sync.Mutex
		created                              = map[string]bool{}
		latencies                            []time.Duration
		firstErrs                            []string
		wg                                   sync.WaitGroup
	)
	deadline := began.Add(dur)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []string
			var lat []time.Duration
			for i := 0; time.Now().Before(deadline); i++ {
				var method, path string
				var body any
				write := true
				switch n := rng.IntN(10); {
				case n < 2 || len(mine) == 0:
					method, path = http.MethodPost, "/api/v1/users?activate=true"
					body = newUser(fmt.Sprintf("soak-w%d-%d@okapi.test", w, i), "n")
				case n < 3:
					method, path = http.MethodPost, "/api/v1/users/"+mine[rng.IntN(len(mine))]
					body = map[string]any{"profile": map[string]any{"nickName": fmt.Sprintf("n%d", i)}}
				case n < 4:
					method, path = http.MethodPut, "/api/v1/groups/"+groups[rng.IntN(len(groups))]+"/users/"+mine[rng.IntN(len(mine))]
				default:
					write = false
					method = http.MethodGet
					switch rng.IntN(4) {
					case 0:
						path = "/api/v1/users/" + mine[rng.IntN(len(mine))]
					case 1:
						path = "/api/v1/users?limit=20"
					case 2:
						path = "/api/v1/groups/" + groups[rng.IntN(len(groups))] + "/users?limit=20"
					default:
						path = "/api/v1/logs?limit=20"
					}
				}
				t0 := time.Now()
				r := c.do(method, path, body)
				lat = append(lat, time.Since(t0))
				if write {
					writes.Add(1)
				} else {
					reads.Add(1)
				}
				if !r.ok() {
					if r.err != nil || r.status >= 500 {
						serverErrs.Add(1)
					} else {
						otherErrs.Add(1)
					}
					mu.Lock()
					if len(firstErrs) < 5 {
						firstErrs = append(firstErrs, method+" "+path+": "+r.String())
					}
					mu.Unlock()
					continue
				}
				if method == http.MethodPost && path == "/api/v1/users?activate=true" {
					var u user
					if err := jsonUnmarshal(r.body, &u); err != nil || u.ID == "" {
						t.Errorf("create: %s", r)
						continue
					}
					mine = append(mine, u.ID)
				}
			}
			mu.Lock()
			for _, id := range mine {
				created[id] = true
			}
			latencies = append(latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	close(stop)
	sampler.Wait()
	if p.exited() {
		t.Fatalf("okapi exited during the soak:\n%s", p.logs)
	}

	total := reads.Load() + writes.Load()
	slices.Sort(latencies)
	pct := func(f float64) time.Duration { return latencies[int(f*float64(len(latencies)-1))] }
	t.Logf("soak %s, %d clients: %d requests (%.0f req/s; %d reads, %d writes), %d 5xx/no answer, %d 4xx; latency p50 %s p99 %s max %s",
		elapsed.Round(time.Millisecond), workers, total, float64(total)/elapsed.Seconds(), reads.Load(), writes.Load(),
		serverErrs.Load(), otherErrs.Load(), pct(0.5), pct(0.99), latencies[len(latencies)-1])
	if serverErrs.Load() != 0 || otherErrs.Load() != 0 {
		t.Errorf("%d 5xx and %d 4xx during the soak, want none; first: %v", serverErrs.Load(), otherErrs.Load(), firstErrs)
	}

	// Lost writes: every acknowledged create is listed.
	listed := map[string]bool{}
	for _, u := range all[user](t, c, "/api/v1/users?limit=200") {
		listed[u.ID] = true
	}
	lost := 0
	for id := range created {
		if !listed[id] {
			lost++
		}
	}
	t.Logf("%d acknowledged creates, %d lost", len(created), lost)
	if lost != 0 {
		t.Errorf("%d acknowledged creates are not listed", lost)
	}

	// Memory: after warm-up (the first third) RSS must stay flat.
	if len(samples) < 3 {
		t.Fatalf("only %d RSS samples", len(samples))
	}
	third := len(samples) / 3
	warm := samples[third-1].kib
	peakLast, peakAll := 0, 0
	for i, s := range samples {
		peakAll = max(peakAll, s.kib)
		if i >= len(samples)-third {
			peakLast = max(peakLast, s.kib)
		}
	}
	limit := warm*3/2 + 16<<10
	t.Logf("RSS: %d MiB after warm-up (%s), %d MiB peak of the last third, %d MiB peak overall, limit %d MiB; samples (MiB): %v",
		warm>>10, samples[third-1].at.Round(time.Second), peakLast>>10, peakAll>>10, limit>>10, rssMiB(samples))
	if peakLast > limit {
		t.Errorf("RSS grew from %d KiB after warm-up to %d KiB in the last third (limit %d KiB)", warm, peakLast, limit)
	}
}

// rssSample is the process's resident set at a moment of the soak.
type rssSample struct {
	at  time.Duration
	kib int
}

func rssMiB(s []rssSample) []int {
	out := make([]int, len(s))
	for i, x := range s {
		out[i] = x.kib >> 10
	}
	return out
}
