package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/feed"
	"tickerd/fetcher"
	"tickerd/store"
)

const testToken = "test-admin-token-0123456789"

func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), nil)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func rss(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Story number %d about topic %d</title><link>https://example.com/%d</link><guid>g%d</guid><pubDate>Sat, 28 Nov 2026 10:%02d:00 GMT</pubDate></item>`, i, i*7919, i, i, i%60)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// sourceServer serves a good feed with an ETag, a 500, and an HTML page.
func sourceServer(t *testing.T) *httptest.Server {
	body := rss(3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good":
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(body)
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/cut":
			// Cut short: not well-formed, read after repair.
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(body[:bytes.LastIndex(body, []byte("</item>"))])
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!DOCTYPE html><html><body>hello</body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// rig is a store, a fetcher and an Ops wired as cmd/tickerd wires them.
type rig struct {
	st   *store.Store
	f    *fetcher.Fetcher
	ops  *Ops
	feed *feed.Server
	h    http.Handler
}

func newRig(t *testing.T, token string) *rig {
	t.Helper()
	srv := sourceServer(t)
	sources := []Source{
		{Name: "good", URL: srv.URL + "/good", Schedule: "@every 5m", Tags: []string{"en", "wire"}},
		{Name: "broken", URL: srv.URL + "/broken", Schedule: "@every 1m"},
		{Name: "page", URL: "https://user:secret@" + strings.TrimPrefix(srv.URL, "http://") + "/page", Schedule: "@every 5m"},
		{Name: "cut", URL: srv.URL + "/cut", Schedule: "@every 5m"},
	}
	r := &rig{st: openTestStore(t)}
	r.ops = New(r.st, &Options{Sources: sources, AdminToken: token, Version: "1.2.3", Revision: "abcdef"}, nil)
	var fs []fetcher.Source
	for _, s := range sources {
		fs = append(fs, fetcher.Source{Name: s.Name, URL: strings.Replace(s.URL, "https://user:secret@", "http://", 1), Schedule: s.Schedule})
	}
	var err error
	r.f, err = fetcher.New(r.st, &fetcher.Options{Sources: fs, OnResult: r.ops.ObserveFetch}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.feed, err = feed.New(r.st, &feed.Options{Tickers: []feed.Ticker{{Name: "main"}, {Name: "wire", Sources: []string{"good"}}},
		OnRequest: r.ops.ObserveRequest}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", r.feed.Handler())
	r.ops.Register(mux)
	r.h = mux
	return r
}

func do(t *testing.T, h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestMetricsAfterPoll(t *testing.T) {
	r := newRig(t, "")
	ctx := context.Background()
	r.f.FetchAll(ctx)
	r.f.Fetch(ctx, "good") // a 304 this time
	do(t, r.h, "GET", "/feed.rss")
	do(t, r.h, "GET", "/t/wire.json")
	do(t, r.h, "GET", "/t/nosuch.json")
	r.ops.AddWidgetClients(2)
	r.ops.AddWidgetClients(-1)
	r.ops.ReloadFailed()
	r.ops.Reloaded()
	r.ops.Pruned(3, 2, 0)

	rec := do(t, r.h, "GET", "/metrics")
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	body := rec.Body.String()
	want := []string{
		`tickerd_fetches_total{result="ok",source="good"} 1`,
		`tickerd_fetches_total{result="not_modified",source="good"} 1`,
		`tickerd_fetches_total{result="http_error",source="broken"} 1`,
		`tickerd_fetches_total{result="not_a_feed",source="page"} 1`,
		`tickerd_fetch_duration_seconds_count{source="good"} 2`,
		`tickerd_fetch_duration_seconds_bucket{source="broken",le="+Inf"} 1`,
		fmt.Sprintf(`tickerd_fetch_bytes_total{source="good"} %d`, len(rss(3))),
		`tickerd_fetched_items_total{result="new",source="good"} 3`,
		`tickerd_source_consecutive_failures{source="broken"} 1`,
		`tickerd_source_consecutive_failures{source="good"} 0`,
		`tickerd_source_consecutive_failures{source="cut"} 0`,
		`tickerd_source_degraded{source="cut"} 1`,
		`tickerd_source_degraded{source="good"} 0`,
		`tickerd_fetches_total{result="ok",source="cut"} 1`,
		`tickerd_source_next_fetch_timestamp_seconds{reason="schedule",source="good"} `,
		`tickerd_source_last_success_timestamp_seconds{source="good"} `,
		`tickerd_items_stored{source="good"} 3`,
		`tickerd_items_stored{source="broken"} 0`,
		`tickerd_database_size_bytes `,
		`tickerd_feed_requests_total{format="rss",status="200",ticker="main"} 1`,
		`tickerd_feed_requests_total{format="json",status="200",ticker="wire"} 1`,
		`tickerd_widget_connections 1`,
		`tickerd_config_reloads_total{result="error"} 1`,
		`tickerd_config_reloads_total{result="ok"} 1`,
		`tickerd_config_last_reload_success_timestamp_seconds `,
		`tickerd_retention_removed_items_total{reason="max_age"} 3`,
		`tickerd_retention_removed_items_total{reason="max_items_per_source"} 2`,
		`tickerd_retention_removed_items_total{reason="dropped"} 0`,
		`tickerd_build_info{goversion="go`,
		`revision="abcdef",version="1.2.3"} 1`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("scrape lacks %q", w)
		}
	}
	// Bounded labels: nothing from URLs or unknown tickers.
	for _, bad := range []string{"127.0.0.1", "nosuch", "secret"} {
		if strings.Contains(body, bad) {
			t.Errorf("scrape holds %q", bad)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
	promtoolCheck(t, rec.Body.Bytes())
}

// promtoolCheck runs Prometheus's own linter over a scrape. Without
// promtool the check is skipped, except in CI, where it must run.
func promtoolCheck(t *testing.T, scrape []byte) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("promtool not found (CI=true): install the Debian package prometheus")
		}
		t.Skip("promtool not found; apt-get install prometheus to run this check")
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(scrape)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestReadyz(t *testing.T) {
	r := newRig(t, "")
	rec := do(t, r.h, "GET", "/readyz")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "first poll cycle not finished") {
		t.Errorf("before SetReady: %d %q, want 503 naming the poll", rec.Code, rec.Body)
	}
	r.ops.SetReady()
	if rec := do(t, r.h, "GET", "/readyz"); rec.Code != 200 {
		t.Errorf("after SetReady: %d, want 200", rec.Code)
	}
	r.ops.SetNotReady("shutting down")
	if rec := do(t, r.h, "GET", "/readyz"); rec.Code != 503 || !strings.Contains(rec.Body.String(), "shutting down") {
		t.Errorf("after SetNotReady: %d %q", rec.Code, rec.Body)
	}
}

func TestAPISources(t *testing.T) {
	r := newRig(t, "")
	r.f.FetchAll(context.Background())
	rec := do(t, r.h, "GET", "/api/sources")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/sources = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if strings.Contains(rec.Body.String(), `"v1"`) || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("the report leaks a validator or a password:\n%s", rec.Body)
	}
	var rep SourcesReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sources) != 4 {
		t.Fatalf("%d sources, want 4", len(rep.Sources))
	}
	good, broken, page, cut := rep.Sources[0], rep.Sources[1], rep.Sources[2], rep.Sources[3]
	if good.Name != "good" || !slices.Equal(good.Tags, []string{"en", "wire"}) || good.Schedule != "@every 5m" ||
		good.LastStatus != "ok" || good.Items != 3 || !good.ETag || good.LastModified || good.Failures != 0 ||
		good.LastAttempt.IsZero() || !good.LastSuccess.Equal(good.LastAttempt) ||
		good.NextFetch.IsZero() || good.NextReason != store.NextSchedule {
		t.Errorf("good = %+v", good)
	}
	if broken.LastStatus != "error" || broken.Failures != 1 || !strings.Contains(broken.LastError, "500") ||
		!broken.LastSuccess.IsZero() || broken.Items != 0 || broken.ETag || broken.Tags == nil {
		t.Errorf("broken = %+v", broken)
	}
	if strings.Contains(page.URL, "@") || strings.Contains(page.URL, "secret") || !strings.Contains(page.LastError, "not a feed") {
		t.Errorf("page = %+v, want its user information dropped and its error", page)
	}
	if cut.LastStatus != "degraded" || cut.Failures != 0 || cut.LastError != "" || cut.Items != 3 ||
		!strings.HasPrefix(cut.Degraded, "XML repaired: line 1, column ") || good.Degraded != "" {
		t.Errorf("cut = %+v, want degraded with all 3 items (the last one cut) and where the XML broke", cut)
	}
}

func TestStatusesFollowPermanentRedirect(t *testing.T) {
	states := map[string]store.SourceState{
		"moved": {Name: "moved", URL: "http://old.example/f", RedirectURL: "https://new.example/f"},
		"stale": {Name: "stale", URL: "http://older.example/f", RedirectURL: "https://elsewhere.example/f"},
	}
	got := Statuses([]Source{{Name: "moved", URL: "http://old.example/f"}, {Name: "stale", URL: "http://now.example/f"}, {Name: "new", URL: "http://n.example/"}},
		func(name string) (store.SourceState, bool) { st, ok := states[name]; return st, ok })
	if got[0].URL != "https://new.example/f" || got[0].ConfiguredURL != "http://old.example/f" {
		t.Errorf("moved = %+v", got[0])
	}
	if got[1].URL != "http://now.example/f" || got[1].ConfiguredURL != "" {
		t.Errorf("a redirect of a URL no longer configured: %+v", got[1])
	}
	if got[2].Name != "new" || got[2].LastStatus != "" {
		t.Errorf("never fetched = %+v", got[2])
	}
}

func TestPrintSources(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	PrintSources(&b, []SourceStatus{
		{Name: "a", URL: "http://a.example/", Schedule: "@every 5m", LastStatus: "ok", Items: 12, ETag: true,
			LastAttempt: now.Add(-90 * time.Second), LastSuccess: now.Add(-90 * time.Second), NextFetch: now.Add(210 * time.Second), NextReason: "schedule"},
		{Name: "long-name", URL: "http://b.example/", Schedule: "@hourly", LastStatus: "error", Failures: 3,
			LastError: "GET http://b.example/: status 500\nInternal Server Error", NextFetch: now.Add(4 * time.Minute), NextReason: "backoff"},
		{Name: "cut", URL: "http://c.example/", Schedule: "@hourly", LastStatus: "degraded",
			Degraded: "XML repaired: line 9, column 3: unexpected EOF"},
		{Name: "busy", URL: "http://d.example/", Schedule: "@adaptive", LastStatus: "ok", Interval: "2m51s", IntervalReason: "publishes 21/h",
			WebSub: "error", WebSubError: "hub answered 500"},
	}, now)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("table:\n%s", b.String())
	}
	for _, w := range []string{"1m30s ago", "in 4m", "etag", "backoff", "status 500 Internal Server Error",
		"degraded", "XML repaired: line 9, column 3: unexpected EOF", "2m51s (publishes 21/h)", "error: hub answered 500"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("table lacks %q:\n%s", w, b.String())
		}
	}
	// Aligned: the second column starts at the same place on every line.
	col := strings.Index(lines[0], "STATUS")
	if !strings.HasPrefix(lines[1][col:], "ok") || !strings.HasPrefix(lines[2][col:], "error") {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
}

func TestBackupAuth(t *testing.T) {
	disabled := newRig(t, "")
	if rec := do(t, disabled.h, "GET", "/api/backup", "Authorization", "Bearer "+testToken); rec.Code != http.StatusForbidden ||
		!strings.Contains(rec.Body.String(), "admin_token") {
		t.Errorf("no token configured: %d %q, want 403 saying how to enable", rec.Code, rec.Body)
	}
	r := newRig(t, testToken)
	var bodies []string
	for _, hdr := range [][]string{
		nil,
		{"Authorization", "Bearer wrong"},
		{"Authorization", "Bearer " + testToken[:len(testToken)-1]},
		{"Authorization", testToken},
		{"Authorization", "Basic " + testToken},
		{"Authorization", "Bearer" + testToken},
		{"Authorization", "Bearerx " + testToken},
	} {
		rec := do(t, r.h, "GET", "/api/backup", hdr...)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%q: %d, want 401 with WWW-Authenticate", hdr, rec.Code)
		}
		bodies = append(bodies, rec.Body.String())
	}
	if bodies = slices.Compact(bodies); len(bodies) != 1 || bodies[0] != "unauthorized\n" {
		t.Errorf("401 bodies = %q, want one plain answer", bodies)
	}
	// The scheme is case-insensitive (RFC 7235 §2.1).
	for _, scheme := range []string{"Bearer ", "bearer ", "BEARER  "} {
		rec := do(t, r.h, "GET", "/api/backup", "Authorization", scheme+testToken)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/octet-stream" ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") || rec.Body.Len() == 0 {
			t.Errorf("with the token after %q: %d %v (%d bytes)", scheme, rec.Code, rec.Header(), rec.Body.Len())
		}
	}
}

// TestBackupDuringIngest: a backup fetched over HTTP while the store takes
// writes restores to a file that serves exactly the items committed before
// the copy began.
func TestBackupDuringIngest(t *testing.T) {
	r := newRig(t, testToken)
	srv := httptest.NewServer(r.h)
	defer srv.Close()
	ctx := context.Background()

	const batches, perBatch = 150, 5
	var mu sync.Mutex
	committed := 0 // batches stored so far
	halfway := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for b := range batches {
			var items []store.Item
			for i := range perBatch {
				id := fmt.Sprintf("b%03d-%d", b, i)
				items = append(items, store.Item{Source: "good", ID: id, Title: "Headline " + id,
					Link: "https://example.com/" + id, Published: time.Date(2026, 11, 28, 0, 0, b*perBatch+i, 0, time.UTC)})
			}
			if _, err := r.st.Ingest(ctx, store.SourceState{Name: "good", LastStatus: "ok"}, items); err != nil {
				done <- err
				return
			}
			mu.Lock()
			committed++
			mu.Unlock()
			if b == 30 {
				close(halfway)
			}
		}
		done <- nil
	}()
	<-halfway
	mu.Lock()
	before := committed
	mu.Unlock()
	req, _ := http.NewRequest("GET", srv.URL+"/api/backup", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	out, _ := os.Create(path)
	_, err = io.Copy(out, resp.Body)
	resp.Body.Close()
	out.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("backup: %d, %v", resp.StatusCode, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	restored, err := store.Open(path, nil)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer restored.Close()
	items, err := restored.Recent(ctx, store.Query{Limit: batches * perBatch})
	if err != nil {
		t.Fatal(err)
	}
	n := len(items)
	if n%perBatch != 0 || n < before*perBatch {
		t.Fatalf("backup holds %d items; want whole batches, at least the %d committed before it", n, before)
	}
	for i, it := range items {
		k := n - 1 - i
		if want := fmt.Sprintf("b%03d-%d", k/perBatch, k%perBatch); it.ID != want {
			t.Fatalf("backup item %d = %s, want %s", i, it.ID, want)
		}
	}
	// Served from the restored file, the feed lists the same items as the
	// original lists among its own.
	fs, err := feed.New(restored, &feed.Options{Tickers: []feed.Ticker{{Name: "main", Limit: 1000}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, fs.Handler(), "GET", "/feed.json")
	var jf struct {
		Items []struct {
			URL string `json:"url"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &jf); err != nil || rec.Code != 200 {
		t.Fatalf("restored /feed.json: %d %v", rec.Code, err)
	}
	if len(jf.Items) != n {
		t.Fatalf("restored feed lists %d items, want %d", len(jf.Items), n)
	}
	for i, it := range jf.Items {
		if it.URL != items[i].Link {
			t.Errorf("restored feed item %d = %s, want %s", i, it.URL, items[i].Link)
		}
	}
}

// TestOPMLExport: /opml lists every source with the feed's own title once
// fetched, its URL (password replaced) and its tags as a category.
func TestOPMLExport(t *testing.T) {
	r := newRig(t, "")
	r.f.FetchAll(context.Background())
	rec := do(t, r.h, "GET", "/opml")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/x-opml; charset=utf-8" {
		t.Fatalf("GET /opml = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("/opml leaks a password:\n%s", rec.Body)
	}
	var doc opmlDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("/opml is not XML: %v\n%s", err, rec.Body)
	}
	var got []string
	for _, o := range doc.Outlines {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s", o.Text, path.Base(o.XMLURL), o.HTMLURL, o.Category))
	}
	want := []string{"t|good||en,wire", "broken|broken||", "page|page||", "t|cut||"}
	if doc.Version != "2.0" || !slices.Equal(got, want) {
		t.Errorf("/opml outlines = %q, want %q\n%s", got, want, rec.Body)
	}

	// A title from an imported OPML file (the feed never answered) has
	// its override closed.
	r.ops.SetSources([]Source{{Name: "broken", URL: "http://broken.example/f", Title: "evil \u202Eetouq"}})
	rec = do(t, r.h, "GET", "/opml")
	doc = opmlDoc{}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Outlines) != 1 || doc.Outlines[0].Title != "evil \u202Eetouq\u202C" {
		t.Errorf("/opml outlines = %+v, want the title's override closed", doc.Outlines)
	}
}
