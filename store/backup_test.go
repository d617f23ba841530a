package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupDuringIngest: a backup taken while batches are being ingested
// holds exactly the batches committed before it began, whole, and opens as
// a data file that serves them.
func TestBackupDuringIngest(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	const batches, perBatch = 200, 10
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for b := range batches {
			var items []Item
			for i := range perBatch {
				id := fmt.Sprintf("b%03d-%d", b, i)
				items = append(items, item("wire", id, "headline "+id, t0.Add(time.Duration(b*perBatch+i)*time.Second)))
			}
			if _, err := s.Ingest(ctx, SourceState{Name: "wire", LastStatus: "ok"}, items); err != nil {
				done <- err
				return
			}
			if b == 20 {
				close(started)
			}
		}
		done <- nil
	}()
	<-started
	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}

	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, nil)
	if err != nil {
		t.Fatalf("open restored backup: %v", err)
	}
	defer r.Close()
	got, err := r.Recent(ctx, Query{Limit: batches * perBatch})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || len(got)%perBatch != 0 || len(got) == batches*perBatch {
		t.Fatalf("restored %d items, want whole batches, taken mid-ingest", len(got))
	}
	// Newest first: the items are exactly batches 0..k-1, in order.
	for i, it := range got {
		k := len(got) - 1 - i
		if want := fmt.Sprintf("b%03d-%d", k/perBatch, k%perBatch); it.ID != want {
			t.Fatalf("restored item %d = %s, want %s", i, it.ID, want)
		}
	}
	st, ok := r.State("wire")
	if !ok || st.Items != len(got) {
		t.Errorf("restored state = %+v, want %d items", st, len(got))
	}
	if r.Seq() != uint64(len(got)) {
		t.Errorf("restored Seq = %d, want %d (one change per item)", r.Seq(), len(got))
	}
	// The live store has everything, so the backup was a snapshot, not the end state.
	all, _ := s.Recent(ctx, Query{Limit: batches * perBatch})
	if len(all) != batches*perBatch {
		t.Errorf("live store has %d items, want %d", len(all), batches*perBatch)
	}
}

func TestBackupStopsWithContext(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{cancel: cancel}
	if _, err := s.Backup(ctx, w); !errors.Is(err, context.Canceled) {
		t.Errorf("Backup with ctx canceled mid-copy = %v, want context.Canceled", err)
	}
}

// cancelAfter cancels its context on the first write.
type cancelAfter struct{ cancel func() }

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.cancel()
	return len(p), nil
}

func TestCompact(t *testing.T) {
	ctx := context.Background()
	s, c, path := openTestStore(t)
	// Churn: rewrite the same items with long summaries many times, which
	// leaves free pages behind.
	long := strings.Repeat("word ", 400)
	for round := range 30 {
		var items []Item
		for i := range 100 {
			it := item("wire", fmt.Sprint("id", i), "headline", t0)
			it.Summary = fmt.Sprint(round, long)
			items = append(items, it)
		}
		c.advance(time.Minute)
		if _, err := s.Ingest(ctx, SourceState{Name: "wire"}, items); err != nil {
			t.Fatal(err)
		}
	}
	want, err := s.Recent(ctx, Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := Compact(path, &Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Fatalf("Compact while the file is open = %v, want ErrInUse", err)
	}
	seq := s.Seq()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := Compact(path, nil)
	if err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if res.After <= 0 || res.After >= res.Before {
		t.Errorf("Compact sizes = %+v, want smaller after", res)
	}
	if fi, _ := os.Stat(path); fi.Size() != res.After || fi.Mode().Perm() != 0o600 {
		t.Errorf("file after compact: size %d mode %v, want %d 0600", fi.Size(), fi.Mode().Perm(), res.After)
	}
	if left, _ := filepath.Glob(path + ".compact-*"); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	r, err := Open(path, nil)
	if err != nil {
		t.Fatalf("open compacted file: %v", err)
	}
	defer r.Close()
	got, err := r.Recent(ctx, Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[0].Summary != want[0].Summary || r.Seq() != seq {
		t.Errorf("compacted file: %d items, seq %d; want %d items, seq %d", len(got), r.Seq(), len(want), seq)
	}
}

func TestCompactMissingFile(t *testing.T) {
	_, err := Compact(filepath.Join(t.TempDir(), "none.db"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Compact of a missing file = %v, want ErrNotExist", err)
	}
}
