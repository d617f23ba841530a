package feed

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// widgetBudget is the bound on the widget script, gzipped.
const widgetBudget = 10 * 1024

func TestWidgetSize(t *testing.T) {
	data, err := webFS.ReadFile("web/ticker.js")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	t.Logf("ticker.js: %d bytes, %d gzipped (-9), budget %d", len(data), buf.Len(), widgetBudget)
	if buf.Len() > widgetBudget {
		t.Errorf("ticker.js is %d bytes gzipped, over the %d-byte budget", buf.Len(), widgetBudget)
	}
}

func TestServeWidget(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	h := s.Handler()
	v := s.widget.version
	if s.WidgetURL() != "/ticker.js?v="+v {
		t.Errorf("WidgetURL() = %q", s.WidgetURL())
	}
	for _, tc := range []struct {
		name, target, cache string
	}{
		{"unversioned", "/ticker.js", "public, max-age=300"},
		{"versioned", "/ticker.js?v=" + v, "public, max-age=31536000, immutable"},
		{"other version", "/ticker.js?v=0123456789ab", "public, max-age=300"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, h, "GET", tc.target)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/javascript; charset=utf-8" ||
				!strings.Contains(rec.Body.String(), "customElements.define") {
				t.Fatalf("GET %s = %d %s", tc.target, rec.Code, rec.Header().Get("Content-Type"))
			}
			if got := rec.Header().Get("Cache-Control"); got != tc.cache {
				t.Errorf("GET %s: Cache-Control = %q, want %q", tc.target, got, tc.cache)
			}
			etag := rec.Header().Get("ETag")
			if etag == "" {
				t.Fatalf("GET %s: no ETag", tc.target)
			}
			if rec := serve(t, h, "GET", tc.target, "If-None-Match", etag); rec.Code != http.StatusNotModified {
				t.Errorf("GET %s with its ETag = %d, want 304", tc.target, rec.Code)
			}
		})
	}
	rec := serve(t, h, "GET", "/ticker.js", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() > widgetBudget {
		t.Errorf("gzip: Content-Encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
}

var inlineScript = regexp.MustCompile(`<script(\s[^>]*)?>[^<]`)

func TestEmbedPage(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	h := s.Handler()
	rec := serve(t, h, "GET", "/embed/arabic?speed=40&max=5&label=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&show-time&dir=rtl")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /embed/arabic = %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'sha256-"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`<script src="/ticker.js?v=` + s.widget.version + `" async></script>`,
		`<tickerd-ticker ticker="arabic" target="_top" speed="40" max="5" label="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" show-time="true" dir="rtl">`,
		`<html lang="ar">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("embed page lacks %s\n%s", want, body)
		}
	}
	if inlineScript.MatchString(body) {
		t.Errorf("embed page has an inline script:\n%s", body)
	}
	for _, tc := range []struct{ target, want string }{
		{"/embed/main?speed=fast", `speed "fast": want a positive number`},
		{"/embed/main?max=0", `max "0": want a positive whole number`},
		{"/embed/main?dir=up", `dir "up": want ltr, rtl or auto`},
		{"/embed/main?show-source=yes", `show-source "yes": want true or false`},
	} {
		if rec := serve(t, h, "GET", tc.target); rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("GET %s = %d %q, want 400 with %q", tc.target, rec.Code, rec.Body, tc.want)
		}
	}
	// Every page has a language: the ticker's, the one asked for, or for
	// a mixed ticker that of the widget's controls.
	for _, tc := range []struct{ target, want string }{
		{"/embed/arabic", `<html lang="ar">`},
		{"/embed/main", `<html lang="en">`},
		{"/embed/main?lang=fr", `<html lang="fr">`},
	} {
		if body := serve(t, h, "GET", tc.target).Body.String(); !strings.Contains(body, tc.want) {
			t.Errorf("GET %s lacks %s", tc.target, tc.want)
		}
	}
	if rec := serve(t, h, "GET", "/embed/nosuch"); rec.Code != 404 || !strings.Contains(rec.Body.String(), `no ticker named "nosuch"`) {
		t.Errorf("GET /embed/nosuch = %d %q, want 404 naming it", rec.Code, rec.Body)
	}
}

func TestIndexPage(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	rec := serve(t, s.Handler(), "GET", "/")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET / = %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}
	for _, name := range []string{"main", "arabic", "empty"} {
		for _, want := range []string{
			`<tickerd-ticker ticker="` + name + `"`,
			`&lt;tickerd-ticker ticker=&#34;` + name + `&#34;&gt;&lt;/tickerd-ticker&gt;`,
			`href="/embed/` + name + `"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET / lacks %s", want)
			}
		}
	}
	if !strings.Contains(body, `&lt;style&gt;tickerd-ticker{display:block;height:var(--tickerd-height,2.2em);`) {
		t.Errorf("GET /: snippet does not reserve the strip's height\n%s", body)
	}
	if !strings.Contains(body, `&lt;script src=&#34;https://news.example.org/ticker.js&#34; async&gt;&lt;/script&gt;`) {
		t.Errorf("GET /: snippet does not load the script from base_url\n%s", body)
	}
	if inlineScript.MatchString(body) {
		t.Errorf("index page has an inline script")
	}
	if rec := serve(t, s.Handler(), "GET", "/nosuch"); rec.Code != 404 {
		t.Errorf("GET /nosuch = %d, want 404", rec.Code)
	}
}
