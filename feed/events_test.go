package feed

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tickerd/store"
)

// sseEvent is one frame read from an event stream: an event, an id-only
// frame, or a comment.
type sseEvent struct {
	id, event, data string
	hasID, comment  bool
}

// sseStream reads an event stream in the background.
type sseStream struct {
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

// openStream requests url with header pairs hdr and, on 200, reads its
// frames until the test ends or close is called.
func openStream(t *testing.T, url string, hdr ...string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", url, err)
	}
	s := &sseStream{resp: resp, events: make(chan sseEvent, 64), cancel: cancel}
	t.Cleanup(s.close)
	if resp.StatusCode != http.StatusOK {
		return s
	}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var ev sseEvent
		seen := false
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				if seen {
					s.events <- ev
				}
				ev, seen = sseEvent{}, false
				continue
			}
			seen = true
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			switch k {
			case "":
				ev.comment = true
			case "id":
				ev.id, ev.hasID = v, true
			case "event":
				ev.event = v
			case "data":
				ev.data += v
			}
		}
	}()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next returns the next frame with an event or data, skipping comments,
// id-only frames and the retry field.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("event stream ended")
			}
			if ev.event != "" || ev.data != "" {
				return ev
			}
		case <-timeout:
			t.Fatal("no event within 10s")
		}
	}
}

// ended reports whether the stream ends within 10s, skipping frames.
func (s *sseStream) ended() bool {
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

func newEventServer(t *testing.T, st *fakeStore, opts *Options) (*Server, *httptest.Server) {
	t.Helper()
	s := newTestServer(t, st, opts)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(s.CloseLive) // before hs.Close: streams never end alone
	return s, hs
}

func newsItem(source, id, title string, at time.Time) store.Item {
	return store.Item{
		Source: source, ID: id, GUID: id, Link: "https://" + source + ".example.com/" + id,
		Title: title, Lang: "en", Published: at, FirstSeen: at,
	}
}

func TestEventsSnapshotThenLive(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	_, hs := newEventServer(t, st, fixtureOptions())

	main := openStream(t, hs.URL+"/events/main")
	if main.resp.StatusCode != 200 {
		t.Fatalf("GET /events/main = %d, want 200", main.resp.StatusCode)
	}
	for h, want := range map[string]string{
		"Content-Type":                "text/event-stream; charset=utf-8",
		"Cache-Control":               "no-store",
		"Access-Control-Allow-Origin": "*",
	} {
		if got := main.resp.Header.Get(h); got != want {
			t.Errorf("GET /events/main: %s = %q, want %q", h, got, want)
		}
	}
	reset := main.next(t)
	if reset.event != "reset" || reset.id != strconv.FormatUint(st.Seq(), 10) {
		t.Fatalf("first event = %q id %q, want reset id %d", reset.event, reset.id, st.Seq())
	}
	var feed struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(reset.data), &feed); err != nil {
		t.Fatalf("reset data: %v", err)
	}
	if len(feed.Items) != len(fixtureItems()) {
		t.Errorf("reset has %d items, want %d", len(feed.Items), len(fixtureItems()))
	}
	arabic := openStream(t, hs.URL+"/events/arabic")
	if ev := arabic.next(t); ev.event != "reset" {
		t.Fatalf("arabic: first event = %q, want reset", ev.event)
	}

	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "w1", "Wire <b>one</b>", at))
	ar := newsItem("aljazeera", "a1", "خبر عاجل", at)
	ar.Lang = "ar"
	st.add(at, ar)

	for _, want := range []string{"Wire <b>one</b>", "خبر عاجل"} {
		ev := main.next(t)
		var it jsonItem
		if err := json.Unmarshal([]byte(ev.data), &it); err != nil {
			t.Fatalf("main: %s data %q: %v", ev.event, ev.data, err)
		}
		if ev.event != "added" || it.Title != want || it.Tickerd.Source == "" || it.Url == "" {
			t.Errorf("main: got %s %+v, want added %q with source and url", ev.event, it, want)
		}
	}
	// The arabic ticker selects aljazeera only: the wire item is not its.
	ev := arabic.next(t)
	if ev.event != "added" || !strings.Contains(ev.data, "خبر عاجل") || ev.id != strconv.FormatUint(st.Seq(), 10) {
		t.Errorf("arabic: got %s id %s %s, want the aljazeera item at %d", ev.event, ev.id, ev.data, st.Seq())
	}

	st.remove(at, "w1")
	ev = main.next(t)
	var rm liveRemoval
	if err := json.Unmarshal([]byte(ev.data), &rm); err != nil {
		t.Fatal(err)
	}
	if ev.event != "removed" || rm.URL != "https://wire.example.com/w1" || !strings.Contains(rm.ID, "item/wire/") {
		t.Errorf("main: got %s %+v, want removed w1 with id and url", ev.event, rm)
	}

	// An item whose GUID is its link has the link as its JSON Feed id; its
	// removal names it by the same id, whether the store removed it or
	// an update took it out of the ticker.
	perma := newsItem("wire", "https://wire.example.com/p1", "Permalink item", at)
	perma.Link = perma.GUID
	st.add(at, perma)
	var added jsonItem
	if ev := main.next(t); ev.event != "added" || json.Unmarshal([]byte(ev.data), &added) != nil || added.Id != perma.Link {
		t.Fatalf("main: got %s %.100s, want added with id %s", ev.event, ev.data, perma.Link)
	}
	st.remove(at, perma.ID)
	ev = main.next(t)
	rm = liveRemoval{}
	if err := json.Unmarshal([]byte(ev.data), &rm); err != nil {
		t.Fatal(err)
	}
	if want := (liveRemoval{ID: added.Id, URL: added.Url, Title: added.Title, Tickerd: map[string]string{"source": "wire"}}); ev.event != "removed" || !reflect.DeepEqual(rm, want) {
		t.Errorf("main: removal of the permalink item = %s %+v, want %+v", ev.event, rm, want)
	}
}

func TestEventsResume(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	s, hs := newEventServer(t, st, fixtureOptions())
	// A stream that is open makes the hub follow the log, so resuming
	// clients are served both from it and from the store.
	live := openStream(t, hs.URL+"/events/main")
	live.next(t)

	before := st.Seq()
	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "m1", "Missed one", at))
	st.add(at, newsItem("wire", "m2", "Missed two", at))
	live.next(t)
	live.next(t)

	for _, tc := range []struct {
		name string
		url  string
		hdr  []string
	}{
		{"header", hs.URL + "/events/main", []string{"Last-Event-ID", strconv.FormatUint(before, 10)}},
		{"query", hs.URL + "/events/main?lastEventId=" + strconv.FormatUint(before, 10), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openStream(t, tc.url, tc.hdr...)
			for i, want := range []string{"Missed one", "Missed two"} {
				ev := c.next(t)
				if ev.event != "added" || !strings.Contains(ev.data, want) || ev.id != strconv.FormatUint(before+uint64(i)+1, 10) {
					t.Errorf("resume from %d: got %s id %s %.60s, want added %q", before, ev.event, ev.id, ev.data, want)
				}
			}
			c.close()
		})
	}
	// Behind what the hub keeps: the same, read from the store.
	s.live.mu.Lock()
	s.live.base = st.Seq()
	s.live.events = nil
	s.live.mu.Unlock()
	c := openStream(t, hs.URL+"/events/main", "Last-Event-ID", strconv.FormatUint(before+1, 10))
	if ev := c.next(t); ev.event != "added" || !strings.Contains(ev.data, "Missed two") {
		t.Errorf("resume behind the hub: got %s %.60s, want added Missed two", ev.event, ev.data)
	}
	st.add(at, newsItem("wire", "m3", "Then live", at))
	if ev := c.next(t); ev.event != "added" || !strings.Contains(ev.data, "Then live") {
		t.Errorf("after resuming: got %s %.60s, want added Then live", ev.event, ev.data)
	}
}

func TestEventsReset(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	_, hs := newEventServer(t, st, fixtureOptions())
	old := st.Seq()
	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "x", "Forgotten", at))
	st.trim()
	for _, tc := range []struct{ name, id string }{
		{"trimmed", strconv.FormatUint(old, 10)},
		{"future", strconv.FormatUint(st.Seq()+100, 10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openStream(t, hs.URL+"/events/main", "Last-Event-ID", tc.id)
			ev := c.next(t)
			if ev.event != "reset" || !strings.Contains(ev.data, "Forgotten") || ev.id != strconv.FormatUint(st.Seq(), 10) {
				t.Errorf("Last-Event-ID %s: got %s id %s, want reset at %d with the current items", tc.id, ev.event, ev.id, st.Seq())
			}
		})
	}
}

func TestEventsFilters(t *testing.T) {
	st := newFakeStore(nil)
	opts := &Options{Tickers: []Ticker{{Name: "quakes", Include: []string{"earthquake"}}}}
	_, hs := newEventServer(t, st, opts)
	c := openStream(t, hs.URL+"/events/quakes")
	c.next(t)
	at := seen.Add(time.Hour)
	st.add(at, newsItem("w", "1", "Football results", at))
	st.add(at, newsItem("w", "2", "Earthquake hits the coast", at))
	if ev := c.next(t); ev.event != "added" || !strings.Contains(ev.data, "Earthquake") {
		t.Fatalf("got %s %.60s, want only the earthquake item", ev.event, ev.data)
	}
	// Its new title leaves the filter: the widget must drop it.
	st.set(at, newsItem("w", "2", "Storm hits the coast", at))
	if ev := c.next(t); ev.event != "removed" || !strings.Contains(ev.data, `"url":"https://w.example.com/2"`) {
		t.Fatalf("got %s %.80s, want removed for the item that left the filter", ev.event, ev.data)
	}
}

func TestEventsErrors(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	_, hs := newEventServer(t, st, fixtureOptions())
	for _, tc := range []struct {
		name, path string
		hdr        []string
		code       int
		body       string
	}{
		{"unknown ticker", "/events/nosuch", nil, 404, `no ticker named "nosuch"`},
		{"bad header", "/events/main", []string{"Last-Event-ID", "abc"}, 400, `Last-Event-ID header "abc"`},
		{"bad query", "/events/main?lastEventId=-1", nil, 400, `lastEventId parameter "-1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := openStream(t, hs.URL+tc.path, tc.hdr...)
			body, _ := io.ReadAll(c.resp.Body)
			if c.resp.StatusCode != tc.code || !strings.Contains(string(body), tc.body) {
				t.Errorf("GET %s = %d %q, want %d with %q", tc.path, c.resp.StatusCode, body, tc.code, tc.body)
			}
		})
	}
}

func TestEventsCORS(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	for _, path := range []string{"/events/main", "/feed.json", "/t/arabic.json"} {
		rec := serve(t, s.Handler(), "OPTIONS", path,
			"Origin", "https://elsewhere.example", "Access-Control-Request-Method", "GET",
			"Access-Control-Request-Headers", "if-none-match")
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") {
			t.Errorf("OPTIONS %s = %d %v, want 204 allowing any origin and If-None-Match", path, rec.Code, rec.Header())
		}
	}
	// Answers and errors alike, so a page on another origin can read why
	// a feed URL failed.
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/t/arabic.json", 200},
		{"/feed.json?limit=many", 400},
		{"/t/arabic.json?since=yesterday", 400},
		{"/t/nosuch.json", 404},
	} {
		rec := serve(t, s.Handler(), "GET", tc.path)
		if rec.Code != tc.code || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s = %d with Access-Control-Allow-Origin %q, want %d with *", tc.path, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), tc.code)
		}
	}
}

func TestEventsClientLimit(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	var gauge atomic.Int64
	opts := fixtureOptions()
	opts.LiveClients = 1
	opts.OnLiveClients = func(d int) { gauge.Add(int64(d)) }
	s, hs := newEventServer(t, st, opts)

	first := openStream(t, hs.URL+"/events/main")
	first.next(t)
	if s.LiveClients() != 1 || gauge.Load() != 1 {
		t.Errorf("one stream open: LiveClients = %d, gauge %d; want 1", s.LiveClients(), gauge.Load())
	}
	second := openStream(t, hs.URL+"/events/arabic")
	body, _ := io.ReadAll(second.resp.Body)
	if second.resp.StatusCode != 503 || !strings.Contains(string(body), "too many live clients (limit 1)") ||
		second.resp.Header.Get("Retry-After") == "" {
		t.Errorf("second stream = %d %q, want 503 naming the limit, with Retry-After", second.resp.StatusCode, body)
	}
	first.close()
	waitFor(t, "the closed stream to be released", func() bool { return s.LiveClients() == 0 && gauge.Load() == 0 })
	third := openStream(t, hs.URL+"/events/main")
	if third.resp.StatusCode != 200 {
		t.Errorf("after a client left: GET /events/main = %d, want 200", third.resp.StatusCode)
	}
}

func TestEventsCloseLive(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	s := newTestServer(t, st, fixtureOptions())
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Config.RegisterOnShutdown(s.CloseLive)
	hs.Start()
	t.Cleanup(hs.Close)

	c := openStream(t, hs.URL+"/events/main")
	c.next(t)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- hs.Config.Shutdown(ctx)
	}()
	if !c.ended() {
		t.Fatal("stream still open after shutdown began")
	}
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v (an open stream held it)", err)
	}
	if s.LiveClients() != 0 {
		t.Errorf("LiveClients = %d after shutdown, want 0", s.LiveClients())
	}
	rec := serve(t, s.Handler(), "GET", "/events/main")
	if rec.Code != 503 {
		t.Errorf("GET /events/main after CloseLive = %d, want 503", rec.Code)
	}
}

// TestEventsOutliveTimeouts runs the stream on a server whose read and
// write timeouts are shorter than the stream: the handler must lift them.
func TestEventsOutliveTimeouts(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	opts := fixtureOptions()
	opts.Heartbeat = 50 * time.Millisecond
	s := newTestServer(t, st, opts)
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Config.ReadTimeout = 200 * time.Millisecond
	hs.Config.WriteTimeout = 200 * time.Millisecond
	hs.Start()
	t.Cleanup(hs.Close)
	t.Cleanup(s.CloseLive)

	c := openStream(t, hs.URL+"/events/main")
	c.next(t)
	beats := 0
	for beats < 12 { // 600ms of heartbeats: three times both timeouts
		select {
		case ev, ok := <-c.events:
			if !ok {
				t.Fatalf("stream ended after %d heartbeats", beats)
			}
			if ev.comment {
				beats++
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no heartbeat within 10s")
		}
	}
	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "late", "Still live", at))
	if ev := c.next(t); !strings.Contains(ev.data, "Still live") {
		t.Errorf("after the timeouts: got %s %.60s, want the new item", ev.event, ev.data)
	}
}

// waitFor polls cond, which another goroutine makes true soon.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
