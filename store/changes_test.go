package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// changeList renders changes as "seq op source:id title" lines.
func changeList(chs []Change) string {
	var b strings.Builder
	for _, ch := range chs {
		fmt.Fprintf(&b, "%d %s %s:%s %s", ch.Seq, ch.Op, ch.Item.Source, ch.Item.ID, ch.Item.Title)
		if n := len(ch.Item.Reports); n > 0 {
			fmt.Fprintf(&b, " +%d", n)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func mustChanges(t *testing.T, s *Store, after uint64) []Change {
	t.Helper()
	chs, err := s.Changes(context.Background(), after, 0)
	if err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	return chs
}

func TestChangeLogRecordsIngest(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	if s.Seq() != 0 || len(mustChanges(t, s, 0)) != 0 {
		t.Fatalf("new store: Seq = %d, want 0 and no changes", s.Seq())
	}
	_, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", t0.Add(-time.Hour)),
		storyItem("a", "2", "central bank holds rates", "https://a.example/2", t0.Add(-2*time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Seq() != 2 || s.Version() != 2 {
		t.Fatalf("after two new items Seq, Version = %d, %d; want 2, 2", s.Seq(), s.Version())
	}
	c.advance(time.Minute)
	// An unchanged poll logs nothing.
	_, err = s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", t0.Add(-time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Seq() != 2 {
		t.Fatalf("unchanged poll moved Seq to %d", s.Seq())
	}
	// A rewritten title with a new date moves the item's key; a
	// duplicate from another source updates the kept item.
	_, err = s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "2", "central bank holds rates again", "https://a.example/2", t0.Add(-30*time.Minute)),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Ingest(ctx, SourceState{Name: "b"}, []Item{
		storyItem("b", "x", "Ceasefire takes effect in the north today", "https://b.example/x", t0),
		storyItem("b", "y", "storm hits the coast", "https://b.example/y", t0),
	})
	if err != nil {
		t.Fatal(err)
	}
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
	if _, err := s.Changes(ctx, 6, 0); !errors.Is(err, ErrChangesTrimmed) {
		t.Errorf("Changes beyond the log: err = %v, want ErrChangesTrimmed", err)
	}
	chs, err := s.Changes(ctx, 0, 2)
	if err != nil || len(chs) != 2 || chs[1].Seq != 2 {
		t.Errorf("Changes(0, limit 2) = %d changes (last %v), %v; want seqs 1 and 2", len(chs), chs, err)
	}
}

func TestChangeLogTrimsAndPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tickerd.db")
	c := &clock{t: t0}
	s, err := Open(path, &Options{Now: c.now, ChangeLog: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		_, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", fmt.Sprint(i), fmt.Sprint("headline ", i), t0.Add(time.Duration(i)*time.Minute))})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, after := range []uint64{0, 1, 2} {
		if _, err := s.Changes(ctx, after, 0); !errors.Is(err, ErrChangesTrimmed) {
			t.Errorf("Changes(%d) with 5 of 8 kept: err = %v, want ErrChangesTrimmed", after, err)
		}
	}
	if got := len(mustChanges(t, s, 3)); got != 5 {
		t.Errorf("Changes(3) = %d changes, want 5", got)
	}
	// A removal names the item that went.
	err = s.db.Update(func(tx *bolt.Tx) error {
		it := item("a", "0", "headline 0", t0)
		_, err := s.logChange(tx, OpRemoved, itemKey(it.Time(), idHash("a", "0")), &it)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, &Options{Now: c.now, ChangeLog: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Seq() != 9 || s.Version() != 9 {
		t.Fatalf("reopened: Seq, Version = %d, %d; want 9, 9", s.Seq(), s.Version())
	}
	chs := mustChanges(t, s, 8)
	if len(chs) != 1 || chs[0].Op != OpRemoved || chs[0].Item.ID != "0" || chs[0].Item.GUID != "0" || chs[0].Item.Link != "https://example.com/0" {
		t.Fatalf("removal change = %+v", chs)
	}
	_, err = s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "new", "after restart", t0)})
	if err != nil {
		t.Fatal(err)
	}
	if chs := mustChanges(t, s, 9); len(chs) != 1 || chs[0].Seq != 10 || chs[0].Op != OpAdded {
		t.Errorf("first change after restart = %+v, want seq 10 added", chs)
	}
}
