package store

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// An item looked up before another feed committed its story must still be
// matched with it inside the write transaction, by link, by title and by
// similarity, and not with a different story.
func TestStoryCommittedAfterSnapshot(t *testing.T) {
	ctx := context.Background()
	kept := storyItem("a", "1", "army arrests young man in silwad east of ramallah", "https://a.example/1", t0.Add(-time.Hour))
	for _, tc := range []struct {
		name string
		it   Item
		kind byte // 0: no match
	}{
		{"link", storyItem("b", "x", "a headline of its own", "https://a.example/1", t0), 'l'},
		{"title", storyItem("b", "x", "Army arrests young man in Silwad east of Ramallah", "https://b.example/x", t0), 't'},
		{"similar", storyItem("b", "x", "army arrests young man in silwad east of ramallah today", "https://b.example/x", t0), 'k'},
		{"different", storyItem("b", "x", "storm hits the coast", "https://b.example/x", t0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := openDedupeStore(t)
			pre, snap, done, err := s.preMatch([]Item{tc.it}, c.now())
			if err != nil {
				t.Fatal(err)
			}
			defer done()
			if pre[0].key != nil {
				t.Fatalf("found %x in an empty store", pre[0].key)
			}
			if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{kept}); err != nil {
				t.Fatal(err)
			}
			want := itemKey(kept.Time(), idHash("a", "1"))
			err = s.db.View(func(tx *bolt.Tx) error {
				got := s.settleStory(tx, &tc.it, pre[0], seen{txid: snap, n: allSeen})
				if tc.kind == 0 {
					if got.key != nil {
						return fmt.Errorf("settleStory matched %x (%c), want no match", got.key, got.kind)
					}
					return nil
				}
				if !bytes.Equal(got.key, want) || got.kind != tc.kind {
					return fmt.Errorf("settleStory = %x (%c), want %x (%c)", got.key, got.kind, want, tc.kind)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The same found by catchUp, outside the write transaction;
			// inside, nothing is left to check and the match stands.
			at := s.catchUp([]Item{tc.it}, pre, snap, c.now())
			if tc.kind == 0 && pre[0].key != nil || tc.kind != 0 && (!bytes.Equal(pre[0].key, want) || pre[0].kind != tc.kind) {
				t.Errorf("catchUp = %x (%c), want %x (%c)", pre[0].key, pre[0].kind, want, tc.kind)
			}
			err = s.db.View(func(tx *bolt.Tx) error {
				if got := s.settleStory(tx, &tc.it, pre[0], at); !bytes.Equal(got.key, pre[0].key) {
					return fmt.Errorf("settleStory after catchUp = %x, want %x", got.key, pre[0].key)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A match found at the snapshot whose item is gone by the write (pruned,
// its tombstone expired) is not kept.
func TestStoryGoneAfterSnapshot(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	kept := storyItem("a", "1", "storm hits the coast", "https://a.example/1", t0.Add(-time.Hour))
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{kept}); err != nil {
		t.Fatal(err)
	}
	it := storyItem("b", "x", "storm hits the coast", "https://b.example/x", t0)
	pre, snap, done, err := s.preMatch([]Item{it}, c.now())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if pre[0].key == nil {
		t.Fatal("no match at the snapshot")
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketItems).Delete(pre[0].key); err != nil {
			return err
		}
		if got := s.settleStory(tx, &it, pre[0], seen{txid: snap, n: allSeen}); got.key != nil {
			return fmt.Errorf("settleStory matched %x, which is gone", got.key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Sources telling the same stories at once, each feed looked up before the
// others commit: every story is stored once and reported by the rest, as
// when feeds are ingested one after another.
func TestIngestConcurrentSameStories(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	const sources, stories = 8, 20
	var wg sync.WaitGroup
	results := make([]IngestResult, sources)
	errs := make([]error, sources)
	for i := range sources {
		wg.Go(func() {
			src := fmt.Sprintf("s%d", i)
			var items []Item
			for j := range stories {
				title := fmt.Sprintf("minister %d visits town%d for talks on water", j, j)
				if i%2 == 1 {
					title += " today" // similar, not equal
				}
				link := fmt.Sprintf("https://%s.example/%d", src, j)
				if i%4 == 2 {
					link = fmt.Sprintf("https://wire.example/%d", j) // shared link
				}
				items = append(items, storyItem(src, fmt.Sprint(j), title, link, t0.Add(-time.Duration(j+i)*time.Minute)))
			}
			results[i], errs[i] = s.Ingest(ctx, SourceState{Name: src}, items)
		})
	}
	wg.Wait()
	var added, dupes int
	for i := range sources {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		added += results[i].New
		dupes += results[i].Duplicate
	}
	if added != stories || dupes != stories*(sources-1) {
		t.Errorf("stored %d new and %d duplicates, want %d and %d", added, dupes, stories, stories*(sources-1))
	}
	s.recent.mu.Lock()
	defer s.recent.mu.Unlock()
	if len(s.recent.readers) != 0 {
		t.Errorf("after the ingests: %d snapshots in use, want 0", len(s.recent.readers))
	}
}

// The record of recent batches keeps what a snapshot in use predates and
// forgets the rest.
func TestRecentStoriesTrim(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	ingestOne := func(n int) {
		t.Helper()
		it := storyItem("a", fmt.Sprint(n), fmt.Sprintf("headline number%d", n), "", t0)
		if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	ingestOne(1)
	_, snap, done, err := s.preMatch(nil, c.now())
	if err != nil {
		t.Fatal(err)
	}
	ingestOne(2)
	ingestOne(3)
	if got := len(s.recent.since(snap)); got != 2 {
		t.Fatalf("%d batches newer than the open snapshot, want 2", got)
	}
	done()
	ingestOne(4)
	s.recent.mu.Lock()
	defer s.recent.mu.Unlock()
	if len(s.recent.readers) != 0 || len(s.recent.batches) > 1 {
		t.Errorf("%d snapshots in use, %d batches kept; want 0 and at most 1", len(s.recent.readers), len(s.recent.batches))
	}
}

// Undated items are dated by the time the store first sees them; the
// lookup made before the write transaction must use that time too, or an
// undated telling of a story already stored is kept as new.
func TestUndatedStoryMatchedBeforeWrite(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	first := storyItem("a", "1", "ceasefire talks resume in cairo", "https://a.example/1", time.Time{})
	second := storyItem("b", "2", "Ceasefire talks resume in Cairo", "https://b.example/2", time.Time{})
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{first}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{second})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Duplicate != 1 {
		t.Errorf("second undated telling: %+v, want it counted as a duplicate", res)
	}
}

func TestByRarity(t *testing.T) {
	counts := map[string]uint32{"said": 900, "gaza": 40, "minister": 300, "kherson": 2, "talks": 40}
	count := func(s string) uint32 { return counts[s] }
	got := byRarity([]string{"minister", "said", "gaza", "talks", "kherson", "unseen"}, count)
	want := []string{"unseen", "kherson", "gaza", "talks", "minister", "said"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("byRarity = %q, want %q", got, want)
	}
}
