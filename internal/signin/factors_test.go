package signin

import (
	"errors"
	"testing"
	"time"
)

func TestCheckTOTP(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)
	code, err := TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	step, err := CheckTOTP(secret, code, now, 0)
	if err != nil || step != now.Unix()/TOTPPeriod {
		t.Fatalf("CheckTOTP = %d, %v", step, err)
	}
	// One step of skew either way is accepted.
	if _, err := CheckTOTP(secret, code, now.Add(30*time.Second), 0); err != nil {
		t.Errorf("one step later: %v", err)
	}
	if _, err := CheckTOTP(secret, code, now.Add(90*time.Second), 0); !errors.Is(err, ErrPasscode) {
		t.Errorf("three steps later = %v, want ErrPasscode", err)
	}
	if _, err := CheckTOTP(secret, code, now, step); !errors.Is(err, ErrPasscodeReplayed) {
		t.Errorf("replay = %v, want ErrPasscodeReplayed", err)
	}
	if _, err := CheckTOTP(secret, "12345", now, 0); !errors.Is(err, ErrPasscode) {
		t.Errorf("short code = %v", err)
	}
}

// RFC 6238 appendix B vector (SHA-1, secret "12345678901234567890", T=59 -> 94287082, of which
// the 6-digit code is the last six digits).
func TestTOTPCodeRFCVector(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	code, err := TOTPCode(secret, time.Unix(59, 0))
	if err != nil || code != "287082" {
		t.Fatalf("code = %q, %v; want 287082", code, err)
	}
}
