package fetcher

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mmcdole/gofeed"
)

const benchItems = 50

// benchFeed is a 50-item RSS 2.0 feed of about 54 KB, the size DESIGN.md
// measured gofeed on: Arabic and English titles, HTML descriptions with an
// image each. "@@N@@" in every GUID is replaced per request when the
// benchmark wants new items.
func benchFeed() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>` +
		"<title>Bench wire</title><link>https://bench.example.com/</link><language>ar</language>\n")
	for i := range benchItems {
		fmt.Fprintf(&b, "<item><title>%s %d — Markets close higher on energy shares</title>"+
			"<link>https://bench.example.com/news/2025/03/04/story-%d</link>"+
			"<guid isPermaLink=\"false\">bench-@@N@@-%d</guid>"+
			"<pubDate>Tue, 04 Mar 2025 %02d:%02d:00 +0300</pubDate><dc:creator>Desk %d</dc:creator>"+
			"<category>Economy</category><category>Markets</category><description><![CDATA[",
			arabicTitles[i%len(arabicTitles)], i, i, i, 10+i/60, i%60, i%7)
		fmt.Fprintf(&b, `<p dir="rtl"><img src="https://bench.example.com/img/%d.jpg" alt="">%s</p>`, i, arabicTitles[(i+1)%len(arabicTitles)])
		for range 6 {
			b.WriteString("<p>Shares in the region's largest producers rose for a third day as traders weighed " +
				"<a href=\"https://bench.example.com/related\">output figures</a> against demand forecasts.</p>")
		}
		b.WriteString("]]></description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// BenchmarkFetchIngest is the whole path for one poll of a changed 50-item
// feed: HTTP GET from a loopback server, charset check, gofeed parse,
// conversion, and one store write of 50 new items into a real bbolt file.
func BenchmarkFetchIngest(b *testing.B) {
	benchFetchChanged(b, openTestStore(b))
}

// BenchmarkFetchNoDisk is BenchmarkFetchIngest with an in-memory store:
// the difference between the two is what the bbolt write costs.
func BenchmarkFetchNoDisk(b *testing.B) {
	benchFetchChanged(b, newMemStore())
}

// benchFetchChanged polls a feed whose 50 items are all new every time.
func benchFetchChanged(b *testing.B, st Store) {
	template := benchFeed()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bytes.ReplaceAll(template, []byte("@@N@@"), []byte(strconv.FormatInt(n.Add(1), 10))))
	}))
	defer srv.Close()
	f, err := New(st, &Options{Sources: []Source{{Name: "bench", URL: srv.URL + "/feed"}}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(template)))
	iters := 0
	for b.Loop() {
		if r := f.Fetch(ctx, "bench"); r.New != benchItems {
			b.Fatalf("fetch = %+v, want %d new", r, benchItems)
		}
		iters++
	}
	b.ReportMetric(float64(iters*benchItems)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkFetchUnchangedItems is a poll whose body changed but whose
// items did not (a feed that rewrites its lastBuildDate): parsed, and one
// write that finds every item already stored.
func BenchmarkFetchUnchangedItems(b *testing.B) {
	template := bytes.ReplaceAll(benchFeed(), []byte("@@N@@"), []byte("same"))
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(template)
		fmt.Fprintf(w, "<!-- %d -->", n.Add(1))
	}))
	defer srv.Close()
	st := openTestStore(b)
	f, err := New(st, &Options{Sources: []Source{{Name: "bench", URL: srv.URL + "/feed"}}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	f.Fetch(ctx, "bench")
	b.SetBytes(int64(len(template)))
	iters := 0
	for b.Loop() {
		if r := f.Fetch(ctx, "bench"); r.Unchanged != benchItems {
			b.Fatalf("fetch = %+v, want %d unchanged", r, benchItems)
		}
		iters++
	}
	b.ReportMetric(float64(iters*benchItems)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkGofeedParse is gofeed alone on the same bytes, as gofeed comes
// (it scans every item's HTML for an image): the floor the full path is
// compared with.
func BenchmarkGofeedParse(b *testing.B) {
	body := bytes.ReplaceAll(benchFeed(), []byte("@@N@@"), []byte("1"))
	b.SetBytes(int64(len(body)))
	iters := 0
	for b.Loop() {
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil || len(feed.Items) != benchItems {
			b.Fatalf("parse: %v", err)
		}
		iters++
	}
	b.ReportMetric(float64(iters*benchItems)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkParseConvert is what the fetcher does with a body in memory:
// charset check, gofeed without the image scan, and conversion (title
// stripping, summary sanitizing) to store items.
func BenchmarkParseConvert(b *testing.B) {
	body := bytes.ReplaceAll(benchFeed(), []byte("@@N@@"), []byte("1"))
	c := newConverter(0.8, 0)
	base, _ := url.Parse("https://bench.example.com/feed")
	src := &Source{Name: "bench"}
	b.SetBytes(int64(len(body)))
	iters := 0
	for b.Loop() {
		utf, _ := toUTF8(body, "application/rss+xml")
		_, items, err := c.parseAndConvert(utf, src, base)
		if err != nil || len(items) != benchItems {
			b.Fatalf("parse: %v, %d items", err, len(items))
		}
		iters++
	}
	b.ReportMetric(float64(iters*benchItems)/b.Elapsed().Seconds(), "items/s")
}
