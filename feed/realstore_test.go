package feed

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"tickerd/store"
)

// countingStore counts the queries feed makes of a real store.
type countingStore struct {
	*store.Store
	recents atomic.Int64
}

func (c *countingStore) Recent(ctx context.Context, q store.Query) ([]store.Item, error) {
	c.recents.Add(1)
	return c.Store.Recent(ctx, q)
}

func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	now := func() time.Time { return seen }
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), &store.Options{Now: now})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// ingestBySource stores items as the fetcher would: one Ingest per
// source, carrying that source's state.
func ingestBySource(t testing.TB, st *store.Store, items []store.Item) {
	t.Helper()
	for _, state := range fixtureStates() {
		var batch []store.Item
		for _, it := range items {
			if it.Source == state.Name {
				batch = append(batch, it)
			}
		}
		if _, err := st.Ingest(context.Background(), state, batch); err != nil {
			t.Fatalf("Ingest %s: %v", state.Name, err)
		}
	}
}

// TestRealStore serves from a bbolt file in a temp dir: the order and
// sources the store returns reach the feed, and only a change that the
// store commits makes the feed render again.
func TestRealStore(t *testing.T) {
	bolt := openTestStore(t)
	items := realStoreItems()
	ingestBySource(t, bolt, items)
	st := &countingStore{Store: bolt}
	s := newTestServer(t, st, fixtureOptions())
	h := s.Handler()

	rec := serve(t, h, "GET", "/feed.json")
	var doc struct {
		Items []struct {
			Title   string `json:"title"`
			Tickerd struct {
				Source      string `json:"source"`
				SourceTitle string `json:"source_title"`
			} `json:"_tickerd"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("GET /feed.json: %v", err)
	}
	// The store sets FirstSeen, so the dateless and future-dated items
	// sort by when it saw them: now, the newest of all.
	var got []string
	for _, it := range doc.Items {
		got = append(got, it.Tickerd.Source+": "+it.Title)
	}
	want := []string{
		"local: Breaking news with \x7f control characters", // DEL is an XML 1.0 Char
		"wire: Dated in the future",
		"aljazeera: عاجل: وقف إطلاق النار يدخل حيز التنفيذ في غزة",
		"aljazeera: قمة G20 في الرياض: Saudi Arabia hosts leaders",
		"wire: AT&T <Q3> results beat \"estimates\"",
	}
	if !slices.Equal(got, want) {
		t.Errorf("GET /feed.json items =\n%q\nwant\n%q", got, want)
	}
	if doc.Items[2].Tickerd.SourceTitle != "الجزيرة نت" {
		t.Errorf("source title = %q, want the state's title", doc.Items[2].Tickerd.SourceTitle)
	}
	etag := rec.Header().Get("ETag")
	calls := st.recents.Load()

	// Fetching the same items again changes nothing, so nothing renders.
	ingestBySource(t, bolt, realStoreItems())
	if rec := serve(t, h, "GET", "/feed.json"); rec.Header().Get("ETag") != etag || st.recents.Load() != calls {
		t.Errorf("an unchanged ingest re-rendered the feeds: ETag %s → %s, queries %d → %d",
			etag, rec.Header().Get("ETag"), calls, st.recents.Load())
	}

	// A changed title under the same id does.
	items[0].Title = "عاجل: تحديث"
	ingestBySource(t, bolt, items)
	rec = serve(t, h, "GET", "/feed.json", "If-None-Match", etag)
	if rec.Code != 200 || rec.Header().Get("ETag") == etag {
		t.Errorf("after an update: %d with ETag %s, want 200 and a new ETag", rec.Code, rec.Header().Get("ETag"))
	}
	if st.recents.Load() == calls {
		t.Error("an update did not re-render the feeds")
	}
}

// realStoreItems are the fixture items as a fetcher would hand them to
// the store: valid UTF-8. (The store keeps items as JSON, which turns
// invalid bytes into U+FFFD, so an item with such bytes never compares
// equal to its stored self and would count as updated on every fetch.)
func realStoreItems() []store.Item {
	items := fixtureItems()
	for i := range items {
		if items[i].Source == "local" {
			items[i].Title = "Breaking\x00 news\x1b with \x7f control characters"
		}
	}
	return items
}

// BenchmarkRebuildRealStore is BenchmarkRebuild reading 50 items from
// bbolt: what one store change costs the feed side end to end.
func BenchmarkRebuildRealStore(b *testing.B) {
	bolt := openTestStore(b)
	items := benchItems(50)
	for _, src := range []string{"wire", "aljazeera"} {
		var batch []store.Item
		for _, it := range items {
			if it.Source == src {
				batch = append(batch, it)
			}
		}
		if _, err := bolt.Ingest(context.Background(), store.SourceState{Name: src}, batch); err != nil {
			b.Fatal(err)
		}
	}
	s := newTestServer(b, bolt, nil)
	b.ReportAllocs()
	for b.Loop() {
		renderAll(b, s)
	}
}
