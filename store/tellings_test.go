package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
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

// BenchmarkRecentTellings reads the source ticker of src1, a third of
// whose items retold src0's stories: those come as src1's tellings, each
// read from its story's item.
func BenchmarkRecentTellings(b *testing.B) {
	ctx := context.Background()
	s := tellingsStore(b)
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Recent(ctx, Query{Sources: []string{"src1"}, Limit: 50})
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

// tellingsCase is three sources, two stories told by two of them in other
// words (the same normalized title, different links), and one story each
// told alone.
func tellingsCase() map[string][]Item {
	at := func(m int) time.Time { return t0.Add(time.Duration(-m) * time.Minute) }
	return map[string][]Item{
		"a": {
			storyItem("a", "a1", "ceasefire holds in the north", "https://a.example/1", at(50)),
			storyItem("a", "a2", "central bank holds rates", "https://a.example/2", at(40)),
			storyItem("a", "a3", "storm hits the coast", "https://a.example/3", at(30)),
		},
		"b": {
			storyItem("b", "b1", "Ceasefire HOLDS in the north", "https://b.example/1", at(45)),
			storyItem("b", "b2", "book fair opens", "https://b.example/2", at(20)),
			storyItem("b", "b3", "markets open higher", "https://b.example/3", at(10)),
		},
		"c": {
			storyItem("c", "c1", "Central Bank holds rates", "https://c.example/1", at(41)),
			storyItem("c", "c2", "Markets open HIGHER", "https://c.example/2", at(5)),
		},
	}
}

var orders = [][]string{{"a", "b", "c"}, {"a", "c", "b"}, {"b", "a", "c"}, {"b", "c", "a"}, {"c", "a", "b"}, {"c", "b", "a"}}

func TestSourceSelectionHoldsEveryTelling(t *testing.T) {
	ctx := context.Background()
	feeds := tellingsCase()
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			s, _ := openDedupeStore(t)
			for _, name := range order {
				if _, err := s.Ingest(ctx, SourceState{Name: name}, feeds[name]); err != nil {
					t.Fatal(err)
				}
			}
			all, err := s.Recent(ctx, Query{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 5 {
				t.Errorf("all sources: %d items %v, want the 5 stories", len(all), titles(all))
			}
			for name, want := range feeds {
				got, err := s.Recent(ctx, Query{Sources: []string{name}, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var g, w []string
				for _, it := range got {
					g = append(g, it.Source+" "+it.ID+" "+it.Title+" "+it.Link)
				}
				for i := len(want) - 1; i >= 0; i-- { // newest first
					w = append(w, want[i].Source+" "+want[i].ID+" "+want[i].Title+" "+want[i].Link)
				}
				if fmt.Sprint(g) != fmt.Sprint(w) {
					t.Errorf("source %s:\n got %q\nwant %q", name, g, w)
				}
			}
			// Two sources: each story once, as the first of them to
			// arrive told it.
			got, err := s.Recent(ctx, Query{Sources: []string{"a", "b"}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 5 {
				t.Errorf("sources a, b: %d items %v, want 5", len(got), titles(got))
			}
			first := "a"
			if slices.Index(order, "b") < slices.Index(order, "a") {
				first = "b"
			}
			for _, it := range got {
				if strings.HasPrefix(strings.ToLower(it.Title), "ceasefire") {
					if it.Source != first || len(it.Reports) != 1 {
						t.Errorf("the story both told shows as %s's telling with %d reports, want %s's with 1", it.Source, len(it.Reports), first)
					}
				}
			}
		})
	}
}

func TestTellingsOutliveTheirStorysItem(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b", "c"} {
		if _, err := s.Ingest(ctx, SourceState{Name: name}, feeds[name]); err != nil {
			t.Fatal(err)
		}
	}
	seq := s.Seq()
	// Order a, b, c: a holds the items of the stories b and c retold; b
	// retold a1 and keeps b2, b3; c retold a2 and b3. Each source keeping
	// two items, a1 goes.
	if _, err := s.Prune(ctx, Retention{MaxPerSource: 2}); err != nil {
		t.Fatal(err)
	}
	b, _ := s.Recent(ctx, Query{Sources: []string{"b"}})
	if len(b) != 3 || b[2].ID != "b1" || len(b[2].Reports) != 1 || b[2].Reports[0].Source != "a" {
		t.Errorf("source b after a1 went: %v, want b's three with b1 listing a", titles(b))
	}
	all, _ := s.Recent(ctx, Query{Limit: 100})
	if len(all) != 4 {
		t.Errorf("all sources after pruning: %v, want the 4 stories whose items stayed", titles(all))
	}
	changes, err := s.Changes(ctx, seq, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Op != OpRemoved || len(changes[0].Item.Reports) != 1 {
		t.Errorf("changes after pruning: %+v, want a1's removal carrying its story's report", changes)
	}
	// The tellings go by their own age.
	seq = s.Seq()
	c.advance(time.Hour)
	res, err := s.Prune(ctx, Retention{MaxAge: 1*time.Hour + 43*time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tellings != 1 {
		t.Errorf("prune by age = %+v, want 1 telling (b1)", res)
	}
	b, _ = s.Recent(ctx, Query{Sources: []string{"b"}})
	c1, _ := s.Recent(ctx, Query{Sources: []string{"c"}})
	if len(b) != 2 || len(c1) != 2 {
		t.Errorf("after b1 aged out: b %v, c %v; want b's 2 newer, c's 2", titles(b), titles(c1))
	}
	changes, _ = s.Changes(ctx, seq, 0)
	if len(changes) != 1 || !changes[0].Telling || changes[0].Item.ID != "b1" {
		t.Errorf("changes after the telling aged out: %+v, want b1's removal", changes)
	}
}

// TestRetitlingDoesNotGrowTheIndex is issue 17's retitling source: the
// index entries of an item's old title go with it.
func TestRetitlingDoesNotGrowTheIndex(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: t0}
	s, err := Open(filepath.Join(t.TempDir(), "tickerd.db"), &Options{Now: c.now, Dedupe: Dedupe{
		Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard,
		Story: func(it *Item) *Story { return storyItem(it.Source, it.ID, it.Title, it.Link, it.Published).Story },
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var first int
	for poll := range 50 {
		feed := make([]Item, 20)
		for i := range feed {
			feed[i] = storyItem("live", fmt.Sprint(i), fmt.Sprintf("story%d update%d", i, poll), fmt.Sprintf("https://live.example/%d", i), t0.Add(time.Duration(-i)*time.Minute))
		}
		res, err := s.Ingest(ctx, SourceState{Name: "live"}, feed)
		if err != nil {
			t.Fatal(err)
		}
		if poll > 0 && res.Updated != 20 {
			t.Fatalf("poll %d = %+v, want 20 updated", poll, res)
		}
		if poll == 0 {
			first = storyEntries(t, s)
		}
	}
	if n := storyEntries(t, s); n != first {
		t.Errorf("story index after 50 retitling polls: %d entries, after the first %d", n, first)
	}
}

// TestChurnedGUIDsAddNothing is issue 17's source that sends its items
// under new GUIDs on every poll.
func TestChurnedGUIDsAddNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "other"}, []Item{storyItem("other", "o", "story 0 told twice", "https://other.example/0", t0)}); err != nil {
		t.Fatal(err)
	}
	feed := func(poll int) []Item {
		out := make([]Item, 10)
		for i := range out {
			out[i] = storyItem("churn", fmt.Sprint(poll, "-", i), fmt.Sprintf("story %d told twice", i), fmt.Sprintf("https://churn.example/%d", i), t0.Add(time.Duration(-i)*time.Minute))
		}
		return out
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "churn"}, feed(0)); err != nil {
		t.Fatal(err)
	}
	seq, ids := s.Seq(), bucketLen(t, s, bucketIDs)
	for poll := 1; poll < 20; poll++ {
		res, err := s.Ingest(ctx, SourceState{Name: "churn"}, feed(poll))
		if err != nil {
			t.Fatal(err)
		}
		if res.New != 0 || res.Updated != 0 {
			t.Fatalf("poll %d = %+v, want nothing new or updated", poll, res)
		}
	}
	if s.Seq() != seq {
		t.Errorf("churned GUIDs logged %d changes, want none", s.Seq()-seq)
	}
	if n := bucketLen(t, s, bucketIDs); n != ids {
		t.Errorf("ids bucket grew from %d to %d keys", ids, n)
	}
	all, _ := s.Recent(ctx, Query{Limit: 100})
	for _, it := range all {
		if len(it.Reports) > 1 {
			t.Errorf("%s:%s has %d reports, want at most 1", it.Source, it.ID, len(it.Reports))
		}
	}
}

// storyEntries counts the story index's entries: in the keyed part, the
// log and memory.
func storyEntries(t testing.TB, s *Store) int {
	n := bucketLen(t, s, bucketStoryLog) + bucketLen(t, s, bucketStories)
	s.mem.mu.RLock()
	defer s.mem.mu.RUnlock()
	for _, list := range s.mem.lists {
		n += len(list)
	}
	for _, list := range s.mem.sigs {
		n += len(list)
	}
	return n
}

func bucketLen(t testing.TB, s *Store, name []byte) int {
	t.Helper()
	n := 0
	if err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(name).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkSoakHostile is issue 17's soak: 2,000 polls of 200 items from
// a source that retitles every item on every poll, and from one that
// sends the same items under new GUIDs on every poll, beside a source
// that told the same stories. It reports the index keys per live item
// and the data file's size against its size after the first 10 polls.
//
//	go test -run '^$' -bench SoakHostile -benchtime 1x ./store
func BenchmarkSoakHostile(b *testing.B) {
	for _, kind := range []string{"retitle", "churn"} {
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				soakHostile(b, kind, 2000, 200)
			}
		})
	}
}

func soakHostile(b *testing.B, kind string, polls, n int) {
	ctx := context.Background()
	c := &clock{t: t0}
	path := filepath.Join(b.TempDir(), "tickerd.db")
	forms := func(it *Item) *Story { return storyItem(it.Source, it.ID, it.Title, it.Link, it.Published).Story }
	s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Story: forms}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	other := make([]Item, n)
	for i := range other {
		other[i] = storyItem("other", fmt.Sprint(i), fmt.Sprintf("story%d told by both", i), fmt.Sprintf("https://other.example/%d", i), t0.Add(time.Duration(-i)*time.Minute))
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "other"}, other); err != nil {
		b.Fatal(err)
	}
	var size10, size100 int64
	var events uint64
	for poll := range polls {
		feed := make([]Item, n)
		for i := range feed {
			id, title := fmt.Sprint(i), fmt.Sprintf("story%d told by both", i)
			if kind == "retitle" {
				// The hostile source's own stories, retitled each poll.
				title = fmt.Sprintf("hostile%d update%d", i, poll)
			} else {
				id = fmt.Sprint(poll, "-", i)
			}
			feed[i] = storyItem("hostile", id, title, fmt.Sprintf("https://hostile.example/%d", i), t0.Add(time.Duration(-i)*time.Minute))
		}
		seq := s.Seq()
		if _, err := s.Ingest(ctx, SourceState{Name: "hostile"}, feed); err != nil {
			b.Fatal(err)
		}
		if poll > 0 {
			events += s.Seq() - seq
		}
		c.advance(time.Minute)
		switch poll {
		case 9:
			size10 = fileSize(b, path)
		case 99:
			// The change log is full (10,000 changes) from here on.
			size100 = fileSize(b, path)
		}
	}
	live, _ := s.Recent(ctx, Query{Limit: 1000, MaxScan: 1 << 20})
	keys := 0
	for _, name := range [][]byte{bucketIDs, bucketStories, bucketStoryLog, bucketBySource, bucketTombs, bucketTombExp} {
		keys += bucketLen(b, s, name)
	}
	reports, own := 0, 0
	for _, it := range live {
		for _, r := range it.Reports {
			reports++
			if r.Source == it.Source {
				own++
			}
		}
	}
	size := fileSize(b, path)
	b.ReportMetric(float64(len(live)), "items")
	b.ReportMetric(float64(keys), "index-keys")
	b.ReportMetric(float64(keys)/float64(len(live)), "keys/item")
	b.ReportMetric(float64(size10), "bytes@10")
	b.ReportMetric(float64(size100), "bytes@100")
	b.ReportMetric(float64(size), "bytes@end")
	b.ReportMetric(float64(size)/float64(size10), "size/size@10")
	b.ReportMetric(float64(reports), "reports")
	b.ReportMetric(float64(own), "own-reports")
	b.ReportMetric(float64(events)/float64(polls-1), "changes/poll")
	if float64(keys) > 10*float64(len(live)) || size > 2*size10 || own > 0 {
		b.Errorf("%s: %d index keys for %d items, file %d bytes (%d after 10 polls), %d reports from an item's own source", kind, keys, len(live), size, size10, own)
	}
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// TestOlderDataFileShowsTellings opens a file written before reports
// kept an identity and were indexed: its tellings are indexed at Open and
// shown with what the reports kept.
func TestOlderDataFileShowsTellings(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: t0}
	path := filepath.Join(t.TempDir(), "tickerd.db")
	opts := &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard}}
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	feeds := tellingsCase()
	for _, name := range []string{"a", "b"} {
		if _, err := s.Ingest(ctx, SourceState{Name: name}, feeds[name]); err != nil {
			t.Fatal(err)
		}
	}
	// Make it the older file: reports of source, link, title and time,
	// not in the source index, and no bucket "told".
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketTold); err != nil {
			return err
		}
		items, idx := tx.Bucket(bucketItems), tx.Bucket(bucketBySource)
		var keys, vals [][]byte
		items.ForEach(func(k, v []byte) error {
			var it Item
			json.Unmarshal(v, &it)
			if len(it.Reports) == 0 {
				return nil
			}
			for i, r := range it.Reports {
				idx.Delete(sourceIndexKey(r.Source, tellingKey(&r)))
				it.Reports[i] = Report{Source: r.Source, Link: r.Link, Title: r.Title, Time: r.Time}
			}
			v, _ = json.Marshal(&it)
			keys, vals = append(keys, bytes.Clone(k)), append(vals, v)
			return nil
		})
		for i := range keys {
			if err := items.Put(keys[i], vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Recent(ctx, Query{Sources: []string{"b"}}); len(got) != 2 {
		t.Fatalf("the older file, before Open: b holds %v, want its 2 own items", titles(got))
	}
	s.Close()
	s, err = Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Recent(ctx, Query{Sources: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].ID != "https://b.example/1" || got[2].Title != "Ceasefire HOLDS in the north" || got[2].Summary != "" {
		t.Errorf("the older file, opened: b holds %+v, want its 3 tellings, b1 with its link for id", got)
	}
}

// TestTellingUpdates: a telling re-listed with new text updates its
// report, also after its story's item moved (a new date); re-listed
// unchanged it changes nothing.
func TestTellingUpdates(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b"} {
		if _, err := s.Ingest(ctx, SourceState{Name: name}, feeds[name]); err != nil {
			t.Fatal(err)
		}
	}
	seq := s.Seq()
	if res, _ := s.Ingest(ctx, SourceState{Name: "b"}, feeds["b"]); res.Unchanged != 3 || s.Seq() != seq {
		t.Fatalf("b again = %+v and %d changes, want 3 unchanged and none", res, s.Seq()-seq)
	}
	// a1 moves: its date changes.
	a := slices.Clone(feeds["a"])
	a[0].Published = a[0].Published.Add(-time.Minute)
	if res, err := s.Ingest(ctx, SourceState{Name: "a"}, a); err != nil || res.Updated != 1 {
		t.Fatalf("a with a1 redated = %+v, %v", res, err)
	}
	b := slices.Clone(feeds["b"])
	b[0].Title = "Ceasefire holds in the north, army says"
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, b)
	if err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("b with b1 retitled = %+v, %v; want 1 updated", res, err)
	}
	got, _ := s.Recent(ctx, Query{Sources: []string{"b"}})
	if len(got) != 3 || got[2].Title != b[0].Title {
		t.Errorf("source b after b1's retitling: %v", titles(got))
	}
	all, _ := s.Recent(ctx, Query{Limit: 100})
	if len(all) != 5 || len(all[4].Reports) != 1 || all[4].Reports[0].Title != b[0].Title {
		t.Errorf("all sources: %v, want 5 stories, a1 listing b1's new title", titles(all))
	}
}

// TestDropSourceAndTellings: dropping the source of a story's item keeps
// another source's telling of it; dropping a source that told others'
// stories takes its tellings off, logging their removal.
func TestDropSourceAndTellings(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b", "c"} {
		if _, err := s.Ingest(ctx, SourceState{Name: name}, feeds[name]); err != nil {
			t.Fatal(err)
		}
	}
	// c told a2 and b3 second.
	seq := s.Seq()
	if _, err := s.DropSources(ctx, []string{"c"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Recent(ctx, Query{Sources: []string{"c"}}); len(got) != 0 {
		t.Errorf("dropped source c still holds %v", titles(got))
	}
	changes, _ := s.Changes(ctx, seq, 0)
	if len(changes) != 2 || !changes[0].Telling || !changes[1].Telling {
		t.Errorf("dropping c logged %+v, want its 2 tellings' removals", changes)
	}
	// b told a1 second; a's items go.
	if _, err := s.DropSources(ctx, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Recent(ctx, Query{Sources: []string{"b"}}); len(got) != 3 {
		t.Errorf("after dropping a, b holds %v, want its 3 tellings", titles(got))
	}
	if got, _ := s.Recent(ctx, Query{Limit: 100}); len(got) != 2 {
		t.Errorf("after dropping a, all sources hold %v, want b's 2 items", titles(got))
	}
}
