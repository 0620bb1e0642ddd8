package compat

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestStartRetriesWhileTheAddressIsInUse holds okapi's address for a moment, as another
// engineer's manual run on :80 would, and checks that Start waits for it and then serves, with
// the access log attributed.
func TestStartRetriesWhileTheAddressIsInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds okapi")
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bin, err := BuildOkapi(ctx, root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := held.Addr().String()
	go func() { time.Sleep(time.Second); held.Close() }()

	k, err := Start(ctx, StartOptions{Binary: bin, Addr: addr, HTTP: true, DataDir: t.TempDir(), BindWait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Stop()
	if k.URL != "http://"+addr {
		t.Errorf("URL = %s, want http://%s", k.URL, addr)
	}
	mark := k.Mark()
	req, _ := http.NewRequest("GET", k.URL+"/api/v1/api-tokens", nil)
	req.Header.Set("Authorization", "SSWS "+k.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the bootstrap token does not work: %d", resp.StatusCode)
	}
	got := k.Since(mark)
	if len(got) != 1 || got[0].Method != "GET" || got[0].Path != "/api/v1/api-tokens" || got[0].Status != 200 {
		t.Errorf("access log since mark = %+v, want the one token list", got)
	}

	// Without waiting, a held address is an error that says so.
	held2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held2.Close()
	if _, err := Start(ctx, StartOptions{Binary: bin, Addr: held2.Addr().String(), HTTP: true, DataDir: t.TempDir()}); err == nil {
		t.Error("Start on a held address succeeded")
	}
}
