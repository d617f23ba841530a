package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

func testIngestUpdatesInPlace(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openPlain(t, open)
	feed := []store.Item{
		Item("a", "1", "first", T0.Add(-2*time.Hour)),
		Item("a", "2", "second", T0.Add(-time.Hour)),
	}
	res, err := s.Ingest(ctx, store.SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (store.IngestResult{New: 2}) {
		t.Fatalf("first ingest = %+v, want 2 new", res)
	}
	v1 := s.Version()
	if v1 == 0 {
		t.Errorf("Version = 0 after new items")
	}

	c.Advance(time.Minute)
	res, err = s.Ingest(ctx, store.SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (store.IngestResult{Unchanged: 2}) {
		t.Fatalf("same feed again = %+v, want 2 unchanged", res)
	}
	if s.Version() != v1 {
		t.Errorf("Version changed on an unchanged feed")
	}

	feed[1].Title = "second, corrected"
	res, err = s.Ingest(ctx, store.SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (store.IngestResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("changed title = %+v, want 1 updated", res)
	}
	got := mustRecent(t, s, store.Query{})
	if want := []string{"a:second, corrected", "a:first"}; fmt.Sprint(Titles(got)) != fmt.Sprint(want) {
		t.Fatalf("Recent = %q, want %q", Titles(got), want)
	}
	if !got[0].FirstSeen.Equal(T0) {
		t.Errorf("FirstSeen = %v, want the first sighting %v", got[0].FirstSeen, T0)
	}
	if !got[0].Updated.Equal(T0.Add(time.Minute)) {
		t.Errorf("Updated = %v, want the time of the change", got[0].Updated)
	}
	if got[0].GUID != "2" || got[0].Link != "https://example.com/2" || !got[0].Published.Equal(T0.Add(-time.Hour)) {
		t.Errorf("stored item = %+v, want its GUID, link and date kept", got[0])
	}
	if st, _ := s.State("a"); st.Items != 2 {
		t.Errorf("State.Items = %d, want 2", st.Items)
	}
}

func testRecentOrderAndBadDates(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openPlain(t, open)
	mustIngest(t, s, "a",
		Item("a", "old", "old", T0.Add(-3*time.Hour)),
		Item("a", "future", "future", T0.Add(24*time.Hour)),
		Item("a", "slightlyahead", "slightly ahead", T0.Add(time.Minute)),
	)
	// Seen a second later, so it sorts above "future", which fell back to T0.
	c.Advance(time.Second)
	mustIngest(t, s, "a", Item("a", "nodate", "no date", time.Time{}))
	mustIngest(t, s, "b",
		Item("b", "mid", "mid", T0.Add(-2*time.Hour)),
		Item("b", "1", "b recent", T0.Add(-time.Minute)),
	)
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"all", store.Query{}, []string{"a:slightly ahead", "a:no date", "a:future", "b:b recent", "b:mid", "a:old"}},
		{"limit", store.Query{Limit: 2}, []string{"a:slightly ahead", "a:no date"}},
		{"one source", store.Query{Sources: []string{"b"}}, []string{"b:b recent", "b:mid"}},
		{"no sources", store.Query{Sources: []string{}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Recent(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(Titles(got)) != fmt.Sprint(tt.want) {
				t.Errorf("Recent(%+v) = %q, want %q", tt.q, Titles(got), tt.want)
			}
		})
	}
}

// ingestN stores n items of src, one a minute back from start.
func ingestN(t *testing.T, s store.Backend, src string, n int, start time.Time) {
	t.Helper()
	items := make([]store.Item, n)
	for i := range items {
		items[i] = Item(src, fmt.Sprintf("%s-%d", src, i), fmt.Sprintf("%s %d", src, i), start.Add(-time.Duration(i)*time.Minute))
	}
	mustIngest(t, s, src, items...)
}

func sourcesOf(items []store.Item) []string {
	var out []string
	for _, it := range items {
		if !slices.Contains(out, it.Source) {
			out = append(out, it.Source)
		}
	}
	slices.Sort(out)
	return out
}

func testRecentQueries(t *testing.T, open Opener) {
	s, _ := openPlain(t, open)
	// 100 items from "busy" newer than 2 from each of "q0" … "q8".
	ingestN(t, s, "busy", 100, T0)
	for i := range 9 {
		ingestN(t, s, fmt.Sprintf("q%d", i), 2, T0.Add(-time.Duration(200+i)*time.Minute))
	}
	all := []string{"busy", "q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"}
	tests := []struct {
		name    string
		q       store.Query
		want    int      // items
		sources []string // distinct sources in the result
		first   string   // title of the first item, if set
	}{
		{"all newest", store.Query{Limit: 10}, 10, []string{"busy"}, "busy 0"},
		{"default limit", store.Query{}, 50, []string{"busy"}, "busy 0"},
		{"quiet source behind a busy one", store.Query{Sources: []string{"q3"}, Limit: 10}, 2, []string{"q3"}, "q3 0"},
		{"two sources merged by time", store.Query{Sources: []string{"q8", "q0"}, Limit: 3}, 3, []string{"q0", "q8"}, "q0 0"},
		{"source named twice", store.Query{Sources: []string{"q1", "q1"}, Limit: 10}, 2, []string{"q1"}, "q1 0"},
		{"unknown source", store.Query{Sources: []string{"nosuch"}}, 0, nil, ""},
		{"empty source list", store.Query{Sources: []string{}}, 0, nil, ""},
		{"per source cap shows all ten", store.Query{Limit: 10, PerSource: 1}, 10, all, "busy 0"},
		{"per source cap over named sources", store.Query{Sources: []string{"busy", "q1"}, Limit: 50, PerSource: 2}, 4, []string{"busy", "q1"}, "busy 0"},
		{"interleave shows all ten", store.Query{Limit: 20, Interleave: true}, 20, all, "busy 0"},
		{"since", store.Query{Since: T0.Add(-4*time.Minute - time.Second), Limit: 50}, 5, []string{"busy"}, "busy 0"},
		{"since per source", store.Query{Sources: []string{"q0", "q1"}, Since: T0.Add(-200*time.Minute - 30*time.Second), Limit: 50}, 1, []string{"q0"}, "q0 0"},
		{"match", store.Query{Limit: 50, Match: func(it *store.Item) bool { return strings.HasSuffix(it.Title, " 1") }}, 10, all, "busy 1"},
		{"match per source", store.Query{Sources: all, Limit: 50, Match: func(it *store.Item) bool { return it.Source != "busy" }}, 18, all[1:], "q0 0"},
		{"max scan bounds a rare match", store.Query{Limit: 50, MaxScan: 20, Match: func(it *store.Item) bool { return it.Source == "q0" }}, 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRecent(t, s, tt.q)
			if len(got) != tt.want {
				t.Errorf("Recent = %d items %q, want %d", len(got), Titles(got), tt.want)
			}
			if srcs := sourcesOf(got); !slices.Equal(srcs, tt.sources) {
				t.Errorf("Recent sources = %q, want %q", srcs, tt.sources)
			}
			if tt.first != "" && len(got) > 0 && got[0].Title != tt.first {
				t.Errorf("Recent first = %q, want %q", got[0].Title, tt.first)
			}
			if !tt.q.Interleave && !slices.IsSortedFunc(got, func(a, b store.Item) int { return b.Time().Compare(a.Time()) }) {
				t.Errorf("Recent not newest first: %q", Titles(got))
			}
		})
	}
}

func testRecentInterleaveOrder(t *testing.T, open Opener) {
	s, _ := openPlain(t, open)
	ingestN(t, s, "a", 5, T0)
	ingestN(t, s, "b", 2, T0.Add(-time.Hour))
	ingestN(t, s, "c", 1, T0.Add(-30*time.Minute))
	got := mustRecent(t, s, store.Query{Limit: 6, Interleave: true})
	want := []string{"a:a 0", "c:c 0", "b:b 0", "a:a 1", "b:b 1", "a:a 2"}
	if !slices.Equal(Titles(got), want) {
		t.Errorf("Recent(interleave) = %q, want %q", Titles(got), want)
	}
	got = mustRecent(t, s, store.Query{Limit: 10, Interleave: true, PerSource: 1, Sources: []string{"b", "a"}})
	if want := []string{"a:a 0", "b:b 0"}; !slices.Equal(Titles(got), want) {
		t.Errorf("Recent(interleave, per source 1) = %q, want %q", Titles(got), want)
	}
}

func testRestartKeepsItemsAndState(t *testing.T, open Opener) {
	ctx := context.Background()
	c := NewClock(T0)
	s, reopen := open(t, Config{Now: c.Now})
	var feed []store.Item
	for i := range 120 {
		feed = append(feed, Item("a", fmt.Sprint(i), fmt.Sprint("headline ", i), T0.Add(time.Duration(i)*time.Minute)))
	}
	if _, err := s.Ingest(ctx, store.SourceState{Name: "a", ETag: `"v1"`}, feed); err != nil {
		t.Fatal(err)
	}
	seq := s.Seq()
	// A 304 later only marks the state in memory; Close must persist it.
	s.MarkState(store.SourceState{Name: "a", ETag: `"v1"`, LastStatus: "not_modified"})

	s = reopen(t)
	got := mustRecent(t, s, store.Query{Limit: 1000})
	if len(got) != 120 {
		t.Fatalf("after restart Recent returned %d items, want 120", len(got))
	}
	st, ok := s.State("a")
	if !ok || st.ETag != `"v1"` || st.LastStatus != "not_modified" || st.Items != 120 {
		t.Errorf("after restart State = %+v, %v", st, ok)
	}
	if s.Seq() != seq || s.Version() != seq {
		t.Errorf("after restart Seq, Version = %d, %d; want %d", s.Seq(), s.Version(), seq)
	}
	if res := mustIngest(t, s, "a", feed...); res.Unchanged != 120 {
		t.Errorf("the same feed after restart = %+v, want 120 unchanged", res)
	}
}

func testStates(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openPlain(t, open)
	if _, ok := s.State("b"); ok {
		t.Error("State of an unknown source reported known")
	}
	if err := s.SaveState(ctx, store.SourceState{}); err == nil {
		t.Error("SaveState of a nameless source succeeded")
	}
	at := T0.Add(-time.Minute)
	want := store.SourceState{
		Name: "b", URL: "https://b.example/feed", Title: "B", Link: "https://b.example/", Lang: "ar",
		ETag: `"e"`, LastModified: "Sat, 28 Nov 2026 11:00:00 GMT", BodyHash: "abc",
		LastAttempt: at, LastSuccess: at, LastStatus: "degraded", LastError: "boom", Failures: 2,
		NextAttempt: T0.Add(time.Hour), NextReason: store.NextBackoff, RedirectURL: "https://b2.example/feed",
		Alternate: "https://b.example/rss", Degraded: "line 3, column 4: bad",
	}
	if err := s.SaveState(ctx, want); err != nil {
		t.Fatal(err)
	}
	mustIngest(t, s, "a", Item("a", "1", "x", T0))
	s.MarkState(store.SourceState{Name: "c", LastStatus: "not_modified"})
	got, ok := s.State("b")
	if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("State(b) = %+v, %v\nwant %+v", got, ok, want)
	}
	var names []string
	for _, st := range s.States() {
		names = append(names, st.Name)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(names, want) {
		t.Errorf("States() names = %q, want %q (sorted)", names, want)
	}
	// Items is the store's own count, whatever the caller says.
	if err := s.SaveState(ctx, store.SourceState{Name: "a", Items: 99}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.State("a"); st.Items != 1 {
		t.Errorf("State(a).Items = %d after SaveState claiming 99, want the stored 1", st.Items)
	}
}

func testMarkStateWritesNothing(t *testing.T, open Opener) {
	s, _ := openPlain(t, open)
	before0 := s.Stats().Writes
	mustIngest(t, s, "a", Item("a", "1", "x", T0))
	before := s.Stats().Writes
	if before <= before0 {
		t.Errorf("Ingest did not count a write: Writes %d → %d", before0, before)
	}
	s.MarkState(store.SourceState{Name: "a", LastStatus: "not_modified"})
	if got := s.Stats().Writes; got != before {
		t.Errorf("MarkState wrote: Writes %d → %d", before, got)
	}
	if st, _ := s.State("a"); st.LastStatus != "not_modified" || st.Items != 1 {
		t.Errorf("State after MarkState = %+v", st)
	}
}

func testChangedSignals(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openPlain(t, open)
	ch := s.Changed()
	before := s.LastChange()
	if err := s.SaveState(ctx, store.SourceState{Name: "a", LastError: "boom"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
		t.Fatal("Changed fired on a state-only write")
	default:
	}
	mustIngest(t, s, "a", Item("a", "1", "x", T0))
	// Another backend may tell of a change a moment after its commit
	// (PostgreSQL replicas hear of each other's), but its own ingest
	// must show at once.
	select {
	case <-ch:
	default:
		t.Fatal("Changed did not fire after a new item")
	}
	if s.LastChange().Before(before) {
		t.Errorf("LastChange went back from %v to %v", before, s.LastChange())
	}
}

func testIngestRejectsBadItems(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openPlain(t, open)
	tests := []struct {
		name  string
		st    store.SourceState
		items []store.Item
	}{
		{"other source", store.SourceState{Name: "a"}, []store.Item{Item("b", "1", "x", T0)}},
		{"no id", store.SourceState{Name: "a"}, []store.Item{{Source: "a", Title: "x"}}},
		{"no source name", store.SourceState{}, []store.Item{Item("", "1", "x", T0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Ingest(ctx, tt.st, tt.items); err == nil {
				t.Errorf("Ingest(%+v) succeeded, want an error", tt.items)
			}
		})
	}
	if got := mustRecent(t, s, store.Query{}); len(got) != 0 {
		t.Errorf("rejected ingest stored %d items", len(got))
	}
	if s.Seq() != 0 {
		t.Errorf("rejected ingest logged changes: Seq = %d", s.Seq())
	}
}

func testInvalidUTF8IsStable(t *testing.T, open Opener) {
	s, _ := openPlain(t, open)
	feed := []store.Item{Item("a", "1", "bad \xff byte", T0)}
	feed[0].Categories = []string{"x\xfe"}
	mustIngest(t, s, "a", feed...)
	if feed[0].Categories[0] != "x\xfe" {
		t.Errorf("Ingest changed the caller's categories to %q", feed[0].Categories)
	}
	feed = []store.Item{Item("a", "1", "bad \xff byte", T0)}
	feed[0].Categories = []string{"x\xfe"}
	if res := mustIngest(t, s, "a", feed...); res.Unchanged != 1 {
		t.Errorf("re-ingest of an item with invalid UTF-8 = %+v, want unchanged", res)
	}
	got := mustRecent(t, s, store.Query{})
	if len(got) != 1 || got[0].Title != "bad \uFFFD byte" || !slices.Equal(got[0].Categories, []string{"x\uFFFD"}) {
		t.Errorf("stored %+v, want invalid bytes replaced by U+FFFD", got)
	}
}

func testCrossSourceDedupe(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openDedupe(t, open)
	mustIngest(t, s, "a",
		StoryItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", T0.Add(-time.Hour)),
		StoryItem("a", "2", "central bank holds rates", "https://shared.example/rates", T0.Add(-2*time.Hour)),
		StoryItem("a", "3", "army arrests young man in silwad east of ramallah", "https://a.example/3", T0.Add(-3*time.Hour)),
		StoryItem("a", "4", "", "https://a.example/4", T0.Add(-4*time.Hour)),
		StoryItem("a", "5", "storm hits the coast", "https://a.example/5", T0.Add(-100*time.Hour)),
	)
	c.Advance(time.Minute)
	v := s.Version()
	res, err := s.Ingest(ctx, store.SourceState{Name: "b"}, []store.Item{
		StoryItem("b", "x1", "Ceasefire takes effect in the north today", "https://b.example/x1", T0.Add(-50*time.Minute)), // similar
		StoryItem("b", "x2", "Rates unchanged", "https://shared.example/rates", T0.Add(-time.Hour)),                        // same link
		StoryItem("b", "x3", "army arrests two young men from aboud northwest of ramallah", "https://b.example/x3", T0),    // look-alike, different
		StoryItem("b", "x4", "", "https://b.example/x4", T0),                                                               // empty title never matches
		StoryItem("b", "x5", "storm hits the coast", "https://b.example/x5", T0),                                           // same title, outside the window
		StoryItem("b", "x6", "CENTRAL bank holds   rates", "https://b.example/x6", T0),                                     // same normalized title
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.IngestResult{New: 3, Duplicate: 3}); res != want {
		t.Fatalf("second source ingest = %+v, want %+v", res, want)
	}
	if s.Version() == v {
		t.Error("Version did not change when reports were added")
	}
	got := mustRecent(t, s, store.Query{Limit: 100})
	reports := map[string]string{}
	for _, it := range got {
		var rs []string
		for _, r := range it.Reports {
			rs = append(rs, r.Source+"/"+r.Link)
		}
		reports[it.Source+":"+it.ID] = strings.Join(rs, ",")
	}
	want := map[string]string{
		// x6 is b's second telling of a:2: not recorded.
		"a:1": "b/https://b.example/x1", "a:2": "b/https://shared.example/rates",
		"a:3": "", "a:4": "", "a:5": "", "b:x3": "", "b:x4": "", "b:x5": "",
	}
	if fmt.Sprint(reports) != fmt.Sprint(want) {
		t.Errorf("items and their reports:\n got %v\nwant %v", reports, want)
	}
	for _, it := range got {
		if it.ID == "1" && len(it.Reports) == 1 {
			r := it.Reports[0]
			if r.ID != "x1" || r.GUID != "x1" || r.Title != "Ceasefire takes effect in the north today" || !r.Time.Equal(T0.Add(-50*time.Minute)) {
				t.Errorf("report on a:1 = %+v, want b's telling x1 in full", r)
			}
		}
	}

	// The next poll of b finds its duplicates already recorded.
	res, err = s.Ingest(ctx, store.SourceState{Name: "b"}, []store.Item{
		StoryItem("b", "x1", "Ceasefire takes effect in the north today", "https://b.example/x1", T0.Add(-50*time.Minute)),
		StoryItem("b", "x2", "Rates unchanged", "https://shared.example/rates", T0.Add(-time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.IngestResult{Unchanged: 2}); res != want {
		t.Errorf("re-poll of duplicates = %+v, want %+v", res, want)
	}
	if st, _ := s.State("b"); st.Items != 3 {
		t.Errorf("b counts %d items, want its 3 own (duplicates are reports)", st.Items)
	}
}

func testUpdateNeverMergesAway(t *testing.T, open Opener) {
	s, _ := openDedupe(t, open)
	mustIngest(t, s, "a", StoryItem("a", "1", "flood warning for the valley", "https://a.example/1", T0))
	mustIngest(t, s, "b", StoryItem("b", "1", "markets open higher", "https://b.example/1", T0))
	// b's item is corrected into a's story: it is updated, not deleted.
	if res := mustIngest(t, s, "b", StoryItem("b", "1", "flood warning for the valley", "https://b.example/1", T0)); res.Updated != 1 {
		t.Errorf("update = %+v, want 1 updated", res)
	}
	if got := mustRecent(t, s, store.Query{}); len(got) != 2 {
		t.Errorf("after the update %d items remain, want 2", len(got))
	}
}

func testDedupeOff(t *testing.T, open Opener) {
	s, _ := openPlain(t, open)
	for _, src := range []string{"a", "b"} {
		mustIngest(t, s, src, StoryItem(src, "1", "same words", "https://same.example/", T0))
	}
	if got := mustRecent(t, s, store.Query{}); len(got) != 2 {
		t.Errorf("with dedupe off, %d items stored, want 2", len(got))
	}
}

// maxReports is how many reports a story keeps (store's bound).
const maxReports = 32

func testReportsAreBounded(t *testing.T, open Opener) {
	s, _ := openDedupe(t, open)
	for i := range maxReports + 10 {
		src := fmt.Sprint("wire", i)
		mustIngest(t, s, src, StoryItem(src, "1", "the same story", "", T0))
	}
	got := mustRecent(t, s, store.Query{})
	if len(got) != 1 || len(got[0].Reports) != maxReports {
		n := 0
		if len(got) > 0 {
			n = len(got[0].Reports)
		}
		t.Fatalf("got %d items, the first with %d reports; want 1 item with %d", len(got), n, maxReports)
	}
	for i, r := range got[0].Reports {
		if want := fmt.Sprint("wire", i+1); r.Source != want {
			t.Fatalf("report %d is from %s, want %s (in the order they arrived)", i, r.Source, want)
		}
	}
}

func testChurnedGUIDsAddNothing(t *testing.T, open Opener) {
	s, _ := openDedupe(t, open)
	mustIngest(t, s, "other", StoryItem("other", "o", "story 0 told twice", "https://other.example/0", T0))
	feed := func(poll int) []store.Item {
		out := make([]store.Item, 10)
		for i := range out {
			out[i] = StoryItem("churn", fmt.Sprint(poll, "-", i), fmt.Sprintf("story %d told twice", i), fmt.Sprintf("https://churn.example/%d", i), T0.Add(time.Duration(-i)*time.Minute))
		}
		return out
	}
	mustIngest(t, s, "churn", feed(0)...)
	seq := s.Seq()
	for poll := 1; poll < 20; poll++ {
		if res := mustIngest(t, s, "churn", feed(poll)...); res.New != 0 || res.Updated != 0 {
			t.Fatalf("poll %d = %+v, want nothing new or updated", poll, res)
		}
	}
	if s.Seq() != seq {
		t.Errorf("churned GUIDs logged %d changes, want none", s.Seq()-seq)
	}
	if got := mustRecent(t, s, store.Query{Limit: 100}); len(got) != 10 {
		t.Errorf("after churned polls %d stories, want 10", len(got))
	}
}

// tellingsCase is three sources, two stories told by two of them in other
// words (the same normalized title, different links), and one story each
// told alone.
func tellingsCase() map[string][]store.Item {
	at := func(m int) time.Time { return T0.Add(time.Duration(-m) * time.Minute) }
	return map[string][]store.Item{
		"a": {
			StoryItem("a", "a1", "ceasefire holds in the north", "https://a.example/1", at(50)),
			StoryItem("a", "a2", "central bank holds rates", "https://a.example/2", at(40)),
			StoryItem("a", "a3", "storm hits the coast", "https://a.example/3", at(30)),
		},
		"b": {
			StoryItem("b", "b1", "Ceasefire HOLDS in the north", "https://b.example/1", at(45)),
			StoryItem("b", "b2", "book fair opens", "https://b.example/2", at(20)),
			StoryItem("b", "b3", "markets open higher", "https://b.example/3", at(10)),
		},
		"c": {
			StoryItem("c", "c1", "Central Bank holds rates", "https://c.example/1", at(41)),
			StoryItem("c", "c2", "Markets open HIGHER", "https://c.example/2", at(5)),
		},
	}
}

// orders is every order of the three sources: which arrives first decides
// which telling is a story's item.
var orders = [][]string{{"a", "b", "c"}, {"a", "c", "b"}, {"b", "a", "c"}, {"b", "c", "a"}, {"c", "a", "b"}, {"c", "b", "a"}}

func testSourceSelectionHoldsEveryTelling(t *testing.T, open Opener) {
	feeds := tellingsCase()
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			s, _ := openDedupe(t, open)
			for _, name := range order {
				mustIngest(t, s, name, feeds[name]...)
			}
			if all := mustRecent(t, s, store.Query{Limit: 100}); len(all) != 5 {
				t.Errorf("all sources: %d items %v, want the 5 stories", len(all), Titles(all))
			}
			for name, want := range feeds {
				got := mustRecent(t, s, store.Query{Sources: []string{name}, Limit: 100})
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
			got := mustRecent(t, s, store.Query{Sources: []string{"a", "b"}, Limit: 100})
			if len(got) != 5 {
				t.Errorf("sources a, b: %d items %v, want 5", len(got), Titles(got))
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

func testTellingUpdates(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openDedupe(t, open)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b"} {
		mustIngest(t, s, name, feeds[name]...)
	}
	seq := s.Seq()
	if res, _ := s.Ingest(ctx, store.SourceState{Name: "b"}, feeds["b"]); res.Unchanged != 3 || s.Seq() != seq {
		t.Fatalf("b again = %+v and %d changes, want 3 unchanged and none", res, s.Seq()-seq)
	}
	// a1 moves: its date changes.
	a := slices.Clone(feeds["a"])
	a[0].Published = a[0].Published.Add(-time.Minute)
	if res, err := s.Ingest(ctx, store.SourceState{Name: "a"}, a); err != nil || res.Updated != 1 {
		t.Fatalf("a with a1 redated = %+v, %v", res, err)
	}
	b := slices.Clone(feeds["b"])
	b[0].Title = "Ceasefire holds in the north, army says"
	res, err := s.Ingest(ctx, store.SourceState{Name: "b"}, b)
	if err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("b with b1 retitled = %+v, %v; want 1 updated", res, err)
	}
	if got := mustRecent(t, s, store.Query{Sources: []string{"b"}}); len(got) != 3 || got[2].Title != b[0].Title {
		t.Errorf("source b after b1's retitling: %v", Titles(got))
	}
	all := mustRecent(t, s, store.Query{Limit: 100})
	if len(all) != 5 || len(all[4].Reports) != 1 || all[4].Reports[0].Title != b[0].Title {
		t.Errorf("all sources: %v, want 5 stories, a1 listing b1's new title", Titles(all))
	}
}

// testIngestConcurrentSameStories: sources telling the same stories at
// once end with every story stored once and reported by the rest, as
// when feeds are ingested one after another.
func testIngestConcurrentSameStories(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openDedupe(t, open)
	const sources, stories = 8, 20
	var wg sync.WaitGroup
	results := make([]store.IngestResult, sources)
	errs := make([]error, sources)
	for i := range sources {
		wg.Go(func() {
			src := fmt.Sprintf("s%d", i)
			var items []store.Item
			for j := range stories {
				title := fmt.Sprintf("minister %d visits town%d for talks on water", j, j)
				if i%2 == 1 {
					title += " today" // similar, not equal
				}
				link := fmt.Sprintf("https://%s.example/%d", src, j)
				if i%4 == 2 {
					link = fmt.Sprintf("https://wire.example/%d", j) // shared link
				}
				items = append(items, StoryItem(src, fmt.Sprint(j), title, link, T0.Add(-time.Duration(j+i)*time.Minute)))
			}
			results[i], errs[i] = s.Ingest(ctx, store.SourceState{Name: src}, items)
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
	if got := mustRecent(t, s, store.Query{Limit: 1000}); len(got) != stories {
		t.Errorf("Recent holds %d stories, want %d", len(got), stories)
	}
}

func testChangeLogRecordsIngest(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openDedupe(t, open)
	if s.Seq() != 0 || len(mustChanges(t, s, 0)) != 0 {
		t.Fatalf("new store: Seq = %d, want 0 and no changes", s.Seq())
	}
	mustIngest(t, s, "a",
		StoryItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", T0.Add(-time.Hour)),
		StoryItem("a", "2", "central bank holds rates", "https://a.example/2", T0.Add(-2*time.Hour)),
	)
	if s.Seq() != 2 || s.Version() != 2 {
		t.Fatalf("after two new items Seq, Version = %d, %d; want 2, 2", s.Seq(), s.Version())
	}
	c.Advance(time.Minute)
	// An unchanged poll logs nothing.
	mustIngest(t, s, "a", StoryItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", T0.Add(-time.Hour)))
	if s.Seq() != 2 {
		t.Fatalf("unchanged poll moved Seq to %d", s.Seq())
	}
	// A rewritten title with a new date moves the item; a duplicate
	// from another source updates the kept item.
	mustIngest(t, s, "a", StoryItem("a", "2", "central bank holds rates again", "https://a.example/2", T0.Add(-30*time.Minute)))
	mustIngest(t, s, "b",
		StoryItem("b", "x", "Ceasefire takes effect in the north today", "https://b.example/x", T0),
		StoryItem("b", "y", "storm hits the coast", "https://b.example/y", T0),
	)
	want := `1 added a:1 ceasefire takes effect in the north +1
2 added a:2 central bank holds rates again
3 updated a:2 central bank holds rates again
4 updated a:1 ceasefire takes effect in the north +1
5 added b:y storm hits the coast
`
	if got := changeList(mustChanges(t, s, 0)); got != want {
		t.Errorf("Changes(0) =\n%s\nwant\n%s", got, want)
	}
	if got, want := changeList(mustChanges(t, s, 3)), want[strings.Index(want, "4 "):]; got != want {
		t.Errorf("Changes(3) =\n%s\nwant\n%s", got, want)
	}
	if chs := mustChanges(t, s, 5); len(chs) != 0 {
		t.Errorf("Changes(Seq) = %d changes, want none", len(chs))
	}
	if _, err := s.Changes(ctx, 6, 0); !errors.Is(err, store.ErrChangesTrimmed) {
		t.Errorf("Changes beyond the log: err = %v, want ErrChangesTrimmed", err)
	}
	chs, err := s.Changes(ctx, 0, 2)
	if err != nil || len(chs) != 2 || chs[1].Seq != 2 {
		t.Errorf("Changes(0, limit 2) = %d changes (last %v), %v; want seqs 1 and 2", len(chs), chs, err)
	}
}

func testChangeLogTrimsAndPersists(t *testing.T, open Opener) {
	ctx := context.Background()
	c := NewClock(T0)
	s, reopen := open(t, Config{Now: c.Now, ChangeLog: 5})
	for i := range 8 {
		mustIngest(t, s, "a", Item("a", fmt.Sprint(i), fmt.Sprint("headline ", i), T0.Add(time.Duration(i-8)*time.Minute)))
	}
	for _, after := range []uint64{0, 1, 2} {
		if _, err := s.Changes(ctx, after, 0); !errors.Is(err, store.ErrChangesTrimmed) {
			t.Errorf("Changes(%d) with 5 of 8 kept: err = %v, want ErrChangesTrimmed", after, err)
		}
	}
	if got := len(mustChanges(t, s, 3)); got != 5 {
		t.Errorf("Changes(3) = %d changes, want 5", got)
	}
	// A removal names the item that went.
	if res, err := s.Prune(ctx, store.Retention{MaxPerSource: 7}); err != nil || res.ByCount != 1 {
		t.Fatalf("Prune to 7 = %+v, %v; want 1 removed", res, err)
	}
	s = reopen(t)
	if s.Seq() != 9 || s.Version() != 9 {
		t.Fatalf("reopened: Seq, Version = %d, %d; want 9, 9", s.Seq(), s.Version())
	}
	chs := mustChanges(t, s, 8)
	if len(chs) != 1 || chs[0].Op != store.OpRemoved || chs[0].Item.ID != "0" || chs[0].Item.GUID != "0" || chs[0].Item.Link != "https://example.com/0" {
		t.Fatalf("removal change = %+v", chs)
	}
	mustIngest(t, s, "a", Item("a", "new", "after restart", T0))
	if chs := mustChanges(t, s, 9); len(chs) != 1 || chs[0].Seq != 10 || chs[0].Op != store.OpAdded {
		t.Errorf("first change after restart = %+v, want seq 10 added", chs)
	}
}

// testPrune: retention removes what is older than max_age and each
// source's oldest beyond max_items_per_source, in small batches, through
// the change log; a pruned story is not added again within the dedupe
// window, by its source or another, and is after it.
func testPrune(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openDedupe(t, open)
	var aItems []store.Item
	for i := range 5 {
		aItems = append(aItems, StoryItem("a", fmt.Sprint("a", i), fmt.Sprintf("story number %d about topic%d", i, i),
			fmt.Sprintf("https://a.example/%d", i), T0.Add(-time.Duration(i+1)*time.Hour)))
	}
	mustIngest(t, s, "a", aItems...)
	mustIngest(t, s, "b",
		StoryItem("b", "b0", "fresh news from b", "https://b.example/0", T0.Add(-time.Hour)),
		StoryItem("b", "old", "ancient history from b", "https://b.example/old", T0.Add(-100*time.Hour)))
	seq := s.Seq()

	res, err := s.Prune(ctx, store.Retention{MaxAge: 72 * time.Hour, MaxPerSource: 3, Batch: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.ByAge != 1 || res.ByCount != 2 {
		t.Errorf("Prune = %+v, want 1 by age, 2 by count", res)
	}
	if got, want := recentIDs(t, s, store.Query{Limit: 100}), []string{"a:a0", "b:b0", "a:a1", "a:a2"}; !slices.Equal(got, want) {
		t.Errorf("after Prune: %v, want %v", got, want)
	}
	if got := recentIDs(t, s, store.Query{Sources: []string{"a"}, Limit: 100}); len(got) != 3 {
		t.Errorf("source a still lists pruned items: %v", got)
	}
	if st, _ := s.State("a"); st.Items != 3 {
		t.Errorf("a counts %d items, want 3", st.Items)
	}
	if st, _ := s.State("b"); st.Items != 1 {
		t.Errorf("b counts %d items, want 1", st.Items)
	}
	var removed []string
	for _, ch := range mustChanges(t, s, seq) {
		if ch.Op == store.OpRemoved {
			removed = append(removed, ch.Item.ID)
			// Readers name a removed item as the feeds did, by GUID.
			if ch.Item.GUID != ch.Item.ID {
				t.Errorf("removal of %s carries GUID %q, want %q", ch.Item.ID, ch.Item.GUID, ch.Item.ID)
			}
		}
	}
	slices.Sort(removed)
	if want := []string{"a3", "a4", "old"}; !slices.Equal(removed, want) {
		t.Errorf("change log removals = %v, want %v", removed, want)
	}

	// Within the window: the feed listing every item again adds none of
	// the pruned, and another source telling a pruned story is a
	// duplicate, not news.
	c.Advance(time.Hour)
	if r := mustIngest(t, s, "a", aItems...); r.New != 0 || r.Unchanged != 5 {
		t.Errorf("re-ingest of a within the window = %+v, want 5 unchanged", r)
	}
	if r := mustIngest(t, s, "c", StoryItem("c", "c3", "story number 3 about topic3", "https://a.example/3", T0.Add(-4*time.Hour))); r.New != 0 || r.Duplicate != 1 {
		t.Errorf("another source's telling of a pruned story = %+v, want a duplicate", r)
	}
	if got := recentIDs(t, s, store.Query{Limit: 100}); len(got) != 4 {
		t.Errorf("pruned stories came back: %v", got)
	}

	// After the window the tombstones go, and the feed's item is news
	// again (the caller's limits decide whether it stays).
	c.Advance(49 * time.Hour)
	res, err = s.Prune(ctx, store.Retention{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tombstones == 0 {
		t.Errorf("Prune after the window = %+v, want expired tombstones", res)
	}
	if r := mustIngest(t, s, "a", aItems[3]); r.New != 1 {
		t.Errorf("re-ingest after the window = %+v, want new", r)
	}

	// Much later, everything goes by age.
	c.Advance(300 * time.Hour)
	res, err = s.Prune(ctx, store.Retention{MaxAge: 72 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.ByAge != 5 {
		t.Errorf("Prune much later = %+v, want every item by age", res)
	}
	if got := recentIDs(t, s, store.Query{Limit: 100}); len(got) != 0 {
		t.Errorf("after pruning everything: %v", got)
	}
}

// testPruneBesideIngest: pruning in batches while feeds are ingested
// keeps counts and the store consistent (run with -race).
func testPruneBesideIngest(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openDedupe(t, open)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for round := range 20 {
			var items []store.Item
			for i := range 50 {
				items = append(items, Item("busy", fmt.Sprint(round, "-", i), fmt.Sprint("busy ", round, " ", i), T0.Add(time.Duration(round*50+i)*time.Second)))
			}
			if _, err := s.Ingest(ctx, store.SourceState{Name: "busy"}, items); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 20 {
		if _, err := s.Prune(ctx, store.Retention{MaxPerSource: 100, Batch: 7}); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	c.Advance(time.Second)
	if _, err := s.Prune(ctx, store.Retention{MaxPerSource: 100}); err != nil {
		t.Fatal(err)
	}
	got := recentIDs(t, s, store.Query{Limit: 2000})
	if st, _ := s.State("busy"); len(got) != 100 || st.Items != 100 {
		t.Errorf("after ingest and pruning: %d items stored, count %d; want 100", len(got), st.Items)
	}
}

func testTellingsOutliveTheirStorysItem(t *testing.T, open Opener) {
	ctx := context.Background()
	s, c := openDedupe(t, open)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b", "c"} {
		mustIngest(t, s, name, feeds[name]...)
	}
	seq := s.Seq()
	// Order a, b, c: a holds the items of the stories b and c retold; b
	// retold a1 and keeps b2, b3; c retold a2 and b3. Each source keeping
	// two items, a1 goes.
	if _, err := s.Prune(ctx, store.Retention{MaxPerSource: 2}); err != nil {
		t.Fatal(err)
	}
	b := mustRecent(t, s, store.Query{Sources: []string{"b"}})
	if len(b) != 3 || b[2].ID != "b1" || len(b[2].Reports) != 1 || b[2].Reports[0].Source != "a" {
		t.Errorf("source b after a1 went: %v, want b's three with b1 listing a", Titles(b))
	}
	if all := mustRecent(t, s, store.Query{Limit: 100}); len(all) != 4 {
		t.Errorf("all sources after pruning: %v, want the 4 stories whose items stayed", Titles(all))
	}
	changes := mustChanges(t, s, seq)
	if len(changes) != 1 || changes[0].Op != store.OpRemoved || len(changes[0].Item.Reports) != 1 {
		t.Errorf("changes after pruning: %+v, want a1's removal carrying its story's report", changes)
	}
	// The tellings go by their own age.
	seq = s.Seq()
	c.Advance(time.Hour)
	res, err := s.Prune(ctx, store.Retention{MaxAge: 1*time.Hour + 43*time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tellings != 1 {
		t.Errorf("prune by age = %+v, want 1 telling (b1)", res)
	}
	b = mustRecent(t, s, store.Query{Sources: []string{"b"}})
	c1 := mustRecent(t, s, store.Query{Sources: []string{"c"}})
	if len(b) != 2 || len(c1) != 2 {
		t.Errorf("after b1 aged out: b %v, c %v; want b's 2 newer, c's 2", Titles(b), Titles(c1))
	}
	changes = mustChanges(t, s, seq)
	if len(changes) != 1 || !changes[0].Telling || changes[0].Item.ID != "b1" {
		t.Errorf("changes after the telling aged out: %+v, want b1's removal", changes)
	}
}

// testDropSources removes a source's items and state at once, leaving
// other sources alone.
func testDropSources(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openDedupe(t, open)
	var many []store.Item
	for i := range 1200 { // more than one batch
		many = append(many, Item("gone", fmt.Sprint("g", i), fmt.Sprint("gone ", i), T0.Add(-time.Duration(i)*time.Minute)))
	}
	mustIngest(t, s, "gone", many...)
	mustIngest(t, s, "kept", Item("kept", "k", "kept item", T0))
	seq := s.Seq()
	n, err := s.DropSources(ctx, []string{"gone"})
	if err != nil || n != 1200 {
		t.Fatalf("DropSources = %d, %v; want 1200", n, err)
	}
	if got := recentIDs(t, s, store.Query{Limit: 2000}); !slices.Equal(got, []string{"kept:k"}) {
		t.Errorf("after DropSources: %v", got)
	}
	if _, ok := s.State("gone"); ok {
		t.Error("state of a dropped source remains")
	}
	if chs, err := s.Changes(ctx, seq, 5000); err != nil || len(chs) != 1200 || chs[0].Op != store.OpRemoved {
		t.Errorf("change log after DropSources: %d entries, %v", len(chs), err)
	}
	// The source added back starts afresh.
	if r := mustIngest(t, s, "gone", many[0]); r.New != 1 {
		t.Errorf("re-added source's item = %+v, want new", r)
	}
}

// testDropSourceAndTellings: dropping the source of a story's item keeps
// another source's telling of it; dropping a source that told others'
// stories takes its tellings off, logging their removal.
func testDropSourceAndTellings(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openDedupe(t, open)
	feeds := tellingsCase()
	for _, name := range []string{"a", "b", "c"} {
		mustIngest(t, s, name, feeds[name]...)
	}
	// c told a2 and b3 second.
	seq := s.Seq()
	if _, err := s.DropSources(ctx, []string{"c"}); err != nil {
		t.Fatal(err)
	}
	if got := mustRecent(t, s, store.Query{Sources: []string{"c"}}); len(got) != 0 {
		t.Errorf("dropped source c still holds %v", Titles(got))
	}
	changes := mustChanges(t, s, seq)
	if len(changes) != 2 || !changes[0].Telling || !changes[1].Telling {
		t.Errorf("dropping c logged %+v, want its 2 tellings' removals", changes)
	}
	// b told a1 second; a's items go.
	if _, err := s.DropSources(ctx, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if got := mustRecent(t, s, store.Query{Sources: []string{"b"}}); len(got) != 3 {
		t.Errorf("after dropping a, b holds %v, want its 3 tellings", Titles(got))
	}
	if got := mustRecent(t, s, store.Query{Limit: 100}); len(got) != 2 {
		t.Errorf("after dropping a, all sources hold %v, want b's 2 items", Titles(got))
	}
}

func testBackup(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := openPlain(t, open)
	ingestN(t, s, "a", 20, T0)
	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n == 0 || n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d; want the same, not zero", n, buf.Len())
	}
	if s.Path() == "" {
		t.Error("Path is empty")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Backup(cctx, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Backup with a canceled context = %v, want context.Canceled", err)
	}
}
