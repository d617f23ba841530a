package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ingestN stores n items of src, one a minute back from start.
func ingestN(t testing.TB, s *Store, src string, n int, start time.Time) {
	t.Helper()
	items := make([]Item, n)
	for i := range items {
		items[i] = item(src, fmt.Sprintf("%s-%d", src, i), fmt.Sprintf("%s %d", src, i), start.Add(-time.Duration(i)*time.Minute))
	}
	if _, err := s.Ingest(context.Background(), SourceState{Name: src}, items); err != nil {
		t.Fatal(err)
	}
}

// busyAndQuiet stores 100 items from "busy" newer than 2 from each of
// "q0" … "q8".
func busyAndQuiet(t testing.TB, s *Store) {
	ingestN(t, s, "busy", 100, t0)
	for i := range 9 {
		ingestN(t, s, fmt.Sprintf("q%d", i), 2, t0.Add(-time.Duration(200+i)*time.Minute))
	}
}

func sourcesOf(items []Item) []string {
	var out []string
	for _, it := range items {
		if !slices.Contains(out, it.Source) {
			out = append(out, it.Source)
		}
	}
	slices.Sort(out)
	return out
}

func TestRecentQueries(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	busyAndQuiet(t, s)
	all := []string{"busy", "q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"}
	tests := []struct {
		name    string
		q       Query
		want    int      // items
		sources []string // distinct sources in the result
		first   string   // title of the first item, if set
	}{
		{"all newest", Query{Limit: 10}, 10, []string{"busy"}, "busy 0"},
		{"quiet source behind a busy one", Query{Sources: []string{"q3"}, Limit: 10}, 2, []string{"q3"}, "q3 0"},
		{"two sources merged by time", Query{Sources: []string{"q8", "q0"}, Limit: 3}, 3, []string{"q0", "q8"}, "q0 0"},
		{"unknown source", Query{Sources: []string{"nosuch"}}, 0, nil, ""},
		{"empty source list", Query{Sources: []string{}}, 0, nil, ""},
		{"per source cap shows all ten", Query{Limit: 10, PerSource: 1}, 10, all, "busy 0"},
		{"per source cap over named sources", Query{Sources: []string{"busy", "q1"}, Limit: 50, PerSource: 2}, 4, []string{"busy", "q1"}, "busy 0"},
		{"interleave shows all ten", Query{Limit: 20, Interleave: true}, 20, all, "busy 0"},
		{"since", Query{Since: t0.Add(-4*time.Minute - time.Second), Limit: 50}, 5, []string{"busy"}, "busy 0"},
		{"since per source", Query{Sources: []string{"q0", "q1"}, Since: t0.Add(-200*time.Minute - 30*time.Second), Limit: 50}, 1, []string{"q0"}, "q0 0"},
		{"match", Query{Limit: 50, Match: func(it *Item) bool { return strings.HasSuffix(it.Title, " 1") }}, 10, all, "busy 1"},
		{"match per source", Query{Sources: all, Limit: 50, Match: func(it *Item) bool { return it.Source != "busy" }}, 18, all[1:], "q0 0"},
		{"max scan bounds a rare match", Query{Limit: 50, MaxScan: 20, Match: func(it *Item) bool { return it.Source == "q0" }}, 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Recent(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("Recent = %d items %q, want %d", len(got), titles(got), tt.want)
			}
			if srcs := sourcesOf(got); !slices.Equal(srcs, tt.sources) {
				t.Errorf("Recent sources = %q, want %q", srcs, tt.sources)
			}
			if tt.first != "" && len(got) > 0 && got[0].Title != tt.first {
				t.Errorf("Recent first = %q, want %q", got[0].Title, tt.first)
			}
			if !tt.q.Interleave && !slices.IsSortedFunc(got, func(a, b Item) int { return b.Time().Compare(a.Time()) }) {
				t.Errorf("Recent not newest first: %q", titles(got))
			}
		})
	}
}

func TestRecentInterleaveOrder(t *testing.T) {
	s, _, _ := openTestStore(t)
	ingestN(t, s, "a", 5, t0)
	ingestN(t, s, "b", 2, t0.Add(-time.Hour))
	ingestN(t, s, "c", 1, t0.Add(-30*time.Minute))
	got, err := s.Recent(context.Background(), Query{Limit: 6, Interleave: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a:a 0", "c:c 0", "b:b 0", "a:a 1", "b:b 1", "a:a 2"}
	if !slices.Equal(titles(got), want) {
		t.Errorf("Recent(interleave) = %q, want %q", titles(got), want)
	}
	got, err = s.Recent(context.Background(), Query{Limit: 10, Interleave: true, PerSource: 1, Sources: []string{"b", "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:a 0", "b:b 0"}; !slices.Equal(titles(got), want) {
		t.Errorf("Recent(interleave, per source 1) = %q, want %q", titles(got), want)
	}
}

// countIndex returns how many entries the source index and the items
// bucket hold.
func countIndex(t *testing.T, s *Store) (index, items int) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		index = tx.Bucket(bucketBySource).Stats().KeyN
		items = tx.Bucket(bucketItems).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return index, items
}

func TestSourceIndexFollowsUpdates(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	ingestN(t, s, "a", 3, t0)
	// A new date moves the item to another key: the index must follow.
	it := item("a", "a-1", "a 1 corrected", t0.Add(time.Minute))
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{it}); err != nil {
		t.Fatal(err)
	}
	if idx, items := countIndex(t, s); idx != 3 || items != 3 {
		t.Errorf("index holds %d entries for %d items, want 3 and 3", idx, items)
	}
	got, err := s.Recent(ctx, Query{Sources: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:a 1 corrected", "a:a 0", "a:a 2"}; !slices.Equal(titles(got), want) {
		t.Errorf("Recent = %q, want %q", titles(got), want)
	}
}

func TestSourceIndexBuiltForOldFiles(t *testing.T) {
	ctx := context.Background()
	s, c, path := openTestStore(t)
	busyAndQuiet(t, s)
	// Make the file look like one written before the index existed.
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketBySource) }); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ro, err := Open(path, &Options{ReadOnly: true, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ro.Recent(ctx, Query{Sources: []string{"q5"}, Limit: 5})
	ro.Close()
	if err != nil || len(got) != 2 {
		t.Fatalf("read-only Recent without the index = %q, %v; want q5's 2 items", titles(got), err)
	}

	s2, err := Open(path, &Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if idx, items := countIndex(t, s2); idx != 118 || items != 118 {
		t.Errorf("rebuilt index holds %d entries for %d items, want 118", idx, items)
	}
	got, err = s2.Recent(ctx, Query{Limit: 10, PerSource: 1})
	if err != nil || len(sourcesOf(got)) != 10 {
		t.Errorf("Recent after upgrade = %q, %v; want ten sources", titles(got), err)
	}
}

func TestSourceIndexFollowsRemovals(t *testing.T) {
	s, _, _ := openTestStore(t)
	ingestN(t, s, "a", 3, t0)
	got, err := s.Recent(context.Background(), Query{Sources: []string{"a"}, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("Recent = %v, %v", got, err)
	}
	// A removal as retention makes one: delete, then log it.
	key := itemKey(got[0].Time(), idHash("a", got[0].ID))
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketItems).Delete(key); err != nil {
			return err
		}
		_, err := s.logChange(tx, OpRemoved, key, &got[0])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if idx, items := countIndex(t, s); idx != 2 || items != 2 {
		t.Errorf("after a removal the index holds %d entries for %d items, want 2 and 2", idx, items)
	}
}
