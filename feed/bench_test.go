package feed

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tickerd/store"
)

// benchItems returns n items shaped like a wire's: a headline, an HTML
// paragraph of a few hundred bytes, two categories; Arabic every other.
func benchItems(n int) []store.Item {
	items := make([]store.Item, n)
	for i := range items {
		src, title, lang := "wire", fmt.Sprintf("Markets rally as central bank holds rates, story %d", i), "en"
		if i%2 == 0 {
			src, title, lang = "aljazeera", fmt.Sprintf("عاجل: مجلس الأمن يعقد جلسة طارئة بشأن الأوضاع في المنطقة %d", i), "ar"
		}
		items[i] = store.Item{
			Source: src, ID: fmt.Sprintf("https://%s.example.com/news/%d", src, i), GUID: fmt.Sprintf("guid-%d", i),
			Link:       fmt.Sprintf("https://%s.example.com/news/%d", src, i),
			Title:      title,
			Summary:    `<p dir="auto">` + title + `. Officials said the decision followed <a href="https://example.com/">weeks of talks</a> &amp; consultations with regional partners, and that further statements would follow later in the day.</p>`,
			Author:     "Staff",
			Categories: []string{"World", "Politics"},
			Lang:       lang,
			Published:  seen.Add(-time.Duration(i) * time.Minute),
			FirstSeen:  seen,
		}
	}
	return items
}

// discardWriter is the cheapest ResponseWriter there is, so that a
// benchmark measures the handler and not httptest.ResponseRecorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchServer(b *testing.B) *Server {
	b.Helper()
	return newTestServer(b, newFakeStore(benchItems(50), fixtureStates()...), nil)
}

// baseline is the least a handler can do to send a precomputed gzip
// body: the yardstick for the cost of our negotiation and validators.
func baseline(body []byte, length string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/rss+xml; charset=utf-8")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", length)
		w.Write(body)
	})
}

// BenchmarkServe compares serving the cached /feed.rss with gzip through
// Handler against the baseline handler writing the same bytes.
func BenchmarkServe(b *testing.B) {
	s := benchServer(b)
	h := s.Handler()
	gz := s.tickerBodies(context.Background(), 0).bodies[formatRSS].gzip
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"tickerd", h},
		{"baseline", baseline(gz.data, gz.length[0])},
	}
	for _, hc := range handlers {
		b.Run(hc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/feed.rss", nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			w := &discardWriter{h: make(http.Header)}
			b.ReportAllocs()
			b.SetBytes(int64(len(gz.data)))
			for b.Loop() {
				clear(w.h)
				hc.h.ServeHTTP(w, req)
			}
			if w.h.Get("Content-Encoding") != "gzip" {
				b.Fatalf("%s did not answer with gzip", hc.name)
			}
		})
	}
}

// BenchmarkServeHTTP is BenchmarkServe over real loopback connections
// with keep-alive, so the handler's share of a request's cost shows.
func BenchmarkServeHTTP(b *testing.B) {
	s := benchServer(b)
	gz := s.tickerBodies(context.Background(), 0).bodies[formatRSS].gzip
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"tickerd", s.Handler()},
		{"baseline", baseline(gz.data, gz.length[0])},
	}
	for _, hc := range handlers {
		b.Run(hc.name, func(b *testing.B) {
			srv := httptest.NewServer(hc.h)
			defer srv.Close()
			tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest("GET", srv.URL+"/feed.rss", nil)
				req.Header.Set("Accept-Encoding", "gzip")
				for pb.Next() {
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// BenchmarkRebuild renders one 50-item ticker in all three formats with
// their gzip copies: the cost of one store change.
func BenchmarkRebuild(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		renderAll(b, s)
	}
}

func BenchmarkAcceptsGzip(b *testing.B) {
	v := []string{"text/html;q=0.9, br;q=1.0, gzip;q=0.8, deflate, *;q=0.1"}
	b.ReportAllocs()
	for b.Loop() {
		if !acceptsGzip(v) {
			b.Fatal("gzip refused")
		}
	}
}
