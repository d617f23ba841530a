package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// rarest keys a headline by its two rarest tokens, as match.RareKeys does
// with a prefix of two.
func rarest(tokens []string, count func(string) uint32, _ float64) []string {
	ks := slices.Clone(tokens)
	slices.SortStableFunc(ks, func(a, b string) int { return int(count(a)) - int(count(b)) })
	return ks[:min(2, len(ks))]
}

// TestRareTokenKeys checks that the store files headlines under the keys
// Dedupe.Keys picks by document frequency, finds duplicates through them,
// and keeps the counts across a restart.
func TestRareTokenKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	c := &clock{t: t0}
	open := func() *Store {
		s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Keys: rarest}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	// Every headline says gaza and strike; each has its own place.
	places := []string{"rafah", "jabalia", "beit hanoun", "khan younis", "deir al balah", "nuseirat", "bureij", "maghazi"}
	for i, p := range places {
		it := storyItem("a", "a"+itoa(i), "strike on gaza "+p, "", t0.Add(-time.Duration(i+1)*time.Minute))
		it.Story.Keys = nil // the store chooses
		if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.df.count("gaza"); n != uint32(len(places)) {
		t.Errorf("count(gaza) = %d, want %d", n, len(places))
	}
	// The last items were keyed by their places, not by gaza.
	gazaKeys := signatureKeys(t, s)["gaza"]
	if gazaKeys > 2 {
		t.Errorf("%d items are filed under gaza, want only the first ones, before it was common", gazaKeys)
	}
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{storyItem("b", "b1", "strike on gaza nuseirat camp", "", t0)})
	if err != nil || res.Duplicate != 1 {
		t.Errorf("a telling sharing the rare place = %+v, %v; want a duplicate", res, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open()
	defer s.Close()
	if n := s.df.count("gaza"); n != uint32(len(places))+1 {
		t.Errorf("after a restart count(gaza) = %d, want %d", n, len(places)+1)
	}
}

// TestLookupKeysAreReadNotWritten files each headline under one key
// (Dedupe.Keys) and looks new ones up under two (Dedupe.LookupKeys): the
// index holds one entry per headline, and a telling whose rarest token is
// a word of its own finds its story through its second rarest.
func TestLookupKeysAreReadNotWritten(t *testing.T) {
	ctx := context.Background()
	one := func(tokens []string, count func(string) uint32, th float64) []string {
		return rarest(tokens, count, th)[:1]
	}
	c := &clock{t: t0}
	s, err := Open(filepath.Join(t.TempDir(), "tickerd.db"), &Options{Now: c.now, Dedupe: Dedupe{
		Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard, Keys: one, LookupKeys: rarest,
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, title := range []string{"alpha beta gamma one", "alpha beta delta two", "qqq alpha beta gamma"} {
		if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{storyItem("a", "a"+itoa(i), title, "", t0.Add(-time.Duration(i+1)*time.Minute))}); err != nil {
			t.Fatal(err)
		}
	}
	entries := 0
	for _, n := range signatureKeys(t, s) {
		entries += n
	}
	if entries != 3 {
		t.Errorf("%d signature entries for 3 headlines, want one each", entries)
	}
	// www is rarer than anything stored; qqq, the stored headline's
	// only key, comes next.
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{storyItem("b", "b1", "www qqq alpha beta gamma", "", t0)})
	if err != nil || res.Duplicate != 1 {
		t.Errorf("a telling that meets its story on its second key = %+v, %v; want a duplicate", res, err)
	}
}

// signatureKeys counts, by key, the signature keys the story log files
// items under.
func signatureKeys(t testing.TB, s *Store) map[string]int {
	t.Helper()
	keys := map[string]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStoryLog).ForEach(func(k, v []byte) error {
			e, ok := decodeLogEntry(v)
			if !ok {
				t.Errorf("log entry at %x does not decode", k)
			}
			for _, sig := range e.keys {
				keys[sig]++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
