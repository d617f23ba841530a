package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tickerd/store"
)

// splitDedupe is DedupeOn with Story set as StoryItem derives it, which
// Split needs to file the items it makes in the story index.
var splitDedupe = func() store.Dedupe {
	d := DedupeOn
	d.Story = func(it *store.Item) *store.Story {
		return StoryItem(it.Source, it.ID, it.Title, it.Link, it.Published).Story
	}
	return d
}()

// storyDigest renders items as "source:id[source:id …]", the tellings
// recorded on each in brackets.
func storyDigest(items []store.Item) string {
	parts := make([]string, len(items))
	for i, it := range items {
		rs := make([]string, len(it.Reports))
		for j, r := range it.Reports {
			rs[j] = r.Source + ":" + r.TellingID()
		}
		parts[i] = it.Source + ":" + it.ID + "[" + strings.Join(rs, " ") + "]"
	}
	return strings.Join(parts, " ")
}

// testSplit undoes a merge both ways Split can (a report becomes an item
// of its own; an item with reports is left alone and its first report
// leads the rest) and checks that every reader sees it, that it lasts
// across a reopen and the sources' next polls, that later tellings of
// the split story find it, and the errors.
func testSplit(t *testing.T, open Opener) {
	const (
		titleA = "brazil beat argentina in qualifier"
		titleB = "brazil beat argentina in world cup qualifier"
		titleC = "brazil beat argentina in qualifier tonight"
	)
	for _, tc := range []struct {
		name    string
		src, id string
		// want is the item Split returns, merged what Recent shows
		// after the split, newest first, and later what it shows once
		// another source told the split story.
		want, merged, later string
		// changes is what the change log shows of the split, as
		// "op source:id reports", a telling's removal as "told".
		changes []string
		// retitle is the split telling's new title, the title of the
		// story it was split from: an update must not merge it back.
		retitle string
		// byC and laterByC are what a ticker of source c alone shows
		// then: c's telling leads its story there.
		byC, laterByC string
	}{
		{
			name: "report", src: "b", id: "b1", want: "b:b1",
			merged:  "b:b1[] a:a1[c:c1]",
			later:   "b:b1[d:d1] a:a1[c:c1]",
			changes: []string{"told b:b1", "updated a:a1 1", "added b:b1 0"},
			retitle: titleA, byC: "c:c1[a:a1]", laterByC: "c:c1[a:a1]",
		},
		{
			name: "item", src: "a", id: "a1", want: "a:a1",
			merged:  "b:b1[c:c1] a:a1[]",
			later:   "b:b1[c:c1 d:d1] a:a1[]",
			changes: []string{"told b:b1", "told c:c1", "updated a:a1 0", "added b:b1 1"},
			retitle: titleB, byC: "c:c1[b:b1]", laterByC: "c:c1[b:b1 d:d1]",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := NewClock(T0)
			s, reopen := open(t, Config{Now: c.Now, Dedupe: splitDedupe})
			if _, ok := s.(store.Splitter); !ok {
				t.Skipf("%T does not implement store.Splitter: it cannot undo a merge", s)
			}
			polls := map[string]store.Item{
				"a": StoryItem("a", "a1", titleA, "https://a.example/a1", T0.Add(-time.Hour)),
				"b": StoryItem("b", "b1", titleB, "https://b.example/b1", T0.Add(-50*time.Minute)),
				"c": StoryItem("c", "c1", titleC, "https://c.example/c1", T0.Add(-40*time.Minute)),
			}
			for _, src := range []string{"a", "b", "c"} {
				mustIngest(t, s, src, polls[src])
			}
			if d := storyDigest(mustRecent(t, s, store.Query{Limit: 10})); d != "a:a1[b:b1 c:c1]" {
				t.Fatalf("before the split: %s, want one story told three times", d)
			}
			c.Advance(time.Minute)
			seq, ver, changed := s.Seq(), s.Version(), s.Changed()

			it, err := s.(store.Splitter).Split(ctx, tc.src, tc.id)
			if err != nil {
				t.Fatalf("Split(%s, %s): %v", tc.src, tc.id, err)
			}
			if got := it.Source + ":" + it.ID; got != tc.want || len(it.Reports) != 0 {
				t.Errorf("Split returned %s with %d reports, want %s alone", got, len(it.Reports), tc.want)
			}
			select {
			case <-changed:
			default:
				t.Error("Changed was not signalled by the split")
			}
			if s.Version() == ver {
				t.Error("Version did not move with the split")
			}
			chs := mustChanges(t, s, seq)
			var got []string
			for i, ch := range chs {
				if ch.Seq != seq+uint64(i)+1 {
					t.Errorf("change %d has seq %d, want %d", i, ch.Seq, seq+uint64(i)+1)
				}
				line := fmt.Sprintf("%s %s:%s %d", ch.Op, ch.Item.Source, ch.Item.ID, len(ch.Item.Reports))
				if ch.Op == store.OpRemoved && ch.Telling {
					line = "told " + ch.Item.Source + ":" + ch.Item.ID
				}
				got = append(got, line)
			}
			if strings.Join(got, ", ") != strings.Join(tc.changes, ", ") || s.Seq() != seq+uint64(len(tc.changes)) {
				t.Errorf("changes logged by the split (Seq %d after %d):\n got %q\nwant %q", s.Seq(), seq, got, tc.changes)
			}

			want, byC := tc.merged, tc.byC
			check := func(when string) {
				t.Helper()
				if d := storyDigest(mustRecent(t, s, store.Query{Limit: 10})); d != want {
					t.Errorf("%s: Recent = %s, want %s", when, d, want)
				}
				if d := storyDigest(mustRecent(t, s, store.Query{Sources: []string{"b"}})); !strings.HasPrefix(d, "b:b1[") {
					t.Errorf("%s: source b alone = %s, want its own item b:b1", when, d)
				}
				if d := storyDigest(mustRecent(t, s, store.Query{Sources: []string{"c"}})); d != byC {
					t.Errorf("%s: source c alone = %s, want %s", when, d, byC)
				}
				// b1, a report before the split, is b's one item since.
				for src, n := range map[string]int{"a": 1, "b": 1, "c": 0} {
					if st, _ := s.State(src); st.Items != n {
						t.Errorf("%s: source %s counts %d items, want %d", when, src, st.Items, n)
					}
				}
			}
			check("after the split")
			if _, err := s.(store.Splitter).Split(ctx, tc.src, tc.id); !errors.Is(err, store.ErrNotMerged) {
				t.Errorf("a second Split of %s:%s = %v, want ErrNotMerged", tc.src, tc.id, err)
			}

			s = reopen(t)
			check("after a reopen")
			c.Advance(5 * time.Minute)
			seq = s.Seq()
			for _, src := range []string{"a", "b", "c", "b", "a"} {
				if res := mustIngest(t, s, src, polls[src]); res != (store.IngestResult{Unchanged: 1}) {
					t.Errorf("poll of %s after the split = %+v, want it unchanged", src, res)
				}
			}
			if s.Seq() != seq {
				t.Errorf("unchanged polls logged %d changes", s.Seq()-seq)
			}
			check("after the next polls")

			// A later telling of the split story finds its new item, by the
			// title it shares with it alone.
			if res := mustIngest(t, s, "d", StoryItem("d", "d1", titleB, "https://d.example/d1", T0.Add(-30*time.Minute))); res.Duplicate != 1 {
				t.Errorf("d's telling of b1's story = %+v, want a duplicate", res)
			}
			want, byC = tc.later, tc.laterByC
			check("after a later telling")

			// Retitled as the story it was split from, the split telling is
			// updated where it is, never merged back.
			retitled := polls[tc.src]
			retitled.Title = tc.retitle
			retitled.Story = StoryItem(tc.src, tc.id, tc.retitle, retitled.Link, retitled.Published).Story
			if res := mustIngest(t, s, tc.src, retitled); res != (store.IngestResult{Updated: 1}) {
				t.Errorf("retitle of %s:%s = %+v, want an update", tc.src, tc.id, res)
			}
			check("after a retitle")
			for _, it := range mustRecent(t, s, store.Query{Limit: 10}) {
				if it.Source == tc.src && it.ID == tc.id && it.Title != tc.retitle {
					t.Errorf("%s:%s is titled %q, want %q", tc.src, tc.id, it.Title, tc.retitle)
				}
			}
			// c's telling, whichever story holds it now, takes c's update.
			c1 := polls["c"]
			c1.Title += ", updated"
			if res := mustIngest(t, s, "c", c1); res != (store.IngestResult{Updated: 1}) {
				t.Errorf("retitle of c:c1 = %+v, want an update", res)
			}
			s = reopen(t)
			check("after the last reopen")
			for _, it := range mustRecent(t, s, store.Query{Limit: 10}) {
				for _, r := range it.Reports {
					if r.Source == "c" && r.Title != c1.Title {
						t.Errorf("c's telling on %s:%s is titled %q, want %q", it.Source, it.ID, r.Title, c1.Title)
					}
				}
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		ctx := context.Background()
		s, _ := open(t, Config{Now: NewClock(T0).Now, Dedupe: splitDedupe})
		sp, ok := s.(store.Splitter)
		if !ok {
			t.Skipf("%T does not implement store.Splitter: it cannot undo a merge", s)
		}
		mustIngest(t, s, "a", StoryItem("a", "a1", "alone in the news", "https://a.example/a1", T0))
		seq := s.Seq()
		for _, tt := range []struct {
			src, id string
			want    error
		}{
			{"a", "a1", store.ErrNotMerged},
			{"a", "nope", store.ErrNotFound},
			{"zz", "a1", store.ErrNotFound},
		} {
			if _, err := sp.Split(ctx, tt.src, tt.id); !errors.Is(err, tt.want) {
				t.Errorf("Split(%s, %s) = %v, want %v", tt.src, tt.id, err, tt.want)
			}
		}
		if s.Seq() != seq {
			t.Errorf("failed splits logged %d changes", s.Seq()-seq)
		}
		if d := storyDigest(mustRecent(t, s, store.Query{})); d != "a:a1[]" {
			t.Errorf("after failed splits: %s", d)
		}
	})
}
