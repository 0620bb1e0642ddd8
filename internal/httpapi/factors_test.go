package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/signin"
)

func TestTOTPFactorAndMFARequired(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	w := e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors", Body: `{"factorType":"token:software:totp","provider":"GOOGLE"}`})
	wantStatus(t, w, http.StatusOK)
	f := obj(t, w)
	fid := f["id"].(string)
	act := f["_embedded"].(map[string]any)["activation"].(map[string]any)
	secret := act["sharedSecret"].(string)
	if f["status"] != "PENDING_ACTIVATION" || act["timeStep"] != float64(30) || f["profile"].(map[string]any)["credentialId"] != "ada@example.com" {
		t.Fatalf("enrolled factor = %v", f)
	}
	code := func() string {
		c, err := signin.TOTPCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Pending factors do not ask for MFA yet.
	w = e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	if obj(t, w)["status"] != "SUCCESS" {
		t.Fatalf("with a pending factor: %s", w.Body.String())
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors/" + fid + "/lifecycle/activate", Body: `{"passCode":"000000"}`}), 403, "E0000068")
	w = e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors/" + fid + "/lifecycle/activate", Body: `{"passCode":"` + code() + `"}`})
	wantStatus(t, w, 200)
	if obj(t, w)["status"] != "ACTIVE" {
		t.Fatalf("activated = %s", w.Body.String())
	}
	e.clock.Advance(31 * time.Second)

	w = e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	wantStatus(t, w, 200)
	tx := obj(t, w)
	st, _ := tx["stateToken"].(string)
	factors := tx["_embedded"].(map[string]any)["factors"].([]any)
	if tx["status"] != "MFA_REQUIRED" || st == "" || tx["sessionToken"] != nil || len(factors) != 1 ||
		factors[0].(map[string]any)["id"] != fid {
		t.Fatalf("transaction = %v", tx)
	}
	verify := "/api/v1/authn/factors/" + fid + "/verify"
	wantError(t, e.do(req{Method: "POST", Path: verify, NoAuth: true, Body: `{"stateToken":"` + st + `","passCode":"000000"}`}), 403, "E0000068")
	good := code()
	w = e.do(req{Method: "POST", Path: verify, NoAuth: true, Body: `{"stateToken":"` + st + `","passCode":"` + good + `"}`})
	wantStatus(t, w, 200)
	tx = obj(t, w)
	if tx["status"] != "SUCCESS" || tx["sessionToken"] == nil {
		t.Fatalf("after verify = %v", tx)
	}
	w = e.do(req{Method: "POST", Path: "/api/v1/sessions", Body: `{"sessionToken":"` + tx["sessionToken"].(string) + `"}`})
	wantStatus(t, w, 200)
	if amr := obj(t, w)["amr"].([]any); len(amr) != 3 || amr[1] != "mfa" {
		t.Errorf("amr = %v", amr)
	}
	if e.lastEvent("user.authentication.auth_via_mfa")["outcome"].(map[string]any)["result"] != "SUCCESS" {
		t.Errorf("no auth_via_mfa SUCCESS")
	}

	// The same code in a new transaction is a replay.
	w = e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	st = obj(t, w)["stateToken"].(string)
	wantError(t, e.do(req{Method: "POST", Path: verify, NoAuth: true, Body: `{"stateToken":"` + st + `","passCode":"` + good + `"}`}), 403, "E0000082")
	// A finished or unknown stateToken is E0000011.
	wantError(t, e.do(req{Method: "POST", Path: verify, NoAuth: true, Body: `{"stateToken":"00nope","passCode":"` + good + `"}`}), 401, "E0000011")

	w = e.do(req{Method: "GET", Path: "/api/v1/users/" + id + "/factors"})
	wantStatus(t, w, 200)
	if n := len(decodeBody(t, w).([]any)); n != 1 {
		t.Errorf("%d factors", n)
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + id + "/factors/" + fid}), 204)
	w = e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	if obj(t, w)["status"] != "SUCCESS" {
		t.Errorf("after unenroll: %s", w.Body.String())
	}
}

func TestQuestionFactor(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors", Body: `{"factorType":"question","provider":"OKTA","profile":{"question":"disliked_food","answer":"no"}}`}), 400, "E0000001")
	w := e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors", Body: `{"factorType":"question","provider":"OKTA","profile":{"question":"disliked_food","answer":"meatball"}}`})
	wantStatus(t, w, 200)
	f := obj(t, w)
	p := f["profile"].(map[string]any)
	if f["status"] != "ACTIVE" || p["questionText"] != "What is the food you least liked as a child?" || p["answer"] != nil {
		t.Fatalf("question factor = %v", f)
	}
	fid := f["id"].(string)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors/" + fid + "/verify", Body: `{"answer":"pizza"}`}), 403, "E0000068")
	w = e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/factors/" + fid + "/verify", Body: `{"answer":"Meatball"}`})
	wantStatus(t, w, 200)
	if obj(t, w)["factorResult"] != "SUCCESS" {
		t.Errorf("verify = %s", w.Body.String())
	}
	w = e.do(req{Method: "GET", Path: "/api/v1/users/" + id + "/factors/questions"})
	wantStatus(t, w, 200)
	// reset_factors unenrolls it.
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/lifecycle/reset_factors"}), 200)
	w = e.do(req{Method: "GET", Path: "/api/v1/users/" + id + "/factors"})
	if n := len(decodeBody(t, w).([]any)); n != 0 {
		t.Errorf("%d factors after reset_factors", n)
	}
}
