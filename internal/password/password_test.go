package password

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The digests below were computed independently (Python hashlib) for the password
// "Import-Me-42" and the salt "MySpecialSalt" (base64 TXlTcGVjaWFsU2FsdA==).
const (
	vectorPassword = "Import-Me-42"
	vectorSalt     = "TXlTcGVjaWFsU2FsdA=="
)

func TestImportVectors(t *testing.T) {
	cases := []struct {
		name string
		h    Imported
	}{
		{"SHA-512 prefix", Imported{Algorithm: "SHA-512", Salt: vectorSalt, SaltOrder: "PREFIX",
			Value: "MDZHTURFvbRcXVN/NNp79vQdJD7VRtN9aK4/DCEc+BllgpkOEXT2R7pHMjL+6qLO+elojmXrddjRJm4wZOXIbg=="}},
		{"SHA-512 postfix", Imported{Algorithm: "SHA-512", Salt: vectorSalt, SaltOrder: "POSTFIX",
			Value: "iQmJwgEsSrYyq1qDFw7B4nIE48ayBfJOhWZKkT/klv31Pf2+w2X7Cl6XNRxyKhvXQEK1ixOB4pOX66eVnsemLA=="}},
		{"SHA-512 unsalted", Imported{Algorithm: "SHA-512",
			Value: "3gfcYyUFU190LiF19fpH+aiXiKmwPajOuOfW6bXXrCjBP3w+Y8+SAmd8Z2Px9cxif2NmpI9evpmseW8Cj5X5Iw=="}},
		{"SHA-256 prefix", Imported{Algorithm: "SHA-256", Salt: vectorSalt, SaltOrder: "PREFIX",
			Value: "vTnADlDg+HLTyfQHl35Gt3PHnObfF8WTHJ2jdRdNaOI="}},
		{"SHA-256 postfix", Imported{Algorithm: "SHA-256", Salt: vectorSalt, SaltOrder: "POSTFIX",
			Value: "H5o8rw2vJuQ1zKjnGqqEYcv5rfnujtrx1pFZCp4Cyzo="}},
		{"SHA-256 unsalted", Imported{Algorithm: "SHA-256", Value: "8FY2iVjYjW+XVTiIdWI5OHTzWwAiUBKgeMMayEJwSMU="}},
		{"SHA-1 prefix", Imported{Algorithm: "SHA-1", Salt: vectorSalt, SaltOrder: "PREFIX", Value: "ld9CK3kw9bpA0oNlEpqMpDiKWy0="}},
		{"SHA-1 postfix", Imported{Algorithm: "SHA-1", Salt: vectorSalt, SaltOrder: "POSTFIX", Value: "CS+kF2IQFvF74m1iD6z3YuRl30Q="}},
		{"SHA-1 unsalted", Imported{Algorithm: "SHA-1", Value: "6jRKukPkK8Ixv7K5JaS/ix42nes="}},
		{"MD5 prefix", Imported{Algorithm: "MD5", Salt: vectorSalt, SaltOrder: "PREFIX", Value: "q4TTGjns+2Oc0WFchW/cvQ=="}},
		{"MD5 postfix", Imported{Algorithm: "MD5", Salt: vectorSalt, SaltOrder: "POSTFIX", Value: "luWblwDrAZdMzJOYHTQ+7g=="}},
		{"MD5 unsalted", Imported{Algorithm: "MD5", Value: "+K88jfjjTanOcTMdVc7q5g=="}},
		{"PBKDF2 SHA256", Imported{Algorithm: "PBKDF2", Salt: vectorSalt, IterationCount: 4096, KeySize: 32,
			DigestAlgorithm: "SHA256_HMAC", Value: "jvqNymOqYoSsqufJOJma2yITyUG1M6tWaurTMaOMBQY="}},
		{"PBKDF2 SHA512", Imported{Algorithm: "PBKDF2", Salt: vectorSalt, IterationCount: 4096, KeySize: 64,
			DigestAlgorithm: "SHA512_HMAC",
			Value:           "Jb4fxRaE6hJA688TN/13LU3I7+zlj2RLaeWV0Ykt1vEP6Y2NAGZDNfEnjW7uJKFba0WE19RqF5GZT7uc3WcJ0A=="}},
		// The OpenBSD bcrypt test vector: "U*U" with cost 5.
		{"BCRYPT", Imported{Algorithm: "BCRYPT", WorkFactor: 5, Salt: "CCCCCCCCCCCCCCCCCCCCC.",
			Value: "E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stored, problems := Import(c.h)
			if len(problems) > 0 {
				t.Fatalf("Import: %v", problems)
			}
			pw := vectorPassword
			if c.h.Algorithm == "BCRYPT" {
				pw = "U*U"
			}
			ok, rehash := Verify(stored, pw)
			if !ok || !rehash {
				t.Fatalf("Verify(right password) = %v, %v; want true, true", ok, rehash)
			}
			if ok, _ := Verify(stored, pw+"x"); ok {
				t.Fatal("Verify accepted a wrong password")
			}
			if strings.Contains(stored, pw) {
				t.Fatal("the stored form contains the password")
			}
		})
	}
}

func TestImportRefusesBadHashes(t *testing.T) {
	cases := []struct {
		h     Imported
		field string
	}{
		{Imported{Algorithm: "ROT13", Value: "x"}, "password.hash.algorithm"},
		{Imported{Value: "x"}, "password.hash.algorithm"},
		{Imported{Algorithm: "SHA-256", Value: "not base64!"}, "password.hash.value"},
		{Imported{Algorithm: "SHA-256", Value: "ld9CK3kw9bpA0oNlEpqMpDiKWy0="}, "password.hash.value"}, // a SHA-1 digest
		{Imported{Algorithm: "SHA-1", Salt: vectorSalt, SaltOrder: "MIDDLE", Value: "ld9CK3kw9bpA0oNlEpqMpDiKWy0="}, "password.hash.saltOrder"},
		{Imported{Algorithm: "BCRYPT", WorkFactor: 2, Salt: "CCCCCCCCCCCCCCCCCCCCC.", Value: "E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}, "password.hash.workFactor"},
		{Imported{Algorithm: "BCRYPT", WorkFactor: 5, Salt: "short", Value: "E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}, "password.hash.salt"},
		{Imported{Algorithm: "PBKDF2", Salt: vectorSalt, IterationCount: 10, DigestAlgorithm: "SHA256_HMAC", Value: "jvqNymOqYoSsqufJOJma2yITyUG1M6tWaurTMaOMBQY="}, "password.hash.iterationCount"},
		// Bounded cost: a verification against these would run for hours.
		{Imported{Algorithm: "PBKDF2", Salt: vectorSalt, IterationCount: 1 << 31, DigestAlgorithm: "SHA256_HMAC", Value: "jvqNymOqYoSsqufJOJma2yITyUG1M6tWaurTMaOMBQY="}, "password.hash.iterationCount"},
		{Imported{Algorithm: "PBKDF2", Salt: vectorSalt, IterationCount: 4096, DigestAlgorithm: "SHA256_HMAC", Value: base64.StdEncoding.EncodeToString(make([]byte, 1<<16))}, "password.hash.value"},
	}
	for _, c := range cases {
		_, problems := Import(c.h)
		if len(problems) == 0 || problems[0].Field != c.field {
			t.Errorf("Import(%+v) problems = %v, want one on %s", c.h, problems, c.field)
		}
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("Correct-Horse-7")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$2a$10$") {
		t.Fatalf("hash %q is not bcrypt cost 10", h)
	}
	if ok, rehash := Verify(h, "Correct-Horse-7"); !ok || rehash {
		t.Fatalf("Verify = %v, %v; want true, false", ok, rehash)
	}
	for _, wrong := range []string{"", "correct-horse-7", "Correct-Horse-8"} {
		if ok, _ := Verify(h, wrong); ok {
			t.Errorf("Verify accepted %q", wrong)
		}
	}
	if ok, _ := Verify("", ""); ok {
		t.Error("an empty hash matched")
	}
	if ok, _ := Verify("plain-text", "plain-text"); ok {
		t.Error("an unknown hash format matched")
	}
	a, _ := HashAnswer("  Forty Two ")
	if !VerifyAnswer(a, "forty two") || VerifyAnswer(a, "forty three") {
		t.Error("answers must match ignoring case and surrounding space, and only then")
	}
}

func TestPolicy(t *testing.T) {
	const login = "jane.doe_smith@corp-mail.example.com"
	cases := []struct {
		pw      string
		reasons []string
	}{
		{"Abcdefg1", nil},
		{"Abcde1", []string{"LENGTH_MINIMUM"}},
		{"abcdefg1", []string{"UPPER_CASE"}},
		{"ABCDEFG1", []string{"LOWER_CASE"}},
		{"Abcdefgh", []string{"NUMBER"}},
		{"xx" + strings.Repeat("Aa1", 40), nil}, // 122 bytes: Okta sets no maximum
		{"Smith-2024", []string{"USERNAME"}},    // "smith", any case
		{"Mail-Corp-42x", []string{"USERNAME"}}, // "corp" is 4 characters of the domain
		{"Example99Z", []string{"USERNAME"}},    // the domain label "example"
		{"Jane-Doe-123", []string{"USERNAME"}},  // "jane" has 4 characters ("doe" alone would pass)
		{"Comcom-12Xy", nil},                    // the parent domain "com" is ignored
		{"Doe-Xy-1234", nil},                    // "doe" is shorter than 4
		{"", []string{"LENGTH_MINIMUM", "LOWER_CASE", "UPPER_CASE", "NUMBER"}},
	}
	for _, c := range cases {
		vs := Check(c.pw, login)
		var got []string
		for _, v := range vs {
			got = append(got, v.Reason)
		}
		if strings.Join(got, ",") != strings.Join(c.reasons, ",") {
			t.Errorf("Check(%q) = %v, want %v", c.pw, got, c.reasons)
		}
	}
}

// TestLongPasswordsOnlyFirst72BytesCount (issue 24.8): as in Okta, a password longer than 72
// bytes is accepted, and only its first 72 bytes are stored and verified.
func TestLongPasswordsOnlyFirst72BytesCount(t *testing.T) {
	long := strings.Repeat("Aa1-", 25) // 100 bytes
	h, err := Hash(long)
	if err != nil {
		t.Fatalf("Hash of a 100-byte password: %v", err)
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{
		{long, true},
		{long[:MaxLength] + "something else entirely", true}, // the same first 72 bytes
		{long[:MaxLength], true},
		{long[:MaxLength-1], false},
		{"B" + long[1:], false},
	} {
		if ok, _ := Verify(h, c.pw); ok != c.want {
			t.Errorf("Verify(%d bytes starting %q) = %v, want %v", len(c.pw), c.pw[:4], ok, c.want)
		}
	}
}
