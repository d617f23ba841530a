package store

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestStoryIndexInMemoryAndLog finds a stored story by link, by title and
// by a near-duplicate title wherever its index entry is: in memory, in
// memory loaded from the log after a restart, in the keyed part for an
// item dated before the split when it came, and after folds moved it there
// from the log (with and without a restart). A different story stays
// apart in each case.
func TestStoryIndexInMemoryAndLog(t *testing.T) {
	ctx := context.Background()
	const week = 7 * 24 * time.Hour
	stored := storyItem("a", "a1", "ceasefire takes effect in the north", "https://a.example/1", t0)
	tellings := []struct {
		name  string
		it    Item
		merge bool
	}{
		{"link", storyItem("b", "b1", "guns fall silent", "https://a.example/1", t0.Add(time.Hour)), true},
		{"title", storyItem("c", "c1", "ceasefire takes effect in the north", "https://c.example/1", t0.Add(time.Hour)), true},
		{"near title", storyItem("d", "d1", "ceasefire takes effect in the north today", "https://d.example/1", t0.Add(time.Hour)), true},
		{"other story", storyItem("e", "e1", "storm hits the coast", "https://e.example/1", t0.Add(time.Hour)), false},
	}
	// inMemory counts memory's entries of the stored item.
	inMemory := func(s *Store) int {
		s.mem.mu.RLock()
		defer s.mem.mu.RUnlock()
		n := 0
		for _, list := range s.mem.lists {
			for _, e := range list {
				if keyTime(e.key[:]).Equal(t0) {
					n++
				}
			}
		}
		for _, list := range s.mem.sigs {
			for _, e := range list {
				if keyTime(e.key[:]).Equal(t0) {
					n++
				}
			}
		}
		return n
	}
	for _, where := range []string{"memory", "restart", "keyed", "folded", "folded, restart"} {
		t.Run(where, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tickerd.db")
			c := &clock{t: t0}
			open := func() *Store {
				s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard}})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			defer func() { s.Close() }()
			other := 0
			ingestOther := func() {
				other++
				id := "z" + itoa(other)
				if _, err := s.Ingest(ctx, SourceState{Name: "z"}, []Item{storyItem("z", id, "unrelated words "+id, "", c.now().Add(time.Minute))}); err != nil {
					t.Fatal(err)
				}
			}
			if where == "keyed" {
				ingestOther() // the split moves to a week back
				c.advance(week)
				ingestOther()
			}
			if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{stored}); err != nil {
				t.Fatal(err)
			}
			switch where {
			case "restart":
				s.Close()
				s = open()
			case "folded", "folded, restart":
				c.advance(week)
				ingestOther() // a fold moves the story to the keyed part
				if inMemory(s) == 0 {
					t.Error("memory forgot the story at the fold that moved it")
				}
				c.advance(2 * foldEvery)
				ingestOther() // the next fold forgets it in memory
				if where == "folded, restart" {
					s.Close()
					s = open()
				}
			}
			wantMemory := where == "memory" || where == "restart"
			if n := inMemory(s); (n > 0) != wantMemory {
				t.Errorf("memory holds %d entries of the story; want some: %v", n, wantMemory)
			}
			if keyed := bucketLen(t, s, bucketStories) > 0; keyed == wantMemory {
				t.Errorf("keyed part has entries: %v, want %v", keyed, !wantMemory)
			}
			for _, tc := range tellings {
				res, err := s.Ingest(ctx, SourceState{Name: tc.it.Source}, []Item{tc.it})
				if err != nil {
					t.Fatal(err)
				}
				if got := res.Duplicate == 1; got != tc.merge {
					t.Errorf("%s: %+v, merged %v, want %v", tc.name, res, got, tc.merge)
				}
			}
		})
	}
}

// TestMemoryKeyIsCheckedAgainstTheLog plants a memory entry under the hash
// of a title the stored item does not have, as a hash collision would: a
// headline with that title is not merged into it.
func TestMemoryKeyIsCheckedAgainstTheLog(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{storyItem("a", "a1", "central bank holds rates", "https://a.example/1", t0)}); err != nil {
		t.Fatal(err)
	}
	s.mem.mu.Lock()
	var key [16]byte
	for _, list := range s.mem.lists {
		key = list[0].key
	}
	s.mem.insert(memKey('t', "storm hits the coast"), memEntry{key: key})
	s.mem.insert(memKey('l', "https://b.example/1"), memEntry{key: key})
	s.mem.mu.Unlock()
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{storyItem("b", "b1", "storm hits the coast", "https://b.example/1", t0)})
	if err != nil || res.New != 1 {
		t.Errorf("a headline under a colliding memory key = %+v, %v; want it new", res, err)
	}
}

// FuzzLogEntry reads arbitrary bytes as a story log entry: no panic, and
// what it reads encodes back to an entry that reads the same.
func FuzzLogEntry(f *testing.F) {
	f.Add(encodeLogEntry(&Story{Link: "https://a.example/1", Title: "central bank holds rates", Keys: []string{"bank", "rates"}, Tokens: []string{"central", "bank", "holds", "rates"}}))
	f.Add(encodeLogEntry(&Story{Title: "عاجل غزة"}))
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := decodeLogEntry(b)
		if !ok {
			return
		}
		again, ok := decodeLogEntry(encodeLogEntry(e.story()))
		if !ok || again.link != e.link || again.title != e.title || !slices.Equal(again.keys, e.keys) || again.tokens != e.tokens {
			t.Fatalf("%q read as %+v, encoded and read again as %+v (ok %v)", b, e, again, ok)
		}
	})
}

// TestFoldAfterSnapshot moves a story from the log to the keyed part while
// a lookup's snapshot, taken before, is still in use: the snapshot's keyed
// part lacks it, so memory must still hold it (it forgets it only at the
// next fold), and the lookup finds it by link, title and near title.
func TestFoldAfterSnapshot(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: t0}
	s, err := Open(filepath.Join(t.TempDir(), "tickerd.db"), &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	kept := storyItem("a", "1", "army arrests young man in silwad east of ramallah", "https://a.example/1", t0.Add(-time.Hour))
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{kept}); err != nil {
		t.Fatal(err)
	}
	// The fold's write must not grow the file: bbolt would wait to remap
	// it until the snapshot below is closed, which is after the fold. So
	// first make room: items written and pruned leave free pages.
	var pad []Item
	for i := range 300 {
		it := storyItem("pad", itoa(i), "padding item "+itoa(i), "", t0.Add(-2*time.Hour))
		it.Summary = strings.Repeat("x", 2000)
		pad = append(pad, it)
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "pad"}, pad); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(ctx, Retention{MaxPerSource: 1}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(7 * 24 * time.Hour)
	if _, err := s.Ingest(ctx, SourceState{Name: "z"}, []Item{storyItem("z", "1", "unrelated words", "", c.now())}); err != nil {
		snap.Rollback()
		t.Fatal(err)
	}
	if s.mem.inLog(itemKey(kept.Time(), idHash("a", "1"))) {
		snap.Rollback()
		t.Fatal("no fold moved the story out of the log")
	}
	want := itemKey(kept.Time(), idHash("a", "1"))
	for _, tc := range []struct {
		name string
		it   Item
	}{
		{"link", storyItem("b", "x", "a headline of its own", "https://a.example/1", t0)},
		{"title", storyItem("b", "x", "army arrests young man in silwad east of ramallah", "https://b.example/x", t0)},
		{"near title", storyItem("b", "x", "army arrests young man in silwad east of ramallah today", "https://b.example/x", t0)},
	} {
		if got := s.lookupStory(snap, &tc.it); !bytes.Equal(got.key, want) {
			t.Errorf("%s: lookup in the snapshot = %x, want %x", tc.name, got.key, want)
		}
	}
	snap.Rollback()
}

// BenchmarkMemIndexHeap reports the heap the memory part of the story
// index holds per item (heap-B/item), for items shaped as the fetcher
// makes them: a link, a title, eight tokens, two signature keys drawn
// from a vocabulary in which most keys are shared by a few items.
func BenchmarkMemIndexHeap(b *testing.B) {
	const items = 100_000
	stories := make([]*Story, items)
	keys := make([][]byte, items)
	for i := range stories {
		toks := make([]string, 8)
		for j := range toks {
			toks[j] = "word" + itoa((i*7+j*13)%20000)
		}
		stories[i] = &Story{Link: "https://wire.example/news/" + itoa(i), Title: strings.Join(toks, " "), Tokens: toks, Keys: toks[6:]}
		keys[i] = itemKey(t0.Add(time.Duration(i)*time.Second), uint64(i))
	}
	var perItem float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := &memIndex{lists: make(map[uint64][]memEntry), sigs: make(map[uint64][]sigEntry), on: true}
		for i, st := range stories {
			m.add(keys[i], st, true)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perItem = float64(after.HeapAlloc-before.HeapAlloc) / items
		runtime.KeepAlive(m)
	}
	b.ReportMetric(perItem, "heap-B/item")
}
