package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"tickerd/config"
	"tickerd/store"
)

// feedServer serves feeds from memory with ETags, like a well-behaved
// publisher, and records the conditional requests it gets.
type feedServer struct {
	mu          sync.Mutex
	feeds       map[string]served
	requests    map[string]int
	conditional map[string]int // requests that carried If-None-Match
}

type served struct {
	contentType string
	body        []byte
}

func newFeedServer(t *testing.T) (*feedServer, *httptest.Server) {
	fs := &feedServer{feeds: map[string]served{}, requests: map[string]int{}, conditional: map[string]int{}}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	return fs, srv
}

func (fs *feedServer) set(path, contentType string, body []byte) {
	fs.mu.Lock()
	fs.feeds[path] = served{contentType, body}
	fs.mu.Unlock()
}

func (fs *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	f, ok := fs.feeds[r.URL.Path]
	fs.requests[r.URL.Path]++
	if r.Header.Get("If-None-Match") != "" {
		fs.conditional[r.URL.Path]++
	}
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(f.body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Write(f.body)
}

// story is one headline in the test corpus.
type story struct {
	source, id, title string
	at                time.Time
	link              string // default: a link made from the id
}

// linkOr returns s.link, or def when the story has none.
func (s story) linkOr(def string) string {
	if s.link != "" {
		return s.link
	}
	return def
}

var base = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

func at(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }

func xmlText(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func rss2(stories []story) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>RSS two</title><link>https://rss2.example/</link>`)
	for _, s := range stories {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://rss2.example/%s</link><guid isPermaLink="false">%s</guid><pubDate>%s</pubDate><description>&lt;p&gt;Body &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</description></item>`,
			xmlText(s.title), s.id, s.id, s.at.Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// arabicRSS is an RSS 2.0 feed in windows-1256; prolog says whether the XML
// declaration names the charset.
func arabicRSS(t *testing.T, prolog bool, stories []story) []byte {
	var b strings.Builder
	if prolog {
		b.WriteString(`<?xml version="1.0" encoding="windows-1256"?>`)
	} else {
		b.WriteString(`<?xml version="1.0"?>`)
	}
	b.WriteString(`<rss version="2.0"><channel><title>وكالة</title><link>https://ar.example/</link><language>ar</language>`)
	for _, s := range stories {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>`,
			xmlText(s.title), xmlText(s.linkOr("https://ar.example/"+s.id)), s.id, s.at.Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	enc, err := charmap.Windows1256.NewEncoder().String(b.String())
	if err != nil {
		t.Fatalf("encode windows-1256: %v", err)
	}
	return []byte(enc)
}

func rdf(stories []story) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>`)
	for _, s := range stories {
		fmt.Fprintf(&b, `<item rdf:about="https://rdf.example/%s"><title>%s</title><link>https://rdf.example/%s</link><dc:date>%s</dc:date></item>`,
			s.id, xmlText(s.title), s.id, s.at.Format(time.RFC3339))
	}
	b.WriteString(`</rdf:RDF>`)
	return b.String()
}

func atom(stories []story) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:atom-src</id><updated>2026-11-27T09:00:00Z</updated><link href="https://atom.example/"/>`)
	for _, s := range stories {
		fmt.Fprintf(&b, `<entry><title>%s</title><id>urn:atom:%s</id><link href="%s"/><updated>%s</updated><published>%s</published><summary>s</summary></entry>`,
			xmlText(s.title), s.id, xmlText(s.linkOr("https://atom.example/"+s.id)), s.at.Format(time.RFC3339), s.at.Format(time.RFC3339))
	}
	b.WriteString(`</feed>`)
	return b.String()
}

func jsonFeed(stories []story) string {
	type item struct {
		ID            string `json:"id"`
		URL           string `json:"url"`
		Title         string `json:"title"`
		ContentText   string `json:"content_text"`
		DatePublished string `json:"date_published"`
	}
	f := struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Items   []item `json:"items"`
	}{Version: "https://jsonfeed.org/version/1.1", Title: "JSON"}
	for _, s := range stories {
		f.Items = append(f.Items, item{s.id, s.linkOr("https://json.example/" + s.id), s.title, "text", s.at.Format(time.RFC3339)})
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// corpus is the stories each source publishes; times interleave across
// sources so the merged order is a real test.
func corpus() map[string][]story {
	return map[string][]story{
		"rss2": {
			{"rss2", "r1", "Markets open higher & bonds slip", at(50), ""},
			{"rss2", "r2", "Storm <warning> for the coast", at(10), ""},
		},
		"rdf": {
			{"rdf", "d1", "RDF story about rail strikes", at(40), ""},
		},
		"atom": {
			{"atom", "a1", "Atom story: elections called", at(30), ""},
			{"atom", "a2", "Atom story two", at(5), ""},
		},
		"json": {
			{"json", "j1", "JSON story on space launch", at(20), ""},
		},
		"ar-prolog": {
			{"ar-prolog", "p1", "عاجل: وقف إطلاق النار يدخل حيز التنفيذ", at(45), ""},
			{"ar-prolog", "p2", "أمطار غزيرة في المنطقة الشرقية", at(15), ""},
		},
		"ar-header": {
			{"ar-header", "h1", "البنك المركزي يثبّت أسعار الفائدة", at(35), ""},
		},
	}
}

// corpusFeeds serves the corpus until the test ends; the server's URL is
// where its feeds are.
func corpusFeeds(t *testing.T) *httptest.Server {
	fs, srv := newFeedServer(t)
	serveCorpus(t, fs, corpus())
	return srv
}

func serveCorpus(t *testing.T, fs *feedServer, c map[string][]story) {
	fs.set("/rss2.xml", "application/rss+xml", []byte(rss2(c["rss2"])))
	fs.set("/rdf.xml", "application/rdf+xml", []byte(rdf(c["rdf"])))
	fs.set("/atom.xml", "application/atom+xml", []byte(atom(c["atom"])))
	fs.set("/feed.json", "application/feed+json", []byte(jsonFeed(c["json"])))
	// Declared only in the prolog: the HTTP header says nothing.
	fs.set("/ar-prolog.xml", "application/xml", arabicRSS(t, true, c["ar-prolog"]))
	// Declared only in the HTTP header: the prolog says nothing.
	fs.set("/ar-header.xml", "application/rss+xml; charset=windows-1256", arabicRSS(t, false, c["ar-header"]))
}

func writeConfig(t *testing.T, dir, serverURL string) string {
	t.Helper()
	cfg := fmt.Sprintf(`listen: "127.0.0.1:0"
data: data/test.db
base_url: "http://ticker.test"
sources:
  - {name: rss2, url: "%[1]s/rss2.xml"}
  - {name: rdf, url: "%[1]s/rdf.xml"}
  - {name: atom, url: "%[1]s/atom.xml"}
  - {name: json, url: "%[1]s/feed.json"}
  - {name: ar-prolog, url: "%[1]s/ar-prolog.xml", lang: ar}
  - {name: ar-header, url: "%[1]s/ar-header.xml", lang: ar}
`, serverURL)
	return writeConfigText(t, dir, cfg)
}

func writeConfigText(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// expected is the merged ticker: newest first, "source: title".
func expected(c map[string][]story) []string {
	var all []story
	for _, ss := range c {
		all = append(all, ss...)
	}
	slices.SortFunc(all, func(a, b story) int { return b.at.Compare(a.at) })
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.source + ": " + s.title
	}
	return out
}

// openDaemon loads the config at path and builds a daemon on it; the
// caller closes it.
func openDaemon(t *testing.T, path string) (*config.Config, *daemon) {
	t.Helper()
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, d
}

// jsonFeedOut is what the tests read back from /feed.json.
type jsonFeedOut struct {
	Items []struct {
		Title   string `json:"title"`
		Tickerd struct {
			Source string `json:"source"`
			Also   []struct {
				Source string `json:"source"`
				Title  string `json:"title"`
				URL    string `json:"url"`
			} `json:"also"`
		} `json:"_tickerd"`
	} `json:"items"`
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func get(t *testing.T, h http.Handler, path string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// readOutputs returns each format's items as "source: title", in order.
func readOutputs(t *testing.T, h http.Handler) map[string][]string {
	t.Helper()
	out := map[string][]string{}

	var rss struct {
		Items []struct {
			Title  string `xml:"title"`
			Source string `xml:"source"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(get(t, h, "/feed.rss"), &rss); err != nil {
		t.Fatalf("parse /feed.rss: %v", err)
	}
	for _, it := range rss.Items {
		out["rss"] = append(out["rss"], it.Source+": "+it.Title)
	}

	var atom struct {
		Entries []struct {
			Title  string `xml:"title"`
			Source struct {
				Title string `xml:"title"`
			} `xml:"source"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(get(t, h, "/feed.atom"), &atom); err != nil {
		t.Fatalf("parse /feed.atom: %v", err)
	}
	for _, e := range atom.Entries {
		out["atom"] = append(out["atom"], e.Source.Title+": "+e.Title)
	}

	var jf jsonFeedOut
	if err := json.Unmarshal(get(t, h, "/feed.json"), &jf); err != nil {
		t.Fatalf("parse /feed.json: %v", err)
	}
	for _, it := range jf.Items {
		out["json"] = append(out["json"], it.Tickerd.Source+": "+it.Title)
	}
	return out
}

// sourceTitles maps the titles the source feeds give themselves to the
// names in the config: RSS and Atom name a source by its feed's title.
var sourceTitles = strings.NewReplacer(
	"RSS two: ", "rss2: ", "RDF: ", "rdf: ", "Atom: ", "atom: ", "JSON: ", "json: ",
)

func checkOutputs(t *testing.T, h http.Handler, want []string) {
	t.Helper()
	for format, got := range readOutputs(t, h) {
		for i := range got {
			got[i] = sourceTitles.Replace(got[i])
			// Arabic sources are titled "وكالة" by their feed.
			if strings.HasPrefix(got[i], "وكالة: ") {
				got[i] = "ar: " + strings.TrimPrefix(got[i], "وكالة: ")
			}
		}
		wantHere := want
		if format != "json" {
			wantHere = make([]string, len(want))
			for i, w := range want {
				wantHere[i] = strings.Replace(strings.Replace(w, "ar-prolog: ", "ar: ", 1), "ar-header: ", "ar: ", 1)
			}
		}
		if !slices.Equal(got, wantHere) {
			t.Errorf("%s items:\n got %q\nwant %q", format, got, wantHere)
		}
	}
}

func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	fs, srv := newFeedServer(t)
	c := corpus()
	serveCorpus(t, fs, c)
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, srv.URL)
	cfg, d := openDaemon(t, cfgPath)
	for _, r := range d.fetcher.FetchAll(ctx) {
		if r.Err != nil || r.Status != "new" {
			t.Errorf("first poll of %s = %s, %v; want new", r.Source, r.Status, r.Err)
		}
	}
	h := d.feed.Load().Handler()
	checkOutputs(t, h, expected(c))

	// A second poll of unchanged sources: conditional requests, no writes.
	writes := d.store.Stats().Writes
	for _, r := range d.fetcher.FetchAll(ctx) {
		if r.Err != nil || r.Status != "not_modified" {
			t.Errorf("second poll of %s = %s, %v; want not_modified", r.Source, r.Status, r.Err)
		}
	}
	if got := d.store.Stats().Writes; got != writes {
		t.Errorf("second poll of unchanged sources wrote %d transactions, want 0", got-writes)
	}
	fs.mu.Lock()
	for path, n := range fs.requests {
		if n != 2 || fs.conditional[path] != 1 {
			t.Errorf("%s: %d requests, %d conditional; want 2 and 1", path, n, fs.conditional[path])
		}
	}
	fs.mu.Unlock()

	// A changed title under the same GUID is updated in place.
	c["rss2"][1].title = "Storm warning lifted for the coast"
	serveCorpus(t, fs, c)
	for _, r := range d.fetcher.FetchAll(ctx) {
		want := "not_modified"
		if r.Source == "rss2" {
			want = "updated"
		}
		if r.Err != nil || string(r.Status) != want {
			t.Errorf("third poll of %s = %s, %v; want %s", r.Source, r.Status, r.Err, want)
		}
	}
	checkOutputs(t, h, expected(c))
	items, err := d.store.Recent(ctx, store.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(expected(c)) {
		t.Errorf("store holds %d items after an update in place, want %d", len(items), len(expected(c)))
	}
	if err := d.close(); err != nil {
		t.Fatal(err)
	}

	// A restart on the same data file keeps every item.
	d, err = newDaemon(cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	checkOutputs(t, d.feed.Load().Handler(), expected(c))
	// And remembers the validators: the next poll is conditional again.
	for _, r := range d.fetcher.FetchAll(ctx) {
		if r.Status != "not_modified" {
			t.Errorf("poll after restart of %s = %s, %v; want not_modified", r.Source, r.Status, r.Err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeStopsCleanly(t *testing.T) {
	fs, srv := newFeedServer(t)
	serveCorpus(t, fs, corpus())
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-config", cfgPath}, io.Discard, &logs) }()

	// Wait (bounded by the test's own deadline) until the first poll stored
	// something, then stop.
	dbPath := filepath.Join(dir, "data", "test.db")
	for !strings.Contains(logs.String(), "tickerd started") {
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after cancel, want nil\n%s", err, logs.String())
	}
	// The file must be closed: opening it again succeeds at once.
	st, err := store.Open(dbPath, nil)
	if err != nil {
		t.Fatalf("data file still held after serve returned: %v", err)
	}
	st.Close()
}

func TestSecondDaemonOnSameFileFails(t *testing.T) {
	_, srv := newFeedServer(t)
	cfgPath := writeConfig(t, t.TempDir(), srv.URL)
	cfg, d := openDaemon(t, cfgPath)
	defer d.close()
	_, err := newDaemon(cfg, testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second daemon on the same file: err = %v, want one saying the file is in use", err)
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeConfig(t, dir, "http://feeds.test")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("listen: \":1\"\nsources:\n  - name: a\n    url: ftp://x/\n    schedule: \"@every 500ms\"\n"), 0o644)

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"check", "-config", good}, &out, &errOut); err != nil {
		t.Errorf("check on a good file = %v (%s)", err, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	err := run(context.Background(), []string{"check", "-config", bad}, &out, &errOut)
	if err == nil {
		t.Fatal("check on a bad file succeeded")
	}
	for _, want := range []string{"bad.yaml:4: sources[0].url", "bad.yaml:5: sources[0].schedule"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("check output %q lacks %q", errOut.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("check touched the data folder: %v", err)
	}
}

func TestFetchCommand(t *testing.T) {
	fs, srv := newFeedServer(t)
	c := corpus()
	serveCorpus(t, fs, c)
	cfgPath := writeConfig(t, t.TempDir(), srv.URL)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"fetch", "-config", cfgPath, "-log-level", "error"}, &out, io.Discard); err != nil {
		t.Fatalf("fetch = %v\n%s", err, out.String())
	}
	if n := countStatus(out.String(), "new"); n != 6 {
		t.Errorf("fetch printed %d new lines, want 6:\n%s", n, out.String())
	}

	// Every source failing makes fetch fail.
	fs.mu.Lock()
	clear(fs.feeds)
	fs.mu.Unlock()
	out.Reset()
	if err := run(context.Background(), []string{"fetch", "-config", cfgPath, "-log-level", "error"}, &out, io.Discard); err == nil {
		t.Errorf("fetch with every source failing succeeded:\n%s", out.String())
	}
	if n := countStatus(out.String(), "error"); n != 6 {
		t.Errorf("fetch printed %d error lines, want 6:\n%s", n, out.String())
	}
}

// countStatus counts the lines of fetch's output whose status column is status.
func countStatus(out, status string) int {
	n := 0
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == status {
			n++
		}
	}
	return n
}
