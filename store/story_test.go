package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// jaccard stands in for match.Similarity: the store only needs some measure.
func jaccard(a, b []string) float64 {
	set := map[string]bool{}
	for _, t := range a {
		set[t] = true
	}
	shared := 0
	for _, t := range b {
		if set[t] {
			shared++
		}
	}
	union := len(a) + len(b) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}

// storyItem builds an item whose Story is derived crudely from its title:
// lower case words, every word a signature key.
func storyItem(src, id, title, link string, pub time.Time) Item {
	it := item(src, id, title, pub)
	it.Link = link
	words := strings.Fields(strings.ToLower(title))
	it.Story = &Story{Title: strings.Join(words, " "), Link: link, Tokens: words, Keys: words}
	return it
}

// benchItem keys an item by two of its words, as match.Signature would.
func benchItem(src, id, title, link string, pub time.Time) Item {
	it := storyItem(src, id, title, link, pub)
	it.Story.Keys = it.Story.Tokens[len(it.Story.Tokens)-2:]
	return it
}

func openDedupeStore(t testing.TB) (*Store, *clock) {
	t.Helper()
	c := &clock{t: t0}
	s, err := Open(filepath.Join(t.TempDir(), "tickerd.db"), &Options{
		Now:    c.now,
		Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

func TestCrossSourceDedupe(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	_, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", t0.Add(-time.Hour)),
		storyItem("a", "2", "central bank holds rates", "https://shared.example/rates", t0.Add(-2*time.Hour)),
		storyItem("a", "3", "army arrests young man in silwad east of ramallah", "https://a.example/3", t0.Add(-3*time.Hour)),
		storyItem("a", "4", "", "https://a.example/4", t0.Add(-4*time.Hour)),
		storyItem("a", "5", "storm hits the coast", "https://a.example/5", t0.Add(-100*time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	c.advance(time.Minute)
	v := s.Version()
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{
		storyItem("b", "x1", "Ceasefire takes effect in the north today", "https://b.example/x1", t0.Add(-50*time.Minute)), // similar
		storyItem("b", "x2", "Rates unchanged", "https://shared.example/rates", t0.Add(-time.Hour)),                        // same link
		storyItem("b", "x3", "army arrests two young men from aboud northwest of ramallah", "https://b.example/x3", t0),    // look-alike, different
		storyItem("b", "x4", "", "https://b.example/x4", t0),                                                               // empty title never matches
		storyItem("b", "x5", "storm hits the coast", "https://b.example/x5", t0),                                           // same title, outside the window
		storyItem("b", "x6", "CENTRAL bank holds   rates", "https://b.example/x6", t0),                                     // same normalized title
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (IngestResult{New: 3, Duplicate: 3}); res != want {
		t.Fatalf("second source ingest = %+v, want %+v", res, want)
	}
	if s.Version() == v {
		t.Error("Version did not change when reports were added")
	}
	got, err := s.Recent(ctx, Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]string{}
	for _, it := range got {
		var rs []string
		for _, r := range it.Reports {
			rs = append(rs, r.Source+"/"+r.Link)
		}
		reports[it.Source+":"+it.ID] = strings.Join(rs, ",")
	}
	want := map[string]string{
		// x6 is b's second telling of a:2: not recorded.
		"a:1": "b/https://b.example/x1", "a:2": "b/https://shared.example/rates",
		"a:3": "", "a:4": "", "a:5": "", "b:x3": "", "b:x4": "", "b:x5": "",
	}
	if fmt.Sprint(reports) != fmt.Sprint(want) {
		t.Errorf("items and their reports:\n got %v\nwant %v", reports, want)
	}

	// The next poll of b finds its duplicates already recorded.
	res, err = s.Ingest(ctx, SourceState{Name: "b"}, []Item{
		storyItem("b", "x1", "Ceasefire takes effect in the north today", "https://b.example/x1", t0.Add(-50*time.Minute)),
		storyItem("b", "x2", "Rates unchanged", "https://shared.example/rates", t0.Add(-time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (IngestResult{Unchanged: 2}); res != want {
		t.Errorf("re-poll of duplicates = %+v, want %+v", res, want)
	}
}

func TestUpdateNeverMergesAway(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{storyItem("a", "1", "flood warning for the valley", "https://a.example/1", t0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{storyItem("b", "1", "markets open higher", "https://b.example/1", t0)}); err != nil {
		t.Fatal(err)
	}
	// b's item is corrected into a's story: it is updated, not deleted.
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{storyItem("b", "1", "flood warning for the valley", "https://b.example/1", t0)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 {
		t.Errorf("update = %+v, want 1 updated", res)
	}
	got, _ := s.Recent(ctx, Query{})
	if len(got) != 2 {
		t.Errorf("after the update %d items remain, want 2", len(got))
	}
}

func TestDedupeOff(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	for _, src := range []string{"a", "b"} {
		if _, err := s.Ingest(ctx, SourceState{Name: src}, []Item{storyItem(src, "1", "same words", "https://same.example/", t0)}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Recent(ctx, Query{}); len(got) != 2 {
		t.Errorf("with dedupe off, %d items stored, want 2", len(got))
	}
}

// benchStored fills a store with n items from 100 sources over 30 days, so
// that the dedupe window holds a realistic share of them.
func benchIngestWithStored(b *testing.B, n int) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "tickerd.db")
	c := &clock{t: t0}
	s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.8, Similarity: jaccard}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// Titles of eight words from a vocabulary of 50,000, scattered so that
	// titles differ but share words now and then, keyed like
	// match.Signature does at 0.8: by two of their words.
	word := func(i int) string { return fmt.Sprintf("w%d", (uint64(i)*0x9E3779B97F4A7C15>>32)%50000) }
	title := func(i int) string {
		ws := make([]string, 8)
		for j := range ws {
			ws[j] = word(i*8 + j)
		}
		return strings.Join(ws, " ")
	}
	span := 30 * 24 * time.Hour
	const perFeed = 50
	for start := 0; start < n; start += perFeed * 20 {
		// 20 feeds per sync; the store does one transaction per feed.
		for f := 0; f < 20 && start+f*perFeed < n; f++ {
			src := fmt.Sprint("src", (start/perFeed+f)%100)
			feed := make([]Item, 0, perFeed)
			for i := start + f*perFeed; i < min(start+(f+1)*perFeed, n); i++ {
				pub := t0.Add(-span + time.Duration(i)*span/time.Duration(n))
				feed = append(feed, benchItem(src, fmt.Sprint(i), title(i), fmt.Sprint("https://x.example/", i), pub))
			}
			if _, err := s.Ingest(ctx, SourceState{Name: src}, feed); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	next := n
	for b.Loop() {
		feed := make([]Item, perFeed)
		for i := range feed {
			next++
			feed[i] = benchItem("fresh", fmt.Sprint(next), title(next), fmt.Sprint("https://x.example/", next), t0.Add(time.Duration(next)*time.Second))
		}
		if _, err := s.Ingest(ctx, SourceState{Name: "fresh"}, feed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perFeed), "ns/item")
}

// BenchmarkIngestStored measures ingest with dedupe at two store sizes; the
// 1M case takes minutes to set up, so run it on purpose:
//
//	go test -run '^$' -bench IngestStored -benchtime 200x ./store
func BenchmarkIngestStored(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("-short")
			}
			benchIngestWithStored(b, n)
		})
	}
}

func TestReportsAreBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	for i := range maxReports + 10 {
		src := fmt.Sprint("wire", i)
		if _, err := s.Ingest(ctx, SourceState{Name: src}, []Item{storyItem(src, "1", "the same story", "", t0)}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Recent(ctx, Query{})
	if len(got) != 1 || len(got[0].Reports) != maxReports {
		t.Fatalf("got %d items, the first with %d reports; want 1 item with %d", len(got), len(got[0].Reports), maxReports)
	}
}

// BenchmarkFindStory is the dedupe lookup alone, in a read transaction on a
// store holding 5,000 stories of one day: a new title that shares words
// with many stored ones (a miss after reading candidates), and a title
// stored before (a hit on the normalized title).
func BenchmarkFindStory(b *testing.B) {
	ctx := context.Background()
	s, _ := openDedupeStore(b)
	word := func(i int) string { return fmt.Sprintf("w%d", (uint64(i)*0x9E3779B97F4A7C15>>32)%2000) }
	title := func(i int) string {
		ws := make([]string, 8)
		for j := range ws {
			ws[j] = word(i*8 + j)
		}
		return strings.Join(ws, " ")
	}
	for f := range 100 {
		src := fmt.Sprint("src", f%10)
		feed := make([]Item, 50)
		for i := range feed {
			n := f*50 + i
			feed[i] = storyItem(src, fmt.Sprint(n), title(n), fmt.Sprint("https://example.com/", n), t0.Add(-time.Duration(n)*time.Second))
		}
		if _, err := s.Ingest(ctx, SourceState{Name: src}, feed); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		it   Item
		hit  bool
	}{
		{"miss", storyItem("new", "x", title(1_000_003), "https://new.example/x", t0), false},
		{"hit", storyItem("new", "y", title(42), "https://new.example/y", t0), true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := s.db.View(func(tx *bolt.Tx) error {
					key := s.lookupStory(tx, &bc.it).key
					if (key != nil) != bc.hit {
						return fmt.Errorf("lookupStory found %x, want a hit: %v", key, bc.hit)
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPrefilter checks that the lookup asks Dedupe.Prefilter about each
// candidate, with its tokens joined by 0x00, before scoring it, and that a
// false answer keeps the candidate from matching.
func TestPrefilter(t *testing.T) {
	for _, pass := range []bool{false, true} {
		t.Run(fmt.Sprint("pass=", pass), func(t *testing.T) {
			var asked []string
			c := &clock{t: t0}
			s, err := Open(filepath.Join(t.TempDir(), "tickerd.db"), &Options{Now: c.now, Dedupe: Dedupe{
				Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard,
				Prefilter: func(tokens []string, threshold float64) func(string) bool {
					if threshold != 0.7 || len(tokens) == 0 {
						t.Errorf("Prefilter(%q, %v): want the new headline's tokens and the threshold 0.7", tokens, threshold)
					}
					return func(joined string) bool {
						asked = append(asked, joined)
						return pass
					}
				},
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ingestFirstTelling(t, s)
			checkSecondTelling(t, s, pass)
			if len(asked) == 0 || asked[0] != "ceasefire\x00takes\x00effect\x00in\x00the\x00north" {
				t.Errorf("Prefilter was asked about %q, want the stored title's tokens joined by 0x00", asked)
			}
		})
	}
}

// TestMaskFilter checks that the lookup tests each candidate's mask, as
// Dedupe.Mask gave it when the candidate was stored or loaded from the
// log at Open, and that a false answer keeps the candidate from matching.
func TestMaskFilter(t *testing.T) {
	for _, pass := range []bool{false, true} {
		t.Run(fmt.Sprint("pass=", pass), func(t *testing.T) {
			var asked []uint64
			mask := func(tokens []string) uint64 { return uint64(len(tokens)) | 1<<40 }
			opts := &Options{Now: (&clock{t: t0}).now, Dedupe: Dedupe{
				Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard,
				Mask: mask,
				MaskFilter: func(tokens []string, threshold float64) func(uint64) bool {
					if threshold != 0.7 || len(tokens) == 0 {
						t.Errorf("MaskFilter(%q, %v): want the new headline's tokens and the threshold 0.7", tokens, threshold)
					}
					return func(m uint64) bool {
						asked = append(asked, m)
						return pass
					}
				},
			}}
			path := filepath.Join(t.TempDir(), "tickerd.db")
			s, err := Open(path, opts)
			if err != nil {
				t.Fatal(err)
			}
			ingestFirstTelling(t, s)
			// Reopened, memory is loaded from the log: the mask too.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if s, err = Open(path, opts); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			checkSecondTelling(t, s, pass)
			if want := uint64(6) | 1<<40; len(asked) == 0 || asked[0] != want {
				t.Errorf("MaskFilter's test was asked about %#x, want the stored title's mask %#x", asked, want)
			}
		})
	}
}

// ingestFirstTelling stores a headline from source a, for TestPrefilter
// and TestMaskFilter.
func ingestFirstTelling(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.Ingest(context.Background(), SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", t0),
	}); err != nil {
		t.Fatal(err)
	}
}

// checkSecondTelling stores, from source b, the headline of
// ingestFirstTelling with a word more (Jaccard 6/7, above the tests' 0.7),
// and checks it was merged when the filter let it pass, else stored new.
func checkSecondTelling(t *testing.T, s *Store, pass bool) {
	t.Helper()
	res, err := s.Ingest(context.Background(), SourceState{Name: "b"}, []Item{
		storyItem("b", "1", "ceasefire takes effect in the north today", "https://b.example/1", t0),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := IngestResult{New: 1}
	if pass {
		want = IngestResult{Duplicate: 1}
	}
	if res != want {
		t.Errorf("ingest of a similar title = %+v, want %+v", res, want)
	}
}
