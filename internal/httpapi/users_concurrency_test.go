package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// parallel sends n requests at once (built by body(i)) and returns each status and body. It
// does not fail the test from the request goroutines.
func (e *usersEnv) parallel(n int, method, path string, body func(i int) any) ([]int, [][]byte) {
	e.t.Helper()
	statuses, bodies, errs := make([]int, n), make([][]byte, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rd io.Reader
			if b := body(i); b != nil {
				buf, _ := json.Marshal(b)
				rd = bytes.NewReader(buf)
			}
			req, _ := http.NewRequest(method, e.srv.URL+path, rd)
			req.Header.Set("Authorization", "SSWS "+e.srv.Token)
			if rd != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			<-start
			resp, err := e.local.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			bodies[i], errs[i] = io.ReadAll(resp.Body)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			e.t.Fatal(err)
		}
	}
	return statuses, bodies
}

func countStatus(statuses []int, want int) int {
	n := 0
	for _, s := range statuses {
		if s == want {
			n++
		}
	}
	return n
}

// TestConcurrentSuspends: of several suspends racing on one ACTIVE user, exactly one wins;
// the others get the wrong-status error, and one event is logged.
func TestConcurrentSuspends(t *testing.T) {
	e := newUsersEnv(t)
	u := e.fixture(domain.StatusActive, domain.Creds{Password: true})
	statuses, bodies := e.parallel(8, "POST", "/api/v1/users/"+u.ID+"/lifecycle/suspend", func(int) any { return nil })
	if countStatus(statuses, 200) != 1 || countStatus(statuses, 400) != 7 {
		t.Fatalf("statuses %v", statuses)
	}
	for i, s := range statuses {
		if s == 400 && !bytes.Contains(bodies[i], []byte(`"E0000001"`)) {
			t.Fatalf("loser body %s", bodies[i])
		}
	}
	if got, _ := e.stored(u.ID); got.Status != domain.StatusSuspended {
		t.Fatalf("status %s", got.Status)
	}
	n := 0
	for _, ev := range e.events(u.ID) {
		if ev == "user.lifecycle.suspend" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d suspend events, want 1", n)
	}
}

// TestConcurrentCreatesOfOneLogin: racing creates of one login make exactly one user.
func TestConcurrentCreatesOfOneLogin(t *testing.T) {
	e := newUsersEnv(t)
	login := "race@example.com"
	statuses, bodies := e.parallel(8, "POST", "/api/v1/users?activate=false", func(i int) any {
		p := profileOf(login)
		p["nickName"] = fmt.Sprint(i)
		return map[string]any{"profile": p}
	})
	if countStatus(statuses, 200) != 1 || countStatus(statuses, 400) != 7 {
		t.Fatalf("statuses %v", statuses)
	}
	for i, s := range statuses {
		if s == 400 && !bytes.Contains(bodies[i], []byte("login: An object with this field already exists in the current organization")) {
			t.Fatalf("loser body %s", bodies[i])
		}
	}
	if n := e.count(`SELECT count(*) FROM users WHERE login_lower = ?`, login); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

// TestConcurrentUpdatesLoseNothing: partial updates of different properties racing on one user
// all land (each transaction re-reads the user and the version check retries the losers).
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	e := newUsersEnv(t)
	u := e.fixture(domain.StatusActive, domain.Creds{})
	const n = 8
	statuses, _ := e.parallel(n, "POST", "/api/v1/users/"+u.ID, func(i int) any {
		return map[string]any{"profile": map[string]any{fmt.Sprintf("attr%d", i): "set"}}
	})
	if countStatus(statuses, 200) != n {
		t.Fatalf("statuses %v", statuses)
	}
	got, err := e.stored(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if got.Profile[fmt.Sprintf("attr%d", i)] != "set" {
			t.Fatalf("update %d lost: %v", i, got.Profile)
		}
	}
	if got.Version != n+1 {
		t.Fatalf("version %d, want %d", got.Version, n+1)
	}
}
