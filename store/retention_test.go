package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

func ingest(t *testing.T, s *Store, src string, items ...Item) IngestResult {
	t.Helper()
	res, err := s.Ingest(context.Background(), SourceState{Name: src, URL: "https://" + src + ".example/feed"}, items)
	if err != nil {
		t.Fatalf("Ingest(%s): %v", src, err)
	}
	return res
}

func recentIDs(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	items, err := s.Recent(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Source+":"+it.ID)
	}
	return out
}

// TestPrune: retention removes what is older than max_age and each
// source's oldest beyond max_items_per_source, in small batches, through
// the change log and the source index; a pruned story is not added again
// within the dedupe window, by its source or another, and is after it.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	var aItems []Item
	for i := range 5 {
		aItems = append(aItems, storyItem("a", fmt.Sprint("a", i), fmt.Sprintf("story number %d about topic%d", i, i),
			fmt.Sprintf("https://a.example/%d", i), t0.Add(-time.Duration(i+1)*time.Hour)))
	}
	ingest(t, s, "a", aItems...)
	ingest(t, s, "b",
		storyItem("b", "b0", "fresh news from b", "https://b.example/0", t0.Add(-time.Hour)),
		storyItem("b", "old", "ancient history from b", "https://b.example/old", t0.Add(-100*time.Hour)))
	seq := s.Seq()

	res, err := s.Prune(ctx, Retention{MaxAge: 72 * time.Hour, MaxPerSource: 3, Batch: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.ByAge != 1 || res.ByCount != 2 {
		t.Errorf("Prune = %+v, want 1 by age, 2 by count", res)
	}
	if got, want := recentIDs(t, s, Query{Limit: 100}), []string{"a:a0", "b:b0", "a:a1", "a:a2"}; !slices.Equal(got, want) {
		t.Errorf("after Prune: %v, want %v", got, want)
	}
	if got := recentIDs(t, s, Query{Sources: []string{"a"}, Limit: 100}); len(got) != 3 {
		t.Errorf("source index still lists pruned items: %v", got)
	}
	if st, _ := s.State("a"); st.Items != 3 {
		t.Errorf("a counts %d items, want 3", st.Items)
	}
	if st, _ := s.State("b"); st.Items != 1 {
		t.Errorf("b counts %d items, want 1", st.Items)
	}
	var removed []string
	for _, ch := range mustChanges(t, s, seq) {
		if ch.Op == OpRemoved {
			removed = append(removed, ch.Item.ID)
			// Readers name a removed item as the feeds did, by GUID.
			if ch.Item.GUID != ch.Item.ID {
				t.Errorf("removal of %s carries GUID %q, want %q", ch.Item.ID, ch.Item.GUID, ch.Item.ID)
			}
		}
	}
	slices.Sort(removed)
	if want := []string{"a3", "a4", "old"}; !slices.Equal(removed, want) {
		t.Errorf("change log removals = %v, want %v", removed, want)
	}

	// Within the window: the feed listing every item again adds none of
	// the pruned, and another source telling a pruned story is a
	// duplicate, not news.
	c.advance(time.Hour)
	if r := ingest(t, s, "a", aItems...); r.New != 0 || r.Unchanged != 5 {
		t.Errorf("re-ingest of a within the window = %+v, want 5 unchanged", r)
	}
	if r := ingest(t, s, "c", storyItem("c", "c3", "story number 3 about topic3", "https://a.example/3", t0.Add(-4*time.Hour))); r.New != 0 || r.Duplicate != 1 {
		t.Errorf("another source's telling of a pruned story = %+v, want a duplicate", r)
	}
	if got := recentIDs(t, s, Query{Limit: 100}); len(got) != 4 {
		t.Errorf("pruned stories came back: %v", got)
	}

	// After the window the tombstones go, and the feed's item is news
	// again (the caller's limits decide whether it stays).
	c.advance(49 * time.Hour)
	res, err = s.Prune(ctx, Retention{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tombstones == 0 {
		t.Errorf("Prune after the window = %+v, want expired tombstones", res)
	}
	if r := ingest(t, s, "a", aItems[3]); r.New != 1 {
		t.Errorf("re-ingest after the window = %+v, want new", r)
	}

	// Much later, the story index's old days go too.
	c.advance(300 * time.Hour)
	res, err = s.Prune(ctx, Retention{MaxAge: 72 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.ByAge != 5 || res.StoryEntries == 0 {
		t.Errorf("Prune much later = %+v, want every item by age and old story entries", res)
	}
	if got := recentIDs(t, s, Query{Limit: 100}); len(got) != 0 {
		t.Errorf("after pruning everything: %v", got)
	}
}

// TestDropSources removes a source's items and state at once, leaving
// other sources alone.
func TestDropSources(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	var many []Item
	for i := range 1200 { // more than one batch
		many = append(many, item("gone", fmt.Sprint("g", i), fmt.Sprint("gone ", i), t0.Add(-time.Duration(i)*time.Minute)))
	}
	ingest(t, s, "gone", many...)
	ingest(t, s, "kept", item("kept", "k", "kept item", t0))
	seq := s.Seq()
	n, err := s.DropSources(ctx, []string{"gone"})
	if err != nil || n != 1200 {
		t.Fatalf("DropSources = %d, %v; want 1200", n, err)
	}
	if got := recentIDs(t, s, Query{Limit: 2000}); !slices.Equal(got, []string{"kept:k"}) {
		t.Errorf("after DropSources: %v", got)
	}
	if _, ok := s.State("gone"); ok {
		t.Error("state of a dropped source remains")
	}
	if chs, err := s.Changes(ctx, seq, 5000); err != nil || len(chs) != 1200 || chs[0].Op != OpRemoved {
		t.Errorf("change log after DropSources: %d entries", len(chs))
	}
	// The source added back starts afresh.
	if r := ingest(t, s, "gone", many[0]); r.New != 1 {
		t.Errorf("re-added source's item = %+v, want new", r)
	}
}

// TestPruneBesideIngest: pruning in batches while feeds are ingested
// keeps counts and the store consistent (run with -race).
func TestPruneBesideIngest(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for round := range 20 {
			var items []Item
			for i := range 50 {
				items = append(items, item("busy", fmt.Sprint(round, "-", i), fmt.Sprint("busy ", round, " ", i), t0.Add(time.Duration(round*50+i)*time.Second)))
			}
			if _, err := s.Ingest(ctx, SourceState{Name: "busy"}, items); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 20 {
		if _, err := s.Prune(ctx, Retention{MaxPerSource: 100, Batch: 7}); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	c.advance(time.Second)
	if _, err := s.Prune(ctx, Retention{MaxPerSource: 100}); err != nil {
		t.Fatal(err)
	}
	got := recentIDs(t, s, Query{Limit: 2000})
	if st, _ := s.State("busy"); len(got) != 100 || st.Items != 100 {
		t.Errorf("after ingest and pruning: %d items stored, count %d; want 100", len(got), st.Items)
	}
}

// wireFiller returns a function that ingests count distinct items (a
// multiple of 500) from source "wire" in 500-item feeds, each item dated
// step after the one before.
func wireFiller(b *testing.B, s *Store, step time.Duration) func(count int) {
	n := 0
	return func(count int) {
		b.Helper()
		for range count / 500 {
			var feed []Item
			for range 500 {
				n++
				feed = append(feed, storyItem("wire", fmt.Sprint("urn:item:", n), fmt.Sprintf("headline%d about%d topic%d", n, n, n),
					fmt.Sprint("https://example.com/", n), t0.Add(time.Duration(n)*step)))
			}
			if _, err := s.Ingest(context.Background(), SourceState{Name: "wire"}, feed); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPruneBatch measures one retention transaction of 500
// deletions (the longest ingest waits for retention) beside
// BenchmarkIngest's 50-item feed, on a store of 20,000 items with dedupe.
func BenchmarkPruneBatch(b *testing.B) {
	ctx := context.Background()
	s, _ := openDedupeStore(b)
	fill := wireFiller(b, s, time.Second)
	fill(20000)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		fill(500) // 500 over the cap each round
		b.StartTimer()
		res, err := s.Prune(ctx, Retention{MaxPerSource: 20000, Batch: 500})
		if err != nil || res.ByCount != 500 {
			b.Fatalf("Prune = %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/500, "µs/item")
}

// BenchmarkPruneAge times Prune removing 500 items by age: one write
// transaction, so its time is about the longest an ingest waits.
func BenchmarkPruneAge(b *testing.B) {
	ctx := context.Background()
	s, c := openDedupeStore(b)
	fill := wireFiller(b, s, time.Minute)
	c.advance(30000 * time.Minute) // every item dated in the past
	fill(20000)
	for b.Loop() {
		b.StopTimer()
		fill(500)
		c.advance(500 * time.Minute) // the 500 oldest pass the age limit
		b.StartTimer()
		res, err := s.Prune(ctx, Retention{MaxAge: 30000*time.Minute - 30*time.Second, Batch: 500})
		if err != nil || res.ByAge != 500 {
			b.Fatalf("Prune = %+v, %v", res, err)
		}
	}
}

// BenchmarkIngestBesidePrune ingests 50-item feeds while Prune removes
// 20,000 items in batches of 500 beside it, and reports the slowest
// ingest: what retention costs a fetch waiting to store its feed.
// Compare max-ms with the same run's "alone" figure.
func BenchmarkIngestBesidePrune(b *testing.B) {
	ctx := context.Background()
	s, c := openDedupeStore(b)
	c.advance(100000 * time.Minute)
	n := 0
	feed := func(src string, size int) []Item {
		var items []Item
		for range size {
			n++
			items = append(items, storyItem(src, fmt.Sprint("urn:item:", n), fmt.Sprintf("headline%d about%d topic%d", n, n, n),
				fmt.Sprint("https://example.com/", n), t0.Add(time.Duration(n)*time.Minute)))
		}
		return items
	}
	for range 80 {
		if _, err := s.Ingest(ctx, SourceState{Name: "old"}, feed("old", 500)); err != nil {
			b.Fatal(err)
		}
	}
	var alone, beside time.Duration
	timeIngest := func() time.Duration {
		start := time.Now()
		if _, err := s.Ingest(ctx, SourceState{Name: "live"}, feed("live", 50)); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for range 20 {
		alone = max(alone, timeIngest())
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Prune(ctx, Retention{MaxPerSource: 20000, Batch: 500})
		done <- err
	}()
	pruning := true
	for b.Loop() {
		d := timeIngest()
		if pruning {
			beside = max(beside, d)
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				pruning = false
			default:
			}
		}
	}
	if pruning {
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(alone.Microseconds())/1000, "alone-max-ms")
	b.ReportMetric(float64(beside.Microseconds())/1000, "beside-max-ms")
}
