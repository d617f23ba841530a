package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestNoSecretsPublished: a partner feed configured with a user, a
// password, secret-looking query parameters and one the config marks
// private, and a failing source with credentials of its own, are fetched;
// no public route (every format of every ticker, the event streams, the
// embed pages, the index, /metrics, /opml, /api/sources) carries any of
// the credentials.
func TestNoSecretsPublished(t *testing.T) {
	secrets := []string{"feeduser", "FeedPass123", "K3yValue", "T0kenValue", "Memb3rValue", "S1gnValue", "erruser", "ErrPass456", "AccT0kValue"}
	fs, _ := newFeedServer(t)
	serveCorpus(t, fs, corpus())
	var fetched int
	// The partner answers only with its credentials, so the test knows
	// they were sent and the items come from the authenticated fetch.
	partner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		q := r.URL.Query()
		if user != "feeduser" || pass != "FeedPass123" || q.Get("api_key") != "K3yValue" || q.Get("Token") != "T0kenValue" || q.Get("member") != "Memb3rValue" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		fetched++
		fs.ServeHTTP(w, r)
	}))
	defer partner.Close()
	host := strings.TrimPrefix(partner.URL, "http://")
	ln := listen(t)
	cfgPath := writeConfigText(t, t.TempDir(), fmt.Sprintf(`listen: %q
data: data/test.db
base_url: "http://ticker.test"
sources:
  - name: partner
    url: "http://feeduser:FeedPass123@%[2]s/rss2.xml?api_key=K3yValue&Token=T0kenValue&member=Memb3rValue&edition=en"
    private_params: [member]
  - name: broken
    url: "http://erruser:ErrPass456@%[2]s/missing.xml?sig=S1gnValue&access_token=AccT0kValue"
tickers:
  - name: main
    title_format: "{title} | {source_title}"
  - name: partner-only
    sources: [partner]
`, ln.Addr().String(), host))
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	if fetched == 0 {
		t.Fatal("the partner feed was never fetched with its credentials")
	}

	routes := []string{"/", "/feed.rss", "/feed.atom", "/feed.json", "/t/main.rss", "/t/main.atom", "/t/main.json",
		"/t/partner-only.rss", "/t/partner-only.atom", "/t/partner-only.json", "/embed/main", "/embed/partner-only",
		"/ticker.js", "/metrics", "/opml", "/api/sources", "/healthz", "/readyz", "/events", "/events/partner-only"}
	bodies := map[string]string{}
	for _, path := range routes {
		var body string
		if strings.HasPrefix(path, "/events") {
			body = readResetEvent(t, base+path)
		} else {
			var code int
			code, body = httpGet(t, base+path)
			if code != http.StatusOK {
				t.Errorf("GET %s = %d", path, code)
			}
		}
		bodies[path] = body
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(body), strings.ToLower(s)) {
				t.Errorf("GET %s publishes %q:\n%s", path, s, body)
			}
		}
	}
	// The source URL is still published, redacted, so the test above
	// looked at a URL and not at an empty field.
	want := "/rss2.xml?api_key=REDACTED&amp;Token=REDACTED&amp;member=REDACTED&amp;edition=en"
	for _, path := range []string{"/feed.rss", "/t/partner-only.atom", "/opml"} {
		if !strings.Contains(bodies[path], host+want) {
			t.Errorf("GET %s lacks the redacted source URL %q", path, host+want)
		}
	}
	wantJSON := "/rss2.xml?api_key=REDACTED\\u0026Token=REDACTED\\u0026member=REDACTED\\u0026edition=en"
	for _, path := range []string{"/feed.json", "/events/partner-only", "/api/sources"} {
		if !strings.Contains(bodies[path], host+wantJSON) && !strings.Contains(bodies[path], host+strings.ReplaceAll(wantJSON, `\u0026`, "&")) {
			t.Errorf("GET %s lacks the redacted source URL", path)
		}
	}
	if !strings.Contains(bodies["/api/sources"], "status 401") {
		t.Errorf("/api/sources lacks the broken source's error:\n%s", bodies["/api/sources"])
	}
}

// readResetEvent opens an event stream and returns what it sent up to
// and including its first reset event's data.
func readResetEvent(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s = %d %s", url, resp.StatusCode, b)
	}
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	reset := false
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
		if sc.Text() == "event: reset" {
			reset = true
		} else if reset && strings.HasPrefix(sc.Text(), "data:") {
			break
		}
	}
	return b.String()
}
