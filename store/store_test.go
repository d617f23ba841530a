package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func openTestStore(t testing.TB) (*Store, *clock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "tickerd.db")
	c := &clock{t: t0}
	s, err := Open(path, &Options{Now: c.now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c, path
}

func item(src, id, title string, pub time.Time) Item {
	return Item{Source: src, ID: id, GUID: id, Title: title, Link: "https://example.com/" + id, Published: pub}
}

func titles(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Source + ":" + it.Title
	}
	return out
}

func TestIngestDedupesAndUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	s, c, _ := openTestStore(t)
	feed := []Item{
		item("a", "1", "first", t0.Add(-2*time.Hour)),
		item("a", "2", "second", t0.Add(-time.Hour)),
	}
	res, err := s.Ingest(ctx, SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (IngestResult{New: 2}) {
		t.Fatalf("first ingest = %+v, want 2 new", res)
	}
	v1 := s.Version()

	c.advance(time.Minute)
	res, err = s.Ingest(ctx, SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (IngestResult{Unchanged: 2}) {
		t.Fatalf("same feed again = %+v, want 2 unchanged", res)
	}
	if s.Version() != v1 {
		t.Errorf("Version changed on an unchanged feed")
	}

	feed[1].Title = "second, corrected"
	res, err = s.Ingest(ctx, SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res != (IngestResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("changed title = %+v, want 1 updated", res)
	}
	got, err := s.Recent(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:second, corrected", "a:first"}; fmt.Sprint(titles(got)) != fmt.Sprint(want) {
		t.Fatalf("Recent = %q, want %q", titles(got), want)
	}
	if !got[0].FirstSeen.Equal(t0) {
		t.Errorf("FirstSeen = %v, want the first sighting %v", got[0].FirstSeen, t0)
	}
	if !got[0].Updated.Equal(t0.Add(time.Minute)) {
		t.Errorf("Updated = %v, want the time of the change", got[0].Updated)
	}
	if st, _ := s.State("a"); st.Items != 2 {
		t.Errorf("State.Items = %d, want 2", st.Items)
	}
}

func TestRecentOrderAndBadDates(t *testing.T) {
	ctx := context.Background()
	s, c, _ := openTestStore(t)
	_, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		item("a", "old", "old", t0.Add(-3*time.Hour)),
		item("a", "future", "future", t0.Add(24*time.Hour)),
		item("a", "slightlyahead", "slightly ahead", t0.Add(time.Minute)),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Seen a second later, so it sorts above "future", which fell back to t0.
	c.advance(time.Second)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "nodate", "no date", time.Time{})}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Ingest(ctx, SourceState{Name: "b"}, []Item{
		item("b", "mid", "mid", t0.Add(-2*time.Hour)),
		item("b", "1", "b recent", t0.Add(-time.Minute)),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"all", Query{}, []string{"a:slightly ahead", "a:no date", "a:future", "b:b recent", "b:mid", "a:old"}},
		{"limit", Query{Limit: 2}, []string{"a:slightly ahead", "a:no date"}},
		{"one source", Query{Sources: []string{"b"}}, []string{"b:b recent", "b:mid"}},
		{"no sources", Query{Sources: []string{}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Recent(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(titles(got)) != fmt.Sprint(tt.want) {
				t.Errorf("Recent(%+v) = %q, want %q", tt.q, titles(got), tt.want)
			}
		})
	}
}

func TestRestartKeepsItemsAndState(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var feed []Item
	for i := range 120 {
		feed = append(feed, item("a", fmt.Sprint(i), fmt.Sprint("headline ", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "a", ETag: `"v1"`}, feed); err != nil {
		t.Fatal(err)
	}
	// A 304 later only marks the state in memory; Close must persist it.
	s.MarkState(SourceState{Name: "a", ETag: `"v1"`, LastStatus: "not_modified"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Recent(ctx, Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 {
		t.Fatalf("after restart Recent returned %d items, want 120", len(got))
	}
	st, ok := s.State("a")
	if !ok || st.ETag != `"v1"` || st.LastStatus != "not_modified" || st.Items != 120 {
		t.Errorf("after restart State = %+v, %v", st, ok)
	}
}

func TestMarkStateWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "x", t0)}); err != nil {
		t.Fatal(err)
	}
	before := s.Stats().Writes
	s.MarkState(SourceState{Name: "a", LastStatus: "not_modified"})
	if got := s.Stats().Writes; got != before {
		t.Errorf("MarkState wrote: Writes %d → %d", before, got)
	}
	if st, _ := s.State("a"); st.LastStatus != "not_modified" || st.Items != 1 {
		t.Errorf("State after MarkState = %+v", st)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	_, _, path := openTestStore(t)
	_, err := Open(path, &Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open error = %v, want ErrInUse", err)
	}
}

func TestChangedSignals(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	ch := s.Changed()
	if _, err := s.SaveState(ctx, SourceState{Name: "a", LastError: "boom"}), error(nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
		t.Fatal("Changed fired on a state-only write")
	default:
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "x", t0)}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	default:
		t.Fatal("Changed did not fire after a new item")
	}
}

func TestIngestRejectsBadItems(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	tests := []struct {
		name  string
		items []Item
	}{
		{"other source", []Item{item("b", "1", "x", t0)}},
		{"no id", []Item{{Source: "a", Title: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Ingest(ctx, SourceState{Name: "a"}, tt.items); err == nil {
				t.Errorf("Ingest(%+v) succeeded, want an error", tt.items)
			}
		})
	}
	got, _ := s.Recent(ctx, Query{})
	if len(got) != 0 {
		t.Errorf("rejected ingest stored %d items", len(got))
	}
}

func TestReadOnlyOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "x", t0)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got, _ := ro.Recent(ctx, Query{}); len(got) != 1 {
		t.Errorf("read-only Recent = %d items, want 1", len(got))
	}
}

func FuzzItemKey(f *testing.F) {
	f.Add(int64(0), uint64(0))
	f.Add(t0.UnixNano(), uint64(1<<63))
	f.Add(int64(-5), uint64(42))
	f.Fuzz(func(t *testing.T, ns int64, h uint64) {
		k := itemKey(time.Unix(0, ns), h)
		gotT, gotH := parseItemKey(k)
		wantNS := max(ns, 0)
		if gotT.UnixNano() != wantNS || gotH != h {
			t.Fatalf("parseItemKey(itemKey(%d, %d)) = %d, %d", ns, h, gotT.UnixNano(), gotH)
		}
	})
}

func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	s, _, _ := openTestStore(b)
	const perFeed = 50
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		feed := make([]Item, perFeed)
		for i := range feed {
			n++
			feed[i] = Item{
				Source: "wire", ID: fmt.Sprint("urn:item:", n), Title: fmt.Sprint("عنوان الخبر رقم ", n),
				Link: fmt.Sprint("https://example.com/", n), Summary: "<p>ملخص قصير للخبر مع بعض النص الإضافي.</p>",
				Published: t0.Add(time.Duration(n) * time.Second),
			}
		}
		if _, err := s.Ingest(ctx, SourceState{Name: "wire"}, feed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
}

func BenchmarkRecent(b *testing.B) {
	ctx := context.Background()
	s, _, _ := openTestStore(b)
	for f := range 100 {
		feed := make([]Item, 50)
		for i := range feed {
			id := fmt.Sprint(f, "-", i)
			feed[i] = item(fmt.Sprint("src", f%10), id, "headline "+id, t0.Add(time.Duration(f*50+i)*time.Second))
		}
		if _, err := s.Ingest(ctx, SourceState{Name: fmt.Sprint("src", f%10)}, feed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Recent(ctx, Query{Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestInvalidUTF8IsStableAcrossPolls(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	feed := []Item{item("a", "1", "bad \xff byte", t0)}
	feed[0].Categories = []string{"x\xfe"}
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, feed); err != nil {
		t.Fatal(err)
	}
	feed = []Item{item("a", "1", "bad \xff byte", t0)}
	feed[0].Categories = []string{"x\xfe"}
	res, err := s.Ingest(ctx, SourceState{Name: "a"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != 1 {
		t.Errorf("re-ingest of an item with invalid UTF-8 = %+v, want unchanged", res)
	}
}

func TestSourceOf(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"fast path", `{"src":"wire-1.ar","id":"x"}`, "wire-1.ar"},
		{"escaped name", `{"src":"a\"b","id":"x"}`, `a"b`},
		{"other order", `{"id":"x","src":"late"}`, "late"},
		{"broken", `{"src":`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceOf([]byte(tt.in)); got != tt.want {
				t.Errorf("sourceOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
