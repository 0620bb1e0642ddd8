package httpapi_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

var t0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// seedLog starts okapi at t0 and appends n token events one minute apart, named tok0..tokN-1,
// then sets the clock one hour after the last.
func seedLog(t *testing.T, n int) (*logEnv, *domain.FixedClock) {
	t.Helper()
	clock := domain.NewFixedClock(t0)
	e := newLogEnv(t, clock)
	ctx := e.callerCtx()
	for i := 0; i < n; i++ {
		clock.Advance(time.Minute)
		if _, _, err := e.svc.CreateToken(ctx, "tok"+string(rune('a'+i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour + time.Minute)
	return e, clock
}

func names(events []domain.LogEvent) string {
	var b []string
	for _, ev := range events {
		if len(ev.Target) > 0 {
			b = append(b, ev.Target[0].DisplayName)
		}
	}
	return strings.Join(b, ",")
}

func TestLogQueries(t *testing.T) {
	e, _ := seedLog(t, 5) // bootstrap (t0), toka..toke at t0+1m..t0+5m
	since := url.QueryEscape(t0.Add(90 * time.Second).Format(time.RFC3339))
	until := url.QueryEscape(t0.Add(270 * time.Second).Format(time.RFC3339))
	tests := []struct {
		name, query, want string
		next              bool // a next link is expected
	}{
		{"polling, default since", "", "bootstrap,toka,tokb,tokc,tokd,toke", true},
		{"polling with limit", "?limit=2", "bootstrap,toka", true},
		{"since", "?since=" + since, "tokb,tokc,tokd,toke", true},
		{"bounded since+until", "?since=" + since + "&until=" + until, "tokb,tokc,tokd", false},
		{"bounded, more pages", "?since=" + since + "&until=" + until + "&limit=2", "tokb,tokc", true},
		{"descending", "?sortOrder=DESCENDING", "toke,tokd,tokc,tokb,toka,bootstrap", false},
		{"descending paged", "?sortOrder=DESCENDING&limit=4", "toke,tokd,tokc,tokb", true},
		{"offset date form", "?since=" + url.QueryEscape(t0.Add(90*time.Second).In(time.FixedZone("x", 3600)).Format(time.RFC3339Nano)), "tokb,tokc,tokd,toke", true},
		{"q one keyword, any case", "?q=TOKC", "tokc", true},
		{"q all keywords must match", "?q=tokc+bootstrap", "", true},
		{"q matches event type and message", "?q=system.api_token.create+create+token&limit=1", "bootstrap", true},
		{"q matches whole words only", "?q=tok", "", true},
		{"filter eq", "?filter=" + url.QueryEscape(`target.alternateId eq "tokc"`), "tokc", true},
		{"filter sw, not, and", "?filter=" + url.QueryEscape(`target.alternateId sw "tok" and not (target.alternateId eq "tokc")`), "toka,tokb,tokd,toke", true},
		{"filter or, with q", "?q=tokd&filter=" + url.QueryEscape(`target.alternateId eq "tokd" or target.alternateId eq "toke"`), "tokd", true},
		{"filter on eventType, bounded", "?until=" + until + "&filter=" + url.QueryEscape(`eventType eq "system.api_token.create" and actor.type eq "User"`), "bootstrap,toka,tokb,tokc,tokd", false},
		{"limit above max is capped", "?limit=5000", "bootstrap,toka,tokb,tokc,tokd,toke", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, res := e.logs("/api/v1/logs" + tt.query)
			if got := names(events); got != tt.want {
				t.Errorf("events = %q, want %q", got, tt.want)
			}
			l := links(res)
			if l["self"] == "" {
				t.Error("no self link")
			}
			if (l["next"] != "") != tt.next {
				t.Errorf("next link = %q, want present=%v", l["next"], tt.next)
			}
		})
	}
}

// TestLogPagingFollowsNext: paging through a bounded and a descending query gives every event
// once and ends without a next link.
func TestLogPagingFollowsNext(t *testing.T) {
	e, _ := seedLog(t, 7)
	until := url.QueryEscape(t0.Add(time.Hour).Format(time.RFC3339))
	for _, q := range []string{"?limit=3&until=" + until, "?limit=3&sortOrder=DESCENDING"} {
		next, all, pages := e.srv.URL+"/api/v1/logs"+q, []string{}, 0
		for next != "" && pages < 10 {
			events, res := e.logs(next)
			all = append(all, names(events))
			next = links(res)["next"]
			pages++
		}
		if pages != 3 || len(strings.Split(strings.Join(all, ","), ",")) != 8 {
			t.Errorf("%s: %d pages %v, want 3 pages of 8 events", q, pages, all)
		}
	}
}

func TestLogPollingEmptyPage(t *testing.T) {
	e, clock := seedLog(t, 1)
	// A poll from now: empty, yet it has a next link that does not skip what commits later.
	events, res := e.logs("/api/v1/logs?since=" + url.QueryEscape(clock.Now().Format(time.RFC3339)))
	if len(events) != 0 {
		t.Fatalf("events = %s", names(events))
	}
	next := links(res)["next"]
	if next == "" || param(t, next, "since") == "" {
		t.Fatalf("empty poll next = %q, want a next link keeping since", next)
	}
	if _, _, err := e.svc.CreateToken(e.callerCtx(), "late", ""); err != nil {
		t.Fatal(err)
	}
	events, res = e.logs(next)
	if names(events) != "late" {
		t.Fatalf("after the empty poll: %q, want late", names(events))
	}
	events, res = e.logs(links(res)["next"])
	if len(events) != 0 || links(res)["next"] == "" {
		t.Fatalf("poll past the end: %q, next %q", names(events), links(res)["next"])
	}
}

func TestLogQueryErrors(t *testing.T) {
	e, _ := seedLog(t, 0)
	tests := []struct {
		name, query, code, summary string
		status, causes             int
	}{
		{"bad until", "?until=yesterday", "E0000001", "Api validation failed: 'until': The date format in your query is not recognized", 400, 2},
		{"bad since", "?since=2025-13-01", "E0000001", "Api validation failed: 'since'", 400, 2},
		{"since over 180 days back", "?since=" + url.QueryEscape(t0.Add(-181*24*time.Hour).Format(time.RFC3339)), "E0000053",
			"Invalid parameter: The since parameter is over 180 days prior to the current day.", 400, 0},
		{"since after until", "?since=2025-03-10T12:00:00Z&until=2025-03-10T11:00:00Z", "E0000001", "Api validation failed: since", 400, 1},
		{"bad sortOrder", "?sortOrder=UP", "E0000001", "Api validation failed: sortOrder", 400, 1},
		{"limit zero", "?limit=0", "E0000001", "Api validation failed: limit", 400, 1},
		{"limit not a number", "?limit=ten", "E0000001", "Api validation failed: limit", 400, 1},
		{"too many keywords", "?q=a+b+c+d+e+f+g+h+i+j+k", "E0000001", "Api validation failed: q", 400, 1},
		{"keyword too long", "?q=" + strings.Repeat("x", 41), "E0000001", "Api validation failed: q", 400, 1},
		{"filter on published", "?filter=" + url.QueryEscape(`published gt "2025-01-01T00:00:00.000Z"`), "E0000053", "Invalid SCIM filter.", 400, 1},
		{"filter bad operator", "?filter=" + url.QueryEscape(`eventType eqq "x"`), "E0000053", "Invalid SCIM filter.", 400, 1},
		{"filter unknown field", "?filter=" + url.QueryEscape(`some_invalid_field eq "x"`), "E0000053", "Invalid SCIM filter.", 400, 1},
		{"bad cursor", "?after=2025-03-10T12:00:00Z", "E0000029", "Invalid paging request.", 400, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.get("/api/v1/logs" + tt.query)
			var got struct {
				ErrorCode, ErrorSummary string
				ErrorCauses             []map[string]string
			}
			json.Unmarshal(body, &got)
			if res.StatusCode != tt.status || got.ErrorCode != tt.code || !strings.HasPrefix(got.ErrorSummary, tt.summary) || len(got.ErrorCauses) != tt.causes {
				t.Errorf("got %d %s", res.StatusCode, body)
			}
		})
	}
}

func TestLegacyEvents(t *testing.T) {
	e, _ := seedLog(t, 2)
	// Default window: the last hour only, which is empty; the next link exists anyway.
	res, body := e.get("/api/v1/events")
	var events []domain.LegacyEvent
	if err := json.Unmarshal(body, &events); err != nil || res.StatusCode != 200 || len(events) != 0 || links(res)["next"] == "" {
		t.Fatalf("default window: %d %s links %v", res.StatusCode, body, links(res))
	}
	start := url.QueryEscape(t0.Format(time.RFC3339))
	res, body = e.get("/api/v1/events?limit=2&startDate=" + start)
	events = nil
	json.Unmarshal(body, &events)
	if len(events) != 2 {
		t.Fatalf("startDate page: %s", body)
	}
	ev := events[1]
	if !strings.HasPrefix(ev.EventID, "tev") || ev.Action.ObjectType != "system.api_token.create" || ev.Action.Message != "Create API token" ||
		len(ev.Actors) == 0 || ev.Actors[0].ObjectType != "User" || ev.Actors[0].Login == "" ||
		len(ev.Targets) != 1 || ev.Targets[0].DisplayName != "toka" || ev.Action.Categories == nil {
		t.Errorf("legacy event = %+v", ev)
	}
	next := links(res)["next"]
	if next == "" || param(t, next, "startDate") != "" || param(t, next, "after") == "" {
		t.Fatalf("next = %q: want after and no startDate", next)
	}
	res, body = e.get(next)
	events = nil
	json.Unmarshal(body, &events)
	if len(events) != 1 || events[0].Targets[0].DisplayName != "tokb" || links(res)["next"] == "" {
		t.Fatalf("second page: %s", body)
	}
	if res, _ := e.get("/api/v1/events?startDate=" + start + "&after=0_1"); res.StatusCode != 400 {
		t.Errorf("startDate with after: %d, want 400", res.StatusCode)
	}
	for _, f := range []struct{ filter, want string }{
		{`action.objectType eq "system.api_token.create"`, "bootstrap,toka,tokb"},
		{`target.objectType eq "Token" and published gt "` + t0.Add(90*time.Second).Format(domain.TimeLayout) + `"`, "tokb"},
		{`target.id eq "` + events[0].Targets[0].ID + `"`, "tokb"}, // events is the second page here
		{`action.objectType eq "core.user_auth.login_success"`, ""},
	} {
		res, body := e.get("/api/v1/events?filter=" + url.QueryEscape(f.filter))
		var got []domain.LegacyEvent
		json.Unmarshal(body, &got)
		var names []string
		for _, ev := range got {
			names = append(names, ev.Targets[0].DisplayName)
		}
		if res.StatusCode != 200 || strings.Join(names, ",") != f.want || links(res)["next"] == "" {
			t.Errorf("filter %s: %d %v, want %s", f.filter, res.StatusCode, names, f.want)
		}
	}
	if res, _ := e.get("/api/v1/events?filter=" + url.QueryEscape(`target.id sw "00T"`)); res.StatusCode != 400 {
		t.Errorf("legacy filter with sw: %d, want 400", res.StatusCode)
	}
	if res, _ := e.get("/api/v1/events?startDate=nope"); res.StatusCode != 400 {
		t.Errorf("bad startDate: %d, want 400", res.StatusCode)
	}
}

// TestLegacyObjectTypes: events with a known legacy pairing show it as action.objectType.
func TestLegacyObjectTypes(t *testing.T) {
	ids := domain.NewSeededIDs(7)
	c := &domain.Caller{UserID: "00u1", Login: "a@example.com", DisplayName: "A"}
	ev := domain.NewLogEvent(c, ids, domain.At(t0), "user.session.start", "User login to Okta")
	if got := ev.Legacy().Action.ObjectType; got != "core.user_auth.login_success" {
		t.Errorf("success: %s", got)
	}
	ev.Fail("INVALID_CREDENTIALS")
	if got := ev.Legacy(); got.Action.ObjectType != "core.user_auth.login_failed" || got.Action.Categories[0] != "Sign-in Failure" {
		t.Errorf("failure: %+v", got.Action)
	}
}

// TestLogRetention purges events older than the retention, measured on the injected clock, in
// several batches, and leaves younger ones.
func TestLogRetention(t *testing.T) {
	clock := domain.NewFixedClock(t0)
	e := newLogEnv(t, clock)
	ctx := context.Background()
	ids := domain.NewSeededIDs(9)
	old := make([]domain.LogEvent, 1203)
	for i := range old {
		old[i] = domain.NewLogEvent(&domain.Caller{}, ids, domain.At(t0), "system.test", "old")
	}
	if err := e.db.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, e.org.ID, old...) }); err != nil {
		t.Fatal(err)
	}
	clock.Advance(60 * 24 * time.Hour)
	young := domain.NewLogEvent(&domain.Caller{}, ids, domain.At(clock.Now()), "system.test", "young")
	if err := e.db.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, e.org.ID, young) }); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.PurgeLogs(ctx, 90*24*time.Hour); err != nil || n != 0 {
		t.Fatalf("purge at 60 days: %d %v", n, err)
	}
	clock.Advance(31 * 24 * time.Hour)
	runCtx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { e.svc.RunLogRetention(runCtx, 90*24*time.Hour, time.Hour); close(stopped) }()
	deadline := time.Now().Add(5 * time.Second)
	var left []domain.LogEvent
	for time.Now().Before(deadline) {
		var err error
		if left, err = e.db.ListEvents(ctx, e.org.ID, store.LogQuery{Limit: 5000}); err != nil {
			t.Fatal(err)
		}
		if len(left) == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("RunLogRetention did not stop")
	}
	if len(left) != 1 || left[0].UUID != young.UUID {
		t.Fatalf("%d events left after the purge, want only the young one", len(left))
	}
}
