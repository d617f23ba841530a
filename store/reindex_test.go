package store

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// versionedStory derives a Story from an item's title under the rules of
// one match version: the version's tag rides on every token and key, so an
// index built under another version finds nothing.
func versionedStory(tag string) func(*Item) *Story {
	return func(it *Item) *Story {
		var toks []string
		for _, w := range strings.Fields(strings.ToLower(it.Title)) {
			toks = append(toks, tag+w)
		}
		return &Story{Title: tag + strings.Join(toks, " "), Link: it.Link, Tokens: toks, Keys: toks}
	}
}

func versionedItem(tag, src, id, title string, pub time.Time) Item {
	it := item(src, id, title, pub)
	it.Story = versionedStory(tag)(&it)
	return it
}

// TestOpenUpgradesStoryIndex builds a data file the way the release
// before match versions did (no version recorded, the old key rule), and
// opens it with a new version: the index is rebuilt under the new rule,
// the version recorded, every item and report kept, and a new telling
// found through the rebuilt index.
func TestOpenUpgradesStoryIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	c := &clock{t: t0}
	dd := func(tag string) Dedupe {
		return Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Story: versionedStory(tag)}
	}
	old, err := Open(path, &Options{Now: c.now, Dedupe: dd("v1:")})
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	for i, title := range []string{"ceasefire takes effect in the north", "central bank holds rates", "storm hits the coast", "army arrests man near ramallah"} {
		items = append(items, versionedItem("v1:", "a", string(rune('1'+i)), title, t0.Add(-time.Duration(i+1)*time.Hour)))
	}
	if _, err := old.Ingest(ctx, SourceState{Name: "a"}, items); err != nil {
		t.Fatal(err)
	}
	res, err := old.Ingest(ctx, SourceState{Name: "b"}, []Item{versionedItem("v1:", "b", "x1", "ceasefire takes effect in the north today", t0)})
	if err != nil || res.Duplicate != 1 {
		t.Fatalf("old ingest of b = %+v, %v; want one duplicate", res, err)
	}
	before, err := old.Recent(ctx, Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.MatchVersion(); v != 0 {
		t.Fatalf("a file opened without MatchVersion records %d", v)
	}
	old.Close()

	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	s, err := Open(path, &Options{Now: c.now, Dedupe: dd("v2:"), MatchVersion: 2, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "rebuilding story index") || !strings.Contains(log.String(), "story index rebuilt") {
		t.Errorf("no rebuild in the log:\n%s", log.String())
	}
	if v, err := s.MatchVersion(); v != 2 || err != nil {
		t.Errorf("MatchVersion = %d, %v; want 2", v, err)
	}
	after, err := s.Recent(ctx, Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := storyDigest(after), storyDigest(before); got != want {
		t.Errorf("items and reports after the upgrade:\n got %s\nwant %s", got, want)
	}
	// Under the new rule: c's telling finds a's story only through the
	// rebuilt index (its keys carry v2:).
	res, err = s.Ingest(ctx, SourceState{Name: "c"}, []Item{
		versionedItem("v2:", "c", "y1", "central bank holds rates again", t0),
		versionedItem("v2:", "c", "y2", "storm hits the coast", t0),
	})
	if err != nil || res.Duplicate != 2 {
		t.Errorf("ingest under the new version = %+v, %v; want 2 duplicates", res, err)
	}
	s.Close()

	log.Reset()
	s, err = Open(path, &Options{Now: c.now, Dedupe: dd("v2:"), MatchVersion: 2, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(log.String(), "rebuilding") {
		t.Errorf("a file of the current version is rebuilt again:\n%s", log.String())
	}
}

// TestRebuildCrossesBatches rebuilds an index of more items than one
// rebuild transaction takes.
func TestRebuildCrossesBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 45,000 items")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	c := &clock{t: t0}
	s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Story: versionedStory("v1:")}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 2*reindexBatch + 5000
	var items []Item
	for i := range n {
		items = append(items, versionedItem("v1:", "a", "id"+itoa(i), "headline number "+itoa(i)+" of the day", t0.Add(-time.Duration(i)*time.Second)))
	}
	for len(items) > 0 {
		k := min(len(items), 5000)
		if _, err := s.Ingest(ctx, SourceState{Name: "a"}, items[:k]); err != nil {
			t.Fatal(err)
		}
		items = items[k:]
	}
	s.Close()
	s, err = Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Story: versionedStory("v2:")}, MatchVersion: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, i := range []int{0, reindexBatch - 1, reindexBatch, n - 1} {
		res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{versionedItem("v2:", "b", "b"+itoa(i), "headline number "+itoa(i)+" of the day", t0.Add(-time.Duration(i)*time.Second))})
		if err != nil || res.Duplicate != 1 {
			t.Errorf("item %d after the rebuild: %+v, %v; want a duplicate", i, res, err)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// storyDigest lists items with their reports' sources, for comparing the
// stories of a store before and after a change.
func storyDigest(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Source + ":" + it.ID + "[")
		for _, r := range it.Reports {
			b.WriteString(r.Source + "/" + r.ID + " ")
		}
		b.WriteString("] ")
	}
	return b.String()
}
