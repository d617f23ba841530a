package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// queueCalls starts n updateGrouped calls while the write lock is held, so
// that they all land in one group, and returns their errors once the lock
// is released and they finish.
func queueCalls(t *testing.T, s *Store, fns []func(*bolt.Tx) error) []error {
	t.Helper()
	s.group.write.Lock()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.updateGrouped(fn) })
	}
	waitQueued(t, s, len(fns))
	s.group.write.Unlock()
	wg.Wait()
	return errs
}

// waitQueued waits until n calls are queued for the next group.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.group.mu.Lock()
		got := len(s.group.pending)
		s.group.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", got, n)
		}
	}
}

func TestGroupCommitSharesOneWrite(t *testing.T) {
	s, _, _ := openTestStore(t)
	writes := s.Stats().Writes
	const n = 8
	fns := make([]func(*bolt.Tx) error, n)
	for i := range fns {
		fns[i] = func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSources).Put(fmt.Appendf(nil, "group-%d", i), []byte(`{}`))
		}
	}
	for i, err := range queueCalls(t, s, fns) {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if got := s.Stats().Writes - writes; got != 1 {
		t.Errorf("%d queued calls made %d commits, want 1", n, got)
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		for i := range n {
			if tx.Bucket(bucketSources).Get(fmt.Appendf(nil, "group-%d", i)) == nil {
				return fmt.Errorf("call %d's write is missing", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestGroupCommitFailureIsItsOwn(t *testing.T) {
	s, _, _ := openTestStore(t)
	bad := errors.New("bad write")
	runs := make([]int, 3)
	fns := []func(*bolt.Tx) error{
		func(tx *bolt.Tx) error { runs[0]++; return tx.Bucket(bucketSources).Put([]byte("a"), []byte(`{}`)) },
		func(tx *bolt.Tx) error { runs[1]++; return bad },
		func(tx *bolt.Tx) error { runs[2]++; return tx.Bucket(bucketSources).Put([]byte("c"), []byte(`{}`)) },
	}
	errs := queueCalls(t, s, fns)
	if !errors.Is(errs[1], bad) {
		t.Errorf("failing call returned %v, want %v", errs[1], bad)
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("the others returned %v and %v, want nil", errs[0], errs[2])
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, k := range []string{"a", "c"} {
			if tx.Bucket(bucketSources).Get([]byte(k)) == nil {
				return fmt.Errorf("write %q is missing after its group was run again", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if runs[1] < 2 {
		t.Errorf("failing function ran %d times, want it retried alone", runs[1])
	}
}

// TestIngestConcurrent stores feeds from many goroutines at once: each
// caller's result counts its own items, and nothing is lost.
func TestIngestConcurrent(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	const sources, perFeed = 12, 20
	var wg sync.WaitGroup
	results := make([]IngestResult, sources)
	errs := make([]error, sources)
	for f := range sources {
		wg.Go(func() {
			name := fmt.Sprint("src", f)
			feed := make([]Item, perFeed)
			for i := range feed {
				id := fmt.Sprint(f, "-", i)
				feed[i] = item(name, id, "headline "+id, t0.Add(time.Duration(f*perFeed+i)*time.Second))
			}
			results[f], errs[f] = s.Ingest(ctx, SourceState{Name: name}, feed)
		})
	}
	wg.Wait()
	for f := range sources {
		if errs[f] != nil || results[f].New != perFeed {
			t.Errorf("source %d: Ingest = %+v, %v; want %d new", f, results[f], errs[f], perFeed)
		}
		if st, _ := s.State(fmt.Sprint("src", f)); st.Items != perFeed {
			t.Errorf("source %d: state counts %d items, want %d", f, st.Items, perFeed)
		}
	}
	got, err := s.Recent(ctx, Query{Limit: sources * perFeed})
	if err != nil || len(got) != sources*perFeed {
		t.Errorf("Recent = %d items, %v; want %d", len(got), err, sources*perFeed)
	}
}

// TestIngestRetriedInGroup has an Ingest share a group with a write that
// fails after it: rolled back and run again, the Ingest must count its
// items once, in the store and in the source's state.
func TestIngestRetriedInGroup(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	s.group.write.Lock()
	var res IngestResult
	var ingestErr, badErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		feed := []Item{item("a", "1", "one", t0), item("a", "2", "two", t0.Add(time.Second)), item("a", "3", "three", t0.Add(2*time.Second))}
		res, ingestErr = s.Ingest(ctx, SourceState{Name: "a"}, feed)
	})
	waitQueued(t, s, 1)
	wg.Go(func() { badErr = s.updateGrouped(func(*bolt.Tx) error { return errors.New("bad write") }) })
	waitQueued(t, s, 2)
	s.group.write.Unlock()
	wg.Wait()
	if ingestErr != nil || res.New != 3 {
		t.Fatalf("Ingest = %+v, %v; want 3 new", res, ingestErr)
	}
	if badErr == nil {
		t.Error("the failing write returned no error")
	}
	if st, _ := s.State("a"); st.Items != 3 {
		t.Errorf("state counts %d items, want 3", st.Items)
	}
}

// TestSaveStateGrouped saves states queued behind one commit in one more.
func TestSaveStateGrouped(t *testing.T) {
	s, _, path := openTestStore(t)
	ctx := context.Background()
	writes := s.Stats().Writes
	const n = 10
	s.group.write.Lock()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.SaveState(ctx, SourceState{Name: fmt.Sprint("s", i), ETag: `"x"`}) })
	}
	waitQueued(t, s, n)
	s.group.write.Unlock()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("SaveState %d: %v", i, err)
		}
	}
	if got := s.Stats().Writes - writes; got != 1 {
		t.Errorf("%d queued saves made %d commits, want 1", n, got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for i := range n {
		if st, ok := s2.State(fmt.Sprint("s", i)); !ok || st.ETag != `"x"` {
			t.Errorf("state s%d after reopening = %+v, %v", i, st, ok)
		}
	}
}

// BenchmarkIngestParallel is 16 writers storing 50-item feeds at once, as
// the fetcher's default concurrency does: what the group commit is for.
func BenchmarkIngestParallel(b *testing.B) {
	ctx := context.Background()
	s, _, _ := openTestStore(b)
	const perFeed = 50
	var next atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := next.Add(1)
		src := fmt.Sprint("wire", w)
		n := 0
		for pb.Next() {
			feed := make([]Item, perFeed)
			for i := range feed {
				n++
				feed[i] = item(src, fmt.Sprint(n), fmt.Sprint("عنوان الخبر رقم ", w, " ", n), t0.Add(time.Duration(n)*time.Second))
			}
			if _, err := s.Ingest(ctx, SourceState{Name: src}, feed); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*perFeed)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(s.Stats().Writes)/float64(b.N), "commits/feed")
}
