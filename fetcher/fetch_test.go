package fetcher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tickerd/store"
)

func titlesOf(t *testing.T, st *store.Store, source string) []string {
	t.Helper()
	items, err := st.Recent(context.Background(), store.Query{Sources: []string{source}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range items {
		titles = append(titles, it.Title)
	}
	return titles
}

// TestFetchFormats fetches every kind of feed over HTTP into a real store
// and checks the stored titles exactly. The Arabic feeds declare their
// charset either only in the prolog or only in the Content-Type header.
func TestFetchFormats(t *testing.T) {
	fs := newFeedServer(t)
	tests := []struct {
		name, file, contentType string
		titles                  []string // newest first
		feedTitle, lang         string
	}{
		{"rss2", "rss2.xml", "application/rss+xml",
			[]string{"Storm warning for the coast tonight", "Ferry timetable changes", "Harbour reopens"}, "Coast & Harbour News", "en"},
		{"rss1", "rss1.rdf", "application/rdf+xml",
			[]string{"Élection municipale : résultats", "Grève des transports"}, "Wire Service", "fr"},
		{"atom", "atom.xml", "application/atom+xml",
			[]string{"Comet visible tonight", "Updated-only entry"}, "Science Desk", "en-GB"},
		{"json", "feed.json", "application/feed+json",
			[]string{"Primera noticia", "Segunda noticia"}, "JSON Desk", "es"},
		{"ar-1256-prolog", "ar-windows-1256.xml", "application/rss+xml", arabicTitles, "وكالة الأنباء", "ar"},
		{"ar-1256-header", "ar-windows-1256-nolabel.xml", "application/rss+xml; charset=windows-1256", arabicTitles, "وكالة الأنباء", "ar"},
		{"ar-8859-6-prolog", "ar-iso-8859-6.xml", "text/xml", arabicTitles, "وكالة الأنباء", "ar"},
		{"ar-8859-6-header", "ar-iso-8859-6-nolabel.xml", "text/xml; charset=ISO-8859-6", arabicTitles, "وكالة الأنباء", "ar"},
	}
	var sources []Source
	for _, tt := range tests {
		u := fs.set("/"+tt.name, route{body: readTestdata(t, tt.file), contentType: tt.contentType})
		sources = append(sources, Source{Name: tt.name, URL: u})
	}
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: sources})
	results := f.FetchAll(context.Background())
	if len(results) != len(tests) {
		t.Fatalf("FetchAll returned %d results, want %d", len(results), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := results[i]
			if r.Source != tt.name || r.Status != StatusNew || r.Err != nil || r.New != len(tt.titles) {
				t.Errorf("result = %+v, want source %s (config order), new, %d new", r, tt.name, len(tt.titles))
			}
			if got := titlesOf(t, st, tt.name); !slices.Equal(got, tt.titles) {
				t.Errorf("stored titles = %q\nwant %q", got, tt.titles)
			}
			s, ok := st.State(tt.name)
			if !ok || s.Title != tt.feedTitle || s.Lang != tt.lang || s.LastStatus != "ok" || s.BodyHash == "" ||
				s.LastSuccess.IsZero() || s.Items != len(tt.titles) || s.URL != fs.URL+"/"+tt.name {
				t.Errorf("state = %+v", s)
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	fs := newFeedServer(t)
	const lm = "Tue, 04 Mar 2025 10:00:00 GMT"
	u := fs.set("/feed", route{body: readTestdata(t, "rss2.xml"), etag: `"v1"`, lastModified: lm})
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: u}}, UserAgent: "tickerd/test (+http://t)"})
	ctx := context.Background()

	if r := f.Fetch(ctx, "s"); r.Status != StatusNew {
		t.Fatalf("first fetch = %+v, want new", r)
	}
	writes := st.Stats().Writes
	if r := f.Fetch(ctx, "s"); r.Status != StatusNotModified || r.Err != nil {
		t.Fatalf("second fetch = %+v, want not_modified", r)
	}
	if got := st.Stats().Writes; got != writes {
		t.Errorf("a 304 cost %d writes, want 0", got-writes)
	}
	reqs := fs.requests("/feed")
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	if reqs[0].Get("If-None-Match") != "" || reqs[0].Get("If-Modified-Since") != "" {
		t.Errorf("first request was conditional: %v", reqs[0])
	}
	if got := reqs[1].Get("If-None-Match"); got != `"v1"` {
		t.Errorf("second request If-None-Match = %q, want %q", got, `"v1"`)
	}
	if got := reqs[1].Get("If-Modified-Since"); got != lm {
		t.Errorf("second request If-Modified-Since = %q, want %q", got, lm)
	}
	if got := reqs[1].Get("User-Agent"); got != "tickerd/test (+http://t)" {
		t.Errorf("User-Agent = %q", got)
	}
	if s, _ := st.State("s"); s.LastStatus != "not_modified" || s.ETag != `"v1"` || s.LastModified != lm {
		t.Errorf("state after 304 = %+v", s)
	}

	// A new version: the old validators go out, the new ones come back.
	body := bytes.Replace(readTestdata(t, "rss2.xml"), []byte("Ferry timetable changes"), []byte("Ferry timetable restored"), 1)
	fs.set("/feed", route{body: body, etag: `"v2"`})
	if r := f.Fetch(ctx, "s"); r.Status != StatusUpdated || r.Updated != 1 || r.Unchanged != 2 {
		t.Errorf("fetch of a changed feed = %+v, want 1 updated, 2 unchanged", r)
	}
	if s, _ := st.State("s"); s.ETag != `"v2"` || s.LastModified != "" {
		t.Errorf("validators after a new version = %q, %q; want the new ETag and no Last-Modified", s.ETag, s.LastModified)
	}
}

// TestIdenticalBody proves through the store's write count that a body
// identical to the last one is neither parsed into a write nor stored.
func TestIdenticalBody(t *testing.T) {
	fs := newFeedServer(t)
	body := readTestdata(t, "atom.xml")
	u := fs.set("/atom", route{body: body}) // no validators: every poll is a 200
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "a", URL: u}}})
	ctx := context.Background()

	if r := f.Fetch(ctx, "a"); r.Status != StatusNew {
		t.Fatalf("first fetch = %+v", r)
	}
	writes := st.Stats().Writes
	if r := f.Fetch(ctx, "a"); r.Status != StatusUnchanged || r.Err != nil {
		t.Fatalf("second fetch = %+v, want unchanged", r)
	}
	if got := st.Stats().Writes; got != writes {
		t.Errorf("an identical body cost %d writes, want 0", got-writes)
	}
	if n := len(fs.requests("/atom")); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
	if s, _ := st.State("a"); s.LastStatus != "unchanged" || s.LastSuccess.IsZero() {
		t.Errorf("state = %+v", s)
	}

	// A body that differs only in white space is parsed: one write, no
	// item changed.
	fs.set("/atom", route{body: append(bytes.Clone(body), "\n\n"...)})
	if r := f.Fetch(ctx, "a"); r.Status != StatusUnchanged || r.Unchanged != 2 {
		t.Errorf("fetch of a reformatted body = %+v, want unchanged with 2 unchanged items", r)
	}
	if got := st.Stats().Writes; got != writes+1 {
		t.Errorf("reformatted body cost %d writes, want 1", got-writes)
	}
}

func TestGzip(t *testing.T) {
	fs := newFeedServer(t)
	u := fs.set("/gz", route{body: readTestdata(t, "rss2.xml"), gzip: true, contentType: "application/rss+xml"})
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "gz", URL: u}}})
	if r := f.Fetch(context.Background(), "gz"); r.Status != StatusNew || r.New != 3 {
		t.Errorf("fetch = %+v, want 3 new", r)
	}
	if ae := fs.requests("/gz")[0].Get("Accept-Encoding"); !strings.Contains(ae, "gzip") {
		t.Errorf("Accept-Encoding = %q, want gzip", ae)
	}
}

// TestFetchErrors serves every kind of bad input next to a good feed, in
// one FetchAll: each bad source records its own error, the good one is
// stored.
func TestFetchErrors(t *testing.T) {
	fs := newFeedServer(t)
	const maxBody = 2048
	big := bytes.Repeat([]byte("<!-- padding -->"), maxBody/16+1)
	bigFeed := append(append([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`), big...), "</channel></rss>"...)
	hugeFeed := append(append([]byte(`<rss version="2.0"><channel>`), bytes.Repeat(big, 64)...), "</channel></rss>"...)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + ln.Addr().String() + "/feed"
	ln.Close()

	tests := []struct {
		name  string
		url   string // when not served by fs
		route route
		check func(error) bool
		text  string // in the error message
	}{
		{name: "not-found", route: route{status: 404, body: []byte("no")},
			check: func(err error) bool { se, ok := errors.AsType[*StatusError](err); return ok && se.Code == 404 },
			text:  "status 404 Not Found"},
		{name: "server-error", route: route{status: 500, retryAfter: "120"},
			check: func(err error) bool {
				se, ok := errors.AsType[*StatusError](err)
				return ok && se.Code == 500 && se.RetryAfter == 2*time.Minute
			},
			text: "status 500 Internal Server Error"},
		{name: "oversize", route: route{body: bigFeed},
			check: func(err error) bool { return errors.Is(err, ErrBodyTooLarge) }, text: "body exceeds 2048 bytes"},
		{name: "oversize-gzip", route: route{body: hugeFeed, gzip: true},
			check: func(err error) bool { return errors.Is(err, ErrBodyTooLarge) }, text: "body exceeds 2048 bytes"},
		{name: "broken-json", route: route{body: readTestdata(t, "broken.json")},
			check: func(err error) bool { return err != nil }, text: "parse feed: "},
		{name: "html-page", route: route{body: readTestdata(t, "page.html"), contentType: "text/html; charset=utf-8"},
			check: func(err error) bool { return errors.Is(err, ErrNotFeed) }, text: "not a feed: got an HTML page"},
		{name: "empty", route: route{body: nil},
			check: func(err error) bool { return errors.Is(err, ErrEmptyBody) }, text: "empty body"},
		{name: "unasked-304", route: route{status: 304},
			check: func(err error) bool { se, ok := errors.AsType[*StatusError](err); return ok && se.Code == 304 },
			text:  "status 304"},
		{name: "unreachable", url: unreachable,
			check: func(err error) bool { return err != nil }, text: "connection refused"},
	}
	sources := []Source{{Name: "good", URL: fs.set("/good", route{body: readTestdata(t, "feed.json")})}}
	for _, tt := range tests {
		u := tt.url
		if u == "" {
			u = fs.set("/"+tt.name, tt.route)
		}
		sources = append(sources, Source{Name: tt.name, URL: u})
	}
	if n := gzipSize(t, hugeFeed); n >= maxBody {
		t.Fatalf("compressed oversize feed is %d bytes; it must fit the limit to test the decompressed cap", n)
	}

	st := openTestStore(t)
	f, logs := newTestFetcher(t, st, &Options{Sources: sources, MaxBody: maxBody})
	results := f.FetchAll(context.Background())
	if r := results[0]; r.Status != StatusNew || r.New != 2 {
		t.Errorf("good source = %+v, want 2 new", r)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := results[i+1]
			if r.Source != tt.name || r.Status != StatusFailed || !tt.check(r.Err) {
				t.Fatalf("result = %+v (err %v)", r, r.Err)
			}
			if !strings.Contains(r.Err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", r.Err, tt.text)
			}
			s, _ := st.State(tt.name)
			if s.LastStatus != "error" || s.LastError != r.Err.Error() || s.Failures != 1 ||
				s.LastAttempt.IsZero() || !s.LastSuccess.IsZero() || s.BodyHash != "" {
				t.Errorf("state = %+v", s)
			}
			if !strings.Contains(logs.String(), "level=WARN msg=\"fetch failed\" component=fetcher source="+tt.name+" ") {
				t.Errorf("no Warn line for source %s in the log", tt.name)
			}
		})
	}
	// Failures count consecutive attempts.
	if r := f.Fetch(context.Background(), "not-found"); r.Status != StatusFailed {
		t.Fatalf("refetch = %+v", r)
	}
	if s, _ := st.State("not-found"); s.Failures != 2 {
		t.Errorf("failures after two errors = %d, want 2", s.Failures)
	}
}

// TestRecoveryClearsError: a source that failed and then succeeds has its
// error cleared; when the success is a 304, the clearing is written at
// once rather than only marked in memory.
func TestRecoveryClearsError(t *testing.T) {
	fs := newFeedServer(t)
	u := fs.set("/f", route{body: readTestdata(t, "rss2.xml"), etag: `"e"`})
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "f", URL: u}}})
	ctx := context.Background()
	f.Fetch(ctx, "f")
	fs.set("/f", route{status: 503, retryAfter: "3600"})
	if r := f.Fetch(ctx, "f"); r.Status != StatusFailed {
		t.Fatalf("fetch = %+v, want error", r)
	}
	if wait := f.backoff(f.source("f"), time.Now()); wait < 59*time.Minute || wait > time.Hour {
		t.Errorf("backoff after Retry-After: 3600 = %s, want about 1h", wait)
	}
	fs.set("/f", route{body: readTestdata(t, "rss2.xml"), etag: `"e"`})
	writes := st.Stats().Writes
	if r := f.Fetch(ctx, "f"); r.Status != StatusNotModified {
		t.Fatalf("fetch = %+v, want not_modified (validators kept through the error)", r)
	}
	if s, _ := st.State("f"); s.LastStatus != "not_modified" || s.LastError != "" || s.Failures != 0 {
		t.Errorf("state after recovery = %+v", s)
	}
	if got := st.Stats().Writes; got != writes+1 {
		t.Errorf("recovery wrote %d times, want 1", got-writes)
	}
	if wait := f.backoff(f.source("f"), time.Now()); wait > 0 {
		t.Errorf("backoff after recovery = %s, want none", wait)
	}

	// The same through a full parse rather than a 304.
	fs.set("/f", route{status: 429, retryAfter: "600"})
	f.Fetch(ctx, "f")
	fs.set("/f", route{body: readTestdata(t, "atom.xml")})
	if r := f.Fetch(ctx, "f"); r.Status != StatusNew {
		t.Fatalf("fetch = %+v, want new", r)
	}
	if wait := f.backoff(f.source("f"), time.Now()); wait > 0 {
		t.Errorf("backoff after a successful parse = %s, want none", wait)
	}
}

// TestURLChange: validators and the body hash belong to a URL; after the
// config points a source elsewhere they are not sent or trusted.
func TestURLChange(t *testing.T) {
	fs := newFeedServer(t)
	body := readTestdata(t, "rss2.xml")
	u1 := fs.set("/old", route{body: body, etag: `"x"`})
	u2 := fs.set("/new", route{body: body, etag: `"x"`})
	st := openTestStore(t)
	f1, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: u1}}})
	f1.Fetch(context.Background(), "s")
	f2, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: u2}}})
	if r := f2.Fetch(context.Background(), "s"); r.Status != StatusUnchanged || r.Unchanged != 3 {
		t.Errorf("fetch after URL change = %+v, want a full parse with 3 unchanged items", r)
	}
	if inm := fs.requests("/new")[0].Get("If-None-Match"); inm != "" {
		t.Errorf("new URL got If-None-Match %q from the old one", inm)
	}
}

func TestFileSource(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("testdata", "ar-windows-1256.xml"))
	if err != nil {
		t.Fatal(err)
	}
	fileURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{
		{Name: "ar", URL: fileURL},
		{Name: "missing", URL: "file:///nonexistent/feed.xml"},
	}})
	ctx := context.Background()
	if r := f.Fetch(ctx, "ar"); r.Status != StatusNew || r.New != 3 {
		t.Fatalf("fetch = %+v, want 3 new", r)
	}
	if got := titlesOf(t, st, "ar"); !slices.Equal(got, arabicTitles) {
		t.Errorf("titles = %q, want %q", got, arabicTitles)
	}
	writes := st.Stats().Writes
	if r := f.Fetch(ctx, "ar"); r.Status != StatusUnchanged {
		t.Errorf("second fetch = %+v, want unchanged", r)
	}
	if st.Stats().Writes != writes {
		t.Errorf("re-reading an unchanged file wrote to the store")
	}
	if r := f.Fetch(ctx, "missing"); r.Status != StatusFailed || !strings.Contains(r.Err.Error(), "no such file") {
		t.Errorf("missing file = %+v", r)
	}
	small, _ := newTestFetcher(t, st, &Options{MaxBody: 512, Sources: []Source{{Name: "ar", URL: fileURL}}})
	if r := small.Fetch(ctx, "ar"); !errors.Is(r.Err, ErrBodyTooLarge) || !strings.Contains(r.Err.Error(), "body exceeds 512 bytes") {
		t.Errorf("oversize file = %+v (err %v)", r, r.Err)
	}
}

// blockingServer answers each request only when the test releases it,
// counting requests in flight.
type blockingServer struct {
	*httptest.Server
	arrived  chan string
	release  chan struct{}
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	total    atomic.Int32
}

func newBlockingServer(t *testing.T, body []byte) *blockingServer {
	bs := &blockingServer{arrived: make(chan string, 100), release: make(chan struct{})}
	bs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := bs.inFlight.Add(1)
		defer bs.inFlight.Add(-1)
		bs.total.Add(1)
		for {
			m := bs.maxSeen.Load()
			if n <= m || bs.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		bs.arrived <- r.URL.Path
		select {
		case <-bs.release:
		case <-r.Context().Done():
			return
		}
		w.Write(body)
	}))
	t.Cleanup(bs.Close)
	return bs
}

func waitArrival(t *testing.T, bs *blockingServer) {
	t.Helper()
	select {
	case <-bs.arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("no request arrived within 10s")
	}
}

func TestConcurrencyLimits(t *testing.T) {
	tests := []struct {
		name                 string
		perHost, concurrency int
		want                 int
	}{
		{"per host", 2, 16, 2},
		{"overall", 16, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := newBlockingServer(t, readTestdata(t, "rss2.xml"))
			const n = 8
			var sources []Source
			for i := range n {
				sources = append(sources, Source{Name: fmt.Sprint("s", i), URL: fmt.Sprintf("%s/%d", bs.URL, i)})
			}
			f, _ := newTestFetcher(t, newMemStore(), &Options{Sources: sources, PerHost: tt.perHost, Concurrency: tt.concurrency})
			done := make(chan []Result)
			go func() { done <- f.FetchAll(context.Background()) }()
			// Let the limit fill, then free one slot at a time: every
			// release lets exactly one more request in.
			for range tt.want {
				waitArrival(t, bs)
			}
			for i := range n {
				bs.release <- struct{}{}
				if i+tt.want < n {
					waitArrival(t, bs)
				}
			}
			for _, r := range <-done {
				if r.Status != StatusNew {
					t.Errorf("%s: %+v", r.Source, r)
				}
			}
			if got := bs.maxSeen.Load(); got != int32(tt.want) {
				t.Errorf("at most %d requests in flight, want %d", got, tt.want)
			}
		})
	}
}

// TestBusyHostHoldsNoOtherHost: a cycle works each host's sources in
// its own queue, so while one host holds every request of its share, the
// other host's sources are all fetched, in either order of the config.
func TestBusyHostHoldsNoOtherHost(t *testing.T) {
	for _, busyFirst := range []bool{true, false} {
		t.Run(fmt.Sprint("busy host first ", busyFirst), func(t *testing.T) {
			busy := newBlockingServer(t, readTestdata(t, "rss2.xml"))
			body := readTestdata(t, "rss2.xml")
			free := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
			t.Cleanup(free.Close)
			var busySources, freeSources []Source
			for i := range 4 {
				busySources = append(busySources, Source{Name: fmt.Sprint("busy", i), URL: fmt.Sprintf("%s/%d", busy.URL, i)})
				// Another host name: slots are per host name, not port.
				freeSources = append(freeSources, Source{Name: fmt.Sprint("free", i), URL: fmt.Sprintf("%s/%d", strings.Replace(free.URL, "127.0.0.1", "localhost", 1), i)})
			}
			sources := append(slices.Clone(freeSources), busySources...)
			if busyFirst {
				sources = append(slices.Clone(busySources), freeSources...)
			}
			freeDone := make(chan string, len(freeSources))
			opts := &Options{Sources: sources, PerHost: 2, Concurrency: 4, OnResult: func(r Result) {
				if strings.HasPrefix(r.Source, "free") {
					freeDone <- r.Source
				}
			}}
			f, _ := newTestFetcher(t, newMemStore(), opts)
			done := make(chan []Result)
			go func() { done <- f.FetchAll(context.Background()) }()
			waitArrival(t, busy)
			waitArrival(t, busy)
			// The busy host holds its two slots: every free source is
			// fetched meanwhile.
			for range freeSources {
				select {
				case <-freeDone:
				case <-time.After(10 * time.Second):
					t.Fatal("a free host's source waited on the busy host")
				}
			}
			for i := range busySources {
				busy.release <- struct{}{}
				if i+2 < len(busySources) {
					waitArrival(t, busy)
				}
			}
			for _, r := range <-done {
				if r.Status != StatusNew {
					t.Errorf("%s: %+v", r.Source, r)
				}
			}
		})
	}
}

// TestNoConcurrentFetchOfOneSource: while a source is being fetched, a
// second fetch of it returns at once as skipped, without a request.
func TestNoConcurrentFetchOfOneSource(t *testing.T) {
	bs := newBlockingServer(t, readTestdata(t, "rss2.xml"))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: bs.URL + "/feed"}}})
	first := make(chan Result)
	go func() { first <- f.Fetch(context.Background(), "s") }()
	waitArrival(t, bs)
	if r := f.Fetch(context.Background(), "s"); r.Status != StatusSkipped || r.Err != nil {
		t.Errorf("concurrent fetch = %+v, want skipped without error", r)
	}
	for _, r := range f.FetchAll(context.Background()) {
		if r.Status != StatusSkipped {
			t.Errorf("FetchAll during a fetch = %+v, want skipped", r)
		}
	}
	bs.release <- struct{}{}
	if r := <-first; r.Status != StatusNew {
		t.Errorf("first fetch = %+v", r)
	}
	if n := bs.total.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// TestCanceledFetchNotRecorded: a fetch cut short by its caller (shutdown)
// is reported but not stored as the source's failure.
func TestCanceledFetchNotRecorded(t *testing.T) {
	bs := newBlockingServer(t, readTestdata(t, "rss2.xml"))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: bs.URL + "/feed"}}})
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan Result)
	go func() { res <- f.Fetch(ctx, "s") }()
	waitArrival(t, bs)
	cancel()
	r := <-res
	if r.Status != StatusFailed || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("canceled fetch = %+v, want an error wrapping context.Canceled", r)
	}
	if s, ok := st.State("s"); ok {
		t.Errorf("canceled fetch stored state %+v", s)
	}
}

func TestTimeout(t *testing.T) {
	bs := newBlockingServer(t, nil)
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Timeout: 300 * time.Millisecond, Sources: []Source{{Name: "slow", URL: bs.URL + "/"}}})
	r := f.Fetch(context.Background(), "slow")
	if r.Status != StatusFailed || !errors.Is(r.Err, context.DeadlineExceeded) || !strings.Contains(r.Err.Error(), "no complete response within 300ms") {
		t.Errorf("slow fetch = %+v (err %v)", r, r.Err)
	}
	if s, _ := st.State("slow"); s.Failures != 1 {
		t.Errorf("state = %+v, want the timeout recorded", s)
	}
}

func TestUnknownSource(t *testing.T) {
	f, _ := newTestFetcher(t, newMemStore(), nil)
	if r := f.Fetch(context.Background(), "nope"); r.Status != StatusFailed || !errors.Is(r.Err, ErrUnknownSource) {
		t.Errorf("Fetch(nope) = %+v", r)
	}
	if rs := f.FetchAll(context.Background()); len(rs) != 0 {
		t.Errorf("FetchAll with no sources = %+v", rs)
	}
}

func TestNewValidates(t *testing.T) {
	_, err := New(newMemStore(), &Options{
		Schedule:    "@every 500ms",
		Concurrency: -1,
		Sources: []Source{
			{Name: "ok", URL: "https://example.com/feed"},
			{Name: "ok", URL: "https://example.com/other"},
			{Name: "", URL: "https://example.com/x"},
			{Name: "ftp", URL: "ftp://example.com/feed"},
			{Name: "rel", URL: "feeds/local.xml"},
			{Name: "remote-file", URL: "file://server/share/feed.xml"},
			{Name: "sched", URL: "https://example.com/s", Schedule: "CRON_TZ=UTC"},
		},
	}, nil)
	if err == nil {
		t.Fatal("New accepted a bad config")
	}
	for _, want := range []string{
		"concurrency -1", `"@every 500ms"`, `source "ok": name used twice`, "no name", `source "ftp"`,
		`source "rel"`, `source "remote-file"`, `source "sched": schedule "CRON_TZ=UTC"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	if _, err := New(nil, nil, nil); err == nil {
		t.Error("New accepted a nil store")
	}
}

// TestParallelFetchesRace runs many fetches of several sources at once
// under -race: the shared client, converter and store must cope.
func TestParallelFetchesRace(t *testing.T) {
	fs := newFeedServer(t)
	var sources []Source
	for i, file := range []string{"rss2.xml", "atom.xml", "feed.json", "rss1.rdf", "ar-iso-8859-6.xml"} {
		sources = append(sources, Source{Name: fmt.Sprint("s", i), URL: fs.set(fmt.Sprint("/", i), route{body: readTestdata(t, file)})})
	}
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: sources})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, r := range f.FetchAll(context.Background()) {
				if r.Status == StatusFailed {
					t.Errorf("%+v", r)
				}
			}
		})
	}
	wg.Wait()
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	rec := httptest.NewRecorder()
	fs := &feedServer{routes: map[string]route{"/": {body: b, gzip: true}}, reqs: map[string][]http.Header{}}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	fs.ServeHTTP(rec, req)
	return rec.Body.Len()
}

// TestRetryAfterHoldsHost: a 429 or 503 with Retry-After (seconds or an
// HTTP date) holds the source and every source on its host, the state of
// each says so, another host is not held, and the hold outlives a restart.
func TestRetryAfterHoldsHost(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter func(now time.Time) string
		wait       time.Duration
		hostWide   bool
	}{
		{"429 seconds", 429, func(time.Time) string { return "3600" }, time.Hour, true},
		{"503 date", 503, func(now time.Time) string { return now.Add(2 * time.Hour).UTC().Format(http.TimeFormat) }, 2 * time.Hour, true},
		{"500 seconds", 500, func(time.Time) string { return "3600" }, time.Hour, false},
		{"429 capped", 429, func(time.Time) string { return "999999" }, DefaultMaxBackoff, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFeedServer(t)
			body := readTestdata(t, "rss2.xml")
			ua := fs.set("/a", route{body: body})
			ub := fs.set("/b", route{body: body})
			// The same server under another host name is another host.
			uc := strings.Replace(fs.set("/c", route{body: body}), "127.0.0.1", "localhost", 1)
			st := openTestStore(t)
			opts := &Options{Sources: []Source{{Name: "a", URL: ua}, {Name: "b", URL: ub}, {Name: "c", URL: uc}}}
			f, _ := newTestFetcher(t, st, opts)
			ctx := context.Background()
			f.FetchAll(ctx)

			fs.set("/a", route{status: tt.status, retryAfter: tt.retryAfter(time.Now())})
			now := time.Now()
			if r := f.Fetch(ctx, "a"); r.Status != StatusFailed {
				t.Fatalf("fetch = %+v, want an error", r)
			}
			near := func(d, want time.Duration) bool { return d > want-time.Minute && d <= want+time.Second }
			sa, _ := st.State("a")
			if !near(f.backoff(f.source("a"), now), tt.wait) || sa.NextReason != store.NextRetryAfter || !near(sa.NextAttempt.Sub(now), tt.wait) {
				t.Errorf("a: backoff %s, next %s (%s); want about %s (retry-after)",
					f.backoff(f.source("a"), now), sa.NextAttempt.Sub(now), sa.NextReason, tt.wait)
			}
			sb, _ := st.State("b")
			if held := near(f.backoff(f.source("b"), now), tt.wait) && sb.NextReason == store.NextHostRetryAfter; held != tt.hostWide {
				t.Errorf("b on the same host: backoff %s, next %s (%s); want held %v",
					f.backoff(f.source("b"), now), sb.NextAttempt.Sub(now), sb.NextReason, tt.hostWide)
			}
			if sc, _ := st.State("c"); f.backoff(f.source("c"), now) > 0 || sc.NextReason != store.NextSchedule {
				t.Errorf("c on another host: backoff %s, reason %s; want none", f.backoff(f.source("c"), now), sc.NextReason)
			}

			// A new Fetcher on the same store (a restart) still holds a.
			f2, _ := newTestFetcher(t, st, opts)
			if d := f2.backoff(f2.source("a"), now); !near(d, tt.wait) {
				t.Errorf("after a restart a's backoff = %s, want about %s", d, tt.wait)
			}
		})
	}
}

// TestPerHostUnderAnySchedule: however fetches are started (Run's first
// poll and its per-source schedules, FetchAll and Fetch alongside), no
// more than PerHost requests reach one host at a time, counting the host
// a source was permanently redirected to rather than the one configured.
func TestPerHostUnderAnySchedule(t *testing.T) {
	body := readTestdata(t, "rss2.xml")
	var mu sync.Mutex
	inFlight, peak := map[string]int{}, map[string]int{}
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/moved/") {
			_, port, _ := net.SplitHostPort(r.Host)
			http.Redirect(w, r, "http://127.0.0.1:"+port+"/feed/"+path.Base(r.URL.Path), http.StatusMovedPermanently)
			return
		}
		host, _, _ := net.SplitHostPort(r.Host)
		mu.Lock()
		inFlight[host]++
		peak[host] = max(peak[host], inFlight[host])
		mu.Unlock()
		requests.Add(1)
		select {
		case <-time.After(20 * time.Millisecond):
		case <-r.Context().Done():
		}
		mu.Lock()
		inFlight[host]--
		mu.Unlock()
		w.Write(body)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	var sources []Source
	schedules := []string{"", "@every 1s", "@every 2s", "@every 3s"}
	for i := range 8 {
		// Half the sources live on 127.0.0.1; the other half are
		// configured on localhost and move to 127.0.0.1 for good.
		u := fmt.Sprintf("http://127.0.0.1:%s/feed/%d", port, i)
		if i%2 == 1 {
			u = fmt.Sprintf("http://localhost:%s/moved/%d", port, i)
		}
		sources = append(sources, Source{Name: fmt.Sprint("s", i), URL: u, Schedule: schedules[i%len(schedules)]})
	}
	const perHost = 2
	f, _ := newTestFetcher(t, newMemStore(), &Options{Sources: sources, PerHost: perHost, Concurrency: 16, Schedule: "@every 1s"})
	// Learn the redirects first. (While following one, a fetch still
	// holds the slot of the host it started with.)
	for _, r := range f.FetchAll(context.Background()) {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Source, r.Err)
		}
	}
	mu.Lock()
	clear(peak)
	mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := f.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	for range 3 {
		wg.Go(func() {
			for ctx.Err() == nil {
				f.FetchAll(ctx)
				f.Fetch(ctx, "s1")
			}
		})
	}
	// Let the fetches overlap for a good while.
	deadline := time.Now().Add(20 * time.Second)
	for requests.Load() < 200 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if requests.Load() < 100 {
		t.Fatalf("only %d requests: the fetches did not overlap enough to tell", requests.Load())
	}
	for host, n := range peak {
		if n > perHost {
			t.Errorf("%d requests in flight at once to %s, want at most %d (per_host)", n, host, perHost)
		}
	}
	t.Logf("%d requests, peak in flight by host %v", requests.Load(), peak)
}
