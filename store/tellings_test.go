package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// tellingsStore fills a dedupe store with 10 sources of 500 items each,
// every third item retelling (same normalized title) a story an earlier
// source told: what a source ticker reads.
func tellingsStore(b *testing.B) *Store {
	ctx := context.Background()
	s, _ := openDedupeStore(b)
	for src := range 10 {
		name := fmt.Sprint("src", src)
		feed := make([]Item, 0, 500)
		for i := range 500 {
			title := fmt.Sprintf("%s n%da n%db", name, i, i)
			if i%3 == 0 && src > 0 {
				title = fmt.Sprintf("src%d n%da n%db", src-1, i, i)
			}
			feed = append(feed, storyItem(name, fmt.Sprint(i), title, fmt.Sprintf("https://%s.example/%d", name, i), t0.Add(time.Duration(i-500)*time.Minute)))
		}
		if _, err := s.Ingest(ctx, SourceState{Name: name}, feed); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkRecentSource reads a source ticker (two of ten sources, 50
// items) from a store where a third of each source's items told a story
// another source told first.
func BenchmarkRecentSource(b *testing.B) {
	ctx := context.Background()
	s := tellingsStore(b)
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Recent(ctx, Query{Sources: []string{"src3", "src7"}, Limit: 50})
		if err != nil || len(got) != 50 {
			b.Fatal(len(got), err)
		}
	}
}

// BenchmarkIngestTellings ingests feeds of 50 items of which a third
// retell a story another source told.
func BenchmarkIngestTellings(b *testing.B) {
	ctx := context.Background()
	s, _ := openDedupeStore(b)
	const perFeed = 50
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		for _, name := range []string{"first", "second"} {
			feed := make([]Item, perFeed)
			for i := range feed {
				title := fmt.Sprintf("%s n%da%d n%db%d", name, n, i, n, i)
				if i%3 == 0 {
					title = fmt.Sprintf("first n%da%d n%db%d", n, i, n, i)
				}
				feed[i] = storyItem(name, fmt.Sprint(n, "-", i), title, fmt.Sprintf("https://%s.example/%d/%d", name, n, i), t0.Add(time.Duration(n*perFeed+i)*time.Second))
			}
			if _, err := s.Ingest(ctx, SourceState{Name: name}, feed); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*2*perFeed), "ns/item")
}
