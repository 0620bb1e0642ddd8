package password

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Imported is credentials.password.hash: a password hashed by another system.
type Imported struct {
	Algorithm       string `json:"algorithm"`
	Value           string `json:"value"`
	Salt            string `json:"salt,omitempty"`
	SaltOrder       string `json:"saltOrder,omitempty"`
	WorkFactor      int    `json:"workFactor,omitempty"`
	IterationCount  int    `json:"iterationCount,omitempty"`
	KeySize         int    `json:"keySize,omitempty"`
	DigestAlgorithm string `json:"digestAlgorithm,omitempty"`
}

// maxIterations is the most PBKDF2 iterations an imported hash may use: well above what
// current frameworks choose (Django 6 uses 1.2 million), far below what would hang a request.
const maxIterations = 10_000_000

// importPrefix marks a stored imported digest:
// $okapi-import$ALGORITHM$SALTORDER$base64(salt)$base64(digest)[$iterations$digestAlgorithm]
const importPrefix = "$okapi-import$"

var digests = map[string]func() hash.Hash{
	"SHA-512": sha512.New, "SHA-256": sha256.New, "SHA-1": sha1.New, "MD5": md5.New,
}

var hmacDigests = map[string]func() hash.Hash{"SHA256_HMAC": sha256.New, "SHA512_HMAC": sha512.New}

// Problem is one thing wrong with an imported hash: the field and what is wrong.
type Problem struct{ Field, Message string }

// Import checks an imported hash and returns its stored form, or the problems found.
func Import(h Imported) (string, []Problem) {
	var ps []Problem
	bad := func(field, msg string) { ps = append(ps, Problem{"password.hash." + field, msg}) }
	switch h.Algorithm {
	case "BCRYPT":
		// Go's bcrypt reads costs 4 to 31; Okta accepts 1 to 20.
		if h.WorkFactor < bcrypt.MinCost || h.WorkFactor > 20 {
			bad("workFactor", "must be between 4 and 20")
		}
		if len(h.Salt) != 22 {
			bad("salt", "must be 22 characters of bcrypt's base64")
		}
		if len(h.Value) != 31 {
			bad("value", "must be the 31-character bcrypt hash")
		}
		if len(ps) > 0 {
			return "", ps
		}
		stored := fmt.Sprintf("$2a$%02d$%s%s", h.WorkFactor, h.Salt, h.Value)
		if _, err := bcrypt.Cost([]byte(stored)); err != nil {
			return "", []Problem{{"password.hash.value", "is not a valid bcrypt hash"}}
		}
		return stored, nil
	case "SHA-512", "SHA-256", "SHA-1", "MD5", "PBKDF2":
	case "":
		return "", []Problem{{"password.hash.algorithm", "The field cannot be left blank"}}
	default:
		return "", []Problem{{"password.hash.algorithm", "must be one of BCRYPT, SHA-512, SHA-256, SHA-1, MD5, PBKDF2"}}
	}
	value, err := base64.StdEncoding.DecodeString(h.Value)
	if err != nil || len(value) == 0 {
		bad("value", "must be the base64-encoded digest")
	}
	salt, err := base64.StdEncoding.DecodeString(h.Salt)
	if err != nil {
		bad("salt", "must be base64-encoded")
	}
	order := h.SaltOrder
	if h.Salt != "" && h.Algorithm != "PBKDF2" && order != "PREFIX" && order != "POSTFIX" {
		bad("saltOrder", "must be PREFIX or POSTFIX")
	}
	if h.Salt == "" {
		order = "NONE"
	}
	extra := ""
	if h.Algorithm == "PBKDF2" {
		// The cap keeps a verification bounded (about a second at the cap): an imported hash
		// with billions of iterations would tie up a CPU for hours on every sign-in attempt.
		if h.IterationCount < 4096 || h.IterationCount > maxIterations {
			bad("iterationCount", fmt.Sprintf("must be between 4096 and %d", maxIterations))
		}
		// The derived key is as long as the digest; PBKDF2's cost grows with it too.
		if len(value) > 64 {
			bad("value", "must be a digest of at most 64 bytes")
		}
		if hmacDigests[h.DigestAlgorithm] == nil {
			bad("digestAlgorithm", "must be SHA256_HMAC or SHA512_HMAC")
		}
		extra = "$" + strconv.Itoa(h.IterationCount) + "$" + h.DigestAlgorithm
		order = "NONE"
	} else if len(value) != digests[h.Algorithm]().Size() {
		bad("value", fmt.Sprintf("must be a %s digest", h.Algorithm))
	}
	if len(ps) > 0 {
		return "", ps
	}
	enc := base64.StdEncoding.EncodeToString
	return importPrefix + h.Algorithm + "$" + order + "$" + enc(salt) + "$" + enc(value) + extra, nil
}

func verifyImported(stored, pw string) bool {
	parts := strings.Split(strings.TrimPrefix(stored, importPrefix), "$")
	if len(parts) < 4 {
		return false
	}
	alg, order := parts[0], parts[1]
	salt, err1 := base64.StdEncoding.DecodeString(parts[2])
	want, err2 := base64.StdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	var got []byte
	if alg == "PBKDF2" {
		if len(parts) != 6 {
			return false
		}
		iter, err := strconv.Atoi(parts[4])
		h := hmacDigests[parts[5]]
		if err != nil || h == nil {
			return false
		}
		got, err = pbkdf2.Key(h, pw, salt, iter, len(want))
		if err != nil {
			return false
		}
	} else {
		newHash := digests[alg]
		if newHash == nil {
			return false
		}
		d := newHash()
		switch order {
		case "PREFIX":
			d.Write(salt)
			d.Write([]byte(pw))
		case "POSTFIX":
			d.Write([]byte(pw))
			d.Write(salt)
		default:
			d.Write([]byte(pw))
		}
		got = d.Sum(nil)
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}
