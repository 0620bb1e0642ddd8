package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// memoryShards spreads keys over independent mutexes so that parallel requests of different
// orgs and families rarely contend.
const memoryShards = 64

// Memory is a Counter held in process memory. Windows that have ended are swept out once per
// window length per shard, during Hit, so memory holds only the keys seen in the last window or
// two and no background goroutine is needed.
type Memory struct {
	seed   maphash.Seed
	shards [memoryShards]memoryShard
}

type memoryShard struct {
	mu        sync.Mutex
	windows   map[string]*memoryWindow
	nextSweep time.Time
}

type memoryWindow struct {
	count int64
	reset time.Time
}

// NewMemory returns an empty in-memory Counter.
func NewMemory() *Memory {
	m := &Memory{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].windows = make(map[string]*memoryWindow)
	}
	return m
}

// Hit implements Counter. It never fails.
func (m *Memory) Hit(_ context.Context, key string, window time.Duration, now time.Time) (int64, time.Time, error) {
	s := &m.shards[maphash.String(m.seed, key)%memoryShards]
	s.mu.Lock()
	defer s.mu.Unlock()
	if !now.Before(s.nextSweep) {
		s.sweep(now)
		s.nextSweep = now.Add(window)
	}
	w, ok := s.windows[key]
	if !ok {
		w = &memoryWindow{}
		s.windows[key] = w
	}
	if !now.Before(w.reset) {
		w.count, w.reset = 0, windowEnd(now, window)
	}
	w.count++
	return w.count, w.reset, nil
}

// sweep drops the windows that have ended by now.
func (s *memoryShard) sweep(now time.Time) {
	for k, w := range s.windows {
		if !now.Before(w.reset) {
			delete(s.windows, k)
		}
	}
}

// len returns the number of windows held, for tests.
func (m *Memory) len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.windows)
		s.mu.Unlock()
	}
	return n
}
