package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// oldStory is the matching forms the release before canonical tokens gave
// an item: Normalize, word-set Tokens and Signature keys.
func oldStory(it *store.Item) *store.Story {
	norm := match.Normalize(it.Title)
	tokens := match.Tokens(norm)
	return &store.Story{Title: norm, Link: match.CanonicalLink(it.Link, ""), Tokens: tokens, Keys: match.Signature(tokens, 0.8)}
}

// TestOldDataFileUpgrades writes a data file with the previous release's
// code path (its story forms and similarity, no match version recorded),
// then starts the daemon on it: the index is rebuilt, the version
// recorded, every item and story kept, and a decorated copy from a new
// source merges into a stored story through the rebuilt index.
func TestOldDataFileUpgrades(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "data", "test.db")
	old, err := store.Open(path, &store.Options{Timeout: time.Second, Dedupe: store.Dedupe{
		Window: 48 * time.Hour, Threshold: 0.8, Similarity: match.Similarity, Prefilter: match.Prefilter, Story: oldStory,
	}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	mk := func(src, id, title string, ago time.Duration) store.Item {
		it := store.Item{Source: src, ID: id, GUID: id, Link: "https://" + src + ".example/" + id, Title: title, Published: now.Add(-ago)}
		it.Story = oldStory(&it)
		return it
	}
	if _, err := old.Ingest(ctx, store.SourceState{Name: "wa"}, []store.Item{
		mk("wa", "a1", "Israeli strike kills 7 at school in Jabalia", time.Hour),
		mk("wa", "a2", "Central bank holds interest rates at 27.25%", 2*time.Hour),
		mk("wa", "a3", "الاحتلال يعتقل 12 فلسطينيا من بلدة سلواد", 3*time.Hour),
	}); err != nil {
		t.Fatal(err)
	}
	if res, err := old.Ingest(ctx, store.SourceState{Name: "wb"}, []store.Item{
		mk("wb", "b1", "ISRAELI STRIKE KILLS 7 AT SCHOOL IN JABALIA", 50*time.Minute),
	}); err != nil || res.Duplicate != 1 {
		t.Fatalf("old ingest = %+v, %v", res, err)
	}
	before, err := old.Recent(ctx, store.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	fs, srv := newFeedServer(t)
	fs.set("/wc.xml", "application/rss+xml", []byte(rss2([]story{
		{id: "c1", title: "UPDATE 1-Israeli strike kills seven at Jabalia school - Reuters", at: now.Add(-40 * time.Minute)},
		{id: "c2", title: "الاحتلال يحتجز 12 فلسطينيا من بلدة سلواد - وكالة الأنباء", at: now.Add(-30 * time.Minute)},
	})))
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`data: data/test.db
base_url: "http://ticker.test"
sources:
  - {name: wa, url: "%[1]s/wa.xml"}
  - {name: wb, url: "%[1]s/wb.xml"}
  - {name: wc, url: "%[1]s/wc.xml"}
`, srv.URL))
	_, d := openDaemon(t, cfgPath)
	defer d.close()
	st := d.store.(*store.Store)
	if v, err := st.MatchVersion(); v != match.Version || err != nil {
		t.Errorf("MatchVersion after the upgrade = %d, %v; want %d", v, err, match.Version)
	}
	after, err := st.Recent(ctx, store.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	digest := func(items []store.Item) string {
		var s string
		for _, it := range items {
			s += it.Source + "/" + it.ID + "["
			for _, r := range it.Reports {
				s += r.Source + "/" + r.ID + " "
			}
			s += "] "
		}
		return s
	}
	if digest(after) != digest(before) {
		t.Errorf("items and stories after the upgrade:\n got %s\nwant %s", digest(after), digest(before))
	}
	if r := d.fetcher.Fetch(ctx, "wc"); r.Err != nil || r.Duplicate != 2 || r.New != 0 {
		t.Errorf("fetch wc after the upgrade = %d new, %d duplicates, %v; want both copies merged", r.New, r.Duplicate, r.Err)
	}
}
