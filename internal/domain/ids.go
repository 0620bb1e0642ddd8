package domain

import (
	"crypto/rand"
	"sync"
)

// ID prefixes Okta uses; every okapi id is a prefix plus 17 base62 characters (20 in all).
const (
	PrefixUser   = "00u"
	PrefixGroup  = "00g"
	PrefixToken  = "00T"
	PrefixOrg    = "00o"
	PrefixOrigin = "tos"
	PrefixZone   = "nzo"
	PrefixType   = "oty"
	PrefixSchema = "osc"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// IDs makes identifiers and secrets. It is injected so tests and --deterministic-ids runs can
// make repeatable ones.
type IDs interface {
	// Random returns n random base62 characters.
	Random(n int) string
}

// CryptoIDs draws from crypto/rand.
type CryptoIDs struct{}

// Random returns n base62 characters from crypto/rand. Bytes of 248 and above are rejected so
// every character is equally likely (248 = 4 * 62).
func (CryptoIDs) Random(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+4)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		for _, b := range buf {
			if b < 248 && len(out) < n {
				out = append(out, base62[b%62])
			}
		}
	}
	return string(out)
}

// SeededIDs is a deterministic generator (xorshift) for golden files and repeatable test runs.
type SeededIDs struct {
	mu    sync.Mutex
	state uint64
}

// NewSeededIDs returns a generator whose sequence depends only on seed.
func NewSeededIDs(seed uint64) *SeededIDs {
	if seed == 0 {
		seed = 0x9E3779B97F4A7C15
	}
	return &SeededIDs{state: seed}
}

// Random returns the next n base62 characters of the sequence.
func (s *SeededIDs) Random(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		s.state ^= s.state << 13
		s.state ^= s.state >> 7
		s.state ^= s.state << 17
		b[i] = base62[s.state%62]
	}
	return string(b)
}

// NewID returns prefix followed by 17 characters from ids.
func NewID(ids IDs, prefix string) string { return prefix + ids.Random(17) }

// ValidID reports whether s has the shape prefix + 17 base62 characters.
func ValidID(s, prefix string) bool {
	if len(s) != 20 || s[:3] != prefix {
		return false
	}
	for i := 3; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
