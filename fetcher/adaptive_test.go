package fetcher

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

// fakeClock is the injected clock of the adaptive tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rssAt is an RSS feed whose items were published ago before now, with
// channel adding elements to the channel.
func rssAt(now time.Time, channel string, ago ...time.Duration) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title><link>https://news.example.com/</link>`)
	b.WriteString(channel)
	for i, d := range ago {
		fmt.Fprintf(&b, "<item><title>Headline %d</title><link>https://news.example.com/%d</link>", i, i)
		if d >= 0 {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", now.Add(-d).Format(time.RFC1123Z))
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// every lists n ages step apart, the newest first.
func every(n int, step time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i) * step
	}
	return out
}

// headerServer serves body with the headers the test sets, counting
// requests and answering 304 to a matching If-None-Match.
type headerServer struct {
	mu     sync.Mutex
	body   []byte
	header http.Header
	status int
	hits   int
}

func (h *headerServer) set(body []byte, status int, kv ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.body, h.status, h.header = body, status, http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.header.Add(kv[i], kv[i+1])
	}
}

func (h *headerServer) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits
}

func (h *headerServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hits++
	for k, v := range h.header {
		w.Header()[k] = v
	}
	if et := h.header.Get("ETag"); et != "" && r.Header.Get("If-None-Match") == et {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(h.status)
	w.Write(h.body)
}

func newAdaptive(t *testing.T, clock *fakeClock, src Source, min, max time.Duration) (*Fetcher, *headerServer, Store) {
	t.Helper()
	hs := &headerServer{status: http.StatusOK}
	srv := httptest.NewServer(hs)
	t.Cleanup(srv.Close)
	src.URL = srv.URL + "/feed"
	src.Schedule = AdaptiveSchedule
	st := newMemStore()
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{src}, IntervalMin: min, IntervalMax: max, Now: clock.Now})
	return f, hs, st
}

// TestAdaptiveInterval: the interval after one fetch follows the
// publishing rate within the bounds, and the feed's and the server's
// freshness hints lengthen it, each named as the reason.
func TestAdaptiveInterval(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name       string
		src        Source
		body       []byte
		status     int
		header     []string
		want       time.Duration
		wantReason string
		wantNext   string // NextReason
	}{
		{name: "busy", body: rssAt(now, "", every(20, 3*time.Minute)...), want: 2*time.Minute + 51*time.Second, wantReason: "publishes 21/h"},
		{name: "quiet", body: rssAt(now, "", 2*day, 4*day, 6*day), want: 2 * time.Hour, wantReason: "interval_max (publishes 0.5/day)"},
		{name: "silent for a week", body: rssAt(now, "", 8*day, 9*day), want: 2 * time.Hour, wantReason: "no item in 7 days"},
		{name: "one item just now is not 60/h", body: rssAt(now, "", time.Minute), want: 15 * time.Minute, wantReason: "publishes 4/h"},
		{name: "ttl", body: rssAt(now, "<ttl>30</ttl>", every(20, 3*time.Minute)...), want: 30 * time.Minute, wantReason: "ttl 30"},
		{name: "ttl beyond interval_max", body: rssAt(now, "<ttl>1440</ttl>", every(20, 3*time.Minute)...), want: 2 * time.Hour, wantReason: "interval_max (ttl 1440)"},
		{name: "sy:updatePeriod", body: rssAt(now, "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>", every(20, 3*time.Minute)...),
			want: 30 * time.Minute, wantReason: "sy:updatePeriod hourly/2"},
		{name: "max-age", body: rssAt(now, "", every(20, 3*time.Minute)...), header: []string{"Cache-Control", "public, max-age=600"},
			want: 10 * time.Minute, wantReason: "max-age 600"},
		{name: "max-age shorter than the rate's interval", body: rssAt(now, "", every(20, 3*time.Minute)...), header: []string{"Cache-Control", "max-age=60"},
			want: 2*time.Minute + 51*time.Second, wantReason: "publishes 21/h"},
		{name: "max-age wins over Expires", body: rssAt(now, "", every(20, 3*time.Minute)...),
			header: []string{"Cache-Control", "max-age=300", "Expires", now.Add(time.Hour).Format(http.TimeFormat)},
			want:   5 * time.Minute, wantReason: "max-age 300"},
		{name: "Expires", body: rssAt(now, "", every(20, 3*time.Minute)...),
			header: []string{"Date", now.Format(http.TimeFormat), "Expires", now.Add(20 * time.Minute).Format(http.TimeFormat)},
			want:   20 * time.Minute, wantReason: "expires in 20m0s"},
		{name: "interval_min", body: rssAt(now, "", every(40, 30*time.Second)...), want: time.Minute, wantReason: "interval_min (publishes 123/h)"},
		{name: "source bounds", src: Source{IntervalMin: 10 * time.Minute, IntervalMax: 20 * time.Minute},
			body: rssAt(now, "", every(40, 30*time.Second)...), want: 10 * time.Minute, wantReason: "interval_min (publishes 123/h)"},
		{name: "source interval_max", src: Source{IntervalMax: 20 * time.Minute},
			body: rssAt(now, "", 2*day), want: 20 * time.Minute, wantReason: "interval_max (publishes 0.5/day)"},
		{name: "no dates", body: rssAt(now, "", -1, -1), want: time.Minute, wantReason: "no dates: changed"},
		{name: "Retry-After", status: http.StatusServiceUnavailable, header: []string{"Retry-After", "3600"},
			want: 0, wantNext: store.NextRetryAfter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: now}
			src := tc.src
			src.Name = "s"
			f, hs, st := newAdaptive(t, clock, src, time.Minute, 2*time.Hour)
			hs.set(tc.body, cmpStatus(tc.status), tc.header...)
			f.Fetch(context.Background(), "s")
			got, _ := st.State("s")
			if got.Interval != tc.want || got.IntervalReason != tc.wantReason {
				t.Errorf("interval = %s (%q), want %s (%q)", got.Interval, got.IntervalReason, tc.want, tc.wantReason)
			}
			wantNext := now.Add(tc.want)
			if tc.wantNext == store.NextRetryAfter {
				wantNext = now.Add(time.Hour)
			}
			if !got.NextAttempt.Equal(wantNext) || got.NextReason != cmpReason(tc.wantNext) {
				t.Errorf("next attempt = %s (%s), want %s (%s)", got.NextAttempt, got.NextReason, wantNext, cmpReason(tc.wantNext))
			}
		})
	}
}

func cmpStatus(s int) int {
	if s == 0 {
		return http.StatusOK
	}
	return s
}

func cmpReason(r string) string {
	if r == "" {
		return store.NextSchedule
	}
	return r
}

// TestAdaptiveSchedule: with the injected clock, a scheduled run of an
// adaptive source fetches only once its planned time has come; a 304
// keeps the interval the rate gave, and ttl given by the last body.
func TestAdaptiveSchedule(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	f, hs, st := newAdaptive(t, clock, Source{Name: "s"}, time.Minute, 2*time.Hour)
	hs.set(rssAt(now, "<ttl>20</ttl>", every(20, 3*time.Minute)...), http.StatusOK, "ETag", `"v1"`)
	ctx := context.Background()
	s := f.source("s")
	f.scheduled(ctx, s) // no plan yet: due
	if n := hs.count(); n != 1 {
		t.Fatalf("first scheduled run made %d requests, want 1", n)
	}
	for _, step := range []time.Duration{time.Minute, 18 * time.Minute} {
		clock.Add(step)
		f.scheduled(ctx, s)
		if n := hs.count(); n != 1 {
			t.Fatalf("%s after the fetch: %d requests, want still 1 (interval 20m)", clock.Now().Sub(now), n)
		}
	}
	clock.Add(time.Minute)
	f.scheduled(ctx, s)
	if n := hs.count(); n != 2 {
		t.Fatalf("at the planned time: %d requests, want 2", n)
	}
	got, _ := st.State("s")
	if got.LastStatus != "not_modified" || got.Interval != 20*time.Minute || got.IntervalReason != "ttl 20" {
		t.Errorf("after a 304: status %s, interval %s (%q), want not_modified, 20m (ttl 20)", got.LastStatus, got.Interval, got.IntervalReason)
	}
	if want := clock.Now().Add(20 * time.Minute); !got.NextAttempt.Equal(want) {
		t.Errorf("next attempt = %s, want %s", got.NextAttempt, want)
	}
}

// TestAdaptiveUndated: a feed without dates halves its interval when its
// body changes and doubles it each time it does not, within the bounds.
func TestAdaptiveUndated(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	f, hs, st := newAdaptive(t, clock, Source{Name: "s"}, time.Minute, 10*time.Minute)
	hs.set(rssAt(now, "", -1, -1), http.StatusOK, "ETag", `"v1"`)
	ctx := context.Background()
	var got []time.Duration
	for range 6 {
		f.Fetch(ctx, "s")
		s, _ := st.State("s")
		got = append(got, s.Interval)
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("intervals = %v, want %v", got, want)
	}
	hs.set(rssAt(now, "", -1, -1, -1), http.StatusOK, "ETag", `"v2"`)
	f.Fetch(ctx, "s")
	if s, _ := st.State("s"); s.Interval != 5*time.Minute || s.IntervalReason != "no dates: changed" {
		t.Errorf("after a change: %s (%q), want 5m (no dates: changed)", s.Interval, s.IntervalReason)
	}
}

// TestAdaptiveBackoff: a failing adaptive source backs off as any other,
// and its interval survives the failures.
func TestAdaptiveBackoff(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	f, hs, st := newAdaptive(t, clock, Source{Name: "s"}, time.Minute, 2*time.Hour)
	hs.set(rssAt(now, "", every(20, 3*time.Minute)...), http.StatusOK)
	ctx := context.Background()
	f.Fetch(ctx, "s")
	hs.set([]byte("down"), http.StatusInternalServerError)
	for range 4 {
		clock.Add(time.Minute)
		f.Fetch(ctx, "s")
	}
	got, _ := st.State("s")
	if got.NextReason != store.NextBackoff || got.Failures != 4 {
		t.Fatalf("after 4 failures: next reason %q, failures %d; want backoff, 4", got.NextReason, got.Failures)
	}
	if wait := got.NextAttempt.Sub(clock.Now()); wait < 2*time.Minute || wait > 4*time.Minute {
		t.Errorf("backoff after 4 failures = %s, want 2m..4m", wait)
	}
	if got.Interval != 2*time.Minute+51*time.Second {
		t.Errorf("interval after failures = %s, want the rate's 2m51s", got.Interval)
	}
}

func TestLinkHeaderWebSub(t *testing.T) {
	base := mustURL(t, "https://news.example.com/feed")
	tests := []struct {
		name      string
		values    []string
		hubs      []string
		self      string
		wantFirst string
	}{
		{name: "two links", values: []string{`<https://hub.example.net/>; rel="hub", </feed>; rel="self"`},
			hubs: []string{"https://hub.example.net/"}, self: "https://news.example.com/feed"},
		{name: "several rels and headers", values: []string{`<https://a.example/h>; rel="hub alternate"`, `<https://b.example/h>; rel=hub`},
			hubs: []string{"https://a.example/h", "https://b.example/h"}},
		{name: "comma inside the URL", values: []string{`<https://hub.example.net/a,b>; rel="hub"`}, hubs: []string{"https://hub.example.net/a,b"}},
		{name: "not http", values: []string{`<javascript:alert(1)>; rel="hub"`}},
		{name: "no rel", values: []string{`<https://hub.example.net/>`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hubs, self := linkHeaderWebSub(tc.values, base)
			if fmt.Sprint(hubs) != fmt.Sprint(tc.hubs) || self != tc.self {
				t.Errorf("linkHeaderWebSub(%q) = %q, %q; want %q, %q", tc.values, hubs, self, tc.hubs, tc.self)
			}
		})
	}
}

// FuzzFreshnessHeaders: the Link, Cache-Control and Expires readers never
// panic on what a hostile server sends, find only http(s) hubs, and keep
// hints within maxHint.
func FuzzFreshnessHeaders(f *testing.F) {
	f.Add(`<https://hub.example/>; rel="hub", </feed>; rel="self"`, "public, max-age=600", "Mon, 04 May 2026 12:20:00 GMT")
	f.Add(`<,>;rel=hub,<"">;;rel="hub self"`, `max-age="99999999999999999999"`, "0")
	f.Add(`<javascript:x>; rel=hub`, "max-age=-1, no-store", "")
	base := &url.URL{Scheme: "https", Host: "news.example.com", Path: "/feed"}
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, link, cacheControl, expires string) {
		hubs, self := linkHeaderWebSub([]string{link}, base)
		for _, h := range append(hubs, self) {
			if h != "" && !isHTTPURL(h) {
				t.Errorf("linkHeaderWebSub(%q) found %q", link, h)
			}
		}
		maxAge, exp := cacheHints(http.Header{"Cache-Control": {cacheControl}, "Expires": {expires}}, now)
		if maxAge < 0 || maxAge > maxHint || exp < 0 || exp > maxHint {
			t.Errorf("cacheHints(%q, %q) = %s, %s", cacheControl, expires, maxAge, exp)
		}
		ttl, update, _ := feedHints(map[string]string{customTTL: cacheControl, customSyPeriod: expires, customSyFrequency: link})
		if ttl < 0 || ttl > maxHint || update < 0 || update > maxHint {
			t.Errorf("feedHints = %s, %s", ttl, update)
		}
	})
}
