package feed_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"tickerd/feed"
	"tickerd/store"
)

func Example() {
	dir, err := os.MkdirTemp("", "tickerd-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "tickerd.db"), nil)
	if err != nil {
		panic(err)
	}
	defer st.Close()

	// The fetcher's side: one fetched feed.
	src := store.SourceState{Name: "demo", Title: "Demo", URL: "https://demo.example.com/rss"}
	_, err = st.Ingest(context.Background(), src, []store.Item{{
		Source: "demo", ID: "1", Title: "عاجل: headline", Lang: "ar",
		Published: time.Date(2025, 1, 19, 8, 0, 0, 0, time.UTC),
	}})
	if err != nil {
		panic(err)
	}

	// The publishing side: what cmd/tickerd wires to its HTTP server.
	srv, err := feed.New(st, &feed.Options{BaseURL: "https://news.example.org"}, slog.New(slog.DiscardHandler))
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/feed.rss", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Header().Get("Cache-Control"))

	// A reader polling again with the ETag it got costs a 304.
	req := httptest.NewRequest("GET", "/feed.rss", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// 200 application/rss+xml; charset=utf-8
	// public, max-age=60
	// 304
}
