package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
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

// TestOpenUpgradesLayout1 opens a data file the release before the story
// log wrote (store/testdata/layout1.db.gz: tickerd at 05c8e70, match
// version 1, source a's four stories and b's telling of the first merged
// into it, the index in bucket "stories"). Open builds the log from the
// items, drops the old bucket, records the layout and keeps every item
// and report; a new telling of a stored story merges into it, by title
// and by near-duplicate title. (The old index was in bucket "stories",
// which the keyed part now reuses: the rebuild empties it first.)
func TestOpenUpgradesLayout1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	gz, err := os.ReadFile("testdata/layout1.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	c := &clock{t: t0.Add(time.Hour)}
	s, err := Open(path, &Options{Now: c.now, MatchVersion: 1, Logger: slog.New(slog.NewTextHandler(&log, nil)), Dedupe: Dedupe{
		Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard,
		Story: func(it *Item) *Story { return storyItem(it.Source, it.ID, it.Title, it.Link, it.Published).Story },
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.Contains(log.String(), "from_layout=0 to_layout=2") || !strings.Contains(log.String(), "story index rebuilt") {
		t.Errorf("the log does not tell of the rebuild:\n%s", log.String())
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket(bucketStories).Stats().KeyN; n != 0 {
			t.Errorf("the keyed part holds %d entries, want none: every item is newer than the split", n)
		}
		if n := tx.Bucket(bucketStoryLog).Stats().KeyN; n != 4 {
			t.Errorf("story log holds %d entries, want one per stored item (4)", n)
		}
		if v := tx.Bucket(bucketMeta).Get(metaStoryLayout); len(v) != 8 || binary.BigEndian.Uint64(v) != storyLayout {
			t.Errorf("layout recorded as %x", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.MatchVersion(); v != 1 {
		t.Errorf("MatchVersion = %d, want 1 kept", v)
	}
	got, err := s.Recent(ctx, Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || len(got[0].Reports) != 1 || got[0].Reports[0].Source != "b" {
		t.Fatalf("after the upgrade: %d items, newest %q with reports %+v; want 4, the ceasefire with b's telling", len(got), got[0].Title, got[0].Reports)
	}
	for _, tc := range []struct{ src, title string }{
		{"c", "central bank holds rates"},   // the same title
		{"d", "storm hits the coast today"}, // a near duplicate
	} {
		res, err := s.Ingest(ctx, SourceState{Name: tc.src}, []Item{storyItem(tc.src, "1", tc.title, "https://"+tc.src+".example/1", t0)})
		if err != nil || res.Duplicate != 1 {
			t.Errorf("%s's %q = %+v, %v; want a duplicate of the stored story", tc.src, tc.title, res, err)
		}
	}
}
