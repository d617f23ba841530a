package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestSplitSurvivesRestartAndPolls merges two sources' tellings, splits
// one off, and checks that it stays its own story after a restart and the
// next poll of both sources, for a split of a report and of the item the
// reports were merged into.
func TestSplitSurvivesRestartAndPolls(t *testing.T) {
	for _, tc := range []struct {
		name      string
		splitSrc  string
		splitID   string
		wantAlone string // the item that must end up alone
	}{
		{"report", "b", "b1", "b:b1"},
		{"kept item", "a", "a1", "a:a1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "tickerd.db")
			c := &clock{t: t0}
			open := func() *Store {
				s, err := Open(path, &Options{Now: c.now, Dedupe: Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard,
					Story: func(it *Item) *Story { return storyItem(it.Source, it.ID, it.Title, "", it.Published).Story }}})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			pollA := []Item{storyItem("a", "a1", "brazil beat argentina in qualifier", "", t0.Add(-time.Hour))}
			pollB := []Item{storyItem("b", "b1", "brazil beat argentina in world cup qualifier", "", t0.Add(-50*time.Minute))}
			pollC := []Item{storyItem("c", "c1", "brazil beat argentina in qualifier tonight", "", t0.Add(-40*time.Minute))}
			s := open()
			for _, p := range []struct {
				src   string
				items []Item
			}{{"a", pollA}, {"b", pollB}, {"c", pollC}} {
				if _, err := s.Ingest(ctx, SourceState{Name: p.src}, p.items); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := s.Recent(ctx, Query{Limit: 10})
			if d := storyDigest(got); d != "a:a1[b/b1 c/c1 ] " {
				t.Fatalf("before the split: %s", d)
			}
			seq := s.Seq()
			it, err := s.Split(ctx, tc.splitSrc, tc.splitID)
			if err != nil {
				t.Fatal(err)
			}
			if it.Source+":"+it.ID != tc.wantAlone {
				t.Errorf("Split returned %s:%s, want %s", it.Source, it.ID, tc.wantAlone)
			}
			changes, err := s.Changes(ctx, seq, 100)
			if err != nil || len(changes) == 0 {
				t.Fatalf("Changes after the split = %d, %v; want the split logged", len(changes), err)
			}
			check := func(when string) {
				t.Helper()
				got, err := s.Recent(ctx, Query{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				alone := false
				for _, it := range got {
					if it.Source+":"+it.ID == tc.wantAlone {
						alone = len(it.Reports) == 0
					}
				}
				if len(got) != 2 || !alone {
					t.Errorf("%s: %s; want two stories, %s alone", when, storyDigest(got), tc.wantAlone)
				}
			}
			check("after the split")
			s.Close()
			c.advance(5 * time.Minute)
			s = open()
			defer s.Close()
			check("after a restart")
			for _, p := range []struct {
				src   string
				items []Item
			}{{"a", pollA}, {"b", pollB}, {"c", pollC}, {"b", pollB}, {"a", pollA}} {
				if _, err := s.Ingest(ctx, SourceState{Name: p.src}, p.items); err != nil {
					t.Fatal(err)
				}
			}
			check("after the next polls")
			// A retitled telling is updated where it is, still apart.
			retitled := []Item{storyItem(tc.splitSrc, tc.splitID, "brazil beat argentina in world cup qualifier, updated", "", t0.Add(-50*time.Minute))}
			if _, err := s.Ingest(ctx, SourceState{Name: tc.splitSrc}, retitled); err != nil {
				t.Fatal(err)
			}
			check("after a retitle")
		})
	}
}

func TestSplitErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openDedupeStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{storyItem("a", "a1", "alone in the news", "", t0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Split(ctx, "a", "a1"); !errors.Is(err, ErrNotMerged) {
		t.Errorf("Split of an item alone = %v, want ErrNotMerged", err)
	}
	if _, err := s.Split(ctx, "a", "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Split of an unknown item = %v, want ErrNotFound", err)
	}
	if _, err := s.Split(ctx, "zz", "a1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Split of an unknown source = %v, want ErrNotFound", err)
	}
}
