package feed

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"tickerd/store"
)

func serve(t testing.TB, h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestServeFeeds(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	h := s.Handler()
	r := renderAll(t, s)
	tests := []struct {
		path        string
		ticker      int
		f           format
		contentType string
	}{
		{"/feed.rss", 0, formatRSS, "application/rss+xml; charset=utf-8"},
		{"/feed.atom", 0, formatAtom, "application/atom+xml; charset=utf-8"},
		{"/feed.json", 0, formatJSON, "application/feed+json; charset=utf-8"},
		{"/t/main.rss", 0, formatRSS, "application/rss+xml; charset=utf-8"},
		{"/t/arabic.atom", 1, formatAtom, "application/atom+xml; charset=utf-8"},
		{"/t/arabic.json", 1, formatJSON, "application/feed+json; charset=utf-8"},
		{"/t/empty.rss", 2, formatRSS, "application/rss+xml; charset=utf-8"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := serve(t, h, "GET", tc.path)
			want := r.bodies[tc.ticker][tc.f].plain.data
			checks := []struct{ header, want string }{
				{"Content-Type", tc.contentType},
				{"Cache-Control", "public, max-age=300"},
				{"Access-Control-Allow-Origin", "*"},
				{"Vary", "Accept-Encoding"},
				{"Last-Modified", "Sun, 19 Jan 2025 09:30:00 GMT"},
				{"Content-Length", itoa(len(want))},
				{"Content-Encoding", ""},
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.path, rec.Code)
			}
			for _, c := range checks {
				if got := rec.Header().Get(c.header); got != c.want {
					t.Errorf("GET %s: %s = %q, want %q", tc.path, c.header, got, c.want)
				}
			}
			if etag := rec.Header().Get("ETag"); !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
				t.Errorf("GET %s: ETag = %q, want a strong entity tag", tc.path, etag)
			}
			if !bytes.Equal(rec.Body.Bytes(), want) {
				t.Errorf("GET %s: body differs from the rendered one", tc.path)
			}
		})
	}
}

func TestServeRoutes(t *testing.T) {
	h := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()).Handler()
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/healthz", 200},
		{"HEAD", "/healthz", 200},
		{"GET", "/t/nosuch.rss", 404},
		{"GET", "/t/main.xml", 404},
		{"GET", "/t/main", 404},
		{"GET", "/t/.rss", 404},
		{"GET", "/t/main.rss/x", 404},
		{"GET", "/feed.xml", 404},
		{"POST", "/feed.rss", 405},
		{"DELETE", "/t/main.atom", 405},
		{"PUT", "/healthz", 405},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := serve(t, h, tc.method, tc.path)
			if rec.Code != tc.want {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.path, rec.Code, tc.want)
			}
			if tc.want == 405 && !strings.Contains(rec.Header().Get("Allow"), "GET") {
				t.Errorf("%s %s: Allow = %q, want GET listed", tc.method, tc.path, rec.Header().Get("Allow"))
			}
		})
	}
	if body := serve(t, h, "GET", "/healthz").Body.String(); body != "ok\n" {
		t.Errorf("GET /healthz body = %q, want %q", body, "ok\n")
	}
}

func TestConditional(t *testing.T) {
	h := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()).Handler()
	first := serve(t, h, "GET", "/feed.rss")
	etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	gzETag := serve(t, h, "GET", "/feed.rss", "Accept-Encoding", "gzip").Header().Get("ETag")
	if gzETag == etag {
		t.Errorf("gzip and identity share ETag %s; a strong tag must differ per coding", etag)
	}
	tests := []struct {
		name string
		hdr  []string
		want int
	}{
		{"no condition", nil, 200},
		{"matching etag", []string{"If-None-Match", etag}, 304},
		{"weak form", []string{"If-None-Match", "W/" + etag}, 304},
		{"in a list", []string{"If-None-Match", `"other", ` + etag + `, "more"`}, 304},
		{"in a second header line", []string{"If-None-Match", `"other"`, "If-None-Match", etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"stale etag", []string{"If-None-Match", `"stale"`}, 200},
		{"tag with a comma", []string{"If-None-Match", `"a,b"`}, 200},
		{"unquoted etag", []string{"If-None-Match", strings.Trim(etag, `"`)}, 200},
		{"etag of the gzip body", []string{"If-None-Match", gzETag}, 200},
		{"gzip etag on a gzip request", []string{"If-None-Match", gzETag, "Accept-Encoding", "gzip"}, 304},
		{"modified since exact", []string{"If-Modified-Since", lastMod}, 304},
		{"modified since later", []string{"If-Modified-Since", "Sun, 19 Jan 2025 10:00:00 GMT"}, 304},
		{"modified since earlier", []string{"If-Modified-Since", "Sun, 19 Jan 2025 09:29:59 GMT"}, 200},
		{"modified since garbage", []string{"If-Modified-Since", "yesterday"}, 200},
		{"etag decides over date", []string{"If-None-Match", `"stale"`, "If-Modified-Since", lastMod}, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, h, "GET", "/feed.rss", tc.hdr...)
			if rec.Code != tc.want {
				t.Fatalf("GET /feed.rss with %q = %d, want %d", tc.hdr, rec.Code, tc.want)
			}
			if tc.want == 304 {
				if rec.Body.Len() != 0 {
					t.Errorf("304 has a %d-byte body", rec.Body.Len())
				}
				for _, k := range []string{"ETag", "Cache-Control", "Vary", "Last-Modified"} {
					if rec.Header().Get(k) == "" {
						t.Errorf("304 lacks %s", k)
					}
				}
			}
		})
	}
}

func TestHead(t *testing.T) {
	h := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()).Handler()
	for _, path := range []string{"/feed.rss", "/feed.atom", "/t/arabic.json"} {
		for _, enc := range []string{"", "gzip"} {
			get := serve(t, h, "GET", path, "Accept-Encoding", enc)
			head := serve(t, h, "HEAD", path, "Accept-Encoding", enc)
			if head.Code != 200 || head.Body.Len() != 0 {
				t.Errorf("HEAD %s (%q) = %d with %d body bytes, want 200 and none", path, enc, head.Code, head.Body.Len())
			}
			for k := range get.Header() {
				if got, want := head.Header().Get(k), get.Header().Get(k); got != want {
					t.Errorf("HEAD %s (%q): %s = %q, GET says %q", path, enc, k, got, want)
				}
			}
		}
	}
}

func TestGzip(t *testing.T) {
	h := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()).Handler()
	plain := serve(t, h, "GET", "/t/arabic.atom").Body.Bytes()
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.5", true},
		{"gzip ; q=0.001", true},
		{"gzip;q=0", false},
		{"gzip;q=0.000", false},
		{"gzip;Q=0", false},
		{"deflate, br", false},
		{"identity", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"gzip;q=0, *", false},
		{"gzip;q=bogus", false},
		{"gzip;q=2", false},
		{"gzip;level=9", true},
		{"gzipper", false},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			rec := serve(t, h, "GET", "/t/arabic.atom", "Accept-Encoding", tc.accept)
			gotGzip := rec.Header().Get("Content-Encoding") == "gzip"
			if gotGzip != tc.gzip {
				t.Fatalf("Accept-Encoding %q: gzip = %v, want %v", tc.accept, gotGzip, tc.gzip)
			}
			if rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("Vary = %q", rec.Header().Get("Vary"))
			}
			if rec.Header().Get("Content-Length") != itoa(rec.Body.Len()) {
				t.Errorf("Content-Length = %s for %d bytes", rec.Header().Get("Content-Length"), rec.Body.Len())
			}
			body := rec.Body.Bytes()
			if gotGzip {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(body, plain) {
				t.Errorf("Accept-Encoding %q: decoded body differs from identity body", tc.accept)
			}
		})
	}
}

// TestRebuildPerTicker proves bodies are rendered once per change that
// touches their ticker: a request costs no query until a change in the
// store's log concerns the ticker, concurrent requests after a change
// share one rebuild, and other tickers keep their bodies.
func TestRebuildPerTicker(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	s := newTestServer(t, st, fixtureOptions())
	h := s.Handler()

	if n := st.recents.Load(); n != 0 {
		t.Fatalf("New queried the store %d times; rendering should wait for a request", n)
	}
	first := serve(t, h, "GET", "/feed.json")
	if n := st.recents.Load(); n != 1 {
		t.Fatalf("after the first request: %d Recent calls, want 1 (its ticker alone)", n)
	}
	for range 10 {
		serve(t, h, "GET", "/t/arabic.rss")
		serve(t, h, "GET", "/t/empty.atom")
		serve(t, h, "GET", "/feed.json", "Accept-Encoding", "gzip")
	}
	if n := st.recents.Load(); n != 3 {
		t.Fatalf("unchanged store: %d Recent calls, want 3 (one per ticker)", n)
	}

	// A change to items of every source but nosuch: main and arabic.
	items := fixtureItems()
	items[1].Title = "عنوان معدل"
	st.set(seen.Add(time.Hour), items...)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { serve(t, h, "GET", "/feed.json") })
	}
	wg.Wait()
	for _, path := range []string{"/t/arabic.json", "/t/empty.json", "/t/empty.rss"} {
		serve(t, h, "GET", path)
	}
	if n := st.recents.Load(); n != 5 {
		t.Fatalf("after one change and 20 concurrent requests: %d Recent calls, want 5 (main and arabic again)", n)
	}
	second := serve(t, h, "GET", "/feed.json")
	if first.Header().Get("ETag") == second.Header().Get("ETag") {
		t.Error("ETag unchanged after the store changed")
	}
	if !strings.Contains(second.Body.String(), "عنوان معدل") {
		t.Error("the changed title is not served")
	}
	if got := second.Header().Get("Last-Modified"); got != "Sun, 19 Jan 2025 10:00:00 GMT" {
		t.Errorf("Last-Modified = %q after the change", got)
	}

	// A new item from wire touches main alone, however many requests.
	st.add(seen.Add(2*time.Hour), store.Item{Source: "wire", ID: "new", Title: "New", FirstSeen: seen.Add(2 * time.Hour)})
	for range 5 {
		for _, path := range []string{"/feed.rss", "/t/arabic.rss", "/t/empty.rss"} {
			serve(t, h, "GET", path)
		}
	}
	if n := st.recents.Load(); n != 6 {
		t.Errorf("after a wire item: %d Recent calls, want 6 (main once more)", n)
	}

	// When the log no longer reaches back, everything renders again.
	st.add(seen.Add(3*time.Hour), store.Item{Source: "wire", ID: "newer", Title: "Newer", FirstSeen: seen.Add(3 * time.Hour)})
	st.trim()
	for _, path := range []string{"/feed.rss", "/t/arabic.rss", "/t/empty.rss"} {
		serve(t, h, "GET", path)
	}
	if n := st.recents.Load(); n != 9 {
		t.Errorf("after the log was trimmed: %d Recent calls, want 9 (all three again)", n)
	}
}

// TestRebuildFailure checks that a store error keeps the last good bodies
// in service, is logged, and is retried after the delay, not per request.
func TestRebuildFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newFakeStore(fixtureItems(), fixtureStates()...)
		var logs bytes.Buffer
		s, err := New(st, fixtureOptions(), slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		good := serve(t, h, "GET", "/feed.rss")

		st.fail(errors.New("disk on fire"))
		st.set(seen.Add(time.Hour), fixtureItems()[:1]...)
		calls := st.recents.Load() + st.reads.Load()
		for range 5 {
			rec := serve(t, h, "GET", "/feed.rss")
			if rec.Code != 200 || rec.Header().Get("ETag") != good.Header().Get("ETag") {
				t.Fatalf("during store failure: %d %s, want 200 and the last good ETag", rec.Code, rec.Header().Get("ETag"))
			}
		}
		if n := st.recents.Load() + st.reads.Load() - calls; n != 1 {
			t.Errorf("5 requests during a failure made %d queries, want 1 until the retry delay passes", n)
		}
		if !strings.Contains(logs.String(), "disk on fire") || !strings.Contains(logs.String(), "level=ERROR") {
			t.Errorf("failure not logged as an error; logs:\n%s", logs.String())
		}

		st.fail(nil)
		time.Sleep(retryDelay) // fake time inside the bubble
		rec := serve(t, h, "GET", "/feed.rss")
		if rec.Header().Get("ETag") == good.Header().Get("ETag") {
			t.Error("still serving the old body after the store recovered and the delay passed")
		}
	})
}

func TestFirstBuildFailure(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	st.fail(errors.New("not open"))
	h := newTestServer(t, st, fixtureOptions()).Handler()
	rec := serve(t, h, "GET", "/feed.atom")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("with no body ever built: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestNew(t *testing.T) {
	st := newFakeStore(nil)
	tests := []struct {
		name    string
		opts    *Options
		wantErr string // substring; "" means valid
	}{
		{"nil options", nil, ""},
		{"zero options", &Options{}, ""},
		{"fixture", fixtureOptions(), ""},
		{"base url with path", &Options{BaseURL: "https://example.com/news/"}, ""},
		{"relative base url", &Options{BaseURL: "example.com"}, "base url"},
		{"ftp base url", &Options{BaseURL: "ftp://example.com"}, "base url"},
		{"base url with query", &Options{BaseURL: "http://example.com/?a=1"}, "base url"},
		{"duplicate ticker", &Options{Tickers: []Ticker{{Name: "a"}, {Name: "b"}, {Name: "a"}}}, `ticker 2 "a": duplicate name`},
		{"duplicate of the first", &Options{Tickers: []Ticker{{Name: "main"}, {Name: "main"}}}, "duplicate name"},
		{"empty name", &Options{Tickers: []Ticker{{Name: ""}}}, "name must be"},
		{"name with a dot", &Options{Tickers: []Ticker{{Name: "a.b"}}}, "name must be"},
		{"name with a slash", &Options{Tickers: []Ticker{{Name: "a/b"}}}, "name must be"},
		{"negative limit", &Options{Tickers: []Ticker{{Name: "a", Limit: -1}}}, "limit -1"},
		{"bad lang", &Options{Tickers: []Ticker{{Name: "a", Lang: "Arabic language"}}}, "lang"},
		{"bad link", &Options{Tickers: []Ticker{{Name: "a", Link: "/relative"}}}, "link"},
		{"negative max age", &Options{MaxAge: -time.Second}, "max age"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(st, tc.opts, nil)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("New(%+v) = %v, want no error", tc.opts, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("New(%+v) = %v, want an error containing %q", tc.opts, err, tc.wantErr)
			}
		})
	}

	// Every problem is reported at once.
	_, err := New(st, &Options{BaseURL: "nope", Tickers: []Ticker{{Name: "a", Limit: -1}, {Name: "a"}}}, nil)
	for _, want := range []string{"base url", "limit -1", "duplicate name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New with three problems = %v, want %q among them", err, want)
		}
	}
	if _, err := New(nil, nil, nil); err == nil {
		t.Error("New(nil store) succeeded")
	}
}

func TestDefaults(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), nil)
	rec := serve(t, s.Handler(), "GET", "/feed.json")
	for _, want := range []string{`"title": "tickerd"`, `"feed_url": "http://localhost:8080/feed.json"`, `"home_page_url": "http://localhost:8080/"`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("default feed lacks %s", want)
		}
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=60" {
		t.Errorf("default Cache-Control = %q", got)
	}
	if got := serve(t, s.Handler(), "GET", "/t/main.rss").Code; got != 200 {
		t.Errorf("GET /t/main.rss on defaults = %d", got)
	}
}
