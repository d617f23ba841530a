package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

// hostile is a loopback server whose every path is a handler the test
// writes, counting the requests each path gets.
type hostile struct {
	*httptest.Server
	mu    sync.Mutex
	paths map[string]http.HandlerFunc
	hits  map[string]int
}

func newHostile(t testing.TB) *hostile {
	h := &hostile{paths: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	h.Server = httptest.NewServer(h)
	t.Cleanup(h.Close)
	return h
}

func (h *hostile) handle(path string, fn http.HandlerFunc) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.paths[path] = fn
	return h.URL + path
}

func (h *hostile) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path]
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	fn := h.paths[r.URL.Path]
	h.hits[r.URL.Path]++
	h.mu.Unlock()
	if fn == nil {
		http.NotFound(w, r)
		return
	}
	fn(w, r)
}

func serveBytes(contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

func redirectTo(code int, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) }
}

// allocated reports the bytes fn allocated, all goroutines counted.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// rssItems is an RSS feed of n items, newest first, an hour apart.
func rssItems(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>many</title>`)
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Headline number %d</title><link>https://example.com/n/%d</link><pubDate>%s</pubDate></item>\n",
			i, i, t0.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// TestGzipBomb: 64 MiB of zeros compressed to well under 1 MiB stops at the cap,
// with an error that says so, having allocated about the cap.
func TestGzipBomb(t *testing.T) {
	var zbuf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zbuf, gzip.BestSpeed)
	zw.Write(bytes.Repeat([]byte{0}, 64<<20))
	zw.Close()
	bomb := zbuf.Bytes()
	if len(bomb) >= 1<<20 {
		t.Fatalf("the bomb is %d bytes compressed; it must fit under the cap to test the decompressed count", len(bomb))
	}
	h := newHostile(t)
	u := h.handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	st := openTestStore(t)
	const limit = 1 << 20
	f, _ := newTestFetcher(t, st, &Options{MaxBody: limit, Sources: []Source{{Name: "bomb", URL: u}}})
	var r Result
	alloc := allocated(func() { r = f.Fetch(context.Background(), "bomb") })
	if !errors.Is(r.Err, ErrBodyTooLarge) || !strings.Contains(r.Err.Error(), "body exceeds 1048576 bytes after decompression") {
		t.Errorf("fetch = %+v (err %v), want the decompressed size refused", r, r.Err)
	}
	if alloc > 16<<20 {
		t.Errorf("a bomb capped at 1 MiB allocated %d MiB", alloc>>20)
	}
}

// TestSlowDrip: a body dripping a byte at a time is cut by the whole
// request's timeout (short here), and the server's handler is released.
func TestSlowDrip(t *testing.T) {
	h := newHostile(t)
	u := h.handle("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}
	})
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Timeout: 200 * time.Millisecond, Sources: []Source{{Name: "drip", URL: u}}})
	r := f.Fetch(context.Background(), "drip")
	if r.Status != StatusFailed || !strings.Contains(r.Err.Error(), "200ms") {
		t.Errorf("drip = %+v (err %v), want a timeout naming 200ms", r, r.Err)
	}
}

// TestRedirects: at most 5 redirects, loops named, permanent redirects
// (301, 308, every hop) remembered and logged, temporary ones not, and a
// remembered address that is gone forgotten.
func TestRedirects(t *testing.T) {
	feed := readTestdata(t, "rss2.xml")
	tests := []struct {
		name     string
		hops     []int  // status of each redirect, in order; the last hop serves the feed
		loop     bool   // the last hop redirects to the first instead
		err      string // in the error; "" for success
		remember bool
	}{
		{name: "five permanent", hops: []int{301, 308, 301, 308, 301}, remember: true},
		{name: "one temporary", hops: []int{302}},
		{name: "permanent then temporary", hops: []int{301, 307}},
		{name: "six", hops: []int{301, 301, 301, 301, 301, 301}, err: "more than 5 redirects"},
		{name: "loop", hops: []int{302, 302}, loop: true, err: "redirect loop: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHostile(t)
			for i, code := range tt.hops {
				next := h.URL + fmt.Sprintf("/hop%d", i+1)
				if tt.loop && i == len(tt.hops)-1 {
					next = h.URL + "/hop0"
				}
				h.handle(fmt.Sprintf("/hop%d", i), redirectTo(code, next))
			}
			final := fmt.Sprintf("/hop%d", len(tt.hops))
			h.handle(final, serveBytes("application/rss+xml", feed))
			st := openTestStore(t)
			f, logs := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "r", URL: h.URL + "/hop0"}}})
			ctx := context.Background()
			r := f.Fetch(ctx, "r")
			if tt.err != "" {
				if r.Err == nil || !strings.Contains(r.Err.Error(), tt.err) {
					t.Fatalf("fetch = %+v, want an error with %q", r, tt.err)
				}
				return
			}
			if r.Status != StatusNew {
				t.Fatalf("fetch = %+v (err %v), want new", r, r.Err)
			}
			s, _ := st.State("r")
			if remembered := s.RedirectURL == h.URL+final; remembered != tt.remember || (!tt.remember && s.RedirectURL != "") {
				t.Errorf("RedirectURL = %q, want remembered %v", s.RedirectURL, tt.remember)
			}
			if logged := strings.Contains(logs.String(), "permanent redirect"); logged != tt.remember {
				t.Errorf("permanent redirect logged %v, want %v", logged, tt.remember)
			}
			f.Fetch(ctx, "r")
			wantFirst := 2
			if tt.remember {
				wantFirst = 1 // the second fetch went straight to the new address
			}
			if got := h.count("/hop0"); got != wantFirst {
				t.Errorf("first hop requested %d times in two fetches, want %d", got, wantFirst)
			}
			if !tt.remember {
				return
			}
			// The new address is gone: forgotten, so the next fetch starts
			// from the configured URL again.
			h.handle(final, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
			if r := f.Fetch(ctx, "r"); r.Status != StatusFailed {
				t.Fatalf("fetch of a gone address = %+v", r)
			}
			if s, _ := st.State("r"); s.RedirectURL != "" {
				t.Errorf("RedirectURL = %q after a 410, want it forgotten", s.RedirectURL)
			}
			f.Fetch(ctx, "r")
			if got := h.count("/hop0"); got != 2 {
				t.Errorf("configured URL requested %d times, want 2 (again after the 410)", got)
			}
		})
	}
}

// TestBlockPrivate: with BlockPrivate a loopback source is refused at
// connect time, whether named by address or by a host name that resolves
// there, a redirect to a refused address is refused, and a file source is
// refused.
func TestBlockPrivate(t *testing.T) {
	feed := readTestdata(t, "rss2.xml")
	h := newHostile(t)
	direct := h.handle("/feed", serveBytes("application/rss+xml", feed))
	byName := strings.Replace(direct, "127.0.0.1", "localhost", 1)

	// A second server on 127.0.0.2 stands for an internal address a
	// public one redirects to: the test refuses only that address.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 on this host: %v", err)
	}
	inner := httptest.NewUnstartedServer(serveBytes("application/rss+xml", feed))
	inner.Listener.Close()
	inner.Listener = ln
	inner.Start()
	defer inner.Close()
	viaRedirect := h.handle("/redirect", redirectTo(http.StatusFound, inner.URL+"/feed"))

	ctx := context.Background()
	t.Run("loopback", func(t *testing.T) {
		st := openTestStore(t)
		f, _ := newTestFetcher(t, st, &Options{BlockPrivate: true, Sources: []Source{
			{Name: "direct", URL: direct}, {Name: "name", URL: byName}, fileSource(t, "file", "rss2.xml")}})
		for _, r := range f.FetchAll(ctx) {
			if !errors.Is(r.Err, ErrPrivateAddress) {
				t.Errorf("%s: %+v (err %v), want refused", r.Source, r, r.Err)
			}
		}
		for _, r := range f.FetchAll(ctx) {
			if r.Kind() != KindBlocked {
				t.Errorf("%s: kind %s, want %s", r.Source, r.Kind(), KindBlocked)
			}
		}
		if s, _ := st.State("direct"); !strings.Contains(s.LastError, "127.0.0.1 is a loopback address (fetch.block_private)") {
			t.Errorf("error = %q, want it to name the address and the key", s.LastError)
		}
		if n := h.count("/feed"); n != 0 {
			t.Errorf("server got %d requests, want none", n)
		}
	})
	t.Run("redirect", func(t *testing.T) {
		st := openTestStore(t)
		f, _ := newTestFetcher(t, st, &Options{BlockPrivate: true, Sources: []Source{
			{Name: "redirect", URL: viaRedirect}, {Name: "public", URL: direct}}})
		f.privateKind = func(a netip.Addr) string {
			if a == netip.MustParseAddr("127.0.0.2") {
				return "private"
			}
			return ""
		}
		results := f.FetchAll(ctx)
		if r := results[0]; !errors.Is(r.Err, ErrPrivateAddress) || !strings.Contains(r.Err.Error(), "127.0.0.2 is a private address") {
			t.Errorf("redirect to 127.0.0.2 = %+v (err %v), want refused", r, r.Err)
		}
		if r := results[1]; r.Status != StatusNew {
			t.Errorf("allowed address = %+v (err %v), want new", r, r.Err)
		}
	})
	t.Run("off", func(t *testing.T) {
		f, _ := newTestFetcher(t, openTestStore(t), &Options{Sources: []Source{{Name: "redirect", URL: viaRedirect}}})
		if r := f.Fetch(ctx, "redirect"); r.Status != StatusNew {
			t.Errorf("without BlockPrivate = %+v (err %v), want new", r, r.Err)
		}
	})
}

func TestPrivateKind(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1", "loopback"}, {"::1", "loopback"}, {"::ffff:127.0.0.1", "loopback"},
		{"10.1.2.3", "private"}, {"172.16.0.1", "private"}, {"192.168.1.1", "private"}, {"fd00::1", "private"},
		{"100.64.0.1", "private"},
		{"169.254.169.254", "link-local"}, {"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"0.1.2.3", "unspecified"},
		{"93.184.216.34", ""}, {"2606:2800:220:1::1", ""}, {"172.32.0.1", ""},
	}
	for _, tt := range tests {
		if got := privateKind(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("privateKind(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestNotAFeed: an HTML page is "not a feed"; when it advertises a feed,
// the error, the log and the source's state name it.
func TestNotAFeed(t *testing.T) {
	h := newHostile(t)
	plain := h.handle("/plain", serveBytes("text/html", readTestdata(t, "page.html")))
	advert := h.handle("/news/", serveBytes("text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><head>
<title>News</title><link rel="stylesheet" href="/s.css">
<link rel="alternate" type="text/html" href="/other">
<link rel="Alternate" type="application/rss+xml" title="RSS" href="../feed.xml?x=1&amp;y=2">
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
</head><body>hi</body></html>`)))
	st := openTestStore(t)
	f, logs := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "plain", URL: plain}, {Name: "advert", URL: advert}}})
	results := f.FetchAll(context.Background())
	if r := results[0]; !errors.Is(r.Err, ErrNotFeed) || r.Err.Error() != "not a feed: got an HTML page" {
		t.Errorf("plain page = %v, want not a feed", r.Err)
	}
	want := h.URL + "/feed.xml?x=1&y=2"
	if r := results[1]; !errors.Is(r.Err, ErrNotFeed) || !strings.Contains(r.Err.Error(), "names its feed at "+want) {
		t.Errorf("page with a feed link = %v, want it to name %s", r.Err, want)
	}
	if s, _ := st.State("advert"); s.Alternate != want || !strings.Contains(s.LastError, want) {
		t.Errorf("state = %+v, want Alternate %s", s, want)
	}
	if !strings.Contains(logs.String(), `alternate="`+want+`"`) {
		t.Errorf("log does not name the alternate feed")
	}
}

func TestAlternateFeed(t *testing.T) {
	base := mustURL(t, "https://news.example.com/section/page")
	tests := []struct{ name, page, want string }{
		{"rss", `<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>`, "https://news.example.com/rss"},
		{"json feed", `<link type="application/feed+json" rel="feed alternate" href="feed.json">`, "https://news.example.com/section/feed.json"},
		{"base href", `<head><base href="https://cdn.example.net/x/"><link rel=alternate type="application/atom+xml; charset=utf-8" href="a.xml"></head>`, "https://cdn.example.net/x/a.xml"},
		{"javascript", `<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">`, ""},
		{"in body only", `<html><head></head><body><link rel="alternate" type="application/rss+xml" href="/rss"></body>`, ""},
		{"other type", `<link rel="alternate" type="text/html" href="/m">`, ""},
		{"none", `<html><body>no</body></html>`, ""},
	}
	for _, tt := range tests {
		if got := alternateFeed([]byte(tt.page), base); got != tt.want {
			t.Errorf("%s: alternateFeed = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestXMLHazards: entity expansion, external entities and deep nesting
// cost neither memory nor time; entities stay unexpanded text.
func TestXMLHazards(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">` +
		`<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>` +
		`<rss version="2.0"><channel><title>t</title><item><title>a &lol9; b</title><link>https://x.example/1</link></item></channel></rss>`
	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>` +
		`<rss version="2.0"><channel><title>t</title><item><title>x &xxe; y</title><link>https://x.example/1</link></item></channel></rss>`
	deep := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>ok</title><x>` +
		strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) + `</x></item></channel></rss>`
	deepAtom := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>ok</title><x>` +
		strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) + `</x></entry></feed>`
	deepJSON := `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"ok","x":` +
		strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}]}`
	tests := []struct {
		name, body, contentType string
		title                   string // the stored title; "" when an error is wanted
		err                     string
	}{
		{"billion laughs", laughs, "application/rss+xml", "a &lol9; b", ""},
		{"external entity", xxe, "application/rss+xml", "x &xxe; y", ""},
		{"deep nesting", deep, "application/rss+xml", "", "nested deeper than 512"},
		{"deep nesting atom", deepAtom, "application/atom+xml", "", "nested deeper than 512"},
		{"deep nesting json", deepJSON, "application/feed+json", "", "exceeded max depth"},
	}
	h := newHostile(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := h.handle("/"+strings.ReplaceAll(tt.name, " ", "-"), serveBytes(tt.contentType, []byte(tt.body)))
			st := openTestStore(t)
			f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "x", URL: u}}})
			var r Result
			alloc := allocated(func() { r = f.Fetch(context.Background(), "x") })
			if alloc > 32<<20 {
				t.Errorf("a %d KiB body allocated %d MiB", len(tt.body)>>10, alloc>>20)
			}
			if tt.err != "" {
				if r.Err == nil || !strings.Contains(r.Err.Error(), tt.err) {
					t.Errorf("fetch = %+v (err %v), want an error with %q", r, r.Err, tt.err)
				}
				return
			}
			if r.Status != StatusNew {
				t.Fatalf("fetch = %+v (err %v), want new", r, r.Err)
			}
			if got := titlesOf(t, st, "x"); len(got) != 1 || got[0] != tt.title {
				t.Errorf("titles = %q, want [%q]", got, tt.title)
			}
		})
	}
}

// TestNestedDeeper checks the depth scan against what a parser would see.
func TestNestedDeeper(t *testing.T) {
	tests := []struct {
		name, xml string
		limit     int
		want      bool
	}{
		{"flat", "<a><b/><c>x</c></a>", 2, false},
		{"two", "<a><b><c/></b></a>", 1, true},
		{"self-closing", strings.Repeat("<b/>", 10), 1, false},
		{"comment", "<a><!-- <b><c><d> --></a>", 1, false},
		{"cdata", "<a><![CDATA[<b><c><d>]]></a>", 1, false},
		{"quoted >", `<a x="<b>>"><b/></a>`, 1, false},
		{"doctype", `<!DOCTYPE r [<!ENTITY e "x">]><a><b/></a>`, 1, false},
		{"deep", strings.Repeat("<a>", 600), 512, true},
		{"unclosed", "<a><b", 2, false},
	}
	for _, tt := range tests {
		if got := nestedDeeper([]byte(tt.xml), tt.limit); got != tt.want {
			t.Errorf("%s: nestedDeeper(%q, %d) = %v, want %v", tt.name, tt.xml, tt.limit, got, tt.want)
		}
	}
}

// TestOversizedFeed: a 60 MiB feed, streamed, is refused at the cap
// (10 MiB by default) before anything parses it, having allocated about
// the cap rather than the feed's size or gofeed's 14 times that.
func TestOversizedFeed(t *testing.T) {
	chunk := rssItems(1000)
	chunk = chunk[bytes.Index(chunk, []byte("<item>")):bytes.LastIndex(chunk, []byte("</channel>"))]
	h := newHostile(t)
	u := h.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>`)
		for written := 0; written < 60<<20; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(w, "</channel></rss>")
	})
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "huge", URL: u}}})
	var r Result
	alloc := allocated(func() { r = f.Fetch(context.Background(), "huge") })
	if !errors.Is(r.Err, ErrBodyTooLarge) || !strings.Contains(r.Err.Error(), fmt.Sprint(DefaultMaxBody)) {
		t.Errorf("fetch = %+v (err %v), want refused at %d bytes", r, r.Err, DefaultMaxBody)
	}
	// Reading to the cap grows a buffer by doubling: about 3× the cap.
	if alloc > 4*DefaultMaxBody {
		t.Errorf("refusing a 60 MiB feed allocated %d MiB", alloc>>20)
	}
}

// TestManyItems: a feed listing thousands of items keeps the newest
// MaxItems.
func TestManyItems(t *testing.T) {
	h := newHostile(t)
	u := h.handle("/many", serveBytes("application/rss+xml", rssItems(5000)))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{MaxItems: 30, Sources: []Source{{Name: "many", URL: u}}})
	if r := f.Fetch(context.Background(), "many"); r.Status != StatusNew || r.New != 30 {
		t.Fatalf("fetch = %+v (err %v), want 30 new", r, r.Err)
	}
	titles := titlesOf(t, st, "many")
	if len(titles) != 30 || titles[0] != "Headline number 0" || titles[29] != "Headline number 29" {
		t.Errorf("kept %d titles from %q to %q, want the newest 30", len(titles), titles[0], titles[len(titles)-1])
	}
}

// TestServerErrors: repeated 500s count up and back off; the state says
// until when and why; a success resets both.
func TestServerErrors(t *testing.T) {
	h := newHostile(t)
	fail := func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }
	u := h.handle("/f", fail)
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Schedule: "@every 10s", Sources: []Source{{Name: "f", URL: u}}})
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		f.Fetch(ctx, "f")
		s, _ := st.State("f")
		wantReason := store.NextBackoff
		if i == 1 {
			wantReason = store.NextSchedule // one failure may be a blip
		}
		if s.Failures != i || s.NextReason != wantReason || !strings.Contains(s.LastError, "status 500") {
			t.Errorf("after %d failures: state %+v, want reason %s", i, s, wantReason)
		}
		if wait := s.NextAttempt.Sub(s.LastAttempt); i > 1 && wait < failureBackoff("f", i, DefaultMaxBackoff)-backoffSlack {
			t.Errorf("after %d failures next attempt in %s, want at least the backoff %s", i, wait, failureBackoff("f", i, DefaultMaxBackoff))
		}
	}
	h.handle("/f", serveBytes("application/rss+xml", readTestdata(t, "rss2.xml")))
	f.Fetch(ctx, "f")
	if s, _ := st.State("f"); s.Failures != 0 || s.NextReason != store.NextSchedule || s.NextAttempt.Sub(s.LastAttempt) > time.Minute {
		t.Errorf("after a success: state %+v, want the schedule back", s)
	}
}

// TestHostileContent: script-laden titles and summaries come out as plain
// text and safe HTML, relative URLs in summaries resolve against the item
// link, links carry rel="nofollow noopener noreferrer", non-http(s) item
// links are dropped.
func TestHostileContent(t *testing.T) {
	feed := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>&lt;script&gt;alert(1)&lt;/script&gt;Evil <![CDATA[<b>wire</b>]]></title><link>https://evil.example/</link>
<item><title><![CDATA[<script>alert(1)</script>Storm <img src=x onerror=alert(2)>warning]]></title>
<link>https://evil.example/news/storm.html</link>
<description><![CDATA[<p onclick="steal()">Read <a href="more.html" target="_blank">more</a> and <a href="https://other.example/x" rel="author">this</a>.
<img src="/img/a.png" onerror="x()"> <script>document.cookie</script><style>body{display:none}</style>
<iframe src="https://evil.example/frame"></iframe><object data="x.swf"></object><embed src="y.swf">
<form action="https://evil.example/"><input name="q"></form>
<a href="javascript:alert(3)">js</a> <a href="data:text/html,<script>alert(4)</script>">data</a>
<a href="mailto:desk@evil.example">mail</a></p>]]></description></item>
<item><title>Script link</title><link>javascript:alert(5)</link><description>x</description></item>
<item><title>Data link</title><link>data:text/html,hi</link></item>
</channel></rss>`
	h := newHostile(t)
	u := h.handle("/evil", serveBytes("application/rss+xml", []byte(feed)))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "evil", URL: u}}})
	if r := f.Fetch(context.Background(), "evil"); r.Status != StatusNew || r.New != 3 {
		t.Fatalf("fetch = %+v (err %v), want 3 new", r, r.Err)
	}
	items, err := st.Recent(context.Background(), store.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]store.Item{}
	for _, it := range items {
		byTitle[it.Title] = it
	}
	storm, ok := byTitle["Storm warning"]
	if !ok {
		t.Fatalf("titles = %q, want %q among them", slices.Collect(mapsKeys(byTitle)), "Storm warning")
	}
	if s, _ := st.State("evil"); s.Title != "Evil wire" {
		t.Errorf("feed title = %q, want %q", s.Title, "Evil wire")
	}
	for _, bad := range []string{"<script", "document.cookie", "<style", "<iframe", "<object", "<embed", "<form", "<input",
		"onclick", "onerror", "javascript:", "data:", "target="} {
		if strings.Contains(storm.Summary, bad) {
			t.Errorf("summary keeps %q:\n%s", bad, storm.Summary)
		}
	}
	for _, good := range []string{
		`<a href="https://evil.example/news/more.html" rel="nofollow noopener noreferrer">more</a>`,
		`<a href="https://other.example/x" rel="nofollow noopener noreferrer">this</a>`,
		`<img src="https://evil.example/img/a.png">`,
		`href="mailto:desk@evil.example"`,
	} {
		if !strings.Contains(storm.Summary, good) {
			t.Errorf("summary lacks %s:\n%s", good, storm.Summary)
		}
	}
	for _, title := range []string{"Script link", "Data link"} {
		if it, ok := byTitle[title]; !ok || it.Link != "" {
			t.Errorf("%s: item %+v, want kept without its link", title, it)
		}
	}
}

// TestHostileDates: dates in 2099, before 1995, unparseable or in a zone
// gofeed does not know fall back to the time first seen, so they cannot
// reorder the ticker; sane dates, numeric offsets and known zones stay.
func TestHostileDates(t *testing.T) {
	items := []struct{ title, date string }{
		{"Future", "Thu, 01 Jan 2099 00:00:00 GMT"},
		{"Epoch", "Thu, 01 Jan 1970 00:00:00 GMT"},
		{"Garbage", "yesterday-ish, around lunch"},
		{"Unknown zone", "Tue, 04 Mar 2025 10:00:00 AST"},
		{"Numeric", "Tue, 04 Mar 2025 10:00:00 +0300"},
		{"Known zone", "Tue, 04 Mar 2025 10:00:00 EST"},
		{"Missing", ""},
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>dates</title>`)
	for i, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>https://d.example/%d</link><pubDate>%s</pubDate></item>", it.title, i, it.date)
	}
	b.WriteString("</channel></rss>")
	h := newHostile(t)
	u := h.handle("/d", serveBytes("application/rss+xml", []byte(b.String())))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "d", URL: u}}})
	before := time.Now()
	if r := f.Fetch(context.Background(), "d"); r.Status != StatusNew || r.New != len(items) {
		t.Fatalf("fetch = %+v (err %v)", r, r.Err)
	}
	stored, _ := st.Recent(context.Background(), store.Query{Limit: 10})
	want := map[string]time.Time{
		"Numeric":    time.Date(2025, 3, 4, 7, 0, 0, 0, time.UTC),
		"Known zone": time.Date(2025, 3, 4, 15, 0, 0, 0, time.UTC),
	}
	for _, it := range stored {
		if w, ok := want[it.Title]; ok {
			if !it.Time().Equal(w) {
				t.Errorf("%s: time %s, want %s", it.Title, it.Time(), w)
			}
			continue
		}
		if tm := it.Time(); !tm.Equal(it.FirstSeen) || tm.Before(before.Add(-time.Second)) {
			t.Errorf("%s: time %s (published %s), want first seen %s", it.Title, tm, it.Published, it.FirstSeen)
		}
	}
	// The two sane dates sort below every item dated on arrival.
	if n := len(stored); n != len(items) || stored[n-2].Title != "Known zone" || stored[n-1].Title != "Numeric" {
		t.Errorf("order = %v", titlesOf(t, st, "d"))
	}
}

// TestInvalidUTF8: a UTF-8 feed with a few broken bytes and no charset
// label keeps its good text; the broken bytes become U+FFFD.
func TestInvalidUTF8(t *testing.T) {
	feed := []byte("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>أخبار</title>" +
		"<item><title>عاجل: انفجار \xff في الميناء</title><link>https://u.example/1</link></item>" +
		"<item><title>Café “quoted” \xc3 cut</title><link>https://u.example/2</link></item>" +
		"</channel></rss>")
	h := newHostile(t)
	u := h.handle("/u", serveBytes("application/rss+xml", feed))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "u", URL: u}}})
	if r := f.Fetch(context.Background(), "u"); r.Status != StatusNew || r.New != 2 {
		t.Fatalf("fetch = %+v (err %v), want 2 new", r, r.Err)
	}
	got := titlesOf(t, st, "u")
	slices.Sort(got)
	want := []string{"Café “quoted” \uFFFD cut", "عاجل: انفجار \uFFFD في الميناء"}
	if !slices.Equal(got, want) {
		t.Errorf("titles = %q, want %q", got, want)
	}
}

func TestUnknownZone(t *testing.T) {
	tests := []struct {
		raw  string
		want bool
	}{
		{"Tue, 04 Mar 2025 10:00:00 AST", true},
		{"Tue, 04 Mar 2025 10:00 MSK", true},
		{"2025-03-04 10:00:00 IST", true},
		{"Tue, 04 Mar 2025 10:00:00 EST", false},
		{"Tue, 04 Mar 2025 10:00:00 GMT", false},
		{"Tue, 04 Mar 2025 10:00:00 +0300", false},
		{"Tue, 04 Mar 2025 10:00:00 +0300 (AST)", false},
		{"2025-03-04T10:00:00Z", false},
		{"2025-03-04 10:00:00", false},
		{"Tuesday 4 March AD", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := unknownZone(tt.raw); got != tt.want {
			t.Errorf("unknownZone(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}
